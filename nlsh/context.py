"""What the prompt may know about the user's machine, gathered fast and bounded in size.

Never environment variable values: only which shell, which OS, which programs exist, and
names in the current directory (escaped, because a file name is data, not an instruction).
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
from pathlib import Path

from nlsh.records import GitState, ShellContext

LISTING_LIMIT = 40
NAME_LIMIT = 60
# Programs whose presence changes which command is right (fd vs find, rg vs grep, ...).
RELEVANT_PROGRAMS = (
    "find", "fd", "fdfind", "grep", "rg", "ag", "sed", "awk", "gawk", "perl", "python3",
    "xargs", "parallel", "tar", "zip", "unzip", "xz", "zstd", "7z", "rsync", "curl", "wget",
    "jq", "yq", "git", "docker", "podman", "kubectl", "systemctl", "journalctl", "apt", "dnf",
    "yum", "pacman", "brew", "pip", "npm", "lsof", "ss", "netstat", "ip", "ifconfig", "dig",
    "nc", "tree", "bat", "eza", "exa", "fzf", "tmux", "ffmpeg", "convert", "sqlite3", "gh",
)


def escape_name(name: str) -> str:
    """A file name rendered as inert data: quoted when unusual, control characters visible."""
    shown = name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"
    if shown and all(ch.isalnum() or ch in "._-+@,%" for ch in shown):
        return shown
    escaped = shown.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in escaped) + '"'


@functools.lru_cache(maxsize=1)
def _os_facts() -> tuple[str, str, str | None]:
    system = platform.system() or "Linux"
    distro: str | None = None
    if system == "Linux":
        try:
            info = platform.freedesktop_os_release()
            distro = info.get("PRETTY_NAME") or info.get("NAME")
        except OSError:
            distro = None
    elif system == "Darwin":
        distro = f"macOS {platform.mac_ver()[0]}".strip()
    return system, _userland(system), distro


def _userland(system: str) -> str:
    if system in ("Darwin", "FreeBSD", "OpenBSD", "NetBSD", "DragonFly"):
        return "bsd"
    ls = shutil.which("ls")
    if ls and os.path.realpath(ls).endswith("busybox"):
        return "busybox"
    return "gnu"


def _shell_name(shell_path: str | None) -> str:
    if not shell_path:
        return "bash"
    return Path(shell_path).name or "bash"


@functools.lru_cache(maxsize=8)
def shell_version(shell: str) -> str | None:
    """The version the shell itself sets (cached: a subprocess costs a few ms once)."""
    probes = {"bash": "echo $BASH_VERSION", "zsh": "echo $ZSH_VERSION", "fish": "echo $version"}
    exe = shutil.which(shell)
    if exe is None or shell not in probes:
        return None
    try:
        out = subprocess.run([exe, "-c", probes[shell]], capture_output=True, text=True,
                             timeout=2, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def installed_programs(names: tuple[str, ...] = RELEVANT_PROGRAMS) -> list[str]:
    return [name for name in names if shutil.which(name)]


def list_directory(cwd: Path, limit: int = LISTING_LIMIT) -> tuple[list[str], int]:
    """Up to `limit` entries of cwd (dirs marked with /), escaped; and how many were left out."""
    entries: list[str] = []
    total = 0
    try:
        with os.scandir(cwd) as it:
            for entry in it:
                total += 1
                if len(entries) < limit:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    entries.append(escape_name(entry.name) + ("/" if is_dir else ""))
    except OSError:
        return [], 0
    entries.sort()
    return entries, total - len(entries)


def git_state(cwd: Path) -> GitState | None:
    """Branch and dirtiness, read from .git files directly: no subprocess on the hot path."""
    root = _git_root(cwd)
    if root is None:
        return None
    git_dir = root / ".git"
    if git_dir.is_file():  # worktree or submodule: "gitdir: <path>"
        try:
            target = git_dir.read_text().split(":", 1)[1].strip()
        except (OSError, IndexError):
            return GitState(branch=None, dirty=False)
        git_dir = (root / target).resolve()
    try:
        head = (git_dir / "HEAD").read_text().strip()
    except OSError:
        return GitState(branch=None, dirty=False)
    if head.startswith("ref: refs/heads/"):
        branch, detached = head[len("ref: refs/heads/"):], False
    else:
        branch, detached = head[:12], True
    return GitState(branch=branch, dirty=_git_dirty(root), detached=detached)


def _git_root(cwd: Path) -> Path | None:
    for candidate in (cwd, *cwd.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _git_dirty(root: Path) -> bool:
    git = shutil.which("git")
    if git is None:
        return False
    try:
        out = subprocess.run(
            [git, "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=0.5, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())


def gather_context(
    cwd: str | os.PathLike[str] | None = None,
    *,
    shell_path: str | None = None,
    last_command: str | None = None,
    last_exit_status: int | None = None,
    last_error: str | None = None,
) -> ShellContext:
    here = Path(cwd) if cwd is not None else Path.cwd()
    system, userland, distro = _os_facts()
    shell = _shell_name(shell_path if shell_path is not None else os.environ.get("SHELL"))
    listing, omitted = list_directory(here)
    return ShellContext(
        os_name=system,
        userland=userland,
        distro=distro,
        shell=shell,
        shell_version=shell_version(shell),
        cwd=str(here),
        listing=listing,
        listing_omitted=omitted,
        git=git_state(here),
        installed=installed_programs(),
        last_command=last_command[:2000] if last_command else None,
        last_exit_status=last_exit_status,
        last_error=last_error[-2000:] if last_error else None,
    )
