"""Setting one value in the user's config.toml while keeping the rest of the file as it was.

Only the line of that setting changes (its trailing comment kept); a file without it gets the
line added before any table. The result is parsed before it replaces the old file, which is
swapped atomically, so a mistake here can never leave a config nlsh cannot read.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from nlsh.models import ModelsError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def set_value(path: Path, name: str, value: str) -> None:
    """Write `name = "value"` into the TOML file at `path` (created if missing)."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        before = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ModelsError(f"cannot update {path}: it does not parse ({exc})",
                          bad_input=True) from None
    updated = _with_value(text, name, value)
    after = tomllib.loads(updated)
    expected = {**before, name: value}
    if after != expected:  # the line edit touched something else: never write that
        raise ModelsError(f"cannot update {path} safely; set {name} = {toml_string(value)} "
                          "in it by hand", bad_input=True)
    _write_atomically(path, updated)


def _with_value(text: str, name: str, value: str) -> str:
    lines = text.splitlines(keepends=True)
    assignment = re.compile(
        rf"^(\s*{re.escape(name)}\s*=\s*)(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^#\n]*?)(\s*#.*)?(\r?\n)?$")
    for index, line in enumerate(lines):
        if re.match(r"^\s*\[", line):
            break  # settings live at the top level, before any table
        match = assignment.match(line)
        if match:
            head, _, comment, newline = match.groups()
            lines[index] = f"{head}{toml_string(value)}{comment or ''}{newline or ''}"
            return "".join(lines)
    new_line = f"{name} = {toml_string(value)}\n"
    for index, line in enumerate(lines):
        if re.match(r"^\s*\[", line):
            lines.insert(index, new_line)
            return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines) + new_line


def _write_atomically(path: Path, text: str) -> None:
    path = path.resolve() if path.is_symlink() else path  # keep a symlinked dotfile a symlink
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    handle, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as writer:
            writer.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ModelsError(f"cannot write {path}: {exc.strerror or exc}") from None
