"""From parsed shell to the programs that would really run.

`expand(parsed)` turns every simple command of a parse into `Invocation`s, looking through the
wrappers that run another command (`sudo`, `env`, `nohup`, `nice`, `timeout`, `xargs`, `find -exec`,
...) and into code given as a string (`bash -c '...'`, `eval`, `su -c`, `watch`, code piped or
here-doc'ed into a shell), which is parsed again, to a bounded depth. Names hidden in a variable
set on the same line (`x=rm; $x -rf /`) or in `$(echo rm)` are recovered when that is certain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import tree_sitter

from nlsh import shellparse
from nlsh.safety.embedded import shell_snippets
from nlsh.safety.programs import INTERPRETERS, SHELLS
from nlsh.shellparse import ParsedCommand, Redirect, SimpleCommand, Word

MAX_DEPTH = 4  # nested `bash -c` / `eval` strings parsed before giving up
MAX_INVOCATIONS = 4000
MAX_CODE_CHARS = 100_000


@dataclass(frozen=True)
class FindScope:
    """What a `find` command would visit: its start directories and the tests that narrow it."""

    roots: tuple[Word, ...]  # empty means `.`
    filters: tuple[tuple[str, str], ...]  # ("-name", "*.pyc"), ("-type", "f"), ...
    narrowed: bool  # some test restricts matches by name, path, age, size or owner
    evaluable: bool  # every test is one the blast radius can evaluate (-name, -type, depth)
    deletes: bool  # -delete
    written_files: tuple[Word, ...] = ()  # -fprint FILE, -fls FILE, -fprintf FILE


@dataclass(frozen=True, eq=False)
class Invocation:
    """One program that would run, with the wrappers it was found under."""

    program: str | None  # basename, unquoted; None when the name is only known at run time
    name: Word | None
    args: tuple[Word, ...]
    command: SimpleCommand  # the simple command it comes from (pipeline, background, offsets)
    parsed: ParsedCommand  # the parse that command belongs to (a nested one for `bash -c`)
    redirects: tuple[Redirect, ...] = ()
    wrappers: tuple[str, ...] = ()  # outermost first: ("sudo", "env")
    privileged: str | None = None  # "sudo", "doas", "su", "pkexec", ... when run as another user
    depth: int = 0  # how many code strings deep (`bash -c` inside `sudo` is 1)
    via: str | None = None  # "find -exec", "xargs", "bash -c", "eval", "watch", "piped into sh"
    find_scope: FindScope | None = None  # for `find` itself and for what its -exec runs
    placeholder: str | None = None  # `{}` (find -exec, xargs -I) standing for found paths
    stdin_args: bool = False  # xargs: more arguments arrive on stdin
    code_words: tuple[Word, ...] = ()  # `bash -c CODE`, `eval ...`, `python -c CODE`
    reads_stdin_code: bool = False  # a shell or interpreter with no script: runs its stdin
    script_args: bool = False  # runs a script file given as an argument (`bash x.sh`)
    dynamic_name: bool = False  # `$CMD foo`: the program is only known at run time
    resolved_from: str | None = None  # `$x` / `$(echo rm)` when the name was recovered
    root_shell: bool = False  # `sudo -i`, `su -`: an interactive shell as another user
    nesting_exceeded: bool = False
    cwd: str | None = None  # set after `cd DIR` on the same line ("" when DIR is dynamic)
    remote: str | None = None  # "web1" / "container db": runs on another machine or container

    @property
    def argv(self) -> list[str]:
        return [w.unquoted for w in self.args]

    @property
    def display(self) -> str:
        return self.program or (self.name.text if self.name else "?")


# -- option scanning ---------------------------------------------------------------------------


def first_operand(args: Sequence[Word], short_with_value: str = "",
                  long_with_value: frozenset[str] = frozenset(),
                  optional_value: str = "") -> int:
    """Index of the first non-option argument (after `--` if present)."""
    i = 0
    while i < len(args):
        a = args[i].unquoted
        if a == "--":
            return i + 1
        if not a.startswith("-") or a == "-":
            return i
        if a.startswith("--"):
            i += 2 if ("=" not in a and a in long_with_value) else 1
            continue
        takes_next = False
        for j, ch in enumerate(a[1:], start=1):
            if ch in optional_value:
                break
            if ch in short_with_value:
                takes_next = j == len(a) - 1
                break
        i += 2 if takes_next else 1
    return len(args)


def has_short_flag(args: Sequence[Word], flag: str, stop: int | None = None,
                   short_with_value: str = "") -> bool:
    """`-f` alone or in a cluster like `-rf` (clusters stop at an option that takes a value)."""
    for w in args[:stop]:
        a = w.unquoted
        if a == "--":
            return False
        if a.startswith("-") and not a.startswith("--"):
            for ch in a[1:]:
                if ch == flag:
                    return True
                if ch in short_with_value:
                    break
    return False


def has_long(args: Sequence[Word], *names: str) -> bool:
    for w in args:
        a = w.unquoted
        if a == "--":
            return False
        if a.split("=", 1)[0] in names:
            return True
    return False


def option_values(args: Sequence[Word], short: str, *longs: str) -> list[Word]:
    """Values of `-o X`, `-oX`, `--out X`, `--out=X`."""
    found: list[Word] = []
    for i, w in enumerate(args):
        a = w.unquoted
        if a == "--":
            break
        nxt = args[i + 1] if i + 1 < len(args) else None
        if short and a == short and nxt is not None:
            found.append(nxt)
        elif short and a.startswith(short) and not a.startswith("--") and len(a) > len(short):
            found.append(dataclasses.replace(w, unquoted=a[len(short):], text=a[len(short):]))
        for long in longs:
            if a == long and nxt is not None:
                found.append(nxt)
            elif a.startswith(long + "="):
                value = a[len(long) + 1:]
                found.append(dataclasses.replace(w, unquoted=value, text=value))
    return found


def synthetic_word(text: str, like: Word | None = None) -> Word:
    start, end = (like.start, like.end) if like else (0, 0)
    return Word(text=text, unquoted=text, has_expansion=False, has_glob=False, start=start,
                end=end)


# -- building invocations ----------------------------------------------------------------------


def expand(parsed: ParsedCommand, *, depth: int = 0, inherit: Invocation | None = None,
           budget: list[int] | None = None) -> list[Invocation]:
    """Every program the parse would run, wrappers looked through."""
    budget = budget if budget is not None else [MAX_INVOCATIONS]
    variables = static_assignments(parsed)
    out: list[Invocation] = []
    cwd = inherit.cwd if inherit is not None else None
    for cmd in parsed.commands:
        if budget[0] <= 0:
            break
        inv = _from_command(cmd, parsed, depth, variables)
        inv = dataclasses.replace(inv, cwd=cwd)
        if inherit is not None:
            inv = dataclasses.replace(
                inv, wrappers=inherit.wrappers + inv.wrappers,
                privileged=inv.privileged or inherit.privileged, via=inherit.via,
                remote=inherit.remote,
                find_scope=inv.find_scope or inherit.find_scope,
                placeholder=inherit.placeholder)
        found = _unwrap(inv, budget)
        budget[0] -= len(found)
        out.extend(found)
        if inv.program in ("cd", "pushd") and cmd.pipeline_id is None and not cmd.in_substitution:
            cwd = _changed_directory(inv, cwd)
    return out


def _changed_directory(inv: Invocation, cwd: str | None) -> str | None:
    """The directory later commands run in after `cd ARG` (relative to the caller's cwd).

    Returns a path to join onto the current one ("~" and absolute paths reset it), or "" when
    the target is only known at run time (`cd $DIR`, `cd -`).
    """
    args = [w for w in inv.args if not (w.unquoted.startswith("-") and w.unquoted != "-")]
    if not args:
        return "~"
    word = args[0]
    if not word.is_static or word.unquoted == "-":
        if word.unquoted in ("$HOME", "${HOME}", "~"):
            return "~"
        return ""
    target = word.unquoted
    if word.text.startswith("~") and (target == "~" or target.startswith("~/")):
        return target
    if cwd is None or target.startswith("/"):
        return target
    if cwd == "":
        return ""
    return cwd.rstrip("/") + "/" + target


def static_assignments(parsed: ParsedCommand) -> dict[str, str]:
    """`x=rm` on the same line, when its value is static text and set only once."""
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    if parsed.root is None:
        return found
    stack = [parsed.root]
    seen = 0
    while stack and seen < 20_000:
        node = stack.pop()
        seen += 1
        if node.type == "variable_assignment":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is not None:
                key = _node_text(name)
                word = shellparse.make_word(value) if value is not None else None
                static = word.unquoted if word is not None and word.is_static else None
                if (key in found and found[key] != static) or static is None:
                    ambiguous.add(key)  # set twice, or to a run-time value: unknown
                found[key] = static or ""
        stack.extend(node.children)
    return {k: v for k, v in found.items() if k not in ambiguous}


def _node_text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "surrogateescape")


def _from_command(cmd: SimpleCommand, parsed: ParsedCommand, depth: int,
                  variables: dict[str, str]) -> Invocation:
    program = cmd.program
    dynamic = False
    resolved_from: str | None = None
    if cmd.name is not None and not cmd.name.is_static:
        recovered = _recover_name(cmd.name, parsed, variables)
        if recovered:
            resolved_from = cmd.name.text
            program = recovered.rsplit("/", 1)[-1] or recovered
        else:
            dynamic = True
            program = None
    inv = Invocation(program=program, name=cmd.name, args=cmd.args, command=cmd, parsed=parsed,
                     redirects=cmd.redirects, depth=depth, dynamic_name=dynamic,
                     resolved_from=resolved_from)
    return _with_inline_code(inv)


def _recover_name(name: Word, parsed: ParsedCommand, variables: dict[str, str]) -> str | None:
    """`$x` set statically on this line, or `$(echo rm)` / `` `printf rm` ``."""
    text = name.unquoted
    for var, value in variables.items():
        if text in (f"${var}", f"${{{var}}}") and value and " " not in value:
            return value
    if (text.startswith("$(") and text.endswith(")")) or (
            text.startswith("`") and text.endswith("`")):
        inner = [c for c in parsed.commands
                 if c.in_substitution and name.start <= c.start < name.end]
        if len(inner) == 1 and inner[0].program in ("echo", "printf"):
            args = inner[0].args
            if args and all(a.is_static for a in args):
                value = args[-1].unquoted if inner[0].program == "echo" else args[0].unquoted
                if inner[0].program == "printf":
                    value = shellparse._decode_ansi_c(value) if "%" not in value else ""
                value = value.strip()
                if value and " " not in value:
                    return value
    return None


def _with_inline_code(inv: Invocation) -> Invocation:
    """Mark interpreters that run code from an option (`python -c CODE`) or from stdin."""
    prog = inv.program
    if prog is None or prog not in INTERPRETERS or prog in SHELLS:
        return inv
    code_opts = INTERPRETERS[prog]
    argv = inv.argv
    for i, a in enumerate(argv):
        if a in code_opts and i + 1 < len(argv):
            return dataclasses.replace(inv, code_words=(inv.args[i + 1],))
        if not a.startswith("-"):
            return dataclasses.replace(inv, script_args=a not in ("-",), reads_stdin_code=a == "-")
    return dataclasses.replace(inv, reads_stdin_code=True)


def _inner(inv: Invocation, rest: Sequence[Word], wrapper: str, **changes: object) -> Invocation:
    """The command a wrapper runs: `rest[0]` is its name."""
    name = rest[0]
    program: str | None = name.unquoted.rsplit("/", 1)[-1] or name.unquoted
    dynamic = not name.is_static
    resolved_from: str | None = None
    if dynamic:
        recovered = _recover_name(name, inv.parsed, static_assignments(inv.parsed))
        program = (recovered.rsplit("/", 1)[-1] or recovered) if recovered else None
        resolved_from = name.text if recovered else None
        dynamic = not recovered
    new = dataclasses.replace(inv, program=program, name=name, args=tuple(rest[1:]),
                              wrappers=(*inv.wrappers, wrapper), dynamic_name=dynamic,
                              resolved_from=resolved_from, code_words=(),
                              reads_stdin_code=False, script_args=False)
    if changes:
        new = dataclasses.replace(new, **changes)  # type: ignore[arg-type]
    return _with_inline_code(new)


def _unwrap(inv: Invocation, budget: list[int]) -> list[Invocation]:
    if inv.program is None:
        return [inv]
    handler = _WRAPPERS.get(inv.program)
    if handler is None:
        if inv.program in SHELLS:
            return _shell(inv, budget)
        if inv.code_words and inv.program in INTERPRETERS:
            return _embedded(inv, budget)
        if inv.program.startswith("python") and inv.argv[:2] == ["-m", "pip"]:
            return [dataclasses.replace(inv, program="pip", args=inv.args[2:])]
        return [inv]
    if len(inv.wrappers) > 32:
        return [inv]
    return handler(inv, budget)


Handler = Callable[[Invocation, list[int]], list[Invocation]]


def _simple_wrapper(short_with_value: str = "", longs: frozenset[str] = frozenset(),
                    positionals_before: int = 0, optional_value: str = "") -> Handler:
    """A wrapper shaped `wrapper [options] [N positionals] command args...`."""

    def handler(inv: Invocation, budget: list[int]) -> list[Invocation]:
        start = first_operand(inv.args, short_with_value, longs, optional_value)
        start += positionals_before
        if start >= len(inv.args):
            return [inv]  # `nohup` alone, `time` alone, `env` alone: the wrapper itself runs
        assert inv.program is not None
        return _unwrap(_inner(inv, inv.args[start:], inv.program), budget)

    return handler


def _privileged_wrapper(short_with_value: str, longs: frozenset[str],
                        shell_flags: str, shell_longs: tuple[str, ...]) -> Handler:
    def handler(inv: Invocation, budget: list[int]) -> list[Invocation]:
        assert inv.program is not None
        start = first_operand(inv.args, short_with_value, longs)
        while start < len(inv.args) and _is_assignment(inv.args[start].unquoted):
            start += 1  # `sudo VAR=value cmd`
        marked = dataclasses.replace(inv, privileged=inv.privileged or inv.program)
        if start >= len(inv.args):
            shell = any(has_short_flag(inv.args, f, short_with_value=short_with_value)
                        for f in shell_flags) or has_long(inv.args, *shell_longs)
            return [dataclasses.replace(marked, root_shell=shell)]
        if inv.program == "sudo" and has_short_flag(inv.args[:start], "e",
                                                    short_with_value=short_with_value):
            edited = dataclasses.replace(marked, program="sudoedit", args=inv.args[start:])
            return [edited]
        return _unwrap(_inner(marked, inv.args[start:], inv.program), budget)

    return handler


def _env(inv: Invocation, budget: list[int]) -> list[Invocation]:
    args = inv.args
    split = option_values(args, "-S", "--split-string")
    start = first_operand(args, "uCSP", frozenset({"--unset", "--chdir", "--split-string"}))
    while start < len(args) and _is_assignment(args[start].unquoted):
        start += 1
    if split:
        code = " ".join([split[0].unquoted, *(a.unquoted for a in args[start:])])
        return [inv, *_code(inv, split[0], code, "env -S", budget)]
    if start >= len(args):
        return [inv]
    return _unwrap(_inner(inv, args[start:], "env"), budget)


def _is_assignment(text: str) -> bool:
    name, eq, _ = text.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c == "_" for c in name)


def _command_builtin(inv: Invocation, budget: list[int]) -> list[Invocation]:
    argv = inv.argv
    if any(a in ("-v", "-V") for a in argv[:2]):
        return [inv]  # `command -v x` only looks a name up
    return _simple_wrapper()(inv, budget)


def _timeout(inv: Invocation, budget: list[int]) -> list[Invocation]:
    start = first_operand(inv.args, "sk", frozenset({"--signal", "--kill-after"}))
    if start + 1 >= len(inv.args):
        return [inv]
    return _unwrap(_inner(inv, inv.args[start + 1:], "timeout"), budget)


def _su(inv: Invocation, budget: list[int]) -> list[Invocation]:
    marked = dataclasses.replace(inv, privileged=inv.privileged or inv.program)
    codes = option_values(inv.args, "-c", "--command", "--session-command")
    if codes:
        return [marked, *_code(marked, codes[0], codes[0].unquoted, "su -c", budget)]
    return [dataclasses.replace(marked, root_shell=True)]


def _runuser(inv: Invocation, budget: list[int]) -> list[Invocation]:
    marked = dataclasses.replace(inv, privileged=inv.privileged or inv.program)
    codes = option_values(inv.args, "-c", "--command")
    if codes:
        return [marked, *_code(marked, codes[0], codes[0].unquoted, "runuser -c", budget)]
    start = first_operand(inv.args, "ugGs", frozenset({"--user", "--group", "--shell"}))
    if start >= len(inv.args):
        return [dataclasses.replace(marked, root_shell=True)]
    if not any(a.unquoted in ("-u", "--user") or a.unquoted.startswith("--user=")
               for a in inv.args[:start]):
        start += 1  # `runuser USER [args]` form: the user comes first
    if start >= len(inv.args):
        return [dataclasses.replace(marked, root_shell=True)]
    return _unwrap(_inner(marked, inv.args[start:], "runuser"), budget)


def _xargs(inv: Invocation, budget: list[int]) -> list[Invocation]:
    args = inv.args
    start = first_operand(args, "ILnPdaEs", frozenset({
        "--max-args", "--max-procs", "--delimiter", "--arg-file", "--eof", "--max-chars",
        "--max-lines"}), optional_value="iel")
    replace = option_values(args[:start], "-I", "--replace")
    placeholder = replace[0].unquoted if replace else (
        "{}" if any(a.unquoted.startswith("-i") for a in args[:start]) else None)
    if start >= len(args):
        return [inv]
    inner = _inner(dataclasses.replace(inv, redirects=()), args[start:], "xargs",
                   via="xargs", stdin_args=True, placeholder=placeholder)
    return [inv, *_unwrap(inner, budget)]


_FIND_NO_ARG = frozenset({
    "-delete", "-print", "-print0", "-ls", "-prune", "-quit", "-depth", "-d", "-xdev", "-mount",
    "-follow", "-noleaf", "-empty", "-true", "-false", "-readable", "-writable", "-executable",
    "-nouser", "-nogroup", "-daystart", "-ignore_readdir_race", "-noignore_readdir_race", "-not",
    "!", "(", ")", ",", "-o", "-or", "-a", "-and", "-L", "-H", "-P", "-x",
})
_FIND_NARROWING = frozenset({
    "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
    "-newer", "-anewer", "-cnewer", "-newermt", "-newerct", "-newerat", "-mtime", "-mmin",
    "-atime", "-amin", "-ctime", "-cmin", "-size", "-user", "-group", "-uid", "-gid", "-perm",
    "-empty", "-links", "-inum", "-samefile", "-lname", "-ilname", "-used", "-fstype", "-context",
})
_FIND_EVALUABLE = frozenset({"-name", "-iname", "-type", "-maxdepth", "-mindepth", "-path",
                             "-ipath", "-wholename", "-print", "-print0", "-delete", "-depth",
                             "-xdev", "-mount", "-a", "-and", "-ls", "-empty"})
_FIND_NEGATABLE = frozenset({"-name", "-iname", "-path", "-ipath", "-wholename", "-type"})
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_FIND_WRITERS = {"-fprint": 1, "-fprint0": 1, "-fls": 1, "-fprintf": 2}


def _find(inv: Invocation, budget: list[int]) -> list[Invocation]:
    args = inv.args
    i = 0
    roots: list[Word] = []
    while i < len(args) and args[i].unquoted in ("-L", "-H", "-P", "-O0", "-O1", "-O2", "-O3"):
        i += 1
    while i < len(args) and not _find_is_expression(args[i].unquoted):
        roots.append(args[i])
        i += 1
    filters: list[tuple[str, str]] = []
    execs: list[tuple[str, list[Word]]] = []
    written: list[Word] = []
    narrowed = False
    evaluable = True
    deletes = False
    negated = False  # `! -name keep.txt` / `-not ...`: everything but, which narrows nothing
    while i < len(args):
        a = args[i].unquoted
        if a in ("!", "-not"):
            negated = not negated
            i += 1
            continue
        if a in _FIND_EXEC:
            j = i + 1
            while j < len(args) and not (
                    args[j].unquoted == ";" or (args[j].unquoted == "+"
                                                and args[j - 1].unquoted == "{}")):
                j += 1
            execs.append((a, list(args[i + 1:j])))
            i = j + 1
            continue
        if a in _FIND_WRITERS:
            n = _FIND_WRITERS[a]
            if i + 1 < len(args):
                written.append(args[i + 1])
            i += n + 1
            continue
        if a == "-delete":
            deletes = True
        if a in _FIND_NARROWING and not negated:
            narrowed = True
        if a not in _FIND_EVALUABLE or (negated and a not in _FIND_NEGATABLE):
            evaluable = False
        if a in _FIND_NO_ARG:
            negated = False
            i += 1
            continue
        value = args[i + 1].unquoted if i + 1 < len(args) else ""
        filters.append(("!" + a if negated else a, value))
        negated = False
        i += 2
    scope = FindScope(roots=tuple(roots), filters=tuple(filters), narrowed=narrowed,
                      evaluable=evaluable, deletes=deletes, written_files=tuple(written))
    found = [dataclasses.replace(inv, find_scope=scope)]
    for kind, words in execs:
        if words:
            inner = _inner(dataclasses.replace(inv, redirects=()), words, "find",
                           via=f"find {kind}", find_scope=scope, placeholder="{}")
            found.extend(_unwrap(inner, budget))
    return found


def _find_is_expression(arg: str) -> bool:
    return arg.startswith("-") or arg in ("!", "(", ")", ",")


def _watch(inv: Invocation, budget: list[int]) -> list[Invocation]:
    start = first_operand(inv.args, "nq", frozenset({"--interval"}))
    rest = inv.args[start:]
    if not rest:
        return [inv]
    if any(a.unquoted in ("-x", "--exec") for a in inv.args[:start]):
        return _unwrap(_inner(inv, rest, "watch"), budget)
    code = " ".join(a.unquoted for a in rest)
    return [inv, *_code(inv, rest[0], code, "watch", budget)]


def _embedded(inv: Invocation, budget: list[int]) -> list[Invocation]:
    """Shell commands inside Python / Perl / Ruby / Node code (`os.system("rm -rf /")`)."""
    found = [inv]
    for word in inv.code_words:
        for snippet in shell_snippets(inv.program or "", word.unquoted):
            found += _code(inv, word, snippet, f"{inv.program} code", budget)
    return found


def _ssh(inv: Invocation, budget: list[int]) -> list[Invocation]:
    """`ssh [options] host command...`: the command runs on the remote machine's shell."""
    start = first_operand(inv.args, "BbcDEeFIiJLlmOoPpQRSWw")
    rest = inv.args[start + 1:]
    if not rest:
        return [inv]
    code = " ".join(w.unquoted for w in rest)
    host = inv.args[start].unquoted
    return [inv, *_code(inv, rest[0], code, f"ssh {host}", budget, elsewhere=host)]


def _container_exec(inv: Invocation, budget: list[int]) -> list[Invocation]:
    """`docker exec [opts] CONTAINER cmd...`, `kubectl exec POD -- cmd...`: runs inside."""
    argv = inv.argv
    if not argv or argv[0] != "exec":
        return [inv]
    if "--" in argv:
        rest = inv.args[argv.index("--") + 1:]
    else:
        start = 1 + first_operand(inv.args[1:], "eucwn", frozenset({
            "--env", "--user", "--workdir", "--container", "--namespace", "--env-file"}))
        rest = inv.args[start + 1:]
    if not rest:
        return [inv]
    where = f"container {inv.args[len(inv.args) - len(rest) - 1].unquoted}" if "--" not in argv \
        else "a pod"
    container = dataclasses.replace(inv, cwd="", remote=where)
    inner = _inner(container, rest, f"{inv.program} exec")
    return [inv, *_unwrap(dataclasses.replace(inner, via=f"{inv.program} exec"), budget)]


def _busybox(inv: Invocation, budget: list[int]) -> list[Invocation]:
    if not inv.args or inv.args[0].unquoted.startswith("-"):
        return [inv]
    return _unwrap(_inner(inv, inv.args, "busybox"), budget)


def _eval(inv: Invocation, budget: list[int]) -> list[Invocation]:
    if not inv.args:
        return [inv]
    code = " ".join(a.unquoted for a in inv.args)
    marked = dataclasses.replace(inv, code_words=inv.args)
    return [marked, *_code(marked, inv.args[0], code, "eval", budget)]


def _source(inv: Invocation, budget: list[int]) -> list[Invocation]:
    """`source FILE` / `. FILE`: runs a script in this shell; `<(...)` may hold a download."""
    if not inv.args:
        return [inv]
    first = inv.args[0]
    if first.unquoted in ("/dev/stdin", "-"):
        return [dataclasses.replace(inv, reads_stdin_code=True)]
    return [dataclasses.replace(inv, script_args=True)]


_SHELL_OPTS_WITH_VALUE = "oO"


def _shell(inv: Invocation, budget: list[int]) -> list[Invocation]:
    """`bash -c CODE`, `sh script`, `bash` reading stdin (piped, here-doc, here-string)."""
    args = inv.args
    i = 0
    run_code = False
    read_stdin = False  # `-s` or `-`: commands come from stdin, operands are its arguments
    while i < len(args):
        a = args[i].unquoted
        if a == "--" or a == "-":
            read_stdin = read_stdin or a == "-"
            i += 1
            break
        if a.startswith("--"):
            if a in ("--rcfile", "--init-file"):
                i += 1
            i += 1
            continue
        if (a.startswith("-") or a.startswith("+")) and len(a) > 1:
            if "c" in a[1:] and a[0] == "-":
                run_code = True
            if "s" in a[1:] and a[0] == "-":
                read_stdin = True
            if a[-1] in _SHELL_OPTS_WITH_VALUE:
                i += 1
            i += 1
            continue
        break
    rest = args[i:]
    if run_code and rest:
        code_word = rest[0]
        marked = dataclasses.replace(inv, code_words=(code_word,))
        return [marked, *_code(marked, code_word, code_word.unquoted, f"{inv.program} -c", budget)]
    if rest and not run_code and not read_stdin:
        return [dataclasses.replace(inv, script_args=True)]
    stdin_code = _stdin_code(inv)
    marked = dataclasses.replace(inv, reads_stdin_code=True)
    if stdin_code is not None:
        word, code = stdin_code
        marked = dataclasses.replace(marked, code_words=(word,))
        return [marked, *_code(marked, word, code, f"piped into {inv.program}", budget)]
    return [marked]


def _stdin_code(inv: Invocation) -> tuple[Word, str] | None:
    """Static code a shell would read: a here-doc, a here-string, or `echo CODE | sh`."""
    for r in inv.redirects:
        if r.operator == "<<<" and r.target is not None:
            return r.target, r.target.unquoted
        if r.operator.startswith("<<") and r.heredoc is not None:
            word = r.target or synthetic_word(r.heredoc)
            return word, r.heredoc
    cmd = inv.command
    if cmd.pipeline_id is None or cmd.pipeline_position <= 1:
        return None
    for other in inv.parsed.commands:
        if (other.pipeline_id == cmd.pipeline_id
                and other.pipeline_position == cmd.pipeline_position - 1
                and other.program in ("echo", "printf") and other.args
                and all(a.is_static for a in other.args)):
            words = [a.unquoted for a in other.args]
            if other.program == "echo":
                words = [w for w in words if w not in ("-n", "-e", "-E", "-ne", "-en")]
            else:
                words = words[1:] if ("%" in words[0] and len(words) > 1) else words
            text = " ".join(words)
            if other.program == "printf" or "-e" in other.argv:
                text = text.replace("\\n", "\n")
            return other.args[-1], text
    return None


def _code(inv: Invocation, word: Word, code: str, via: str,
          budget: list[int], *, elsewhere: str | None = None) -> list[Invocation]:
    """Parse a code string again and expand what it runs, one level deeper.

    `elsewhere`: the code runs on another machine or container (`ssh host CMD`), whose
    current directory is unknown.
    """
    if inv.depth >= MAX_DEPTH or len(code) > MAX_CODE_CHARS:
        return [dataclasses.replace(inv, nesting_exceeded=True)]
    if _only_substitution(word):
        return []  # `bash -c "$(curl ...)"`: the inner commands are in the outer parse already
    parsed = shellparse.parse(code)
    carrier = dataclasses.replace(inv, via=via, cwd="" if elsewhere else inv.cwd,
                                  remote=elsewhere or inv.remote)
    found = expand(parsed, depth=inv.depth + 1, inherit=carrier, budget=budget)
    if parsed.has_error:
        # Let the caller see that the inner code did not parse: a marker with no program.
        found.append(dataclasses.replace(carrier, program=None, name=None, args=(),
                                         depth=inv.depth + 1, parsed=parsed, dynamic_name=False))
    return found


def _only_substitution(word: Word) -> bool:
    text = word.unquoted
    whole = (text.startswith("$(") and text.endswith(")")) or (
        text.startswith("`") and text.endswith("`") and len(text) > 1)
    return word.has_expansion and whole


_WRAPPERS: dict[str, Handler] = {
    "sudo": _privileged_wrapper("ugCDhpPrtTUR", frozenset({
        "--user", "--group", "--close-from", "--chdir", "--host", "--prompt", "--role",
        "--type", "--command-timeout", "--other-user", "--chroot"}), "is", ("--login", "--shell")),
    "doas": _privileged_wrapper("uC", frozenset(), "s", ()),
    "pkexec": _privileged_wrapper("", frozenset({"--user"}), "", ()),
    "su": _su,
    "runuser": _runuser,
    "env": _env,
    "nohup": _simple_wrapper(),
    "nice": _simple_wrapper("n", frozenset({"--adjustment"})),
    "time": _simple_wrapper("fo", frozenset({"--format", "--output"})),
    "command": _command_builtin,
    "builtin": _simple_wrapper(),
    "exec": _simple_wrapper("a"),
    "timeout": _timeout,
    "xargs": _xargs,
    "find": _find,
    "watch": _watch,
    "stdbuf": _simple_wrapper("ioe", frozenset({"--input", "--output", "--error"})),
    "ionice": _simple_wrapper("cnp", frozenset({"--class", "--classdata", "--pid"})),
    "taskset": _simple_wrapper("", frozenset(), positionals_before=1),
    "chroot": _simple_wrapper("", frozenset({"--userspec", "--groups"}), positionals_before=1),
    "setsid": _simple_wrapper(),
    "unbuffer": _simple_wrapper(),
    "caffeinate": _simple_wrapper("tw"),
    "eatmydata": _simple_wrapper(),
    "fakeroot": _simple_wrapper(),
    "torsocks": _simple_wrapper(),
    "proxychains": _simple_wrapper("f"),
    "proxychains4": _simple_wrapper("f"),
    "strace": _simple_wrapper("oeEpsSuUaIbPX"),
    "ltrace": _simple_wrapper("oeEpsSuUaIbPX"),
    "flock": _simple_wrapper("wEc", frozenset(), positionals_before=1),
    "busybox": _busybox,
    "ssh": _ssh,
    "docker": _container_exec,
    "podman": _container_exec,
    "kubectl": _container_exec,
    "oc": _container_exec,
    "eval": _eval,
    "source": _source,
    ".": _source,
}
