"""Shell commands hidden in other languages' code: `python -c "import os; os.system('rm -rf ~')"`,
`perl -e 'system("rm -rf /")'`, `node -e "require('child_process').execSync('...')"`.

Python code is read with `ast`; file operations with a shell equivalent are turned into it
(`shutil.rmtree(p)` -> `rm -rf p`, `os.remove(p)` -> `rm p`, `os.chmod(p, 0o777)` ->
`chmod 777 p`). Other languages: string literals passed to `system`, `exec`, backticks and the
like. Only literal strings count; code built at run time is left to the caution the
interpreter gets anyway.
"""

from __future__ import annotations

import ast
import re
import shlex

MAX_SNIPPETS = 16

_SHELL_CALLS = frozenset({"system", "popen", "getoutput", "getstatusoutput", "run", "call",
                          "check_call", "check_output", "Popen", "spawn"})
_PY_EQUIVALENTS = {"rmtree": "rm -rf", "remove": "rm", "unlink": "rm", "rmdir": "rmdir",
                   "removedirs": "rmdir"}
# Patterns over Perl / Ruby / PHP / JavaScript code, not shell.
_CALL_STRING = re.compile(
    r"""(?:system|exec|popen|shell_exec|passthru|execSync|spawnSync|qx|%x)\s*\(?\s*"""
    r"""(['"])((?:\\.|(?!\1).)*)\1""", re.S)
_BACKTICKS = re.compile(r"`([^`]+)`")


def shell_snippets(language: str, code: str) -> list[str]:
    if language.startswith(("python", "pypy")):
        return _python(code)[:MAX_SNIPPETS]
    found = [m.group(2) for m in _CALL_STRING.finditer(code)]
    if language in ("perl", "ruby", "php"):
        found += [m.group(1) for m in _BACKTICKS.finditer(code)]
    return found[:MAX_SNIPPETS]


def _python(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _call_name(node.func)
        first = node.args[0]
        if name in _SHELL_CALLS:
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(first.value)
            elif isinstance(first, ast.List | ast.Tuple) and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in first.elts):
                found.append(shlex.join(e.value for e in first.elts))  # type: ignore[attr-defined]
        elif name in _PY_EQUIVALENTS and isinstance(first, ast.Constant) and isinstance(
                first.value, str):
            found.append(f"{_PY_EQUIVALENTS[name]} {shlex.quote(first.value)}")
        elif name == "chmod" and len(node.args) >= 2 and isinstance(first, ast.Constant) and \
                isinstance(first.value, str) and isinstance(node.args[1], ast.Constant) and \
                isinstance(node.args[1].value, int):
            found.append(f"chmod {node.args[1].value:o} {shlex.quote(first.value)}")
    return found


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None
