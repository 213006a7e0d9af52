"""Shell parsing on tree-sitter-bash: the one place that turns command text into structure.

Everything that reasons about a command (validation, risk, explanations) works on the
`ParsedCommand` built here, never on regular expressions over the raw text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter
import tree_sitter_bash

GLOB_CHARS = frozenset("*?[")
WRITING_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", ">&"})


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@dataclass(frozen=True)
class Word:
    """One shell word: its source text and what it means once quotes are removed."""

    text: str  # exactly as written
    unquoted: str  # quotes and backslashes removed; expansions kept as written ("$HOME/x")
    has_expansion: bool  # contains $var, ${...}, $(...), `...`, $((...))
    has_glob: bool  # an unquoted *, ? or [ that the shell would expand
    start: int
    end: int

    @property
    def is_static(self) -> bool:
        """The shell would pass exactly `unquoted` (no expansion, no globbing)."""
        return not self.has_expansion and not self.has_glob

    @property
    def value(self) -> str | None:
        return self.unquoted if self.is_static else None


@dataclass(frozen=True)
class Redirect:
    operator: str  # ">", ">>", "<", "&>", ">&", "<<", "<<<", ...
    fd: str | None  # "2" in 2>err.txt
    target: Word | None
    heredoc: str | None = None  # the body of a here-document (`<<EOF ... EOF`)

    @property
    def writes_file(self) -> bool:
        if self.operator not in WRITING_REDIRECTS or self.target is None:
            return False
        # 2>&1 duplicates a descriptor; it does not open a file.
        return not (self.operator == ">&" and self.target.unquoted.isdigit())

    @property
    def truncates(self) -> bool:
        return self.writes_file and self.operator in {">", ">|", "&>", ">&"}


@dataclass(frozen=True)
class SimpleCommand:
    """A program invocation: `name args... redirects...`, found anywhere in the tree."""

    name: Word | None  # None for a bare assignment or redirect
    args: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    assignments: tuple[str, ...]  # "FOO=bar" prefixes (names only are meaningful)
    start: int
    end: int
    pipeline_position: int = 0  # 0 unless part of a pipeline; 1-based stage otherwise
    pipeline_id: int | None = None
    in_substitution: bool = False  # inside $( ), `...` or <( )
    in_function: bool = False
    background: bool = False  # run with a trailing `&` (alone or as part of a pipeline/group)
    function: str | None = None  # name of the innermost enclosing function definition

    @property
    def program(self) -> str | None:
        """The command name with quotes removed and any directory stripped (`/bin/rm` -> `rm`)."""
        if self.name is None:
            return None
        base = self.name.unquoted.rsplit("/", 1)[-1]
        return base or self.name.unquoted

    @property
    def argv(self) -> list[str]:
        return [w.unquoted for w in self.args]


@dataclass(frozen=True)
class Construct:
    """A piece of shell syntax that is not a program: pipe, &&, redirect, $( ), glob, ..."""

    kind: str  # "pipe", "and", "or", "sequence", "background", "redirect", "substitution",
    # "process_substitution", "subshell", "variable", "glob", "test", "arithmetic", "assignment",
    # "function", "loop", "if", "case", "heredoc", "herestring", "negation"
    text: str
    start: int
    end: int


@dataclass
class ParsedCommand:
    source: str
    has_error: bool
    commands: list[SimpleCommand] = field(default_factory=list)
    constructs: list[Construct] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)  # names defined in the command itself
    root: tree_sitter.Node | None = None
    has_odd_chars: bool = False  # control / unassigned characters were replaced before parsing

    @property
    def programs(self) -> list[str]:
        return [c.program for c in self.commands if c.program]

    def pipelines(self) -> list[list[SimpleCommand]]:
        groups: dict[int, list[SimpleCommand]] = {}
        for cmd in self.commands:
            if cmd.pipeline_id is not None:
                groups.setdefault(cmd.pipeline_id, []).append(cmd)
        return [sorted(g, key=lambda c: c.pipeline_position) for g in groups.values()]


# tree-sitter-bash 0.25 can crash the whole process (a segfault in its scanner) on some
# strings with a `{` followed by an unassigned or private-use code point (e.g. "{\U000f49e3{0").
# Such characters, and control characters other than tab, newline and CR, are parsed as `_`
# (one per UTF-8 byte, so byte offsets stay valid); `has_odd_chars` says that happened.
_ODD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})
_KEPT_CONTROLS = frozenset("\t\n\r")


def _defuse(source: str) -> str:
    if source.isascii() and source.isprintable():
        return source
    out = []
    for ch in source:
        if ch not in _KEPT_CONTROLS and (
                ch < " " or (not ch.isascii() and unicodedata.category(ch) in _ODD_CATEGORIES)
                or ch == "\x7f"):
            out.append("_" * _encoded_length(ch))
        else:
            out.append(ch)
    return "".join(out)


def _encoded_length(ch: str) -> int:
    try:
        return len(ch.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return 1


def parse(source: str) -> ParsedCommand:
    """Parse a command line. Never raises: malformed input gives `has_error=True`.

    Control, unassigned and private-use characters are parsed as `_` (see `_defuse`).
    """
    defused = _defuse(source)
    data = defused.encode("utf-8", "surrogateescape")
    tree = _parser().parse(data)
    walker = _Walker(data)
    walker.visit(tree.root_node)
    parsed = ParsedCommand(
        source=source,
        has_error=tree.root_node.has_error,
        commands=sorted(walker.commands, key=lambda c: c.start),
        constructs=walker.constructs,
        functions=walker.functions,
        root=tree.root_node,
        has_odd_chars=defused != source,
    )
    return parsed


def parses_cleanly(source: str) -> bool:
    return not parse(source).has_error


# -- word handling ---------------------------------------------------------------------------

_EXPANSION_TYPES = frozenset({
    "simple_expansion", "expansion", "command_substitution", "arithmetic_expansion",
    "process_substitution",
})


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "surrogateescape")


def make_word(node: tree_sitter.Node) -> Word:
    unquoted, has_expansion, has_glob = _unquote(node)
    return Word(
        text=_text(node),
        unquoted=unquoted,
        has_expansion=has_expansion,
        has_glob=has_glob,
        start=node.start_byte,
        end=node.end_byte,
    )


def _unquote(node: tree_sitter.Node) -> tuple[str, bool, bool]:
    kind = node.type
    if kind == "raw_string":  # '...'
        return _text(node)[1:-1], False, False
    if kind == "ansi_c_string":  # $'...'
        return _decode_ansi_c(_text(node)[2:-1]), False, False
    if kind in _EXPANSION_TYPES:
        return _text(node), True, False
    if kind == "string":  # "..." : expansions inside still count
        parts: list[str] = []
        expanded = False
        for child in node.children:
            if child.type == '"':
                continue
            if child.type == "string_content":
                parts.append(_unescape_double(_text(child)))
            elif child.type in _EXPANSION_TYPES:
                parts.append(_text(child))
                expanded = True
            else:
                parts.append(_text(child))
        return "".join(parts), expanded, False
    if kind == "concatenation":
        pieces = [_unquote(c) for c in node.children]
        return (
            "".join(p[0] for p in pieces),
            any(p[1] for p in pieces),
            any(p[2] for p in pieces),
        )
    if kind in ("word", "number", "extglob_pattern", "regex"):
        raw = _text(node)
        return _unescape_bare(raw), False, _has_unescaped_glob(raw)
    if kind == "brace_expression":
        return _text(node), True, False
    return _text(node), node.child_count > 0 and kind not in ("word",), False


def _has_unescaped_glob(raw: str) -> bool:
    escaped = False
    for ch in raw:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in GLOB_CHARS:
            return True
    return False


def _unescape_bare(raw: str) -> str:
    out: list[str] = []
    chars = iter(raw)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if nxt != "\n":
                out.append(nxt)
        else:
            out.append(ch)
    return "".join(out)


def _unescape_double(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in '$`"\\\n':
            if raw[i + 1] != "\n":
                out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _decode_ansi_c(raw: str) -> str:
    try:
        return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return raw


# -- the tree walk ---------------------------------------------------------------------------

_CONSTRUCT_OF_OPERATOR = {"|": "pipe", "|&": "pipe", "&&": "and", "||": "or", ";": "sequence",
                          "&": "background", "\n": "sequence"}
_CONSTRUCT_OF_NODE = {
    "command_substitution": "substitution",
    "process_substitution": "process_substitution",
    "subshell": "subshell",
    "simple_expansion": "variable",
    "expansion": "variable",
    "test_command": "test",
    "arithmetic_expansion": "arithmetic",
    "variable_assignment": "assignment",
    "function_definition": "function",
    "for_statement": "loop",
    "c_style_for_statement": "loop",
    "while_statement": "loop",
    "if_statement": "if",
    "case_statement": "case",
    "heredoc_redirect": "heredoc",
    "herestring_redirect": "herestring",
    "negated_command": "negation",
}


class _Walker:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.commands: list[SimpleCommand] = []
        self.constructs: list[Construct] = []
        self.functions: list[str] = []
        self._pipeline_counter = 0
        self._function_stack: list[str] = []
        self._trailing_args: dict[int, list[Word]] = {}

    def visit(self, node: tree_sitter.Node, *, inherited: tuple[Redirect, ...] = (),
              pipeline: tuple[int, int] | None = None, in_sub: bool = False,
              in_func: bool = False, background: bool = False) -> None:
        kind = node.type
        if kind in _CONSTRUCT_OF_NODE:
            self._construct(_CONSTRUCT_OF_NODE[kind], node)
        if kind == "command":
            self._command(node, inherited, pipeline, in_sub, in_func, background)
            return
        if kind == "redirected_statement":
            self._redirected(node, inherited, pipeline, in_sub, in_func, background)
            return
        if kind == "pipeline":
            self._pipeline(node, inherited, in_sub, in_func, background)
            return
        if kind in ("declaration_command", "unset_command"):
            self._declaration(node, inherited, pipeline, in_sub, in_func, background)
            return
        function_name: str | None = None
        if kind == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                function_name = _text(name)
                self.functions.append(function_name)
            in_func = True
            background = False
        if kind in ("command_substitution", "process_substitution"):
            in_sub = True
            pipeline = None
            inherited = ()
            background = False
        if kind == "word" and _has_unescaped_glob(_text(node)):
            self._construct("glob", node)
        children = node.children
        for i, child in enumerate(children):
            if not child.is_named and child.type in _CONSTRUCT_OF_OPERATOR and kind in (
                "list", "program", "pipeline", "compound_statement", "subshell",
            ):
                self._construct(_CONSTRUCT_OF_OPERATOR[child.type], child)
            # `cmd &` : the `&` is the next sibling of the statement it sends to the background.
            backgrounded = background or (
                i + 1 < len(children) and children[i + 1].type == "&" and child.is_named
            )
            if function_name is not None:
                self._function_stack.append(function_name)
            try:
                self.visit(child, inherited=inherited, pipeline=pipeline, in_sub=in_sub,
                           in_func=in_func, background=backgrounded)
            finally:
                if function_name is not None:
                    self._function_stack.pop()

    def _construct(self, kind: str, node: tree_sitter.Node) -> None:
        self.constructs.append(Construct(kind, _text(node), node.start_byte, node.end_byte))

    def _pipeline(self, node: tree_sitter.Node, inherited: tuple[Redirect, ...], in_sub: bool,
                  in_func: bool, background: bool) -> None:
        self._pipeline_counter += 1
        pid = self._pipeline_counter
        stage = 0
        for child in node.children:
            if child.is_named:
                stage += 1
                self.visit(child, inherited=inherited if stage > 0 else (), pipeline=(pid, stage),
                           in_sub=in_sub, in_func=in_func, background=background)
            elif child.type in _CONSTRUCT_OF_OPERATOR:
                self._construct("pipe", child)

    def _redirected(self, node: tree_sitter.Node, inherited: tuple[Redirect, ...],
                    pipeline: tuple[int, int] | None, in_sub: bool, in_func: bool,
                    background: bool) -> None:
        redirects = list(inherited)
        bodies: list[tree_sitter.Node] = []
        trailing: list[Word] = []
        for child in node.children:
            if child.type.endswith("redirect"):
                redirects.extend(self._redirects(child))
                trailing.extend(self._trailing_words(child))
                self._construct("redirect", child)
                if child.type in _CONSTRUCT_OF_NODE:
                    self._construct(_CONSTRUCT_OF_NODE[child.type], child)
                self._visit_nested(child, in_func)  # $( ) in a target or here-doc still runs
            else:
                bodies.append(child)
        if not bodies:
            # `> file` alone truncates the file: keep it as a command with no name.
            self.commands.append(SimpleCommand(
                name=None, args=(), redirects=tuple(redirects), assignments=(),
                start=node.start_byte, end=node.end_byte,
                pipeline_position=pipeline[1] if pipeline else 0,
                pipeline_id=pipeline[0] if pipeline else None, in_substitution=in_sub,
                in_function=in_func, background=background,
                function=self._function_stack[-1] if self._function_stack and in_func else None,
            ))
        if trailing and bodies:
            # `rm 2>/dev/null -rf /`: words after a redirect's target are the command's
            # arguments, but tree-sitter files them under the redirect.
            last = _last_command_node(bodies[-1])
            if last is not None:
                self._trailing_args.setdefault(last.id, []).extend(trailing)
        for body in bodies:
            if body.type == "list":
                # tree-sitter puts `a && b > f` under one redirect; bash binds it to `b` only.
                named = [c for c in body.children if c.is_named]
                for child in body.children:
                    if not child.is_named and child.type in _CONSTRUCT_OF_OPERATOR:
                        self._construct(_CONSTRUCT_OF_OPERATOR[child.type], child)
                for i, child in enumerate(named):
                    own = tuple(redirects) if i == len(named) - 1 else inherited
                    self.visit(child, inherited=own, pipeline=pipeline, in_sub=in_sub,
                               in_func=in_func, background=background)
            else:
                self.visit(body, inherited=tuple(redirects), pipeline=pipeline, in_sub=in_sub,
                           in_func=in_func, background=background)

    def _redirects(self, node: tree_sitter.Node) -> list[Redirect]:
        """A heredoc may carry its own file redirect: `cat <<EOF > out`."""
        found = [self._redirect(node)]
        if node.type == "heredoc_redirect":
            found += [self._redirect(c) for c in node.children if c.type == "file_redirect"]
        return found

    def _trailing_words(self, node: tree_sitter.Node) -> list[Word]:
        """Named children of a file redirect after its target: really the command's arguments."""
        if node.type != "file_redirect":
            return []
        words = [c for c in node.children if c.is_named and c.type != "file_descriptor"]
        return [make_word(c) for c in words[1:]]

    def _redirect(self, node: tree_sitter.Node) -> Redirect:
        fd: str | None = None
        operator = ""
        target: Word | None = None
        for child in node.children:
            if child.type == "file_descriptor":
                fd = _text(child)
            elif not child.is_named and not operator:
                operator = _text(child)
            elif child.is_named and target is None and child.type not in (
                "heredoc_body", "heredoc_start", "heredoc_end", "heredoc_content",
            ):
                target = make_word(child)
        heredoc: str | None = None
        if node.type == "heredoc_redirect":
            operator = operator or "<<"
            target = None
            heredoc = "".join(_text(c) for c in node.children if c.type == "heredoc_body")
        return Redirect(operator=operator, fd=fd, target=target, heredoc=heredoc)

    def _command(self, node: tree_sitter.Node, inherited: tuple[Redirect, ...],
                 pipeline: tuple[int, int] | None, in_sub: bool, in_func: bool,
                 background: bool = False) -> None:
        name: Word | None = None
        args: list[Word] = []
        redirects = list(inherited)
        assignments: list[str] = []
        for child in node.children:
            if child.type == "command_name":
                inner = child.children[0] if child.children else child
                name = make_word(inner)
                self._visit_nested(inner, in_func)
            elif child.type == "variable_assignment":
                assignments.append(_text(child))
                self._construct("assignment", child)
                self._visit_nested(child, in_func)
            elif child.type.endswith("redirect"):
                redirects.extend(self._redirects(child))
                args.extend(self._trailing_words(child))
                self._construct("redirect", child)
                if child.type in _CONSTRUCT_OF_NODE:
                    self._construct(_CONSTRUCT_OF_NODE[child.type], child)
                self._visit_nested(child, in_func)
            elif child.is_named and child.type not in ("comment",):
                args.append(make_word(child))
                if child.type == "word" and _has_unescaped_glob(_text(child)):
                    self._construct("glob", child)
                self._visit_nested(child, in_func)
        args.extend(self._trailing_args.pop(node.id, []))
        self.commands.append(SimpleCommand(
            name=name,
            args=tuple(args),
            redirects=tuple(redirects),
            assignments=tuple(assignments),
            start=node.start_byte,
            end=node.end_byte,
            pipeline_position=pipeline[1] if pipeline else 0,
            pipeline_id=pipeline[0] if pipeline else None,
            in_substitution=in_sub,
            in_function=in_func,
            background=background,
            function=self._function_stack[-1] if self._function_stack and in_func else None,
        ))

    def _declaration(self, node: tree_sitter.Node, inherited: tuple[Redirect, ...],
                     pipeline: tuple[int, int] | None, in_sub: bool, in_func: bool,
                     background: bool) -> None:
        """`export A=1`, `local x`, `declare -x`, `readonly`, `unset X`: builtins that
        tree-sitter parses as their own node; kept as commands named after the keyword."""
        name: Word | None = None
        args: list[Word] = []
        for child in node.children:
            if name is None and not child.is_named:
                name = make_word(child)
                continue
            if not child.is_named or child.type == "comment":
                continue
            if child.type == "variable_assignment":
                args.append(_assignment_word(child))
                self._construct("assignment", child)
            else:
                args.append(make_word(child))
            self._visit_nested(child, in_func)
        self.commands.append(SimpleCommand(
            name=name, args=tuple(args), redirects=inherited, assignments=(),
            start=node.start_byte, end=node.end_byte,
            pipeline_position=pipeline[1] if pipeline else 0,
            pipeline_id=pipeline[0] if pipeline else None, in_substitution=in_sub,
            in_function=in_func, background=background,
            function=self._function_stack[-1] if self._function_stack and in_func else None,
        ))

    def _visit_nested(self, node: tree_sitter.Node, in_func: bool) -> None:
        """Commands hidden inside a word: $(...), `...`, <(...), and the expansions themselves."""
        for child in (node, *_descendants(node)):
            if child.type in ("command_substitution", "process_substitution"):
                self.visit(child, in_sub=True, in_func=in_func)
            elif child.type in ("simple_expansion", "expansion", "arithmetic_expansion"):
                self._construct(_CONSTRUCT_OF_NODE[child.type], child)


def _assignment_word(node: tree_sitter.Node) -> Word:
    """`NAME=value` as one word whose unquoted form unquotes the value."""
    name = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    unquoted, expanded, globbed = _unquote(value) if value is not None else ("", False, False)
    prefix = _text(name) if name is not None else ""
    operator = "+=" if "+=" in _text(node)[: len(prefix) + 2] else "="
    return Word(text=_text(node), unquoted=prefix + operator + unquoted, has_expansion=expanded,
                has_glob=globbed, start=node.start_byte, end=node.end_byte)


def _last_command_node(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The simple command that ends `node` (the one a trailing redirect belongs to)."""
    while node.type != "command":
        named = [c for c in node.children if c.is_named]
        if not named or node.type not in ("list", "pipeline", "negated_command"):
            return None
        node = named[-1]
    return node


def _descendants(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Yield nested nodes, stopping at substitutions (visited separately) and their insides."""
    for child in node.children:
        yield child
        if child.type not in ("command_substitution", "process_substitution"):
            yield from _descendants(child)


MAX_BRACE_ALTERNATIVES = 64


def brace_alternatives(word: Word) -> list[Word]:
    """The words a brace expansion `{a,b}` produces (`/{usr,etc}` -> `/usr`, `/etc`).

    Only comma lists outside quotes are expanded (sequences like `{1..9}` are left as they
    are); at most MAX_BRACE_ALTERNATIVES words. A word without braces gives `[word]`.
    """
    texts = _expand_braces(word.text)
    if len(texts) <= 1:
        return [word]
    found: list[Word] = []
    for text in texts[:MAX_BRACE_ALTERNATIVES]:
        parsed = parse("x " + text)
        if parsed.has_error or len(parsed.commands) != 1 or len(parsed.commands[0].args) != 1:
            return [word]
        alt = parsed.commands[0].args[0]
        found.append(Word(text=alt.text, unquoted=alt.unquoted, has_expansion=alt.has_expansion,
                          has_glob=alt.has_glob, start=word.start, end=word.end))
    return found


def _expand_braces(text: str, depth: int = 0) -> list[str]:
    """Shell-style comma brace expansion over raw word text, respecting quotes."""
    if depth > 8 or "{" not in text:
        return [text]
    span = _first_brace(text)
    if span is None:
        return [text]
    start, end, commas = span
    prefix, body, suffix = text[:start], text[start + 1:end], text[end + 1:]
    pieces = []
    last = 0
    for comma in commas:
        pieces.append(body[last:comma - start - 1])
        last = comma - start
    pieces.append(body[last:])
    out: list[str] = []
    for piece in pieces:
        for tail in _expand_braces(suffix, depth + 1):
            out.append(prefix + piece + tail)
            if len(out) > MAX_BRACE_ALTERNATIVES:
                return out
    return [alt for text in out for alt in _expand_braces(text, depth + 1)][
        : MAX_BRACE_ALTERNATIVES + 1]


def _first_brace(text: str) -> tuple[int, int, list[int]] | None:
    """(index of `{`, index of its `}`, indexes of its top-level commas) for the first
    unquoted brace group with at least one comma."""
    quote: str | None = None
    escaped = False
    stack: list[tuple[int, list[int]]] = []
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
            continue
        if ch == "\\" and quote != "'":
            escaped = True
            continue
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "{" and not (i > 0 and text[i - 1] == "$"):
            stack.append((i, []))
        elif ch == "," and stack:
            stack[-1][1].append(i)
        elif ch == "}" and stack:
            start, commas = stack.pop()
            if commas and not stack:
                return start, i, commas
    return None


def split_words(source: str) -> list[str] | None:
    """Split a single simple command into unquoted words, or None if it is not one."""
    parsed = parse(source)
    if parsed.has_error or len(parsed.commands) != 1:
        return None
    cmd = parsed.commands[0]
    if cmd.name is None:
        return None
    return [cmd.name.unquoted, *cmd.argv]
