"""The check language: what must be true after a command ran, judged on its effect.

A task's `checks` is a list of JSON objects; each names what it looks at with "check":

  exit       {"expect": 0 | [0, 1] | null}          exit status (default: a task without an
                                                     exit check must exit 0)
  stdout     TEXT                                     the command's standard output
  file       {"path", TEXT}                           a regular file's contents
  gzip       {"path", TEXT}                           a gzip file's decompressed contents
  probe      {"command", TEXT}                        stdout of a trusted query (e.g. `git log`)
                                                      run, contained, in the tree afterwards
  exists     {"path", "type": file|dir|link|any}
  absent     {"path"}
  mode       {"path", "expect": "755" | "set": "111" | "clear": "022"}   permission bits
  count      {"glob", "type": file|dir|any, "expect": n}  entries matching a glob ("**" recurses)
  tree       {"dir": ".", "expect": [paths], "dirs": false}  exactly these files below dir
                                                      (.git excluded); paths relative to dir
  same       {"path", "as"}                           bytes equal the fixture's original `as`
  unchanged  {"paths": [...]}                         still there, with the fixture's bytes
  archive    {"path", "format": tar|tar.gz|tar.bz2|tar.xz|zip, "members": [...],
              "contains": false, "top_optional": false, "content": {member: text}}
  link       {"path", "target"}                       a symlink resolving to `target`
  hardlink   {"path", "with"}                         same inode as `with`
  fresh      {"path", "within_s": 3600}               modified recently (touch)
  size       {"path", "expect": bytes}

TEXT is a comparison: {"mode", "expect", "ignore_case": false, "absent": [substrings]}:

  exact         whole text, trailing whitespace of each line and trailing blank lines ignored
  lines         the non-blank lines, in order, with runs of blanks collapsed ("a  b" == "a\tb")
  sorted_lines  the same lines in any order (a multiset)
  line_set      the same set of lines (order and repeats ignored)
  paths         the same set of paths, after normalising "./", "//", a trailing "/" and the
                working directory's absolute prefix; "." and ".." lines are ignored
  words         the same whitespace-separated words, in order
  contains      every expected substring occurs
  regex         the pattern occurs (re.MULTILINE); "full": true for the whole stripped text
  number        the first whitespace-separated token that is, or starts with, a number
                equals `expect` (within "tolerance"): "42 notes.txt" and "7:def main" pass
  size          the first token that reads as a size ("1.2M", "1200K", "1228800", "1.2 MiB")
                is within "tolerance" (a fraction, default 0.1) of `expect` bytes; a bare
                number may mean bytes or KiB (du's default unit)
  line_count    this many non-blank lines
  empty         nothing but whitespace

The modes exist so that different correct commands pass: `find . -name '*.txt'`, `ls *.txt`
and `find -name '*.txt' -printf '%P\\n'` all print the same path set.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import stat
import tarfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlsh.evaluation.fixtures import FixtureSpec, normalize_rel

READ_LIMIT = 2 * 1024 * 1024
TEXT_MODES = frozenset({
    "exact", "lines", "sorted_lines", "line_set", "paths", "words", "contains", "regex",
    "number", "line_count", "empty", "size",
})
_TEXT_KEYS = frozenset({"mode", "expect", "ignore_case", "absent", "full", "tolerance"})
_KIND_KEYS: dict[str, frozenset[str]] = {
    "exit": frozenset({"expect"}),
    "stdout": _TEXT_KEYS,
    "file": _TEXT_KEYS | {"path"},
    "gzip": _TEXT_KEYS | {"path"},
    "probe": _TEXT_KEYS | {"command"},
    "exists": frozenset({"path", "type"}),
    "absent": frozenset({"path"}),
    "mode": frozenset({"path", "expect", "set", "clear"}),
    "count": frozenset({"glob", "type", "expect"}),
    "tree": frozenset({"dir", "expect", "dirs"}),
    "same": frozenset({"path", "as"}),
    "unchanged": frozenset({"paths"}),
    "archive": frozenset({"path", "format", "members", "contains", "top_optional", "content"}),
    "link": frozenset({"path", "target"}),
    "hardlink": frozenset({"path", "with"}),
    "fresh": frozenset({"path", "within_s"}),
    "size": frozenset({"path", "expect"}),
}
_NEEDS_TEXT = frozenset({"stdout", "file", "gzip", "probe"})
_LEADING_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?=$|[^\w.])")


@dataclass
class ProbeResult:
    exit_code: int | None
    stdout: str


@dataclass
class Observation:
    """Everything a check may look at once a command has run in a fixture copy."""

    root: Path  # the fixture copy, as changed by the command
    exit_code: int | None
    stdout: str
    timed_out: bool
    fixture: FixtureSpec
    workdir_aliases: Sequence[str] = ()  # absolute spellings of root (outside and inside)
    probe: Callable[[str], ProbeResult] | None = None  # trusted query, run contained


def validate_check(check: Any) -> None:
    """Reject a malformed check (unknown kind, unknown key, bad mode) with a ValueError."""
    if not isinstance(check, dict) or "check" not in check:
        raise ValueError(f"a check must be an object with a 'check' kind: {check!r}")
    kind = check["check"]
    if kind not in _KIND_KEYS:
        raise ValueError(f"unknown check kind {kind!r}")
    unknown = sorted(set(check) - {"check"} - _KIND_KEYS[kind])
    if unknown:
        raise ValueError(f"check {kind!r}: unknown key {unknown[0]!r}")
    if kind in _NEEDS_TEXT:
        mode = check.get("mode")
        if mode not in TEXT_MODES:
            raise ValueError(f"check {kind!r}: mode must be one of {sorted(TEXT_MODES)}")
        if mode != "empty" and "expect" not in check:
            raise ValueError(f"check {kind!r}: mode {mode!r} needs 'expect'")
        if mode == "regex":
            re.compile(str(check["expect"]))
    for key in ("path", "glob", "command", "as", "target", "with", "paths"):
        if key in _KIND_KEYS[kind] and key not in check:
            raise ValueError(f"check {kind!r}: needs {key!r}")
    if kind in ("count", "tree", "size") and "expect" not in check:
        raise ValueError(f"check {kind!r}: needs 'expect'")
    if kind == "mode" and not any(k in check for k in ("expect", "set", "clear")):
        raise ValueError("check 'mode': needs 'expect', 'set' or 'clear'")


def evaluate(checks: Sequence[dict[str, Any]], obs: Observation) -> list[str]:
    """The reasons the command failed; an empty list means it passed every check."""
    if obs.timed_out:
        return ["timed out"]
    failures: list[str] = []
    if not any(c["check"] == "exit" for c in checks) and obs.exit_code != 0:
        failures.append(f"exit status {obs.exit_code}, expected 0")
    for check in checks:
        problem = _JUDGES[check["check"]](check, obs)
        if problem:
            failures.append(problem)
    return failures


# --- text comparison -----------------------------------------------------------------------


def compare_text(spec: dict[str, Any], text: str, *, aliases: Sequence[str] = ()) -> str | None:
    """None if `text` satisfies the TEXT spec, else a short reason."""
    mode = spec["mode"]
    expect = spec.get("expect")
    fold = bool(spec.get("ignore_case"))
    seen = text.casefold() if fold else text
    for bad in spec.get("absent", []):
        if (bad.casefold() if fold else bad) in seen:
            return f"contains {bad!r}"
    # A regex folds through re.IGNORECASE: case-folding the pattern would change escapes.
    wanted = expect if mode == "regex" else _fold(expect, fold)
    return _TEXT_JUDGES[mode](spec, wanted, seen if mode != "regex" else text, aliases)


def _fold(value: Any, fold: bool) -> Any:
    if not fold:
        return value
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [_fold(v, fold) for v in value]
    return value


def _blank_collapsed(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _show(items: Any, limit: int = 6) -> str:
    values = sorted(items) if isinstance(items, (set, frozenset)) else list(items)
    shown = ", ".join(repr(v) for v in values[:limit])
    more = f", … {len(values) - limit} more" if len(values) > limit else ""
    return "{" + shown + more + "}"


def _diff(expected: Counter[str] | set[str], got: Counter[str] | set[str]) -> str:
    if isinstance(expected, Counter) and isinstance(got, Counter):
        missing, extra = set((expected - got).elements()), set((got - expected).elements())
    else:
        missing, extra = set(expected) - set(got), set(got) - set(expected)
    parts = []
    if missing:
        parts.append(f"missing {_show(missing)}")
    if extra:
        parts.append(f"unexpected {_show(extra)}")
    return "; ".join(parts) or "different repeats"


def _text_exact(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    def norm(t: str) -> str:
        return "\n".join(line.rstrip() for line in t.splitlines()).rstrip("\n")

    if norm(text) == norm(str(expect)):
        return None
    return f"expected {norm(str(expect))[:120]!r}, got {norm(text)[:120]!r}"


def _text_lines(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    want = [" ".join(str(e).split()) for e in expect]
    got = _blank_collapsed(text)
    if got == want:
        return None
    if Counter(got) == Counter(want):
        return "right lines in the wrong order"
    return f"lines differ: {_diff(Counter(want), Counter(got))}"


def _text_sorted(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    want = Counter(" ".join(str(e).split()) for e in expect)
    got = Counter(_blank_collapsed(text))
    return None if got == want else f"lines differ: {_diff(want, got)}"


def _text_set(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    want = {" ".join(str(e).split()) for e in expect}
    got = set(_blank_collapsed(text))
    return None if got == want else f"lines differ: {_diff(want, got)}"


def normalize_output_path(line: str, aliases: Sequence[str]) -> str:
    """A printed path made comparable: relative to the working directory where it is inside
    it (absolute spellings included), `./`, `//` and trailing `/` removed."""
    path = line.strip()
    for alias in sorted(aliases, key=len, reverse=True):
        alias = alias.rstrip("/")
        if path == alias:
            return "."
        if alias and path.startswith(alias + "/"):
            path = path[len(alias) + 1:]
            break
    if path.startswith("/"):  # outside the working directory: stays absolute
        return "/" + normalize_rel(path)
    return normalize_rel(path) or "."


def _text_paths(spec: dict[str, Any], expect: Any, text: str, al: Sequence[str]) -> str | None:
    want = {normalize_rel(str(e)) for e in expect}
    got = {normalize_output_path(line, al) for line in text.splitlines() if line.strip()}
    got -= {".", ".."}
    return None if got == want else f"paths differ: {_diff(want, got)}"


def _text_words(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    want = str(expect).split() if isinstance(expect, str) else [str(e) for e in expect]
    got = text.split()
    return None if got == want else f"expected words {want[:12]}, got {got[:12]}"


def _text_contains(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    wanted = [expect] if isinstance(expect, str) else list(expect)
    missing = [w for w in wanted if w not in text]
    return f"does not contain {missing[0]!r}" if missing else None


def _text_regex(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    pattern = re.compile(str(expect), re.MULTILINE | (re.IGNORECASE if spec.get("ignore_case")
                                                       else 0))
    found = pattern.fullmatch(text.strip()) if spec.get("full") else pattern.search(text)
    return None if found else f"does not match /{expect}/ (got {text.strip()[:80]!r})"


def first_number(text: str) -> float | None:
    """The first whitespace-separated token that is, or starts with, a number ("7:def" -> 7,
    but not "file2.txt" or "1.5M")."""
    for token in text.split():
        found = _LEADING_NUMBER.match(token)
        if found:
            return float(found.group(0))
    return None


def _text_number(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    value = first_number(text)
    if value is None:
        return f"no number in output {text.strip()[:80]!r}"
    tolerance = float(spec.get("tolerance", 0))
    if math.isclose(value, float(expect), abs_tol=tolerance + 1e-9):
        return None
    return f"expected {expect}, got {value:g}"


_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s?([KMGT]?)(i?B?)", re.IGNORECASE)
_UNITS = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def size_readings(text: str) -> list[float] | None:
    """Byte counts the first size-like token may mean (several where the unit is implicit)."""
    words = text.replace("\t", " ").split()
    for index, word in enumerate(words):
        joined = word + (words[index + 1] if index + 1 < len(words) else "")
        for candidate in (joined, word):
            found = _SIZE.fullmatch(candidate)
            if found:
                value = float(found.group(1).replace(",", "."))
                unit = found.group(2).upper()
                if not unit:
                    return [value, value * 1024] if not found.group(3) else [value]
                power = _UNITS[unit]
                return [value * 1024**power, value * 1000**power]
    return None


def _text_size(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    readings = size_readings(text)
    if readings is None:
        return f"no size in output {text.strip()[:80]!r}"
    tolerance = float(spec.get("tolerance", 0.1))
    target = float(expect)
    if any(abs(r - target) <= tolerance * target for r in readings):
        return None
    return f"expected about {target:.0f} bytes, read {readings[0]:.0f}"


def _text_count(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    got = len(_blank_collapsed(text))
    return None if got == int(expect) else f"expected {expect} lines, got {got}"


def _text_empty(spec: dict[str, Any], expect: Any, text: str, _al: Sequence[str]) -> str | None:
    return None if not text.strip() else f"expected no output, got {text.strip()[:80]!r}"


_TEXT_JUDGES: dict[str, Callable[[dict[str, Any], Any, str, Sequence[str]], str | None]] = {
    "exact": _text_exact,
    "lines": _text_lines,
    "sorted_lines": _text_sorted,
    "line_set": _text_set,
    "paths": _text_paths,
    "words": _text_words,
    "contains": _text_contains,
    "regex": _text_regex,
    "number": _text_number,
    "line_count": _text_count,
    "size": _text_size,
    "empty": _text_empty,
}


# --- the file tree --------------------------------------------------------------------------


def inside(root: Path, rel: str, *, follow: bool = True) -> Path | None:
    """`root/rel` if it stays inside root (following links when `follow`), else None.

    The command under test may have planted symlinks to anywhere; a check must never read
    outside the fixture copy because of them.
    """
    real_root = os.path.realpath(root)
    if not normalize_rel(rel):
        return Path(real_root)
    lexical = root / normalize_rel(rel)
    resolved = os.path.realpath(lexical if follow else lexical.parent)
    if os.path.commonpath([real_root, resolved]) != real_root:
        return None
    return Path(resolved) if follow else Path(resolved) / lexical.name


def _read(root: Path, rel: str) -> tuple[bytes | None, str | None]:
    path = inside(root, rel)
    if path is None:
        return None, f"{rel}: points outside the working directory"
    try:
        if not path.is_file():
            return None, f"{rel}: no such file" if not path.exists() else f"{rel}: not a file"
        with path.open("rb") as handle:
            return handle.read(READ_LIMIT), None
    except OSError as exc:
        return None, f"{rel}: cannot read ({exc.strerror})"


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _judge_exit(check: dict[str, Any], obs: Observation) -> str | None:
    expect = check.get("expect")
    if expect is None:
        return None
    allowed = expect if isinstance(expect, list) else [expect]
    return None if obs.exit_code in allowed else f"exit status {obs.exit_code}, expected {expect}"


def _judge_stdout(check: dict[str, Any], obs: Observation) -> str | None:
    problem = compare_text(check, obs.stdout, aliases=obs.workdir_aliases)
    return f"stdout: {problem}" if problem else None


def _judge_file(check: dict[str, Any], obs: Observation) -> str | None:
    data, problem = _read(obs.root, check["path"])
    if data is None:
        return problem
    problem = compare_text(check, _decode(data), aliases=obs.workdir_aliases)
    return f"{check['path']}: {problem}" if problem else None


def _judge_gzip(check: dict[str, Any], obs: Observation) -> str | None:
    data, problem = _read(obs.root, check["path"])
    if data is None:
        return problem
    try:
        text = _decode(gzip.decompress(data))
    except (OSError, EOFError, ValueError):
        return f"{check['path']}: not gzip data"
    problem = compare_text(check, text, aliases=obs.workdir_aliases)
    return f"{check['path']} (decompressed): {problem}" if problem else None


def _judge_probe(check: dict[str, Any], obs: Observation) -> str | None:
    if obs.probe is None:
        return "no contained runner for probes"
    result = obs.probe(check["command"])
    if result.exit_code != 0:
        return f"`{check['command']}` failed afterwards (exit {result.exit_code})"
    problem = compare_text(check, result.stdout, aliases=obs.workdir_aliases)
    return f"`{check['command']}`: {problem}" if problem else None


def _kind_of(path: Path) -> str | None:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _judge_exists(check: dict[str, Any], obs: Observation) -> str | None:
    rel = check["path"]
    path = inside(obs.root, rel, follow=False)
    if path is None:
        return f"{rel}: outside the working directory"
    kind = _kind_of(path)
    wanted = check.get("type", "any")
    if kind is None:
        return f"{rel}: missing"
    if wanted != "any" and kind != wanted:
        return f"{rel}: is a {kind}, expected a {wanted}"
    return None


def _judge_absent(check: dict[str, Any], obs: Observation) -> str | None:
    path = inside(obs.root, check["path"], follow=False)
    if path is not None and _kind_of(path) is not None:
        return f"{check['path']}: still exists"
    return None


def _judge_mode(check: dict[str, Any], obs: Observation) -> str | None:
    rel = check["path"]
    path = inside(obs.root, rel, follow=False)
    if path is None or _kind_of(path) is None:
        return f"{rel}: missing"
    bits = stat.S_IMODE(path.lstat().st_mode)
    if "expect" in check and bits != int(check["expect"], 8):
        return f"{rel}: mode {bits:03o}, expected {check['expect']}"
    if "set" in check and bits & int(check["set"], 8) != int(check["set"], 8):
        return f"{rel}: mode {bits:03o} lacks bits {check['set']}"
    if "clear" in check and bits & int(check["clear"], 8):
        return f"{rel}: mode {bits:03o} has bits {check['clear']} set"
    return None


def _walk(base: Path, *, dirs: bool) -> set[str]:
    """Relative paths of everything below base (not following links), without .git."""
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        rel_dir = os.path.relpath(dirpath, base)
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            found.add(normalize_rel(os.path.join(rel_dir, name)))
        if dirs:
            found.update(normalize_rel(os.path.join(rel_dir, d)) + "/" for d in dirnames
                         if not os.path.islink(os.path.join(dirpath, d)))
    return found


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A shell-style glob over relative paths: `*` and `?` stay in one name, `**/` spans dirs."""
    out: list[str] = []
    for segment in normalize_rel(pattern).split("/"):
        if segment == "**":
            out.append("(?:[^/]+/)*")
            continue
        out.append(_glob_segment(segment) + "/")
    return re.compile("".join(out)[:-1] + r"\Z", re.DOTALL)


def _glob_segment(segment: str) -> str:
    out, i = [], 0
    while i < len(segment):
        ch = segment[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif (ch == "[" and "]" in segment[i + 2:]) or (ch == "[" and segment[i + 1:i + 2] == "]"):
            close = segment.index("]", i + 2)
            body = segment[i + 1:close]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _judge_count(check: dict[str, Any], obs: Observation) -> str | None:
    wanted = check.get("type", "any")
    pattern = glob_regex(check["glob"])
    matches = [
        rel for rel in _walk(obs.root, dirs=True)
        if pattern.match(rel.rstrip("/"))
        and (wanted == "any" or _kind_of(obs.root / rel.rstrip("/")) == wanted)
    ]
    if len(matches) == int(check["expect"]):
        return None
    return f"{len(matches)} entries match {check['glob']!r}, expected {check['expect']}"


def _judge_tree(check: dict[str, Any], obs: Observation) -> str | None:
    rel = check.get("dir", ".")
    base = inside(obs.root, rel)
    if base is None or not base.is_dir():
        return f"{rel}: not a directory"
    want = {normalize_rel(e) + ("/" if e.endswith("/") else "") for e in check["expect"]}
    got = _walk(base, dirs=bool(check.get("dirs")))
    return None if got == want else f"{rel}: files differ: {_diff(want, got)}"


def _judge_same(check: dict[str, Any], obs: Observation) -> str | None:
    original = obs.fixture.original(check["as"])
    if original is None:
        return f"task error: {check['as']!r} is not a fixture file"
    data, problem = _read(obs.root, check["path"])
    if data is None:
        return problem
    return None if data == original else f"{check['path']}: not the content of {check['as']}"


def _judge_unchanged(check: dict[str, Any], obs: Observation) -> str | None:
    for rel in check["paths"]:
        problem = _judge_same({"path": rel, "as": rel}, obs)
        if problem:
            return problem
    return None


def archive_members(path: Path, fmt: str) -> tuple[dict[str, bytes | None] | None, str | None]:
    """Member path -> contents (None for a member too big to read) of a tar or zip archive."""
    with path.open("rb") as handle:
        head = handle.read(6)
    magic = {"tar.gz": b"\x1f\x8b", "tar.bz2": b"BZh", "tar.xz": b"\xfd7zXZ", "zip": b"PK"}
    if fmt in magic and not head.startswith(magic[fmt]):
        return None, f"not a {fmt} file"
    members: dict[str, bytes | None] = {}
    try:
        if fmt == "zip":
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        small = info.file_size <= READ_LIMIT
                        members[normalize_rel(info.filename)] = (
                            archive.read(info) if small else None)
            return members, None
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                if member.isdir():
                    continue
                stream = archive.extractfile(member) if member.size <= READ_LIMIT else None
                members[normalize_rel(member.name)] = stream.read() if stream else None
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as exc:
        return None, f"unreadable {fmt} archive ({exc})"
    return members, None


def _strip_top(names: set[str]) -> set[str]:
    return {n.split("/", 1)[1] if "/" in n else n for n in names}


def _judge_archive(check: dict[str, Any], obs: Observation) -> str | None:
    rel = check["path"]
    path = inside(obs.root, rel)
    if path is None or not path.is_file():
        return f"{rel}: no such archive"
    members, problem = archive_members(path, check.get("format", "tar"))
    if members is None:
        return f"{rel}: {problem}"
    got = set(members)
    want = {normalize_rel(m) for m in check.get("members", [])}
    if "members" in check:
        options = [want]
        if check.get("top_optional"):
            options.append(_strip_top(want))
        contains = bool(check.get("contains"))
        ok = any(option <= got for option in options) if contains else got in options
        if not ok:
            return f"{rel}: members differ: {_diff(want, got)}"
    for member, spec in check.get("content", {}).items():
        name = normalize_rel(member)
        data = members.get(name)
        if data is None and check.get("top_optional"):
            data = members.get(_strip_top({name}).pop())
        if data is None:
            return f"{rel}: no member {member!r}"
        problem = compare_text(spec, _decode(data))
        if problem:
            return f"{rel}!{member}: {problem}"
    return None


def _judge_link(check: dict[str, Any], obs: Observation) -> str | None:
    rel = check["path"]
    path = inside(obs.root, rel, follow=False)
    if path is None or _kind_of(path) != "link":
        return f"{rel}: not a symbolic link"
    target = inside(obs.root, rel)
    want = inside(obs.root, check["target"])
    if target is None or want is None or target != want:
        return f"{rel}: points to {os.readlink(path)!r}, expected {check['target']!r}"
    if not target.exists():
        return f"{rel}: dangling link"
    return None


def _judge_hardlink(check: dict[str, Any], obs: Observation) -> str | None:
    a = inside(obs.root, check["path"], follow=False)
    b = inside(obs.root, check["with"], follow=False)
    if a is None or b is None or _kind_of(a) != "file" or _kind_of(b) != "file":
        return f"{check['path']}: missing or not a regular file"
    sa, sb = a.lstat(), b.lstat()
    if (sa.st_dev, sa.st_ino) != (sb.st_dev, sb.st_ino):
        return f"{check['path']}: not a hard link to {check['with']}"
    return None


def _judge_fresh(check: dict[str, Any], obs: Observation) -> str | None:
    path = inside(obs.root, check["path"], follow=False)
    if path is None or _kind_of(path) is None:
        return f"{check['path']}: missing"
    age = time.time() - path.lstat().st_mtime
    if age > float(check.get("within_s", 3600)):
        return f"{check['path']}: last modified {age / 86400:.1f} days ago"
    return None


def _judge_size(check: dict[str, Any], obs: Observation) -> str | None:
    path = inside(obs.root, check["path"])
    if path is None or not path.is_file():
        return f"{check['path']}: missing"
    size = path.stat().st_size
    return None if size == int(check["expect"]) else f"{check['path']}: {size} bytes"


_JUDGES: dict[str, Callable[[dict[str, Any], Observation], str | None]] = {
    "exit": _judge_exit,
    "stdout": _judge_stdout,
    "file": _judge_file,
    "gzip": _judge_gzip,
    "probe": _judge_probe,
    "exists": _judge_exists,
    "absent": _judge_absent,
    "mode": _judge_mode,
    "count": _judge_count,
    "tree": _judge_tree,
    "same": _judge_same,
    "unchanged": _judge_unchanged,
    "archive": _judge_archive,
    "link": _judge_link,
    "hardlink": _judge_hardlink,
    "fresh": _judge_fresh,
    "size": _judge_size,
}
