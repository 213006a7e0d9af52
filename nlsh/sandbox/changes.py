"""Which files a previewed command added, modified or deleted, and replaying them for real.

Two sources of truth, one result type:
- overlay: the upper dir of an overlayfs mount holds exactly what changed. A character
  device 0/0 is a whiteout (deleted); a directory marked opaque (xattr
  user.overlay.opaque=y) replaced the lower one wholesale; any other entry is new or changed
  and is compared with the lower (real) file by content, so a file that was merely opened
  for writing (copied up) is not reported.
- copy: a copy of the directory after the run, compared with the real directory.

Every change remembers the real path, where its new content lies (for replay), and the
real file's state when the preview ran (so that a replay refuses if the tree moved on).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from typing import Any

MAX_CHANGES = 2000  # entries kept; beyond this the preview says so and replay is refused
MAX_WALK = 200_000  # entries visited in a deleted or added tree before giving up
OPAQUE_XATTR = "user.overlay.opaque"


class StaleTreeError(Exception):
    """The real tree changed since the preview: replaying would not give what was shown."""


@dataclass(frozen=True)
class FileState:
    """Enough of a file's identity to notice that it changed."""

    type: str  # "file" | "dir" | "symlink" | "other" | "absent"
    size: int | None = None
    mtime_ns: int | None = None
    mode: int | None = None
    owner: tuple[int, int] | None = None
    target: str | None = None  # symlinks

    @classmethod
    def of(cls, path: str) -> FileState:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return cls("absent")
        kind = file_type(info)
        return cls(
            type=kind,
            size=info.st_size if kind == "file" else None,
            mtime_ns=info.st_mtime_ns if kind != "dir" else None,
            mode=stat.S_IMODE(info.st_mode),
            owner=(info.st_uid, info.st_gid),
            target=os.readlink(path) if kind == "symlink" else None,
        )


@dataclass
class Change:
    path: str  # shown: relative to cwd when inside it, absolute otherwise
    kind: str  # "added" | "modified" | "deleted"
    bytes: int | None  # new size (added/modified), old size (deleted); None unless a file
    type: str = "file"  # "file" | "dir" | "symlink" | "other"
    detail: str | None = None  # for "modified": "content", "mode", "timestamps only", ...
    real_path: str = ""
    source: str | None = None  # the new version, in the overlay upper dir or the copy
    before: FileState = field(default_factory=lambda: FileState("absent"))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "bytes": self.bytes, "type": self.type,
                "detail": self.detail}


def file_type(info: os.stat_result) -> str:
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISDIR(info.st_mode):
        return "dir"
    if stat.S_ISLNK(info.st_mode):
        return "symlink"
    return "other"


def _is_whiteout(info: os.stat_result) -> bool:
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == 0


def _is_opaque(path: str) -> bool:
    try:
        return os.getxattr(path, OPAQUE_XATTR, follow_symlinks=False) == b"y"
    except OSError:
        return False


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _listdir(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ChangeCollector:
    """Walks (after, before) trees for one captured root and records the changes."""

    def __init__(self, display_base: str, trust_mtime: bool = False) -> None:
        self.display_base = display_base  # the cwd: paths inside it are shown relative
        self.trust_mtime = trust_mtime  # copy mode: same size+mtime means same content
        self.changes: list[Change] = []
        self.truncated = False
        self.visited = 0

    # -- recording -------------------------------------------------------------------------

    def _display(self, real: str) -> str:
        base = self.display_base
        if real == base:
            return "."
        if real.startswith(base.rstrip("/") + "/"):
            return os.path.relpath(real, base)
        return real

    def _add(self, change: Change) -> None:
        if len(self.changes) >= MAX_CHANGES:
            self.truncated = True
            return
        self.changes.append(change)

    def _budget_left(self) -> bool:
        self.visited += 1
        if self.visited > MAX_WALK:
            self.truncated = True
            return False
        return True

    def added(self, source: str, real: str) -> None:
        """`source` and everything below it are new at `real`."""
        if not self._budget_left():
            return
        info = os.lstat(source)
        kind = file_type(info)
        self._add(Change(self._display(real), "added",
                         info.st_size if kind == "file" else None, kind,
                         real_path=real, source=source))
        if kind == "dir":
            for name in _listdir(source):
                self.added(os.path.join(source, name), os.path.join(real, name))

    def deleted(self, real: str) -> None:
        """`real` and everything below it are gone; children are listed before parents."""
        if not self._budget_left():
            return
        before = FileState.of(real)
        if before.type == "absent":
            return
        if before.type == "dir":
            for name in _listdir(real):
                self.deleted(os.path.join(real, name))
        self._add(Change(self._display(real), "deleted", before.size, before.type,
                         real_path=real, before=before))

    def compared(self, source: str, real: str) -> None:
        """Both exist and are not directories on both sides: what, if anything, changed."""
        if not self._budget_left():
            return
        new = os.lstat(source)
        old = os.lstat(real)
        new_type, old_type = file_type(new), file_type(old)
        if new_type != old_type:
            self.deleted(real)
            self.added(source, real)
            return
        detail = self._difference(source, new, real, old, new_type)
        if detail is not None:
            self._add(Change(self._display(real), "modified",
                             new.st_size if new_type == "file" else None, new_type, detail,
                             real_path=real, source=source, before=FileState.of(real)))

    def _difference(self, source: str, new: os.stat_result, real: str, old: os.stat_result,
                    kind: str) -> str | None:
        if kind == "symlink":
            return "symlink target" if os.readlink(source) != os.readlink(real) else None
        if kind == "file" and not self._same_content(source, new, real, old):
            return "content"
        if stat.S_IMODE(new.st_mode) != stat.S_IMODE(old.st_mode):
            return "mode"
        if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
            return "owner"
        if kind == "file" and new.st_mtime_ns != old.st_mtime_ns:
            return "timestamps only"
        return None

    def _same_content(self, source: str, new: os.stat_result, real: str,
                      old: os.stat_result) -> bool:
        if new.st_size != old.st_size:
            return False
        if self.trust_mtime and new.st_mtime_ns == old.st_mtime_ns:
            return True
        try:
            return sha256_file(source) == sha256_file(real)
        except OSError:  # unreadable (mode 000): say "modified" rather than miss a change
            return False

    # -- walking ---------------------------------------------------------------------------

    def overlay_dir(self, upper: str, real: str) -> None:
        """An upper dir merged over `real`: only what is in `upper` can differ."""
        for name in _listdir(upper):
            up, lower = os.path.join(upper, name), os.path.join(real, name)
            info, lower_info = os.lstat(up), _lstat(lower)
            if _is_whiteout(info):
                self.deleted(lower)
            elif lower_info is None:
                self.added(up, lower)
            elif stat.S_ISDIR(info.st_mode) and stat.S_ISDIR(lower_info.st_mode):
                self._dir_mode(up, info, lower, lower_info)
                if _is_opaque(up):
                    self.plain_dir(up, lower)
                else:
                    self.overlay_dir(up, lower)
            elif stat.S_ISDIR(info.st_mode) or stat.S_ISDIR(lower_info.st_mode):
                self.deleted(lower)
                self.added(up, lower)
            else:
                self.compared(up, lower)

    def plain_dir(self, after: str, real: str, started_empty: bool = False) -> None:
        """`after` replaces `real` wholesale (an opaque dir, or the copy): a full compare.
        `started_empty`: compare with an empty directory instead (copy mode's fresh HOME)."""
        after_names = [n for n in _listdir(after)
                       if not _is_whiteout(os.lstat(os.path.join(after, n)))]
        real_names = [] if started_empty else _listdir(real)
        for name in sorted(set(real_names) - set(after_names)):
            self.deleted(os.path.join(real, name))
        for name in after_names:
            new_path, real_path = os.path.join(after, name), os.path.join(real, name)
            if name not in real_names:
                self.added(new_path, real_path)
                continue
            info, real_info = os.lstat(new_path), os.lstat(real_path)
            if stat.S_ISDIR(info.st_mode) and stat.S_ISDIR(real_info.st_mode):
                self._dir_mode(new_path, info, real_path, real_info)
                self.plain_dir(new_path, real_path)
            elif stat.S_ISDIR(info.st_mode) or stat.S_ISDIR(real_info.st_mode):
                self.deleted(real_path)
                self.added(new_path, real_path)
            else:
                self.compared(new_path, real_path)

    def _dir_mode(self, new_path: str, new: os.stat_result, real: str,
                  old: os.stat_result) -> None:
        # A directory's mtime changes whenever its entries do; only a new mode is news.
        if stat.S_IMODE(new.st_mode) != stat.S_IMODE(old.st_mode):
            self._add(Change(self._display(real), "modified", None, "dir", "mode",
                             real_path=real, source=new_path, before=FileState.of(real)))


def sort_changes(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.path, c.kind))


# -- replay ------------------------------------------------------------------------------


def stale_paths(changes: list[Change]) -> list[str]:
    """Paths whose real state is no longer what the preview saw."""
    stale: list[str] = []
    removed = {c.real_path for c in changes if c.kind == "deleted"}
    for change in changes:
        if change.kind == "added":
            if change.before.type == "absent" and os.path.lexists(change.real_path) \
                    and change.real_path not in removed:
                stale.append(change.path)
        elif FileState.of(change.real_path) != change.before:
            stale.append(change.path)
        elif change.kind == "deleted" and change.type == "dir":
            extra = [n for n in _listdir(change.real_path)
                     if os.path.join(change.real_path, n) not in removed]
            if extra:
                stale.append(change.path)
    return stale


def replay(changes: list[Change]) -> None:
    """Make the real tree match the preview: deletions (deepest first), then new
    directories (shallowest first), then files, links and modes."""
    deletions = [c for c in changes if c.kind == "deleted"]
    for change in sorted(deletions, key=lambda c: c.real_path.count("/"), reverse=True):
        if change.type == "dir":
            os.rmdir(change.real_path)
        else:
            os.unlink(change.real_path)
    writes = [c for c in changes if c.kind != "deleted"]
    for change in sorted(writes, key=lambda c: (c.type != "dir", c.real_path.count("/"))):
        _write(change)


def _write(change: Change) -> None:
    assert change.source is not None
    real, source = change.real_path, change.source
    info = os.lstat(source)
    if change.type == "dir":
        os.makedirs(real, exist_ok=True)
        os.chmod(real, stat.S_IMODE(info.st_mode))
        _own(real, info)
        return
    parent = os.path.dirname(real)
    if change.type == "symlink":
        temp = os.path.join(parent, f".nlsh-replay-{os.getpid()}-{os.path.basename(real)}")
        os.symlink(os.readlink(source), temp)
        _own(temp, info)
        os.replace(temp, real)
        return
    if change.type != "file":
        raise OSError(f"cannot replay a special file: {change.path}")
    if change.detail in ("mode", "owner"):
        os.chmod(real, stat.S_IMODE(info.st_mode))
        _own(real, info)
        return
    # Write beside the target and rename over it, so a failure never leaves half a file.
    fd, temp = tempfile.mkstemp(prefix=".nlsh-replay-", dir=parent)
    os.close(fd)
    try:
        shutil.copy2(source, temp, follow_symlinks=False)
        _own(temp, info)
        os.replace(temp, real)
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise


def _own(path: str, like: os.stat_result) -> None:
    """Give `path` the owner the command gave it (only root can; others own all they make)."""
    if (like.st_uid, like.st_gid) == (os.geteuid(), os.getegid()):
        return
    with contextlib.suppress(PermissionError):
        os.lchown(path, like.st_uid, like.st_gid)


def remove_tree(path: str) -> None:
    """rmtree that also gets through the 000-mode dirs overlayfs leaves in its workdir."""
    def unlock(function: Any, target: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(target), 0o700)
            os.chmod(target, 0o700)
        except OSError:
            pass
        try:
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target, ignore_errors=True)
            else:
                os.unlink(target)
        except OSError:
            pass

    if os.path.lexists(path):
        shutil.rmtree(path, onerror=unlock)
