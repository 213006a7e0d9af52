"""Shell commands hidden in other languages' code: `python -c "import os; os.system('rm -rf ~')"`,
`perl -e 'system("rm -rf /")'`, `node -e "require('child_process').execSync('...')"`.

File deletions with a shell equivalent are turned into it, so that the `rm` rules judge them
(and measure their blast radius):
- Python (read with `ast`): `shutil.rmtree(p)` -> `rm -rf p`, `os.remove(p)` / `Path(p).unlink()`
  -> `rm p`, `os.chmod(p, 0o777)` -> `chmod 777 p`;
- Ruby: `FileUtils.rm_rf(p)`, `rm_r`, `remove_dir`, `remove_entry` -> `rm -rf p`,
  `FileUtils.rm(p)`, `File.delete(p)` -> `rm p`;
- JavaScript: `fs.rmSync(p, {recursive: true})`, `rmdirSync(p, {recursive: true})`,
  `rimraf(p)`, fs-extra's `removeSync(p)` -> `rm -rf p`, `unlinkSync(p)` -> `rm p`;
- Perl: `rmtree(p)`, `remove_tree(p)` -> `rm -rf p`, `unlink(p)` -> `rm p`.
A path is understood when it is a string literal, the home directory (`os.path.expanduser('~')`,
`Path.home()`, `Dir.home`, `os.homedir()`, `$ENV{HOME}`, `process.env.HOME`), the current
directory, or a glob (`glob("*")`, `Dir.glob("*")`, `<*>`). Anything else is a deletion whose
path is only known at run time: `deletions()` reports it without a snippet, and the
`interpreter_deletes` rule rates it.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Deletion:
    """A file deletion written in another language."""

    call: str  # as written, shortened: `shutil.rmtree(sys.argv[1])`
    recursive: bool
    snippet: str | None  # the shell equivalent, or None when the path is only known at run time


def shell_snippets(language: str, code: str) -> list[str]:
    found = [d.snippet for d in deletions(language, code) if d.snippet]
    if language.startswith(("python", "pypy")):
        found = _python_shell(code) + found
    else:
        found = [m.group(2) for m in _CALL_STRING.finditer(code)] + found
        if language in ("perl", "ruby", "php"):
            found += [m.group(1) for m in _BACKTICKS.finditer(code)]
    return found[:MAX_SNIPPETS]


def deletions(language: str, code: str) -> list[Deletion]:
    if language.startswith(("python", "pypy")):
        return _python_deletions(code)[:MAX_SNIPPETS]
    patterns = _PATTERNS.get(_LANGUAGE.get(language, ""), ())
    found: list[Deletion] = []
    for pattern, recursive in patterns:
        for match in pattern.finditer(code):
            arg = match.group("arg").strip()
            path = _path_in(arg, language)
            verb = "rm -rf" if recursive else "rm"
            found.append(Deletion(call=_short(match.group(0)), recursive=recursive,
                                  snippet=_command(verb, path)))
    return found[:MAX_SNIPPETS]


def _command(verb: str, path: str | None) -> str | None:
    """`rm -rf PATH` (`--` only where the path would read as an option)."""
    if path is None:
        return None
    return f"{verb} -- {path}" if path.startswith("-") else f"{verb} {path}"


# -- Python ------------------------------------------------------------------------------------


def _parse(code: str) -> ast.AST | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _python_shell(code: str) -> list[str]:
    tree = _parse(code)
    if tree is None:
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
        elif name == "chmod" and len(node.args) >= 2 and isinstance(first, ast.Constant) and \
                isinstance(first.value, str) and isinstance(node.args[1], ast.Constant) and \
                isinstance(node.args[1].value, int):
            found.append(f"chmod {node.args[1].value:o} {shlex.quote(first.value)}")
    return found


def _python_deletions(code: str) -> list[Deletion]:
    tree = _parse(code)
    if tree is None:
        return []
    found: list[Deletion] = []
    listed = _listing_variables(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        if name in _PY_EQUIVALENTS and node.args and not _is_path_method(node.func, name):
            verb = _PY_EQUIVALENTS[name]
            path = _python_path(node.args[0], listed)
        elif name in ("unlink", "rmdir") and _is_path_method(node.func, name):
            assert isinstance(node.func, ast.Attribute)
            verb = "rm" if name == "unlink" else "rmdir"
            path = _python_path(node.func.value, listed)
        else:
            continue
        found.append(Deletion(call=_short(ast.unparse(node)), recursive=verb == "rm -rf",
                              snippet=_command(verb, path)))
    return found


def _is_path_method(func: ast.expr, name: str | None) -> bool:
    """`Path(x).unlink()` / `items.remove(x)` (methods of a value), not `os.unlink(x)`,
    `shutil.rmtree(x)` or `__import__('shutil').rmtree(x)`."""
    if not isinstance(func, ast.Attribute) or name in ("rmtree", "removedirs"):
        return False
    value = func.value
    if isinstance(value, ast.Name):
        return value.id not in ("os", "shutil", "posix")
    return not (isinstance(value, ast.Call) and _call_name(value.func) == "__import__")


def _listing_variables(tree: ast.AST) -> dict[str, str]:
    """`for f in os.listdir(d)` / `[... for f in glob.glob("*")]`: the loop variable stands for
    every entry of a directory, as the shell word `d/*` does."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
            source = node.iter
            if not isinstance(source, ast.Call):
                continue
            name = _call_name(source.func)
            if name in ("listdir", "scandir", "iterdir"):
                base = _python_path(source.args[0]) if source.args else (
                    _python_path(source.func.value)
                    if name == "iterdir" and isinstance(source.func, ast.Attribute) else ".")
                if base:
                    found[node.target.id] = f"{base.rstrip('/')}/*"
            elif name in ("glob", "iglob") and source.args and isinstance(
                    source.args[0], ast.Constant) and isinstance(source.args[0].value, str):
                pattern = source.args[0].value
                if _SAFE_PATTERN.fullmatch(pattern):
                    found[node.target.id] = pattern
    return found


def _python_path(node: ast.expr, listed: dict[str, str] | None = None) -> str | None:
    """A shell word for a Python path expression, or None when it is only known at run time."""
    if isinstance(node, ast.Name) and listed and node.id in listed:
        return listed[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return shlex.quote(node.value)
    if isinstance(node, ast.Call):
        name = _call_name(node.func)
        args = node.args
        if name in ("Path", "PosixPath", "PurePath") and len(args) == 1:
            return _python_path(args[0])
        if name in ("Path", "PosixPath") and not args:
            return "."
        if name == "expanduser" and len(args) == 1 and isinstance(args[0], ast.Constant) and \
                isinstance(args[0].value, str):
            return _home_word(args[0].value)
        if name == "home" and not args:
            return "~"
        if name in ("getcwd", "cwd") and not args:
            return "."
        if name in ("getenv", "get") and args and isinstance(args[0], ast.Constant) and \
                args[0].value == "HOME":
            return "~"
        if name == "expanduser" and len(args) == 0 and isinstance(node.func, ast.Attribute):
            return _python_path(node.func.value)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
            node.slice.value == "HOME" and "environ" in ast.unparse(node.value):
        return "~"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _python_path(node.left)
        right = _python_path(node.right)
        if left and right and not right.startswith(("/", "~")):
            return f"{left.rstrip('/')}/{right}"
    return None


def _home_word(text: str) -> str:
    """`~/x y` -> `~/'x y'`: the tilde stays unquoted so that it names the home directory."""
    if text == "~":
        return "~"
    if text.startswith("~/"):
        return "~/" + shlex.quote(text[2:])
    return shlex.quote(text)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


# -- Ruby, JavaScript, Perl, PHP (regular expressions over the code) ---------------------------

_LANGUAGE = {"ruby": "ruby", "irb": "ruby", "node": "js", "nodejs": "js", "bun": "js",
             "deno": "js", "perl": "perl", "php": "php"}
_ARG = r"(?P<arg>(?:[^,;()\n]|\([^()]*\))+?)"  # one level of parentheses: `Dir.glob("*")`
_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], bool], ...]] = {
    "ruby": (
        (re.compile(r"FileUtils\s*\.\s*(?:rm_rf|rm_r|remove_dir|remove_entry(?:_secure)?|"
                    r"rmtree)\s*[( ]\s*" + _ARG + r"\s*(?:[,)]|$)", re.M), True),
        (re.compile(r"(?:FileUtils\s*\.\s*(?:rm_f|rm|remove|remove_file)|File\s*\.\s*"
                    r"(?:delete|unlink))\s*[( ]\s*" + _ARG + r"\s*(?:[,)]|$)", re.M), False),
    ),
    "js": (
        (re.compile(r"\b(?:rmSync|rmdirSync|rm|rmdir)\s*\(\s*" + _ARG +
                    r"\s*,\s*\{[^}]*recursive\s*:\s*true"), True),
        (re.compile(r"\b(?:rimraf(?:\.sync|Sync)?|rimraf['\"]\s*\)\s*\.\s*sync|removeSync|remove|"
                    r"emptyDirSync)\s*\(\s*" +
                    _ARG + r"\s*[,)]"), True),
        (re.compile(r"\b(?:unlinkSync|unlink|rmSync)\s*\(\s*" + _ARG +
                    r"\s*(?:\)|,\s*(?:\{\s*force\s*:\s*true\s*\}|\w+)\s*\))"), False),
    ),
    "perl": (
        (re.compile(r"\b(?:rmtree|remove_tree)\s*\(?\s*" + _ARG + r"\s*(?:[,);]|$)", re.M),
         True),
        (re.compile(r"\bunlink\s*\(?\s*" + _ARG + r"\s*(?:[,);]|$)", re.M), False),
    ),
    "php": (
        (re.compile(r"\bunlink\s*\(\s*" + _ARG + r"\s*\)"), False),
    ),
}
_QUOTED = re.compile(r"""^(['"])(.*)\1$""", re.S)
_GLOBS = (
    re.compile(r"""^(?:glob|Dir\s*\.\s*glob)\s*\(?\s*(['"])(?P<pat>[^'"]+)\1\s*\)?$"""),
    re.compile(r"""^Dir\s*\[\s*(['"])(?P<pat>[^'"]+)\1\s*\]$"""),
    re.compile(r"""^<(?P<pat>[^<>$]+)>$"""),
)
_HOMES = re.compile(r"^(?:Dir\s*\.\s*home|(?:os|require\s*\(\s*['\"]os['\"]\s*\))\s*\.\s*"
                    r"homedir\s*\(\s*\)|process\s*\.\s*env\s*\."
                    r"HOME|ENV\s*\[\s*['\"]HOME['\"]\s*\]|\$ENV\s*\{\s*['\"]?HOME['\"]?\s*\})$")
_SAFE_PATTERN = re.compile(r"[\w.*?\[\]/~+-]+")


def _path_in(arg: str, language: str) -> str | None:
    """A shell word for a path argument in Ruby / JavaScript / Perl / PHP."""
    if _HOMES.match(arg):
        return "~"
    for pattern in _GLOBS:
        match = pattern.match(arg)
        if match:
            pat = match.group("pat")
            for home in ("$ENV{HOME}", "#{Dir.home}"):
                pat = "~" + pat[len(home):] if pat.startswith(home + "/") else pat
            return pat if _SAFE_PATTERN.fullmatch(pat) else None
    quoted = _QUOTED.match(arg)
    if not quoted:
        return None
    text = quoted.group(2)
    interpolates = quoted.group(1) == '"' and language in ("perl", "php", "ruby")
    if interpolates and ("$" in text or "#{" in text):
        for home in ("$ENV{HOME}", "$ENV{'HOME'}", '#{Dir.home}', "#{ENV['HOME']}"):
            if text.startswith(home):
                rest = text[len(home):]
                if "$" in rest or "#{" in rest:
                    return None
                return _home_word("~" + rest)
        return None
    if language == "js" and "${" in text:
        return None
    return shlex.quote(text)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
