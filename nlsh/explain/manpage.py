"""Structure in rendered documentation text: sections, tagged entries, option tags.

Input is plain text as `man` renders it (very wide, so every paragraph is one line) or as a
program's `--help` prints it. Output is the raw material of a `ProgramDoc`: which flags exist,
what text documents each, which words name subcommands. Pure functions; no I/O.

The layout conventions relied on are groff's, not any one page's: section headings start in
column 0, subsection headings in column 3, and a tagged paragraph (.TP/.IP, mdoc .It) is a
short tag line followed by deeper-indented body lines, or a tag and body on one line when the
tag is narrower than the body indent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OVERSTRIKE = re.compile(r".\x08")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_UNICODE_ASCII = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "--", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u00ad": "",
})

# Sections that never document options (examples quote them; history mentions them).
SKIPPED_SECTIONS = frozenset({
    "NAME", "SYNOPSIS", "EXAMPLES", "EXAMPLE", "SEE ALSO", "BUGS", "AUTHOR", "AUTHORS",
    "REPORTING BUGS", "BUG REPORTS", "COPYRIGHT", "HISTORY", "STANDARDS", "CONFORMING TO",
    "STANDARDS CONFORMANCE", "NON-BUGS", "EXIT STATUS", "RETURN VALUE", "ENVIRONMENT",
    "ENVIRONMENT VARIABLES", "FILES", "DIAGNOSTICS", "LICENSE", "AVAILABILITY", "USAGE:",
    "EXAMPLES:", "EXAMPLE:", "LEARN MORE:", "ALIASES:",
})


@dataclass(frozen=True)
class Line:
    indent: int
    text: str  # stripped; "" for a blank line

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass
class Section:
    title: str
    subsection: str | None
    lines: list[Line] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.subsection or self.title


@dataclass
class Entry:
    """A tagged paragraph: one or more tag lines (aliases) and the body documenting them."""

    tags: list[str]
    body: list[Line]
    indent: int
    section: Section
    order: int

    def help_text(self) -> str:
        return paragraphs_text(self.body)


@dataclass(frozen=True)
class FlagSpec:
    """One spelling in an option tag: `--directory=DIR` -> flag `--directory`, argument `DIR`."""

    flag: str
    argument: str | None  # as documented: "DIR", "<number>", "[=WHEN]" stripped of brackets
    mandatory: bool  # the argument must be given
    arg_count: int  # separate words consumed when given separately (0 or more)
    terminator: str | None  # `-exec command ;`: the words run up to this one ("; or +")
    attached_only: bool  # `--color[=WHEN]`, `-i[SUFFIX]`: only as part of the same word


# -- cleaning and splitting ------------------------------------------------------------------

def clean(raw: str) -> str:
    text = _ANSI.sub("", raw)
    text = _OVERSTRIKE.sub("", text)
    return text.translate(_UNICODE_ASCII)


def to_lines(text: str) -> list[Line]:
    out: list[Line] = []
    for raw in text.splitlines():
        expanded = raw.expandtabs(8).rstrip()
        stripped = expanded.lstrip()
        out.append(Line(len(expanded) - len(stripped), stripped))
    return out


def _is_page_title(line: Line) -> bool:
    """The header/footer lines man prints: `LS(1)   User Commands   LS(1)`."""
    return line.indent == 0 and bool(re.search(r"\(\d[\w]*\)\s*$", line.text))


def man_sections(text: str) -> list[Section]:
    """Split rendered man text into sections (column 0) and subsections (column 3)."""
    lines = to_lines(clean(text))
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    if nonblank and _is_page_title(lines[nonblank[0]]):
        lines[nonblank[0]] = Line(0, "")
    if len(nonblank) > 1 and _is_page_title(lines[nonblank[-1]]):
        lines[nonblank[-1]] = Line(0, "")
    sections: list[Section] = []
    current: Section | None = None
    for line in lines:
        if not line.blank and line.indent == 0:
            current = Section(line.text.rstrip(":").strip(), None)
            sections.append(current)
        elif not line.blank and line.indent == 3 and current is not None and _heading_like(line):
            current = Section(current.title, line.text)
            sections.append(current)
        elif current is not None:
            current.lines.append(line)
    return sections


def _heading_like(line: Line) -> bool:
    # A subsection heading is a short phrase; an indent-3 body line would be long prose.
    return (len(line.text) <= 80 and not line.text.endswith((".", ","))
            and not line.text.startswith(("-", "+")))  # netstat puts option tags at column 3


def help_sections(text: str) -> list[Section]:
    """Split `--help` output: headings are unindented lines ending in ':' ("Options:")."""
    lines = to_lines(clean(text))
    sections: list[Section] = [Section("", None)]
    for line in lines:
        if not line.blank and line.indent == 0 and line.text.endswith(":") and len(line.text) < 60:
            sections.append(Section(line.text.rstrip(":").strip(), None))
        else:
            sections[-1].lines.append(line)
    return sections


def paragraphs_text(lines: list[Line]) -> str:
    """Body lines -> text: one paragraph per line, wrapped continuation lines joined."""
    paragraphs: list[str] = []
    current: list[str] = []
    last_indent = -1
    for line in lines:
        if line.blank:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            last_indent = -1
            continue
        # --help output wraps long descriptions onto lines of the same indent: join those.
        if current and line.indent == last_indent and not _starts_tag(line.text):
            current.append(line.text)
        else:
            if current:
                paragraphs.append(" ".join(current))
            current = [line.text]
        last_indent = line.indent
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(re.sub(r"\s{2,}", " ", p).strip() for p in paragraphs)


def _starts_tag(text: str) -> bool:
    return text.startswith("-")


# -- tagged entries --------------------------------------------------------------------------

_MAX_TAG_LEN = 120


def body_offsets(sections: list[Section]) -> list[int]:
    """How far body text sits right of its tag in this page (groff default 7, mdoc 8, ...)."""
    counts: dict[int, int] = {}
    for section in sections:
        lines = section.lines
        for i in range(len(lines) - 1):
            tag, body = lines[i], lines[i + 1]
            if (not tag.blank and not body.blank and tag.text.startswith("-")
                    and len(tag.text) < 60 and 2 <= body.indent - tag.indent <= 16):
                counts[body.indent - tag.indent] = counts.get(body.indent - tag.indent, 0) + 1
    ranked = sorted(counts, key=lambda k: -counts[k])
    return [*ranked[:3], *[k for k in (7, 8) if k not in ranked[:3]]]


def entries(section: Section, offsets: list[int], *, help_mode: bool = False,
            start_order: int = 0) -> list[Entry]:
    """Every tagged paragraph in a section, nested ones included, in document order."""
    lines = section.lines
    found: list[Entry] = []
    order = start_order
    for i, line in enumerate(lines):
        if line.blank:
            continue
        split = _same_line_split(line, offsets, help_mode)
        run = None if (help_mode and split) else _tag_run(lines, i, offsets, help_mode)
        if run is not None and (split is None or len(line.text) <= 60
                                or parse_option_tag(line.text) is not None):
            j, base = run
            tags = [lines[k].text for k in range(i, j + 1)]
            found.append(Entry(tags, _body(lines, j + 1, base), base, section, order))
        elif split is not None:
            tag, first, column = split
            # --help wraps a description under its own column; a deeper line left of that
            # column is the next option (docker: `  -i, ...` then `      --io-max...`).
            floor = column - 1 if help_mode else line.indent
            body = [Line(column, first), *_body(lines, i + 1, floor)]
            found.append(Entry([tag], body, line.indent, section, order))
        else:
            continue
        order += 1
    return found


def _tag_run(lines: list[Line], i: int, offsets: list[int],
             help_mode: bool) -> tuple[int, int] | None:
    """Lines i..j are tag lines (aliases such as `-L spec1` / `-L spec2`) when a deeper body
    follows them; returns (j, indent of the tags)."""
    line = lines[i]
    if len(line.text) > _MAX_TAG_LEN or (i > 0 and _continues_tag_run(lines[i - 1], line)):
        return None
    j = i
    n = len(lines)
    while j + 1 < n and _continues_tag_run(lines[j], lines[j + 1]):
        j += 1
    if j - i > 5:
        return None  # a list of one-line items (`.PD 0`), not the aliases of one entry
    base = min(lines[k].indent for k in range(i, j + 1))
    deepest = max(lines[k].indent for k in range(i, j + 1))
    nxt = lines[j + 1] if j + 1 < n else None
    if nxt is not None and nxt.blank and j + 2 < n and lines[j + 2].indent > deepest:
        # `.TP` followed by `.PP`-style spacing (sed): tag, blank line, body. Only trusted for a
        # real option tag; a prose line followed by an indented example would also fit.
        if all(parse_option_tag(lines[k].text) is not None for k in range(i, j + 1)):
            return j, base
        return None
    if nxt is None or nxt.blank or nxt.indent <= deepest:
        return None
    return j, base


def _continues_tag_run(prev: Line, line: Line) -> bool:
    return (not prev.blank and not line.blank and abs(line.indent - prev.indent) <= 1
            and len(line.text) <= _MAX_TAG_LEN and len(prev.text) <= _MAX_TAG_LEN
            and not (prev.text.endswith((".", ":")) and not prev.text.endswith("..")))


def _body(lines: list[Line], start: int, base: int) -> list[Line]:
    body: list[Line] = []
    k = start
    while k < len(lines) and (lines[k].blank or lines[k].indent > base):
        body.append(lines[k])
        k += 1
    while body and body[-1].blank:
        body.pop()
    return body


def _same_line_split(line: Line, offsets: list[int],
                     help_mode: bool) -> tuple[str, str, int] | None:
    """`-c     with -lt: sort by ctime` -> ("-c", "with -lt: ...", column of the body)."""
    text = line.text
    if help_mode:
        # --help output: tag and description separated by a run of 2+ spaces.
        m = re.search(r"\S( {2,}|\t)(?=\S)", text)
        if m is None:
            return None
        cut = m.start() + 1
        return text[:cut], text[m.end():].strip(), line.indent + m.end()
    for offset in offsets:
        if len(text) > offset and text[offset - 1] == " " and text[offset] != " ":
            tag = text[:offset].rstrip()
            if tag and "  " not in tag.strip():
                return tag, text[offset:].strip(), line.indent + offset
    return None


# -- option tags -----------------------------------------------------------------------------

_FLAG = re.compile(r"(--?|\+)(\[no-?\])?([A-Za-z0-9?#@!][A-Za-z0-9_.?#@!+-]*)")
_SHORT_FLAG = re.compile(r"-([A-Za-z0-9?#@!])")
_PLACEHOLDER_FLAG = re.compile(r"-(<[\w-]+>|NUM|#)$")


def split_alternatives(tag: str) -> list[str]:
    """Split `-a, --all` on commas outside brackets (`-L<start>,<end>:<file>` stays whole)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for k, ch in enumerate(tag):
        if ch in "[<{(":
            depth += 1
        elif ch in "]>})":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0 and (k + 1 == len(tag) or tag[k + 1] == " "):
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_option_tag(tag: str) -> list[FlagSpec] | None:
    """`-C, --directory=DIR` -> [FlagSpec(-C, DIR), FlagSpec(--directory, DIR)]; None if not
    an option tag (prose that happens to start with a dash)."""
    tag = tag.strip().rstrip(":").strip()
    if tag.startswith("[-") and tag.endswith("]") and tag.count("[") == 1:
        tag = tag[1:-1].strip()  # unzip's ARGUMENTS: `[-d exdir]`, `[-x xfile(s) ...]`
    if not tag.startswith(("-", "+")):
        return None
    specs: list[FlagSpec] = []
    for alt in _space_separated_long_flags(split_alternatives(tag)):
        parsed = _parse_alternative(alt)
        if parsed is None:
            return None
        specs.extend(parsed)
    if not specs:
        return None
    specs = _split_attached_short(specs)
    # GNU convention: "Mandatory arguments to long options are mandatory for short options too."
    long_arg = next((s for s in specs if s.flag.startswith("--") and s.mandatory), None)
    if long_arg is not None:
        specs = [
            FlagSpec(s.flag, long_arg.argument, True, 1, None, False)
            if _is_short(s.flag) and s.argument is None else s
            for s in specs
        ]
    return specs


def _split_attached_short(specs: list[FlagSpec]) -> list[FlagSpec]:
    """less writes `-bn or --buffers=n`: `-bn` is `-b` with the argument the long form names."""
    names = {_norm_arg(s.argument) for s in specs if s.flag.startswith("--") and s.argument}
    out: list[FlagSpec] = []
    for spec in specs:
        rest = spec.flag[2:]
        if (spec.flag.startswith("-") and not spec.flag.startswith("--") and rest
                and spec.argument is None and any(n and rest == n for n in names)):
            out.append(FlagSpec(spec.flag[:2], rest, True, 1, None, False))
        else:
            out.append(spec)
    return out


def _norm_arg(argument: str | None) -> str:
    return (argument or "").strip("=<>[],. ")


def _space_separated_long_flags(alternatives: list[str]) -> list[str]:
    """gzip writes `-c --stdout --to-stdout` without commas, less `-N or --LINE-NUMBERS`:
    split before each `--flag` (and at "or").
    (A single dash is not split on: in find's `-perm -mode`, `-mode` is the argument.)"""
    out: list[str] = []
    for alt in alternatives:
        pieces = re.split(r"\s+(?:or\s+)?(?=--[A-Za-z])|\s+(?:or|\|)\s+(?=[-+])", alt)
        out.extend(p for p in pieces if p)
    return out


def _is_short(flag: str) -> bool:
    return len(flag) == 2 and flag[0] in "-+"


def _parse_alternative(alt: str) -> list[FlagSpec] | None:
    placeholder = re.match(r"-(<[\w-]+>|NUM)(?=$|\s)", alt)
    if placeholder:
        return [FlagSpec("-" + placeholder.group(1), None, False, 0, None, False)]
    m = _FLAG.match(alt)
    if m is None:
        return None
    dashes, negation, name = m.group(1), m.group(2), m.group(3)
    if dashes == "-" and len(name) > 1 and alt[m.end():m.end() + 1] in ("[", "<"):
        # `-i[SUFFIX]`, `-L<start>`: a short flag with an attached argument.
        name = name[0]
        rest = alt[2:]
    else:
        rest = alt[m.end():]
    if dashes == "--" and len(name) == 1 and not name.isalnum():
        return None
    if rest.startswith(",..."):  # less: `-xn,... or --tabs=n,...`
        rest = rest[4:]
    flags = [dashes + name]
    if negation:
        flags = [dashes + name, dashes + negation.strip("[]") + name]
    spec = _argument(rest)
    if spec is None:
        return None
    argument, mandatory, count, terminator, attached_only = spec
    return [FlagSpec(f, argument, mandatory, count, terminator, attached_only) for f in flags]


def _argument(rest: str) -> tuple[str | None, bool, int, str | None, bool] | None:
    """Decode what follows a flag: `=DIR`, `[=WHEN]`, ` <file>`, ` command ;`, `[SUFFIX]`."""
    if not rest:
        return None, False, 0, None, False
    if rest.startswith("[="):
        return rest[2:].rstrip("]"), False, 0, None, True
    if rest.startswith("[") and rest.endswith("]") and " " not in rest:
        return rest[1:-1], False, 0, None, True
    if rest.startswith("="):
        value = rest[1:]
        if value in ("false", "true"):  # Go-style boolean flags: `--all-namespaces=false`
            return None, False, 0, None, False
        return value.strip("'\"") or value, True, 1, None, False
    if rest.startswith("<") and " " not in rest.strip():
        return rest, True, 1, None, False
    if not rest.startswith((" ", "\t")):
        return None
    words = rest.split()
    if not words or len(words) > 4:
        return None
    if any(w.endswith(".") and not w.endswith("...") and len(w) > 3 for w in words):
        return None  # a sentence, not an argument list
    terminator = next((w for w in words[1:] if w in (";", "+", "\\;", "';'")), None)
    required = [w for w in words if not (w.startswith("[") and w.endswith("]"))]
    if terminator is not None:
        return " ".join(words), True, 1, ";", False
    if not required:
        return " ".join(words), False, 0, None, False
    return " ".join(words), True, len(required), None, False


def is_placeholder_flag(flag: str) -> bool:
    return bool(_PLACEHOLDER_FLAG.match(flag))


def keyword_of_tag(tag: str) -> list[str]:
    """Subcommand-style tags: `restart PATTERN...` -> ["restart"];
    `install, reinstall, remove, purge (apt-get(8))` -> all four."""
    tag = re.sub(r"\s*\([^)]*\)\s*$", "", tag.strip())
    names: list[str] = []
    for alt in split_alternatives(tag):
        word = alt.split()[0] if alt.split() else ""
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.:-]*", word):
            return []
        names.append(word)
    return names


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of a help text, cut at a word boundary near `limit`."""
    para = text.split("\n", 1)[0].strip()
    m = re.search(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)\.(\s|$)", para)
    sentence = para[: m.start() + 1] if m else para
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence
