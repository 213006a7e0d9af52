"""The namespace side of the sandbox: runs as its own interpreter, standard library only.

Started by `nlsh.sandbox.runner` as `python -I -S -c "...; _inner.main()" SPEC`, never
imported by nlsh itself: the caller may be multi-threaded (torch), and forking such a process
to call unshare() is unsafe, so a fresh single-threaded interpreter does the namespace work.

Process tree:
  A (this process, the caller's user)  unshare(user, mount, net, pid); map our uid/gid onto
  |                                    themselves (every id, for real root); fork; wait;
  |                                    exit with B's status.
  B (pid 1 of the new pid namespace)   dies with A (PDEATHSIG); builds the mount tree; brings
  |                                    loopback up; forks C; reaps; exits when C exits, which
  |                                    makes the kernel kill every stray process left in it.
  C                                    execs the shell as the caller's uid: no capabilities
                                       unless that is 0, and then only inside the namespace.

The mount tree B builds:
  - every inherited mount made read-only in one call (mount_setattr, AT_RECURSIVE);
  - the writable places put back on top: a bind of the workdir (contained runs), binds of
    host directories at other paths (eval fixtures), or an overlay per target whose upper
    dir lives on the host, where the caller diffs it later;
  - private tmpfs on /tmp and /run (which also hides the sockets of running services);
  - a minimal /dev (null, zero, full, random, urandom, tty, shm, pts) so no disk is reachable;
  - a fresh /proc for the new pid namespace.

B reports on the status fd: "ok" once the command is about to start, or "error: ..." if
any step failed, so that the caller can fall back without having run the command. While
the command runs, B enforces the limits no rlimit can (processes for root, memory and bytes
written summed over all processes): at one it kills everything in the namespace and writes
"limit NAME" on the status fd.

With "plain" in the spec (the fallback without namespaces) it only sets the rlimits in
itself and execs the command.
"""

from __future__ import annotations

import _signal as signal  # the C module: `signal` imports enum, which is slow to load
import ctypes
import fcntl
import marshal
import os
import resource
import select
import struct
import sys
import time

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18

AT_FDCWD = -100
AT_EMPTY_PATH = 0x1000
AT_RECURSIVE = 0x8000
OPEN_TREE_CLONE = 1
OPEN_TREE_CLOEXEC = os.O_CLOEXEC
MOVE_MOUNT_F_EMPTY_PATH = 0x4
MOUNT_ATTR_RDONLY = 0x1

# The new mount API has one number on every architecture (unified syscall table).
SYS_OPEN_TREE = 428
SYS_MOVE_MOUNT = 429
SYS_MOUNT_SETATTR = 442

PR_SET_PDEATHSIG = 1
AF_INET = 2
SOCK_DGRAM = 2
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
RESERVED_PIDS = 300  # the kernel's: numbers below it are not reused once they wrap

DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class SetupError(Exception):
    pass


class MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)}")
    return result


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    _check(_libc.mount(
        source.encode() if source is not None else None,
        target.encode(),
        fstype.encode() if fstype is not None else None,
        ctypes.c_ulong(flags),
        data.encode() if data is not None else None,
    ), f"mount {fstype or 'bind'} on {target}")


def _open_tree(path: str) -> int:
    return _check(_libc.syscall(SYS_OPEN_TREE, AT_FDCWD, path.encode(),
                                OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE),
                  f"open_tree {path}")


def _move_mount(fd: int, target: str) -> None:
    _check(_libc.syscall(SYS_MOVE_MOUNT, fd, b"", AT_FDCWD, target.encode(),
                         MOVE_MOUNT_F_EMPTY_PATH), f"move_mount onto {target}")


def _make_all_read_only() -> None:
    attr = MountAttr(attr_set=MOUNT_ATTR_RDONLY)
    _check(_libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE,
                         ctypes.byref(attr), ctypes.sizeof(attr)), "mount_setattr read-only")


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _enter_namespaces(net: bool) -> None:
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | (0 if net else CLONE_NEWNET)
    mapper = _start_full_mapper() if uid == 0 else None
    _check(_libc.unshare(flags), "unshare")
    if mapper is not None and _finish_full_mapper(*mapper):
        return
    # Map our own ids onto themselves: the command runs as the user it would really run as,
    # with no capabilities once it execs (B keeps the creator's capabilities for mounting).
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")


def _start_full_mapper() -> tuple[int, int]:
    """Real root may map every id, so that files of other users keep their owners inside;
    but only from the parent namespace, so a child that stays behind writes the maps."""
    go_read, go_write = os.pipe()
    target = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        code = 1
        try:
            if os.read(go_read, 1) == b"1":
                _write(f"/proc/{target}/uid_map", "0 0 4294967295")
                _write(f"/proc/{target}/gid_map", "0 0 4294967295")
                code = 0
        finally:
            os._exit(code)
    os.close(go_read)
    return pid, go_write


def _finish_full_mapper(pid: int, go_write: int) -> bool:
    os.write(go_write, b"1")
    os.close(go_write)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _loopback_up() -> None:
    # A raw libc socket: importing the socket module would cost more than the whole setup.
    sock = _check(_libc.socket(AF_INET, SOCK_DGRAM, 0), "socket")
    try:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))
    finally:
        os.close(sock)


def _overlay_options(layer_fds: list[int]) -> str:
    # Paths go through /proc/self/fd so that commas or colons in them need no escaping.
    lower, upper, work = (f"/proc/self/fd/{fd}" for fd in layer_fds)
    return f"lowerdir={lower},upperdir={upper},workdir={work},userxattr"


def _mount_overlay(target: str, upper: str, work: str) -> None:
    fds = [os.open(p, os.O_PATH | os.O_DIRECTORY) for p in (target, upper, work)]
    try:
        _mount("overlay", target, "overlay", 0, _overlay_options(fds))
    finally:
        for fd in fds:
            os.close(fd)


def _build_dev(node_fds: dict[str, int]) -> None:
    _mount("tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=755,size=64m")
    for name, fd in node_fds.items():
        path = f"/dev/{name}"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        _move_mount(fd, path)
    os.mkdir("/dev/shm", 0o1777)
    os.chmod("/dev/shm", 0o1777)
    os.mkdir("/dev/pts", 0o755)
    try:
        _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
               "newinstance,ptmxmode=0666,mode=620")
        os.symlink("pts/ptmx", "/dev/ptmx")
    except SetupError:
        pass  # no pseudo-terminals inside: only programs that open one notice
    for fd_number, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{fd_number}", f"/dev/{name}")
    os.symlink("/proc/self/fd", "/dev/fd")


def _private_tmpfs(path: str, mode: str, size: int) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode},size={size}")


def _build_mounts(spec: dict) -> None:
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    keep: list[tuple[str, int]] = []
    for layer in spec.get("overlays", []):
        _mount_overlay(layer["target"], layer["upper"], layer["work"])
        keep.append((layer["target"], _open_tree(layer["target"])))
    for path in spec.get("writable", []):
        _mount(path, path, None, MS_BIND | MS_REC)
        keep.append((path, _open_tree(path)))
    for source, target in spec.get("binds", []):
        # A host directory shown, writable, at another path (an eval fixture's /srv): the
        # target must already exist, since / is read-only by the time it is attached.
        _mount(source, source, None, MS_BIND | MS_REC)
        keep.append((target, _open_tree(source)))
    node_fds = {name: _open_tree(f"/dev/{name}") for name in DEV_NODES
                if os.path.exists(f"/dev/{name}")}
    _make_all_read_only()
    # In memory: no bigger than all the command may write.
    _private_tmpfs("/tmp", "1777", spec["limits"]["disk"])
    _private_tmpfs("/run", "755", spec["limits"]["disk"])
    _build_dev(node_fds)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # Writable places go back on top last, so that they show through the private /tmp.
    for target, fd in keep:
        os.makedirs(target, exist_ok=True)
        _move_mount(fd, target)
        os.close(fd)


def _exec_command(spec: dict) -> None:
    """In C: the command itself."""
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)  # Python ignores some of these; the shell must not
    _set_rlimits(spec["limits"])
    os.chdir(spec["cwd"])
    os.execve(spec["executable"], spec["argv"], spec["env"])


def _set_rlimits(limits: dict) -> None:
    """Inherited by everything the command starts. NPROC counts this user's tasks in the new
    user namespace (A and B included, hence the 2), and binds only non-root users; it is
    left alone in the plain fallback, where it would count every process of the user."""
    wanted = [(resource.RLIMIT_DATA, limits["memory"]),
              (resource.RLIMIT_FSIZE, limits["file_size"]),
              (resource.RLIMIT_CPU, limits["cpu"])]
    if not limits.get("plain"):  # outside a user namespace it would count all the user's
        wanted.append((resource.RLIMIT_NPROC, limits["processes"] + 2))
    for which, soft in wanted:
        # CPU: SIGXCPU at the soft limit (which says why), SIGKILL a second later.
        hard = soft + 1 if which == resource.RLIMIT_CPU else soft
        old_hard = resource.getrlimit(which)[1]
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(which, (soft, hard))


def _cap_pid_numbers(processes: int) -> None:
    """A hard cap on processes that binds root too, where the kernel has one per pid namespace
    (Linux 6.14+): pid_max here. Numbers wrap back to RESERVED_PIDS (300), so at most
    300 + `processes` are ever alive at once, and `processes` once they have wrapped; the
    watch in `_supervise` reports (and stops) the command well before that."""
    try:
        _write("/proc/sys/kernel/pid_max", str(RESERVED_PIDS + processes + 2))
    except OSError:
        return  # an older kernel: the watch alone bounds root, RLIMIT_NPROC everyone else


def _live_processes() -> int:
    """Processes in this pid namespace, init (B) not counted: /proc here is its own."""
    return sum(1 for name in os.listdir("/proc") if name.isdigit()) - 1


def _bytes_written(upper_fds: list[int]) -> int:
    """What the command has written that lands anywhere: the overlays' upper dirs (on the
    host's disk) and the private tmpfs mounts (in memory)."""
    total = 0
    for fd in upper_fds:
        for _, dirs, files, dir_fd in os.fwalk(".", dir_fd=fd):
            for name in dirs + files:
                try:
                    total += os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_blocks * 512
                except OSError:
                    continue  # removed meanwhile
    for path in ("/tmp", "/run", "/dev"):
        try:
            info = os.statvfs(path)
        except OSError:
            continue
        total += (info.f_blocks - info.f_bfree) * info.f_frsize
    return total


def _supervise(child: int, limits: dict, upper_fds: list[int], status_fd: int) -> int:
    """As init: reap orphans, and watch what no rlimit bounds (processes for root; memory and
    bytes written summed over every process). At a limit, kill everything here and say which
    on the status fd."""
    checks = [("memory", lambda: _resident_bytes() > limits["memory"], 0.05),
              ("disk", lambda: _bytes_written(upper_fds) > limits["disk"], 0.1)]
    due = [0.0] * len(checks)
    while True:
        code = _reap(child)
        if code is not None:
            # A quick writer may finish between two looks: what it left still counts.
            if _bytes_written(upper_fds) > limits["disk"]:
                os.write(status_fd, b"limit disk\n")
            return code
        hit = "processes" if _live_processes() >= limits["processes"] else None
        for index, (name, over, every) in enumerate(checks):
            if hit is None and time.monotonic() >= due[index]:
                started = time.monotonic()
                hit = name if over() else None
                # Never more than a tenth of the time on it (many files, many processes).
                due[index] = time.monotonic() + max(every, 10 * (time.monotonic() - started))
        if hit is not None:
            os.write(status_fd, f"limit {hit}\n".encode())
            os.kill(-1, signal.SIGKILL)  # from pid 1: every other process in the namespace
            return 128 + signal.SIGKILL
        select.select([], [], [], 0.01)


def _resident_bytes() -> int:
    """Memory in use by the command's processes (resident, shared pages counted in each)."""
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit() or name == "1":
            continue
        try:
            with open(f"/proc/{name}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return total


def _reap(child: int) -> int | None:
    """Reap every exited process; the command's exit status once it has exited."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 127
        if pid == 0:
            return None
        if pid == child:
            return _exit_code(status)


def _parent_gone(lifeline: int) -> bool:
    """A holds the other end open; EOF means A died before PDEATHSIG was armed."""
    readable, _, _ = select.select([lifeline], [], [], 0)
    return bool(readable)


def _init(spec: dict, status_fd: int, lifeline: int) -> int:
    """In B, pid 1 of the new pid namespace."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if _parent_gone(lifeline):
        return 1
    os.close(lifeline)
    try:
        # Opened before the mounts: the private /tmp hides the host's upper dirs.
        upper_fds = [os.open(layer["upper"], os.O_RDONLY | os.O_DIRECTORY)
                     for layer in spec.get("overlays", [])]
        _build_mounts(spec)
        _cap_pid_numbers(spec["limits"]["processes"])
        if not spec.get("net"):
            _loopback_up()
        os.chdir(spec["cwd"])
    except (SetupError, OSError) as error:
        os.write(status_fd, f"error: mounts: {error}\n".encode())
        return 125
    os.write(status_fd, b"ok\n")
    os.set_inheritable(status_fd, False)  # kept for the limit report, but not by the command
    child = os.fork()
    if child == 0:
        try:
            _exec_command(spec)
        except OSError as error:
            message = f"nlsh sandbox: cannot run {spec['executable']}: {error.strerror}\n"
            os.write(2, message.encode())
        os._exit(127)
    return _supervise(child, spec["limits"], upper_fds, status_fd)


def main() -> None:
    # marshal, not json: json imports re, which would double the start-up time. The caller
    # writes format version 4, which every Python 3 reads.
    spec = marshal.loads(bytes.fromhex(sys.argv[1]))
    if spec.get("plain"):  # no namespaces (the fallback): only the limits, then the command
        try:
            _exec_command(spec)
        except OSError as error:
            os.write(2, f"nlsh sandbox: cannot run {spec['executable']}: {error.strerror}\n"
                     .encode())
        os._exit(127)
    status_fd = int(spec["status_fd"])
    try:
        _enter_namespaces(bool(spec.get("net")))
    except (SetupError, OSError) as error:
        os.write(status_fd, f"error: namespaces: {error}\n".encode())
        os._exit(125)
    lifeline, keep_alive = os.pipe()
    child = os.fork()
    if child == 0:
        code = 125
        try:
            os.close(keep_alive)
            code = _init(spec, status_fd, lifeline)
        finally:
            os._exit(code)
    os.close(status_fd)
    os.close(lifeline)
    _, status = os.waitpid(child, 0)
    os._exit(_exit_code(status))


def _exit_code(status: int) -> int:
    """Like a shell: a death by signal N reads as 128 + N."""
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    main()
