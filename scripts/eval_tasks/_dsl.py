"""The little language the eval tasks are written in; `make_eval_tasks.py` writes the JSONL.

Every request, fixture and command here was written for nlsh; none is taken or reworded from
an existing dataset (NL2Bash, InterCode, NL2SH-ALFA, tldr-pages, ...).
"""

from __future__ import annotations

from typing import Any

DAY = 86400.0
HOUR = 3600.0

REGISTRY: list[dict[str, Any]] = []

Check = dict[str, Any]


# --- fixtures --------------------------------------------------------------------------------


def F(path: str, content: str | None = None, *, size: int | None = None, mode: str | None = None,
      days: float | None = None, hours: float | None = None, minutes: float | None = None,
      mtime: str | None = None) -> dict[str, Any]:
    """A fixture file: text content or a size (filled with a fixed pattern)."""
    spec: dict[str, Any] = {"path": path}
    if size is not None:
        spec["size"] = size
    else:
        spec["content"] = content if content is not None else ""
    if mode is not None:
        spec["mode"] = mode
    age = (days or 0) * DAY + (hours or 0) * HOUR + (minutes or 0) * 60
    if age:
        spec["age_s"] = age
    if mtime is not None:
        spec["mtime"] = mtime
    return spec


def D(path: str, *, mode: str | None = None, days: float | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"path": path}
    if mode is not None:
        spec["mode"] = mode
    if days is not None:
        spec["age_s"] = days * DAY
    return spec


def fixture(*files: dict[str, Any], dirs: tuple[Any, ...] = (), links: dict[str, str] | None
            = None, git: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if files:
        spec["files"] = list(files)
    if dirs:
        spec["dirs"] = [d if isinstance(d, dict) else {"path": d} for d in dirs]
    if links:
        spec["symlinks"] = dict(links)
    if git:
        spec["git"] = git
    return spec


def commit(message: str, files: dict[str, str] | None = None, *, date: str = "2024-01-15T10:00",
           author: str | None = None, remove: tuple[str, ...] = (),
           branch: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"message": message, "files": dict(files or {}),
                            "date": date + ":00+00:00" if len(date) == 16 else date}
    if author:
        spec["author"] = author
    if remove:
        spec["remove"] = list(remove)
    if branch:
        spec["branch"] = branch
    return spec


def repo(*commits: dict[str, Any], branches: dict[str, int] | None = None,
         tags: dict[str, int] | None = None, head: str = "main",
         stage: tuple[str, ...] = ()) -> dict[str, Any]:
    spec: dict[str, Any] = {"commits": list(commits), "head": head}
    if stage:
        spec["stage"] = list(stage)
    if branches:
        spec["branches"] = branches
    if tags:
        spec["tags"] = tags
    return spec


# --- checks ----------------------------------------------------------------------------------


def _text(kind: str, mode: str, expect: Any = None, **extra: Any) -> Check:
    check: Check = {"check": kind, "mode": mode}
    if expect is not None:
        check["expect"] = expect
    check.update({k: v for k, v in extra.items() if v not in (None, False)})
    return check


def out_paths(*expected: str) -> Check:
    return _text("stdout", "paths", list(expected))


def out_lines(*expected: str) -> Check:
    return _text("stdout", "lines", list(expected))


def out_sorted(*expected: str) -> Check:
    return _text("stdout", "sorted_lines", list(expected))


def out_set(*expected: str) -> Check:
    return _text("stdout", "line_set", list(expected))


def out_exact(expected: str) -> Check:
    return _text("stdout", "exact", expected)


def out_words(expected: str) -> Check:
    return _text("stdout", "words", expected)


def out_number(value: float, tolerance: float | None = None) -> Check:
    return _text("stdout", "number", value, tolerance=tolerance)


def out_has(*substrings: str, ignore_case: bool = False, absent: list[str] | None = None
            ) -> Check:
    return _text("stdout", "contains", list(substrings), ignore_case=ignore_case, absent=absent)


def out_re(pattern: str, *, full: bool = False, ignore_case: bool = False,
           absent: list[str] | None = None) -> Check:
    return _text("stdout", "regex", pattern, full=full, ignore_case=ignore_case, absent=absent)


def out_count(n: int) -> Check:
    return _text("stdout", "line_count", n)


def out_empty() -> Check:
    return _text("stdout", "empty")


def file_is(path: str, mode: str, expect: Any = None, **extra: Any) -> Check:
    check = _text("file", mode, expect, **extra)
    check["path"] = path
    return check


def gz_is(path: str, mode: str, expect: Any = None) -> Check:
    check = _text("gzip", mode, expect)
    check["path"] = path
    return check


def probe(command: str, mode: str, expect: Any = None, **extra: Any) -> Check:
    check = _text("probe", mode, expect, **extra)
    check["command"] = command
    return check


def exists(path: str, kind: str = "any") -> Check:
    return {"check": "exists", "path": path, "type": kind}


def absent(*paths: str) -> list[Check]:
    return [{"check": "absent", "path": p} for p in paths]


def mode_is(path: str, expect: str | None = None, *, set_bits: str | None = None,
            clear: str | None = None) -> Check:
    check: Check = {"check": "mode", "path": path}
    if expect:
        check["expect"] = expect
    if set_bits:
        check["set"] = set_bits
    if clear:
        check["clear"] = clear
    return check


def count(glob: str, n: int, kind: str = "any") -> Check:
    return {"check": "count", "glob": glob, "expect": n, "type": kind}


def tree(directory: str, *expected: str, dirs: bool = False) -> Check:
    check: Check = {"check": "tree", "dir": directory, "expect": list(expected)}
    if dirs:
        check["dirs"] = True
    return check


def same(path: str, original: str) -> Check:
    return {"check": "same", "path": path, "as": original}


def unchanged(*paths: str) -> Check:
    return {"check": "unchanged", "paths": list(paths)}


def archive(path: str, fmt: str, *members: str, contains: bool = False,
            top_optional: bool = False, content: dict[str, Check] | None = None) -> Check:
    check: Check = {"check": "archive", "path": path, "format": fmt}
    if members:
        check["members"] = list(members)
    if contains:
        check["contains"] = True
    if top_optional:
        check["top_optional"] = True
    if content:
        check["content"] = content
    return check


def link(path: str, target: str) -> Check:
    return {"check": "link", "path": path, "target": target}


def hardlink(path: str, other: str) -> Check:
    return {"check": "hardlink", "path": path, "with": other}


def fresh(path: str) -> Check:
    return {"check": "fresh", "path": path}


def size_is(path: str, n: int) -> Check:
    return {"check": "size", "path": path, "expect": n}


def exit_is(expect: int | list[int] | None) -> Check:
    return {"check": "exit", "expect": expect}


# --- tasks -----------------------------------------------------------------------------------


def T(ident: str, request: str, reference: str, checks: list[Any], fx: dict[str, Any] | None
      = None, *, wrong: tuple[str, ...] | list[str] = (), programs: list[str] | None = None,
      notes: str = "", timeout_s: float | None = None) -> dict[str, Any]:
    """Register one task. `checks` may nest lists (absent() returns several)."""
    flat: list[Check] = []
    for item in checks:
        flat.extend(item if isinstance(item, list) else [item])
    task: dict[str, Any] = {
        "id": ident,
        "request": request,
        "fixture": fx or {},
        "checks": flat,
        "reference": reference,
        "wrong": list(wrong),
    }
    if programs is not None:
        task["programs"] = programs
    if notes:
        task["notes"] = notes
    if timeout_s is not None:
        task["timeout_s"] = timeout_s
    REGISTRY.append(task)
    return task


def out_size(nbytes: int, tolerance: float | None = None) -> Check:
    return _text("stdout", "size", nbytes, tolerance=tolerance)
