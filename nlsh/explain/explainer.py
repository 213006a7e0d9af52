"""Grounded explanations: every word of a command mapped to what this machine's docs say.

Programs, subcommands and options are matched against `docs.program_doc`; shell syntax against
the sections of bash(1). Where nothing matches, the part's help is None: never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from nlsh.explain import docs
from nlsh.explain.docs import OptionDoc, ProgramDoc
from nlsh.records import ExplainedPart
from nlsh.shellparse import Construct, ParsedCommand, Word, parse

# Programs that run another command given as their operands, and how many operands come
# before that command (`timeout 5 cmd`: one). "env" also skips NAME=VALUE operands.
PRECOMMANDS: dict[str, int] = {
    "sudo": 0, "doas": 0, "xargs": 0, "nice": 0, "nohup": 0, "time": 0, "env": 0,
    "timeout": 1, "watch": 0, "exec": 0, "command": 0, "builtin": 0, "stdbuf": 0,
    "ionice": 0, "chroot": 1, "strace": 0, "ltrace": 0, "setsid": 0, "taskset": 1,
    "flock": 1, "unbuffer": 0, "chrt": 1, "runuser": 0, "busybox": 0,
}
# Old-style first operands: `tar xzvf f.tgz` means `tar -x -z -v -f f.tgz`; `ps aux` uses
# ps's dashless BSD option letters, documented under their bare names.
OLD_STYLE_DASH = frozenset({"tar"})
OLD_STYLE_BARE = frozenset({"ps"})
MAX_NESTING = 4

_REDIRECT_SECTIONS = {
    "<": "Redirecting Input",
    ">": "Redirecting Output",
    ">|": "Redirecting Output",
    ">>": "Appending Redirected Output",
    "&>": "Redirecting Standard Output and Standard Error",
    "&>>": "Appending Standard Output and Standard Error",
    "<<": "Here Documents",
    "<<-": "Here Documents",
    "<<<": "Here Strings",
    "<>": "Opening File Descriptors for Reading and Writing",
}


@dataclass(frozen=True)
class _Grounding:
    """Where in bash(1) a construct is documented: a section, optionally narrowed to the text
    running from `start` to the end of the sentence containing `end`, or to an entry of
    Compound Commands whose tag begins with `entry`."""

    section: str
    start: str | None = None
    end: str | None = None
    entry: str | None = None


_CONSTRUCT_GROUNDING: dict[str, _Grounding] = {
    "pipe": _Grounding("Pipelines", "A pipeline is", "connected via a pipe"),
    "negation": _Grounding("Pipelines", "If the reserved word !", "If the reserved word !"),
    "and": _Grounding("Lists", "An AND list has the form", "exit status of zero"),
    "or": _Grounding("Lists", "An OR list has the form", "non-zero exit status"),
    "sequence": _Grounding("Lists", "Commands separated by a ;", "Commands separated by a ;"),
    "background": _Grounding("Lists", "If a command is terminated by the control operator &",
                             "asynchronous commands"),
    "substitution": _Grounding("Command Substitution", None, "with the standard output of"),
    "process_substitution": _Grounding("Process Substitution"),
    "subshell": _Grounding("Compound Commands", entry="(list)"),
    "variable": _Grounding("Parameter Expansion"),
    "glob": _Grounding("Pathname Expansion"),
    "test": _Grounding("Compound Commands", entry="[[ expression ]]"),
    "arithmetic": _Grounding("Arithmetic Expansion"),
    "assignment": _Grounding("PARAMETERS", "A variable may be assigned to by a statement",
                             "name=[value]"),
    "function": _Grounding("Shell Function Definitions"),
    "if": _Grounding("Compound Commands", entry="if list"),
    "case": _Grounding("Compound Commands", entry="case word"),
    "heredoc": _Grounding("Here Documents"),
    "herestring": _Grounding("Here Strings"),
    "redirect": _Grounding("REDIRECTION"),
}
_LOOP_GROUNDING = {
    "for": _Grounding("Compound Commands", entry="for name"),
    "for((": _Grounding("Compound Commands", entry="for (("),
    "while": _Grounding("Compound Commands", entry="while list"),
    "until": _Grounding("Compound Commands", entry="until list"),
    "select": _Grounding("Compound Commands", entry="select name"),
}


# -- public API ------------------------------------------------------------------------------

def syntax_problem(command: str) -> str | None:
    """Why `command` does not parse as shell syntax (one line), or None when it does.

    An explanation of such a line is a guess at what was meant, so it must say so."""
    parsed = parse(command)
    if not parsed.has_error:
        return None
    unclosed = _unclosed_quote(command)
    if unclosed is not None:
        quote, column = unclosed
        return f"the line does not parse: the {quote} quote at column {column} is never closed"
    node = _first_error(parsed.root) if parsed.root is not None else None
    if node is None:
        return "the line does not parse as shell syntax"
    source = command.encode("utf-8", "surrogateescape")
    column = len(source[:node.start_byte].decode("utf-8", "replace")) + 1
    if node.is_missing:
        missing = "word" if node.type == "word" else repr(node.type)
        return f"the line does not parse: it ends early (a {missing} is missing at column " \
               f"{column})"
    text = source[node.start_byte:node.end_byte].decode("utf-8", "replace").strip()
    return f"the line does not parse: unexpected {text[:30]!r} at column {column}"


def _unclosed_quote(command: str) -> tuple[str, int] | None:
    """("single"|"double"|"back", column) of a quote left open at the end of the line."""
    names = {"'": "single", '"': "double", "`": "back"}
    open_quote, opened_at, escaped = "", 0, False
    for index, ch in enumerate(command):
        if escaped:
            escaped = False
        elif ch == "\\" and open_quote != "'":
            escaped = True
        elif open_quote:
            if ch == open_quote:
                open_quote = ""
        elif ch in names:
            open_quote, opened_at = ch, index + 1
    return (names[open_quote], opened_at) if open_quote else None


def _first_error(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        found = _first_error(child)
        if found is not None:
            return found
    return None


def explain(command: str) -> list[ExplainedPart]:
    """The grounded parts of a command, in order of position (no model involved)."""
    return explain_parts(command)


def explain_parts(command: str, *, constructs: bool = True) -> list[ExplainedPart]:
    """`explain`, optionally without shell constructs (one_line does not show them)."""
    parsed = parse(command)
    source = command.encode("utf-8", "surrogateescape")
    parts: list[ExplainedPart] = []
    for cmd in parsed.commands:
        if cmd.name is not None:
            parts.extend(_CommandWalker(source, [cmd.name, *cmd.args]).walk())
    parts.extend(_declarations(parsed))
    if constructs:
        parts.extend(_constructs(parsed))
    parts.sort(key=lambda p: (p.start, -p.end))
    return parts


# -- programs, subcommands, options ----------------------------------------------------------

def _part(text: str, help_: str | None, source: str | None, kind: str, start: int,
          end: int) -> ExplainedPart:
    return ExplainedPart(text=text, help=help_, source=source, kind=kind, start=start, end=end)


def _option_source(doc: ProgramDoc, option: OptionDoc) -> str:
    if option.page is not None:
        return f"{option.page}: {option.section}" if option.section else option.page
    if doc.kind == "help" or doc.source.count(":"):
        return doc.source
    return f"{doc.source}: {option.section}" if option.section else doc.source


class _CommandWalker:
    """Walks one command's words left to right, the way getopt-style parsers read them."""

    def __init__(self, source: bytes, words: list[Word], depth: int = 0) -> None:
        self.source = source
        self.words = words
        self.depth = depth
        self.parts: list[ExplainedPart] = []
        self.positionals: list[Word] = []
        self.option_arguments: set[str] = set()  # documented names of arguments given
        self.keyword_chain: list[str] = []  # `git remote add`: ["add"] after git-remote(1)

    def slice(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8", "surrogateescape")

    def walk(self) -> list[ExplainedPart]:
        name = self.words[0]
        program = name.unquoted.rsplit("/", 1)[-1] if name.is_static else None
        if "/" in name.unquoted and not name.unquoted.startswith("/"):
            program = None  # `./ls` is a local file, not the ls(1) on PATH
        doc = docs.program_doc(program) if program else None
        self.parts.append(_part(name.text, doc.name_line if doc else None,
                                doc.source if doc else None, "program", name.start, name.end))
        self._arguments(program, doc, 1)
        return self.parts

    def _arguments(self, program: str | None, doc: ProgramDoc | None, i: int) -> None:
        words = self.words
        after_dashdash = False
        sub_level = 0
        while i < len(words):
            word = words[i]
            value = word.unquoted
            if not after_dashdash and self._is_option(word):
                if value == "--":
                    found = doc.option("--") if doc else None
                    self.parts.append(self._option_part(doc, found, word.text, word.start,
                                                        word.end))
                    after_dashdash = True
                    i += 1
                else:
                    i = self._option(doc, i)
                continue
            if program and not self.positionals and sub_level == 0 and self.depth < MAX_NESTING:
                nested = self._precommand(program, i)
                if nested:
                    break
                if i == 1 and self._old_style(program, doc, i):
                    i = self._old_style_keys(program, doc, i)
                    continue
            if program and doc and not after_dashdash and not self.positionals and sub_level < 2:
                sub = self._subcommand(program, doc, word, sub_level)
                if sub is not None:
                    doc = sub
                    sub_level += 1
                    i += 1
                    continue
            self.positionals.append(word)
            i += 1
        self._operands(doc)

    def _is_option(self, word: Word) -> bool:
        value = word.unquoted
        if not value.startswith("-") or value == "-":
            return False
        # `-$FLAG` still reads as an option; "$x" alone does not.
        return not word.text.startswith(("$", '"$', "`"))

    # -- subcommands and nested commands --

    def _subcommand(self, program: str, doc: ProgramDoc, word: Word,
                    level: int) -> ProgramDoc | None:
        value = word.value
        if value is None or not re.fullmatch(r"[a-z][\w.-]*", value):
            return None
        if level == 0 and _takes_subcommand(doc):
            sub = docs.program_doc(program, value)
            if sub is not None:
                self.parts.append(_part(word.text, sub.name_line, sub.source, "subcommand",
                                        word.start, word.end))
                return sub
        if level == 1 and value in doc.command_keywords:
            entry = doc.keywords[value]
            self.keyword_chain.append(value)
            self.parts.append(_part(word.text, entry.help, _option_source(doc, entry),
                                    "subcommand", word.start, word.end))
            return doc
        return None

    def _precommand(self, program: str, i: int) -> bool:
        """`xargs rm`, `sudo apt install x`, `timeout 5 cmd`: explain the inner command."""
        if program not in PRECOMMANDS:
            return False
        skip = PRECOMMANDS[program]
        j = i
        while j < len(self.words) and skip > 0:
            self.positionals.append(self.words[j])
            j += 1
            skip -= 1
        if program == "env":
            while j < len(self.words) and "=" in self.words[j].unquoted:
                self.positionals.append(self.words[j])
                j += 1
        if j >= len(self.words) or not self.words[j].is_static:
            return False
        inner = _CommandWalker(self.source, self.words[j:], self.depth + 1)
        self.parts.extend(inner.walk())
        self._operands(docs.program_doc(program))
        return True

    def _old_style(self, program: str, doc: ProgramDoc | None, i: int) -> bool:
        value = self.words[i].value
        if doc is None or value is None or not value.isalpha():
            return False
        if program in OLD_STYLE_DASH:
            return all(f"-{c}" in doc.options for c in value)
        if program in OLD_STYLE_BARE:
            return all(c in doc.keywords for c in value)
        return False

    def _old_style_keys(self, program: str, doc: ProgramDoc | None, i: int) -> int:
        """`tar xzvf a.tgz`: each key letter; letters taking arguments use the next words."""
        assert doc is not None
        word = self.words[i]
        nxt = i + 1
        for k, letter in enumerate(word.unquoted):
            start = word.start + k if word.text == word.unquoted else word.start
            end = start + 1 if word.text == word.unquoted else word.end
            if program in OLD_STYLE_DASH:
                option = doc.options[f"-{letter}"]
                label = f"-{letter}"
            else:
                option = doc.keywords[letter]
                label = letter
            if option.takes_argument and nxt < len(self.words):
                arg = self.words[nxt]
                nxt += 1
                self.option_arguments.add(_norm(option.argument))
                self.parts.append(_part(f"{label} {arg.text}", option.help,
                                        _option_source(doc, option), "option", start, end))
                self.parts.append(_part(arg.text, f"{option.argument} (argument of {label})",
                                        _option_source(doc, option), "argument", arg.start,
                                        arg.end))
            else:
                self.parts.append(_part(label, option.help, _option_source(doc, option),
                                        "option", start, end))
        return nxt

    # -- options --

    def _option_part(self, doc: ProgramDoc | None, option: OptionDoc | None, text: str,
                     start: int, end: int) -> ExplainedPart:
        if doc is None or option is None:
            return _part(text, None, None, "option", start, end)
        return _part(text, option.help, _option_source(doc, option), "option", start, end)

    def _option(self, doc: ProgramDoc | None, i: int) -> int:
        word = self.words[i]
        value = word.unquoted
        if doc is None:
            self.parts.append(_part(word.text, None, None, "option", word.start, word.end))
            return i + 1
        if value.startswith("--"):
            name, eq, _ = value.partition("=")
            option = doc.option(name)
            if option is None or eq or not option.takes_argument:
                if option is not None and eq:
                    self.option_arguments.add(_norm(option.argument))
                self.parts.append(self._option_part(doc, option, word.text, word.start,
                                                    word.end))
                return i + 1
            return self._with_arguments(doc, option, i)
        option = doc.option(value)
        if option is not None:
            if option.takes_argument and not option.attached_only:
                return self._with_arguments(doc, option, i)
            self.parts.append(self._option_part(doc, option, word.text, word.start, word.end))
            return i + 1
        name, eq, _ = value.partition("=")
        option = doc.option(name) if eq else None
        if option is None:
            option = doc.placeholder_option(value)
        if option is not None:
            self.parts.append(self._option_part(doc, option, word.text, word.start, word.end))
            return i + 1
        return self._bundle(doc, i)

    def _with_arguments(self, doc: ProgramDoc, option: OptionDoc, i: int) -> int:
        """`-C /tmp`, `-name '*.txt'`, `-exec rm {} ;`: the option with the words it takes."""
        word = self.words[i]
        if option.terminator is not None:
            return self._terminated(doc, option, i)
        count = max(option.arg_count, 1)
        args = self.words[i + 1: i + 1 + count]  # fewer at the end of a (broken) command
        if not args:
            self.parts.append(self._option_part(doc, option, word.text, word.start, word.end))
            return i + 1
        self.option_arguments.add(_norm(option.argument))
        end = args[-1].end
        self.parts.append(self._option_part(doc, option, self.slice(word.start, end),
                                            word.start, end))
        return i + 1 + len(args)

    def _terminated(self, doc: ProgramDoc, option: OptionDoc, i: int) -> int:
        word = self.words[i]
        j = i + 1
        while j < len(self.words):
            value = self.words[j].unquoted
            if value == ";" or (value == "+" and self.words[j - 1].unquoted == "{}"):
                break
            j += 1
        self.parts.append(self._option_part(doc, option, word.text, word.start, word.end))
        inner = self.words[i + 1: j]
        if inner and inner[0].is_static and self.depth < MAX_NESTING:
            self.parts.extend(_CommandWalker(self.source, inner, self.depth + 1).walk())
        if j < len(self.words):
            end_word = self.words[j]
            self.parts.append(_part(end_word.text, option.tag, _option_source(doc, option),
                                    "argument", end_word.start, end_word.end))
        return j + 1

    def _bundle(self, doc: ProgramDoc, i: int) -> int:
        """`-xzvf a.tgz` -> -x -z -v -f a.tgz; `-n5` -> -n with 5; `-Q` -> undocumented."""
        word = self.words[i]
        value = word.unquoted
        letters = value[1:]
        exact = word.text == value  # offsets of letters are only known for unquoted words
        plan: list[tuple[int, OptionDoc | None]] = []
        takes_rest = False
        for k, letter in enumerate(letters):
            option = doc.option("-" + letter)
            plan.append((k, option))
            if option is not None and (option.takes_argument or option.argument is not None):
                # getopt: an option with an argument takes the rest of the word (`-n5`),
                # an optional one only that way (`make -j4`).
                takes_rest = True
                break
        all_known = all(o is not None for _, o in plan)
        # find-style programs (`-name`, `-type`): an unknown `-foo` is one unknown option,
        # not -f -o -o. GNU-style programs: report the unknown letters one by one.
        single_dash_long = any(len(f) > 2 and f[0] == "-" and f[1] != "-"
                               and not doc.is_placeholder(f) for f in doc.options)
        if len(letters) == 1 or not (all_known or not single_dash_long):
            self.parts.append(self._option_part(doc, None, word.text, word.start, word.end))
            return i + 1
        nxt = i + 1
        for k, option in plan:
            start = word.start + 1 + k if exact else word.start
            end = start + 1 if exact else word.end
            label = "-" + letters[k]
            rest = letters[k + 1:]
            if option is not None and takes_rest and k == plan[-1][0]:
                if rest:
                    self.option_arguments.add(_norm(option.argument))
                    self.parts.append(self._option_part(doc, option, f"{label} {rest}", start,
                                                        word.end))
                    continue
                if option.takes_argument and nxt < len(self.words):
                    arg = self.words[nxt]
                    nxt += 1
                    self.option_arguments.add(_norm(option.argument))
                    self.parts.append(self._option_part(doc, option, f"{label} {arg.text}",
                                                        start, end))
                    self.parts.append(_part(arg.text, f"{option.argument} (argument of {label})",
                                            _option_source(doc, option), "argument",
                                            arg.start, arg.end))
                    continue
            self.parts.append(self._option_part(doc, option, label, start, end))
        return nxt

    # -- operands --

    def _operands(self, doc: ProgramDoc | None) -> None:
        """Positional words, named from the SYNOPSIS when one usage form fits them."""
        names = _synopsis_names(doc, len(self.positionals), self.option_arguments,
                                self.keyword_chain)
        for k, word in enumerate(self.positionals):
            if names is None or doc is None:
                self.parts.append(_part(word.text, None, None, "argument", word.start, word.end))
                continue
            name, line = names[k]
            self.parts.append(_part(word.text, f"{name}, in: {line}",
                                    _synopsis_source(doc), "argument", word.start, word.end))
        self.positionals = []


def _takes_subcommand(doc: ProgramDoc) -> bool:
    if doc.command_keywords:
        return True
    return any(re.search(r"<command>|\bCOMMAND\b", line) for line in doc.synopsis)


def _norm(name: str | None) -> str:
    return (name or "").strip("<>[]=.").upper()


def _synopsis_source(doc: ProgramDoc) -> str:
    if doc.kind == "help" or ":" in doc.source:
        return doc.source
    return doc.source.split(":", 1)[0] + ": SYNOPSIS"


def _synopsis_names(doc: ProgramDoc | None, count: int, given: set[str],
                    chain: list[str]) -> list[tuple[str, str]] | None:
    if doc is None or count == 0:
        return None
    for line in doc.synopsis:
        operands = _operand_tokens(line, doc, chain)
        if operands is None:
            continue
        operands = [o for o in operands if _norm(o[0]) not in given]
        assigned = _fit(operands, count)
        if assigned is not None:
            return [(name, line) for name in assigned]
    return None


def _operand_tokens(line: str, doc: ProgramDoc,
                    chain: list[str]) -> list[tuple[str, bool, bool]] | None:
    """`cp [OPTION]... SOURCE... DIRECTORY` -> [(SOURCE, required, repeat), (DIRECTORY, ...)];
    None when the form uses alternatives or belongs to another program."""
    tokens = _top_level_tokens(line.replace("[--]", " "))
    if not tokens or tokens[0].rsplit("/", 1)[-1] not in (
            doc.program, f"{doc.program}-{doc.subcommand}"):
        return None
    tokens = tokens[1:]
    if doc.subcommand and tokens and tokens[0] == doc.subcommand:
        tokens = tokens[1:]
    if tokens[: len(chain)] != chain:
        return None  # a usage form of another subcommand (`git remote remove <name>`)
    tokens = tokens[len(chain):]
    out: list[tuple[str, bool, bool]] = []
    skip_next = False
    for tok in tokens:
        if skip_next:
            skip_next = False
            continue
        core = tok.strip("[]").rstrip(".").strip("[]").strip()
        if (tok.startswith(("-", "[-", "{")) or core.startswith("-")
                or "option" in core.lower() or core in ("", "--")):
            option = doc.option(tok) if tok.startswith("-") else None
            skip_next = option is not None and option.takes_argument
            continue
        if "|" in tok or "{" in tok:
            return None
        optional = tok.startswith("[")
        repeat = tok.endswith("...") or tok.endswith("...]") or "..." in tok
        out.append((_operand_name(tok), not optional, repeat))
    return out


def _operand_name(token: str) -> str:
    """`[FILE]...` -> FILE...; `<pid>` -> pid; `[OWNER][:[GROUP]]` stays as written."""
    name = token
    if name.startswith("[") and _closing(name, 0) == len(name.rstrip(".")) - 1:
        name = name[1:len(name.rstrip(".")) - 1] + name[len(name.rstrip(".")):]
    if name.startswith("<") and _closing(name, 0) == len(name.rstrip(".")) - 1:
        name = name[1:len(name.rstrip(".")) - 1] + name[len(name.rstrip(".")):]
    return " ".join(name.split())


def _closing(text: str, start: int) -> int:
    depth = 0
    for k in range(start, len(text)):
        if text[k] in "[<":
            depth += 1
        elif text[k] in "]>":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _top_level_tokens(line: str) -> list[str]:
    tokens: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in line:
        if ch in "[{<":
            depth += 1
        elif ch in "]}>":
            depth = max(0, depth - 1)
        if ch == " " and depth == 0:
            if current:
                tokens.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def _fit(operands: list[tuple[str, bool, bool]], count: int) -> list[str] | None:
    required = sum(1 for _, req, _ in operands if req)
    repeats = any(rep for _, _, rep in operands)
    if count < required or (not repeats and count > len(operands)):
        return None
    slack = count - required
    names: list[str] = []
    for name, req, rep in operands:
        take = 1 if req else 0
        if rep:
            take += slack
            slack = 0
        elif not req and slack > 0:
            take = 1
            slack -= 1
        names.extend([name] * take)
    return names if len(names) == count else None


# -- bash builtins that tree-sitter parses as declarations ------------------------------------

def _declarations(parsed: ParsedCommand) -> list[ExplainedPart]:
    """`export A=1`, `local x`, `declare -r y`, `unset z`: not commands to tree-sitter."""
    if parsed.root is None:
        return []
    parts: list[ExplainedPart] = []
    for node in _walk(parsed.root):
        if node.type not in ("declaration_command", "unset_command") or not node.children:
            continue
        keyword = node.children[0]
        name = _node_text(keyword)
        doc = docs.program_doc(name)
        parts.append(_part(name, doc.name_line if doc else None, doc.source if doc else None,
                           "program", keyword.start_byte, keyword.end_byte))
        for child in node.children[1:]:
            text = _node_text(child)
            if child.type == "word" and text.startswith("-"):
                option = doc.option(text) if doc else None
                if option is None and doc is not None and len(text) > 2:
                    for letter in text[1:]:
                        sub = doc.option("-" + letter)
                        start = child.start_byte + 1 + text[1:].index(letter)
                        parts.append(_part("-" + letter, sub.help if sub else None,
                                           _option_source(doc, sub) if sub else None,
                                           "option", start, start + 1))
                    continue
                parts.append(_part(text, option.help if option else None,
                                   _option_source(doc, option) if (doc and option) else None,
                                   "option", child.start_byte, child.end_byte))
            elif child.type in ("word", "variable_name"):
                parts.append(_part(text, None, None, "argument", child.start_byte,
                                   child.end_byte))
    return parts


def _walk(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out


def _node_text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "surrogateescape")


# -- shell constructs --------------------------------------------------------------------------

def _constructs(parsed: ParsedCommand) -> list[ExplainedPart]:
    operators = _redirect_operators(parsed)
    spans_with_own_kind = {(c.start, c.end) for c in parsed.constructs
                           if c.kind in ("heredoc", "herestring")}
    seen: set[tuple[str, int, int]] = set()
    parts: list[ExplainedPart] = []
    for construct in parsed.constructs:
        key = (construct.kind, construct.start, construct.end)
        if key in seen:
            continue
        seen.add(key)
        if construct.kind == "redirect" and (construct.start, construct.end) in spans_with_own_kind:
            continue
        grounding = _grounding_for(construct, operators)
        help_text, source = ground(grounding) if grounding else (None, None)
        parts.append(_part(construct.text, help_text, source, _construct_kind(construct),
                           construct.start, construct.end))
    # `cat <<EOF > out`: the file redirect sits inside the heredoc node.
    listed = {(c.start, c.end) for c in parsed.constructs}
    for (start, end), (_, _) in operators.items():
        if (start, end) not in listed and any(s <= start and end <= e
                                              for s, e in spans_with_own_kind):
            text = _source_text(parsed, start, end)
            inner = Construct("redirect", text, start, end)
            grounding = _grounding_for(inner, operators)
            help_text, source = ground(grounding) if grounding else (None, None)
            parts.append(_part(text, help_text, source, "redirect", start, end))
    return parts


def _source_text(parsed: ParsedCommand, start: int, end: int) -> str:
    data = parsed.source.encode("utf-8", "surrogateescape")
    return data[start:end].decode("utf-8", "surrogateescape")


def _construct_kind(construct: Construct) -> str:
    if construct.kind in ("pipe", "and", "or", "sequence", "background", "negation"):
        return "operator"
    if construct.kind in ("redirect", "heredoc", "herestring"):
        return "redirect"
    return construct.kind


def _grounding_for(construct: Construct,
                   operators: dict[tuple[int, int], tuple[str, str]]) -> _Grounding | None:
    if construct.kind == "redirect":
        operator, target = operators.get((construct.start, construct.end), ("", ""))
        if operator == "<&":
            return _Grounding("Duplicating File Descriptors")
        if operator == ">&" and (target.isdigit() or target == "-"):
            return _Grounding("Duplicating File Descriptors", "The operator",
                              "duplicate output file descriptors")
        if operator == ">&":
            return _Grounding("Redirecting Standard Output and Standard Error")
        section = _REDIRECT_SECTIONS.get(operator)
        return _Grounding(section) if section else _CONSTRUCT_GROUNDING["redirect"]
    if construct.kind == "loop":
        text = construct.text.lstrip()
        first = "for((" if re.match(r"for\s*\(\(", text) else text.split(None, 1)[0]
        return _LOOP_GROUNDING.get(first)
    return _CONSTRUCT_GROUNDING.get(construct.kind)


def _redirect_operators(parsed: ParsedCommand) -> dict[tuple[int, int], tuple[str, str]]:
    """(start, end) of each redirect node -> (operator, target text)."""
    found: dict[tuple[int, int], tuple[str, str]] = {}
    if parsed.root is None:
        return found
    for node in _walk(parsed.root):
        if not node.type.endswith("redirect"):
            continue
        operator = next((_node_text(c) for c in node.children if not c.is_named), "")
        target = next((_node_text(c) for c in node.children if c.is_named
                       and c.type not in ("file_descriptor", "heredoc_start", "heredoc_body")),
                      "")
        found[(node.start_byte, node.end_byte)] = (operator, target)
    return found


def ground(grounding: _Grounding) -> tuple[str | None, str | None]:
    """The bash(1) text for a construct, and where it comes from."""
    bash = docs.bash_doc()
    if bash is None:
        return None, None
    source = f"{bash.source}: {grounding.section}"
    if grounding.entry is not None:
        for tag, text in bash.compound.items():
            if tag.startswith(grounding.entry):
                return _first_paragraphs(text, 2), source
        return None, None
    paragraphs = bash.sections.get(grounding.section)
    if not paragraphs:
        return None, None
    text = "\n".join(paragraphs)
    excerpt = _excerpt(text, grounding.start, grounding.end)
    return excerpt or _opening(paragraphs), source


def _opening(paragraphs: list[str]) -> str:
    """The first paragraph, continued until a sentence ends: "The redirection operator" /
    "[n]<&word" / "is used to duplicate input file descriptors." belong together."""
    taken: list[str] = []
    for paragraph in paragraphs:
        if not taken:
            taken.append(paragraph)
        else:
            end = _sentence_end(paragraph)
            taken.append(paragraph[:end])
        if taken[-1].rstrip().endswith((".", ":")) and len(taken) > 1:
            break
        if len(taken) == 1 and paragraph.rstrip().endswith("."):
            break
    return "\n".join(taken)


def _sentence_end(text: str) -> int:
    at = text.find(". ")
    return at + 1 if at >= 0 else len(text)


def _first_paragraphs(text: str, count: int) -> str:
    return "\n".join(text.split("\n")[:count])


def _excerpt(text: str, start: str | None, end: str | None) -> str | None:
    """From `start` (or the beginning) to the end of the sentence or line containing `end`
    (or of the first paragraph)."""
    begin = 0
    if start is not None:
        begin = text.find(start)
        if begin < 0:
            return None
    if end is None:
        stop = text.find("\n", begin)
        return text[begin: stop if stop >= 0 else len(text)].strip()
    at = text.find(end, begin)
    if at < 0:
        return None
    after = at + len(end)
    candidates = [p for p in (text.find(". ", after), text.find(".\n", after),
                              text.find("\n", after)) if p >= 0]
    stop = min(candidates) if candidates else len(text)
    if stop < len(text) and text[stop] == ".":
        stop += 1
    return text[begin:stop].strip()

