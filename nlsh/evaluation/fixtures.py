"""Task fixtures: small directory trees built fresh for every command under test.

A fixture is data, not code: files (content, or a size filled with a fixed pattern, a mode,
an age or an absolute modification time), directories, symbolic links and an optional git
repository built from a list of commits with fixed authors and dates. Ages are relative to
the moment the fixture is built, so "changed in the last week" means the same thing on any
day the eval runs.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import stat
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

FILLER = b"the quick brown fox jumps over the lazy dog 0123456789\n"
MAX_FIXTURE_BYTES = 16 * 1024 * 1024
GIT_IDENTITY = ("Eval User", "eval@example.com")


@dataclass(frozen=True)
class FileSpec:
    path: str
    data: bytes
    mode: int | None = None
    mtime: float | None = None  # absolute POSIX time
    age_s: float | None = None  # or: this many seconds before the build


@dataclass(frozen=True)
class DirSpec:
    path: str
    mode: int | None = None
    mtime: float | None = None
    age_s: float | None = None


@dataclass(frozen=True)
class CommitSpec:
    message: str
    files: dict[str, str]
    remove: tuple[str, ...] = ()
    author: tuple[str, str] = GIT_IDENTITY
    date: str = "2024-01-15T10:00:00+00:00"
    branch: str | None = None  # switch to (creating from HEAD if new) before committing


@dataclass(frozen=True)
class GitSpec:
    commits: tuple[CommitSpec, ...]
    branches: dict[str, int] = field(default_factory=dict)  # name -> index of a commit
    tags: dict[str, int] = field(default_factory=dict)
    head: str = "main"  # branch checked out at the end
    subdir: str = ""  # where the repository lives, relative to the fixture root
    stage: tuple[str, ...] = ()  # paths `git add`-ed after the fixture's files are written


@dataclass(frozen=True)
class FixtureSpec:
    files: tuple[FileSpec, ...] = ()
    dirs: tuple[DirSpec, ...] = ()
    symlinks: dict[str, str] = field(default_factory=dict)  # link path -> target text
    git: GitSpec | None = None

    def original(self, path: str) -> bytes | None:
        """The bytes a fixture file had before the command ran (None: no such file)."""
        wanted = normalize_rel(path)
        for spec in self.files:
            if normalize_rel(spec.path) == wanted:
                return spec.data
        return None


def normalize_rel(path: str) -> str:
    """`./a//b/` -> `a/b`: how paths in specs and checks are compared."""
    parts = [p for p in PurePosixPath(path).parts if p not in (".", "", "/")]
    return "/".join(parts)


def parse_fixture(raw: Any) -> FixtureSpec:
    """Validate a fixture's JSON form. Raises ValueError with a one-line message."""
    if not isinstance(raw, dict):
        raise ValueError("fixture must be an object")
    unknown = sorted(set(raw) - {"files", "dirs", "symlinks", "git"})
    if unknown:
        raise ValueError(f"fixture: unknown key {unknown[0]!r}")
    files = tuple(_parse_file(f) for f in raw.get("files", []))
    dirs = tuple(_parse_dir(d) for d in raw.get("dirs", []))
    symlinks = raw.get("symlinks", {})
    if not isinstance(symlinks, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in symlinks.items()
    ):
        raise ValueError("fixture: symlinks must map link paths to target strings")
    for path in [f.path for f in files] + [d.path for d in dirs] + list(symlinks):
        _check_rel(path)
    total = sum(len(f.data) for f in files)
    if total > MAX_FIXTURE_BYTES:
        raise ValueError(f"fixture: {total} bytes is more than {MAX_FIXTURE_BYTES}")
    git = _parse_git(raw["git"]) if raw.get("git") else None
    return FixtureSpec(files=files, dirs=dirs, symlinks=dict(symlinks), git=git)


def _check_rel(path: str) -> None:
    if not path or path.startswith("/") or ".." in PurePosixPath(path).parts:
        raise ValueError(f"fixture path {path!r} must be relative and stay inside the fixture")


def _parse_times(raw: dict[str, Any]) -> tuple[int | None, float | None, float | None]:
    mode = raw.get("mode")
    mode_bits = int(mode, 8) if isinstance(mode, str) else None
    if mode is not None and mode_bits is None:
        raise ValueError(f"mode of {raw.get('path')!r} must be an octal string like \"644\"")
    mtime = raw.get("mtime")
    when = _parse_instant(mtime) if mtime is not None else None
    age = raw.get("age_s")
    if age is not None and not isinstance(age, (int, float)):
        raise ValueError(f"age_s of {raw.get('path')!r} must be a number of seconds")
    return mode_bits, when, float(age) if age is not None else None


def _parse_instant(text: Any) -> float:
    if not isinstance(text, str):
        raise ValueError("mtime must be an ISO-8601 string")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _parse_file(raw: Any) -> FileSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
        raise ValueError("each fixture file must be an object with a 'path'")
    unknown = sorted(set(raw) - {"path", "content", "size", "b64", "mode", "mtime", "age_s"})
    if unknown:
        raise ValueError(f"fixture file {raw['path']!r}: unknown key {unknown[0]!r}")
    sources = [k for k in ("content", "size", "b64") if k in raw]
    if len(sources) > 1:
        raise ValueError(f"fixture file {raw['path']!r}: give one of content, size, b64")
    if "size" in raw:
        size = raw["size"]
        if not isinstance(size, int) or size < 0:
            raise ValueError(f"fixture file {raw['path']!r}: size must be a non-negative integer")
        data = (FILLER * (size // len(FILLER) + 1))[:size]
    elif "b64" in raw:
        data = base64.b64decode(raw["b64"])
    else:
        content = raw.get("content", "")
        if not isinstance(content, str):
            raise ValueError(f"fixture file {raw['path']!r}: content must be a string")
        data = content.encode("utf-8")
    mode, mtime, age = _parse_times(raw)
    return FileSpec(raw["path"], data, mode, mtime, age)


def _parse_dir(raw: Any) -> DirSpec:
    if isinstance(raw, str):
        return DirSpec(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
        raise ValueError("each fixture dir must be a path or an object with a 'path'")
    mode, mtime, age = _parse_times(raw)
    return DirSpec(raw["path"], mode, mtime, age)


def _parse_git(raw: Any) -> GitSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("commits"), list) or not raw["commits"]:
        raise ValueError("fixture git must have a non-empty 'commits' list")
    unknown = sorted(set(raw) - {"commits", "branches", "tags", "head", "subdir", "stage"})
    if unknown:
        raise ValueError(f"fixture git: unknown key {unknown[0]!r}")
    commits = []
    for item in raw["commits"]:
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            raise ValueError("each git commit needs a 'message'")
        extra = sorted(set(item) - {"message", "files", "remove", "author", "date", "branch"})
        if extra:
            raise ValueError(f"git commit {item['message']!r}: unknown key {extra[0]!r}")
        author = item.get("author")
        name, email = GIT_IDENTITY
        if isinstance(author, str) and "<" in author:
            name, _, rest = author.partition("<")
            name, email = name.strip(), rest.rstrip(">").strip()
        commits.append(CommitSpec(
            message=item["message"],
            files=dict(item.get("files", {})),
            remove=tuple(item.get("remove", [])),
            author=(name, email),
            date=str(item.get("date", "2024-01-15T10:00:00+00:00")),
            branch=item.get("branch"),
        ))
    count = len(commits)
    for kind in ("branches", "tags"):
        for name, index in raw.get(kind, {}).items():
            if not isinstance(index, int) or not 0 <= index < count:
                raise ValueError(f"git {kind[:-1]} {name!r} must name a commit index < {count}")
    return GitSpec(
        commits=tuple(commits),
        branches=dict(raw.get("branches", {})),
        tags=dict(raw.get("tags", {})),
        head=str(raw.get("head", "main")),
        subdir=str(raw.get("subdir", "")),
        stage=tuple(raw.get("stage", [])),
    )


def build_fixture(spec: FixtureSpec, root: Path, *, now: float) -> None:
    """Create the fixture under `root` (which must exist and be empty)."""
    if spec.git is not None:
        repo = root / spec.git.subdir if spec.git.subdir else root
        shutil.copytree(_git_template(spec.git), repo, symlinks=True, dirs_exist_ok=True)
    for d in spec.dirs:
        (root / d.path).mkdir(parents=True, exist_ok=True)
    for f in spec.files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.data)
        if f.mode is not None:
            target.chmod(f.mode)
        _set_time(target, f.mtime, f.age_s, now)
    for link, dest in spec.symlinks.items():
        path = root / link
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(dest)
    if spec.git is not None and spec.git.stage:
        repo = root / spec.git.subdir if spec.git.subdir else root
        _git(repo, _git_env(*GIT_IDENTITY, spec.git.commits[-1].date), "add", "--",
             *spec.git.stage)
    # Directory times and modes last: creating entries inside a directory changes its mtime,
    # and a read-only directory could not be filled.
    for d in sorted(spec.dirs, key=lambda d: d.path.count("/"), reverse=True):
        target = root / d.path
        _set_time(target, d.mtime, d.age_s, now)
        if d.mode is not None:
            target.chmod(d.mode)


def _set_time(path: Path, mtime: float | None, age_s: float | None, now: float) -> None:
    when = mtime if mtime is not None else (now - age_s if age_s is not None else None)
    if when is not None:
        os.utime(path, (when, when), follow_symlinks=False)


def _git_env(name: str, email: str, date: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)


_templates: dict[str, Path] = {}
_templates_lock = threading.Lock()
_templates_home: list[tempfile.TemporaryDirectory[str]] = []


def _git_template(spec: GitSpec) -> Path:
    """A repository built once per process and copied for each fixture: running git for
    every commit of every copy would dominate the eval's time. Ages do not drift: only the
    repository is cached, the fixture's own files are written fresh each time."""
    key = repr(spec)
    with _templates_lock:
        if key not in _templates:
            if not _templates_home:
                _templates_home.append(tempfile.TemporaryDirectory(prefix="nlsh-eval-git-"))
            path = Path(_templates_home[0].name) / str(len(_templates))
            _build_git(spec, path)
            _templates[key] = path
        return _templates[key]


def _build_git(spec: GitSpec, repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    env = _git_env(*GIT_IDENTITY, spec.commits[0].date)
    _git(repo, env, "init", "-q", "-b", "main")
    # A local identity, so that a command that commits works inside the sandbox too.
    _git(repo, env, "config", "user.name", GIT_IDENTITY[0])
    _git(repo, env, "config", "user.email", GIT_IDENTITY[1])
    branch = "main"
    for index, commit in enumerate(spec.commits):
        env = _git_env(*commit.author, commit.date)
        if commit.branch and commit.branch != branch:
            exists = (repo / ".git" / "refs" / "heads" / commit.branch).exists()
            _git(repo, env, "checkout", "-q", *(() if exists else ("-b",)), commit.branch)
            branch = commit.branch
        for path, content in commit.files.items():
            target = repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        if commit.remove:
            _git(repo, env, "rm", "-q", "--", *commit.remove)
        _git(repo, env, "add", "-A")
        _git(repo, env, "commit", "-q", "--allow-empty", "-m", commit.message)
        for name, at in spec.branches.items():
            if at == index:
                _git(repo, env, "branch", name)
        for name, at in spec.tags.items():
            if at == index:
                _git(repo, env, "tag", name)
    if spec.head != branch:
        _git(repo, _git_env(*GIT_IDENTITY, spec.commits[-1].date), "checkout", "-q", spec.head)


def remove_tree(root: Path) -> None:
    """Delete a fixture copy, even after a command made parts of it unreadable (chmod 000)."""
    if not root.exists():
        return
    _make_traversable(str(root))
    for dirpath, dirnames, _files in os.walk(root):  # top-down: fixed before descending
        for name in dirnames:
            _make_traversable(os.path.join(dirpath, name))
    shutil.rmtree(root, ignore_errors=True)


def _make_traversable(path: str) -> None:
    with contextlib.suppress(OSError):
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode):
            os.chmod(path, mode | stat.S_IRWXU)
