"""This machine's own documentation for a program: its man page, or its `--help` output.

`program_doc("tar")` reads `man tar` (rendered by this machine's man-db/groff), finds every
documented option and what it says, and caches the result as JSON under
`nlsh.paths.cache_dir()/docs/`, keyed by the page file's identity (path, size, mtime) so an
upgraded package is re-read. Subcommands come from their own pages (`git log` ->
git-log(1)), from the parent page's command list (`systemctl restart`), or from `--help`.

Running `PROGRAM --help` executes that program, so it is the fallback of last resort and is
fenced in (see `help_allowed`): only when there is no man page, only for a binary found on an
absolute PATH entry that is an ELF executable or a pip-generated console-script stub (never a
user's shell script, which may ignore `--help` and just run), never for a program that changes
system state by name (`reboot`, `mkfs.*`, `rm`, ...), with stdin closed, LC_ALL=C, its own
process group and a 3-second limit. Setting NLSH_NO_HELP_EXEC=1 turns it off entirely.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlsh import paths
from nlsh.explain import manpage
from nlsh.explain.manpage import Entry, FlagSpec, Section

PARSER_VERSION = 13  # bump when parsing changes: cached JSON from older versions is ignored
MAN_WIDTH = "1000"  # wide enough that groff never wraps a paragraph: one paragraph, one line
MAN_SECTIONS = ("1", "8", "6")
HELP_TIMEOUT_S = 3.0
HELP_OUTPUT_LIMIT = 512 * 1024

# Programs whose `--help` is never run: they change system state by name, or some versions
# ignore unknown arguments. (They all have man pages on a normal system anyway.)
NEVER_EXECUTE = frozenset({
    "reboot", "shutdown", "halt", "poweroff", "init", "telinit", "systemctl", "rm", "rmdir",
    "shred", "dd", "wipefs", "fdisk", "sfdisk", "cfdisk", "gdisk", "sgdisk", "parted",
    "mkswap", "swapoff", "swapon", "mount", "umount", "kill", "killall", "pkill", "killall5",
    "userdel", "groupdel", "deluser", "delgroup", "passwd", "chpasswd", "crontab", "at",
    "format", "yes", "sudo", "su", "doas", "login", "logout", "exit", "sh", "bash", "zsh",
    "fish", "dash", "ksh", "csh", "tcsh", "python", "python3", "node", "perl", "ruby",
})
NEVER_EXECUTE_PREFIXES = ("mkfs", "mke2fs", "fsck", "shutdown", "reboot", "wipe")

_OPTION_SECTION_WORDS = ("OPTION", "FLAG")
_STUB_MARKER = "re.sub(r'(-script\\.pyw|\\.exe)?$'"  # pip's generated console-script wrapper


@dataclass
class OptionDoc:
    """What the documentation says about one option spelling."""

    flag: str
    help: str
    aliases: list[str]  # every spelling documented by the same entry, this one included
    tag: str  # the entry's tag as printed: "-C, --directory=DIR"
    section: str  # the (sub)section that documents it: "OPTIONS", "TESTS", "Local file selection"
    argument: str | None = None  # "DIR", "<number>", "pattern"
    takes_argument: bool = False  # an argument is mandatory (in the next word if not attached)
    arg_count: int = 0  # separate words the argument takes
    terminator: str | None = None  # `-exec command ;`: consumes words up to ";" or "+"
    attached_only: bool = False  # `--color[=WHEN]`: an optional argument, only with '='
    page: str | None = None  # set when borrowed from another page: "man apt-get(8)"


@dataclass
class ProgramDoc:
    program: str
    subcommand: str | None
    name_line: str | None  # "list directory contents"
    synopsis: list[str]  # one line per usage form
    source: str  # "man ls(1)", "docker run --help", "man bash(1): SHELL BUILTIN COMMANDS"
    options: dict[str, OptionDoc] = field(default_factory=dict)
    keywords: dict[str, OptionDoc] = field(default_factory=dict)  # dashless tags: "restart", "a"
    command_keywords: list[str] = field(default_factory=list)  # keywords that are subcommands
    complete: bool = False  # parsing found the options the synopsis names
    description: str | None = None  # first paragraph of DESCRIPTION

    @property
    def kind(self) -> str:
        return "help" if self.source.endswith("--help") else "man"

    def option(self, flag: str) -> OptionDoc | None:
        return self.options.get(flag)

    def is_placeholder(self, flag: str) -> bool:
        """`-<number>`, `-NUM`, gzip's `-#` ("digit"), as opposed to less's literal `-#`."""
        if flag == "-#":
            option = self.options.get(flag)
            return option is not None and "digit" in option.help
        return manpage.is_placeholder_flag(flag)

    def placeholder_option(self, word: str) -> OptionDoc | None:
        """`-9` for kill's `-<signal>`, `-5` for git log's `-<number>`."""
        rest = word[1:]
        if not rest or not word.startswith("-") or word.startswith("--"):
            return None
        for flag, doc in self.options.items():
            if not self.is_placeholder(flag):
                continue
            inner = flag[1:].strip("<>").lower()
            if flag == "-#" and not (rest.isdigit() and len(rest) == 1):
                continue
            if rest.isdigit() or ("sig" in inner and rest.isalnum() and rest.upper() == rest):
                return doc
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgramDoc:
        data = dict(data)
        data["options"] = {k: OptionDoc(**v) for k, v in data.get("options", {}).items()}
        data["keywords"] = {k: OptionDoc(**v) for k, v in data.get("keywords", {}).items()}
        return cls(**data)


# -- public API ------------------------------------------------------------------------------

def program_doc(program: str, subcommand: str | None = None) -> ProgramDoc | None:
    """The documentation of `program` (or of `program subcommand`) on this machine, or None."""
    if not program or "/" in program or program.startswith("-"):
        return None
    key = (program, subcommand)
    now = time.monotonic()
    recent = _recent.get(key)
    if recent is not None and now - recent[0] < RECHECK_S:
        return recent[1]
    doc = _parent_doc(program) if subcommand is None else _subcommand_doc(program, subcommand)
    _recent[key] = (now, doc)
    return doc


# Within RECHECK_S of a lookup, the same lookup skips even the stat() calls that validate it
# (one_line runs for every candidate shown; a package upgrade is noticed a few seconds later).
RECHECK_S = 5.0
_recent: dict[tuple[str, str | None], tuple[float, ProgramDoc | None]] = {}


def known_options(program: str, subcommand: str | None = None) -> set[str] | None:
    """Every option spelling this machine documents for the program, or None when that is not
    known with confidence (no documentation, or the options could not all be found)."""
    doc = program_doc(program, subcommand)
    if doc is None or not doc.complete:
        return None
    known = {f for f in doc.options if not doc.is_placeholder(f)}
    if "-#" in doc.options and doc.is_placeholder("-#"):  # gzip's `-#`: one digit
        known.update(f"-{d}" for d in range(10))
    return known


def option_status(program: str, word: str, subcommand: str | None = None) -> bool | None:
    """Is `word` (as written in a command: `-xzvf`, `--max-depth=1`, `-n5`, `-9`) an option
    this machine documents for the program? True/False, or None when that is not known
    (no documentation, or its option table is not trusted to be complete)."""
    doc = program_doc(program, subcommand)
    if doc is None or not doc.complete:
        return None
    if not word.startswith("-") or word in ("-", "--"):
        return True
    name = word.split("=", 1)[0]
    if word in doc.options or name in doc.options or doc.placeholder_option(word):
        return True
    if word.startswith("--"):
        return False
    if any(len(f) > 2 and not f.startswith("--") and not doc.is_placeholder(f)
           for f in doc.options):
        return False  # find-style single-dash long options: `-foo` is not -f -o -o
    for letter in word[1:]:
        option = doc.options.get("-" + letter)
        if option is None:
            return False
        if option.takes_argument or option.argument is not None:
            return True  # the rest of the word is its argument: `-n5`, `-F:`
    return True


def man_page_path(name: str) -> Path | None:
    """Where `man NAME` (sections 1, 8, 6) lives here, without running man when avoidable."""
    if not _valid_name(name):
        return None
    return _page_file(name) or _man_w(name)


def _page_file(name: str) -> Path | None:
    for directory in _man_dirs():
        for section in MAN_SECTIONS:
            for suffix in ("", "ssl"):  # openssl-rand.1ssl
                base = f"{directory}/man{section}/{name}.{section}{suffix}"
                for ext in (".gz", "", ".xz", ".bz2", ".zst"):
                    if os.path.isfile(base + ext):
                        return Path(base + ext)
    return None


# -- the parent (program) level --------------------------------------------------------------

_memory: dict[tuple[str, str | None], tuple[str, ProgramDoc | None]] = {}


def _parent_doc(program: str) -> ProgramDoc | None:
    page = man_page_path(program)
    if page is not None:
        return _cached(program, None, _file_key(page), lambda: _doc_from_page(program, None, page))
    builtin = _bash_builtin_doc(program)
    if builtin is not None:
        return builtin
    binary = help_allowed(program)
    if binary is None:
        return None
    return _cached(program, None, "help:" + _file_key(binary),
                   lambda: _doc_from_help(program, None, [str(binary)]))


def _subcommand_doc(program: str, subcommand: str) -> ProgramDoc | None:
    if not _valid_name(subcommand):
        return None
    page = _page_file(f"{program}-{subcommand}")  # git-log(1): only a real file, no man -w
    if page is not None:
        return _cached(program, subcommand, _file_key(page),
                       lambda: _doc_from_page(program, subcommand, page))
    parent = _parent_doc(program)
    if parent is None or subcommand not in parent.command_keywords:
        return None
    if parent.kind == "help":
        binary = help_allowed(program)
        if binary is None:
            return None
        return _cached(program, subcommand, "help:" + _file_key(binary),
                       lambda: _doc_from_help(program, subcommand, [str(binary), subcommand]))
    # Documented in the parent's page (`systemctl restart`): the parent's options apply.
    entry = parent.keywords[subcommand]
    # The entry's tag is this subcommand's usage: `restart PATTERN...`.
    usage = [f"{program} {alt}" for tag in entry.tag.split(" / ")
             for alt in manpage.split_alternatives(tag) if alt.split()[:1] == [subcommand]]
    options, complete = parent.options, parent.complete
    referenced = _referenced_page(entry.tag)
    if not options and referenced is not None:
        # apt(8): "install, reinstall, remove, purge (apt-get(8))" and no options of its own:
        # the page it names documents them.
        other = program_doc(referenced)
        if other is not None:
            options = {flag: replace(option, page=other.source)
                       for flag, option in other.options.items()}
            complete = other.complete
    return ProgramDoc(
        program=program, subcommand=subcommand, name_line=manpage.first_sentence(entry.help),
        synopsis=usage, source=f"{parent.source}: {entry.section}",
        options=options, keywords={}, command_keywords=[], complete=complete,
        description=entry.help,
    )


def _referenced_page(tag: str) -> str | None:
    """`install, remove (apt-get(8))` -> "apt-get"."""
    match = re.search(r"\(([A-Za-z0-9_.+-]+)\((\d)\w*\)\)\s*$", tag)
    return match.group(1) if match else None


def _cached(program: str, subcommand: str | None, key: str,
            build: Any) -> ProgramDoc | None:
    """Memory, then the JSON cache, then `build()`; each checked against the source's key."""
    mem = _memory.get((program, subcommand))
    if mem is not None and mem[0] == key:
        return mem[1]
    path = _cache_file(program, subcommand)
    doc: ProgramDoc | None = None
    loaded = False
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = json.loads(path.read_text())
        if data.get("parser") == PARSER_VERSION and data.get("key") == key:
            doc = ProgramDoc.from_dict(data["doc"]) if data["doc"] else None
            loaded = True
    if not loaded:
        doc = build()
        payload = {"parser": PARSER_VERSION, "key": key, "doc": doc.to_dict() if doc else None}
        _write_json(path, payload)
    _memory[(program, subcommand)] = (key, doc)
    return doc


def _cache_root() -> Path:
    # Not created here: reading a missing or unusable cache only means parsing again, and
    # explaining must work when ~/.cache is a file or read-only.
    return paths.cache_path() / "docs"


def _cache_file(program: str, subcommand: str | None) -> Path:
    name = program if subcommand is None else f"{program}__{subcommand}"
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", name)
    return _cache_root() / f"{safe}.json"


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):  # an unusable cache directory only costs time
        paths.cache_dir()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload))
        os.replace(tmp, path)


def _file_key(path: Path) -> str:
    try:
        real = path.resolve()
        st = real.stat()
    except OSError:
        return f"{path}:missing"
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"


# -- finding man pages -----------------------------------------------------------------------

def _valid_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9_+][A-Za-z0-9_.+:@-]*", name)) and len(name) < 100


@lru_cache(maxsize=1)
def _man_dirs() -> tuple[Path, ...]:
    raw = os.environ.get("MANPATH", "")
    if not raw or raw.startswith(":") or raw.endswith(":") or "::" in raw:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(["manpath", "-q"], capture_output=True, text=True, timeout=5,
                                 stdin=subprocess.DEVNULL, check=False).stdout.strip()
            raw = out or raw
    dirs = [Path(d) for d in raw.split(":") if d.startswith("/")]
    if not dirs:
        dirs = [Path("/usr/local/share/man"), Path("/usr/share/man")]
    return tuple(d for d in dirs if d.is_dir())


def _man_w(name: str) -> Path | None:
    """Names that are not file names (`which` -> which.debianutils.1.gz): ask man-db once,
    and remember the answer (found or not) until a man directory changes."""
    stamp = [_dir_stamp(d) for d in _man_dirs()]
    index_path = _cache_root() / "_man_index.json"
    index: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        index = json.loads(index_path.read_text())
    if index.get("stamp") != stamp or index.get("parser") != PARSER_VERSION:
        index = {"stamp": stamp, "parser": PARSER_VERSION, "names": {}}
    names: dict[str, str | None] = index["names"]
    if name not in names:
        found: str | None = None
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            result = subprocess.run(
                ["man", "-w", "-s", ":".join(MAN_SECTIONS), name], capture_output=True,
                text=True, timeout=10, stdin=subprocess.DEVNULL, env=_c_env(), check=False)
            first = result.stdout.strip().splitlines()[:1]
            if result.returncode == 0 and first and first[0].startswith("/"):
                found = first[0]
        names[name] = found
        _write_json(index_path, index)
    hit = names[name]
    return Path(hit) if hit and Path(hit).is_file() else None


def _dir_stamp(directory: Path) -> list[int]:
    stamps = []
    for section in MAN_SECTIONS:
        try:
            stamps.append((directory / f"man{section}").stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return stamps


def _c_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "MANPATH")}
    env.update({"LC_ALL": "C", "LANG": "C", "MANWIDTH": MAN_WIDTH, "MANPAGER": "cat",
                "PAGER": "cat", "TERM": "dumb", "NO_COLOR": "1", "GROFF_NO_SGR": "1"})
    return env


def render_man_page(page: Path) -> str:
    """The page as `man` shows it, as plain text, one paragraph per line."""
    try:
        result = subprocess.run(["man", "-P", "cat", "-l", str(page)], capture_output=True,
                                timeout=30, stdin=subprocess.DEVNULL, env=_c_env(), check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.decode("utf-8", "replace")


def _page_title(page: Path) -> tuple[str, str]:
    """/usr/share/man/man1/tar.1.gz -> ("tar", "1")."""
    name = page.resolve().name
    for ext in (".gz", ".xz", ".bz2", ".zst"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    stem, _, section = name.rpartition(".")
    return (stem, section) if stem else (name, "1")


# -- building a ProgramDoc from man text -----------------------------------------------------

def _doc_from_page(program: str, subcommand: str | None, page: Path) -> ProgramDoc | None:
    text = render_man_page(page)
    if not text.strip():
        return None
    title, section = _page_title(page)
    return doc_from_man_text(text, program, subcommand, f"man {title}({section})")


def doc_from_man_text(text: str, program: str, subcommand: str | None,
                      source: str) -> ProgramDoc:
    sections = manpage.man_sections(text)
    offsets = manpage.body_offsets(sections)
    found: list[Entry] = []
    for section in sections:
        if section.title.upper() in manpage.SKIPPED_SECTIONS:
            continue
        found.extend(manpage.entries(section, offsets, start_order=len(found)))
    options, keywords = _tables(found)
    synopsis = _synopsis_lines(sections)
    name_line = _name_line(sections)
    doc = ProgramDoc(
        program=program, subcommand=subcommand, name_line=name_line, synopsis=synopsis,
        source=source, options=options, keywords=keywords,
        description=_first_paragraph(sections, "DESCRIPTION"),
    )
    doc.command_keywords = _command_keywords(doc, found, subcommand)
    doc.complete = _looks_complete(doc)
    return doc


def _section_rank(section: Section) -> int:
    title = section.title.upper()
    return 0 if any(w in title for w in _OPTION_SECTION_WORDS) else 1


def _tables(found: list[Entry]) -> tuple[dict[str, OptionDoc], dict[str, OptionDoc]]:
    """flag -> OptionDoc, keyword -> OptionDoc; an OPTIONS section beats other sections, a
    top-level entry beats a nested one, an earlier entry beats a later one."""
    options: dict[str, OptionDoc] = {}
    keywords: dict[str, OptionDoc] = {}
    ranked = sorted(found, key=lambda e: (_section_rank(e.section), e.indent, e.order))
    for entry in ranked:
        help_text = entry.help_text()
        if not help_text:
            continue
        label = entry.section.label
        specs: list[FlagSpec] = []
        for tag in entry.tags:
            specs.extend(manpage.parse_option_tag(tag) or [])
        aliases = list(dict.fromkeys(s.flag for s in specs))
        for spec in specs:
            if spec.flag not in options:
                options[spec.flag] = OptionDoc(
                    flag=spec.flag, help=help_text, aliases=aliases, tag=" / ".join(entry.tags),
                    section=label, argument=spec.argument, takes_argument=spec.mandatory,
                    arg_count=spec.arg_count, terminator=spec.terminator,
                    attached_only=spec.attached_only)
        if specs:
            continue
        for tag in entry.tags:
            for word in manpage.keyword_of_tag(tag):
                if word not in keywords:
                    keywords[word] = OptionDoc(
                        flag=word, help=help_text, aliases=[word], tag=" / ".join(entry.tags),
                        section=label)
    return options, keywords


def _command_keywords(doc: ProgramDoc, found: list[Entry], subcommand: str | None) -> list[str]:
    """Keywords that are subcommands: documented in a commands section (or DESCRIPTION) at the
    outermost level, and the synopsis names them or says COMMAND."""
    synopsis = " ".join(doc.synopsis)
    says_command = bool(re.search(r"command", synopsis, re.IGNORECASE))
    words = set(re.findall(r"[A-Za-z][\w-]*", synopsis))
    # The page's own program names (`gzip, gunzip, zcat`) are usage lines, not subcommands.
    own_names = {line.split()[0].rsplit("/", 1)[-1] for line in doc.synopsis if line.split()}
    own_names.add(doc.program)
    out: list[str] = []
    outer = min((e.indent for e in found), default=0)
    for word, kw in doc.keywords.items():
        entry_section = kw.section.upper()
        in_commands = "COMMAND" in entry_section or "DESCRIPTION" in entry_section
        owner = next((e for e in found if e.section.label == kw.section
                      and " / ".join(e.tags) == kw.tag), None)
        if owner is None or owner.indent != outer:
            continue
        top = owner.section.title.upper()
        if not (in_commands or "COMMAND" in top or top == "DESCRIPTION"):
            continue
        if word in own_names:
            continue
        if len(word) > 1 and word[0].islower() and (word in words or says_command):
            out.append(word)
    return out


def _looks_complete(doc: ProgramDoc) -> bool:
    if not doc.options:
        return False
    named = _synopsis_flags(doc.synopsis, doc.options)
    if not named:
        return True
    missing = [f for f in named if f not in doc.options]
    return len(missing) <= len(named) // 5


def _synopsis_flags(synopsis: list[str], known: dict[str, OptionDoc]) -> set[str]:
    """The option spellings a SYNOPSIS names: `[-46AaCf]` bundles count letter by letter,
    `-Olevel`/`-pnum` as the short flag, `-WIDTH`/`-NUM` placeholders not at all."""
    flags: set[str] = set()
    for line in synopsis:
        for token in re.findall(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)", line):
            letters = token[1:]
            if token.startswith("--") or token in known or len(token) == 2:
                flags.add(token)
            elif letters.isupper() and letters.isalpha():
                continue
            elif not all(f"-{c}" in known for c in letters) and token[:2] in known:
                flags.add(token[:2])
            else:
                flags.update(f"-{c}" for c in letters)
    return flags


def _section_lines(sections: list[Section], title: str) -> list[manpage.Line]:
    for section in sections:
        if section.title.upper() == title and section.subsection is None:
            return section.lines
    return []


def _name_line(sections: list[Section]) -> str | None:
    # One line per name: `hostname - show or set ...` / `domainname - ...`: the first.
    text = next((ln.text for ln in _section_lines(sections, "NAME") if not ln.blank), "")
    if not text:
        return None
    parts = re.split(r"\s+--?\s+", text, maxsplit=1)
    return (parts[1] if len(parts) == 2 else text).strip() or None


def _synopsis_lines(sections: list[Section]) -> list[str]:
    lines = _section_lines(sections, "SYNOPSIS")
    out: list[str] = []
    for line in lines:
        if line.blank:
            continue
        if out and line.indent > min(ln.indent for ln in lines if not ln.blank):
            out[-1] += " " + line.text  # a wrapped usage form
        else:
            out.append(line.text)
    return out


def _first_paragraph(sections: list[Section], title: str) -> str | None:
    for line in _section_lines(sections, title):
        if not line.blank:
            return line.text
    return None


# -- --help fallback -------------------------------------------------------------------------

def help_allowed(program: str) -> Path | None:
    """The binary whose `--help` may be run to document `program`, or None (see module doc)."""
    if os.environ.get("NLSH_NO_HELP_EXEC") or not _valid_name(program):
        return None
    if program in NEVER_EXECUTE or program.startswith(NEVER_EXECUTE_PREFIXES):
        return None
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory.startswith("/"):
            continue  # never "." or "": a relative PATH entry would run files from the cwd
        candidate = Path(directory) / program
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate if _safe_to_run(candidate) else None
    return None


def _safe_to_run(binary: Path) -> bool:
    try:
        with binary.resolve().open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(b"\x7fELF"):
        return True
    return head.startswith(b"#!") and _STUB_MARKER.encode() in head


def run_help(argv: list[str]) -> str | None:
    """`argv --help` output (stdout, else stderr), or None if it failed or timed out."""
    env = _c_env()
    env["COLUMNS"] = "200"
    try:
        proc = subprocess.Popen([*argv, "--help"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
    except OSError:
        return None
    try:
        out, err = proc.communicate(timeout=HELP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    text = (out or err)[:HELP_OUTPUT_LIMIT].decode("utf-8", "replace")
    return text if "-" in text and text.strip() else None


def _doc_from_help(program: str, subcommand: str | None, argv: list[str]) -> ProgramDoc | None:
    text = run_help(argv)
    if text is None:
        return None
    label = " ".join([program, *([subcommand] if subcommand else [])])
    return doc_from_help_text(text, program, subcommand, f"{label} --help")


def doc_from_help_text(text: str, program: str, subcommand: str | None,
                       source: str) -> ProgramDoc:
    sections = manpage.help_sections(text)
    found: list[Entry] = []
    for section in sections:
        if section.title.upper() + ":" in manpage.SKIPPED_SECTIONS:
            continue
        found.extend(manpage.entries(section, [], help_mode=True, start_order=len(found)))
    options, _ = _tables(found)
    commands: dict[str, OptionDoc] = {}
    for entry in found:
        if "COMMAND" not in entry.section.title.upper():
            continue
        for tag in entry.tags:
            words = tag.split()
            if len(words) == 1 and re.fullmatch(r"[a-z][\w-]*\*?", words[0]):
                word = words[0].rstrip("*")
                commands.setdefault(word, OptionDoc(
                    flag=word, help=entry.help_text(), aliases=[word], tag=tag,
                    section=entry.section.title))
    usage = [ln for ln in to_plain_lines(text) if ln.lower().startswith("usage")]
    doc = ProgramDoc(
        program=program, subcommand=subcommand, name_line=_help_name_line(text),
        synopsis=[re.sub(r"^usage:\s*", "", u, flags=re.IGNORECASE) for u in usage],
        source=source, options=options, keywords=commands, command_keywords=list(commands),
    )
    # kubectl: 'Use "kubectl options" for a list of global command-line options': the flags
    # listed here are not all the flags accepted.
    doc.complete = bool(options) and not re.search(r"global (command-line )?(options|flags)",
                                                   text, re.IGNORECASE)
    return doc


def to_plain_lines(text: str) -> list[str]:
    return [ln.text for ln in manpage.to_lines(manpage.clean(text)) if not ln.blank]


def _help_name_line(text: str) -> str | None:
    for line in manpage.to_lines(manpage.clean(text)):
        if line.blank or line.text.lower().startswith("usage") or line.text.endswith(":"):
            continue
        if line.text.startswith("-"):
            return None
        return line.text.strip()
    return None


# -- bash: builtins and shell grammar --------------------------------------------------------

@dataclass
class BashDoc:
    """What bash(1) says about its builtins and grammar, extracted once per bash version."""

    source: str  # "man bash(1)"
    sections: dict[str, list[str]]  # (sub)section title -> paragraphs
    compound: dict[str, str]  # Compound Commands entries: tag -> tag + body
    builtins: dict[str, dict[str, Any]]  # name -> ProgramDoc dict

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bash_doc() -> BashDoc | None:
    page = man_page_path("bash")
    if page is None:
        return None
    key = _file_key(page)
    cached = _bash_memory.get(key)
    if cached is not None:
        return cached
    path = _cache_root() / "_bash.json"
    doc: BashDoc | None = None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = json.loads(path.read_text())
        if data.get("parser") == PARSER_VERSION and data.get("key") == key:
            doc = BashDoc(**data["doc"])
    if doc is None:
        text = render_man_page(page)
        if not text.strip():
            return None
        title, section = _page_title(page)
        doc = bash_doc_from_text(text, f"man {title}({section})")
        _write_json(path, {"parser": PARSER_VERSION, "key": key, "doc": doc.to_dict()})
    _bash_memory.clear()
    _bash_memory[key] = doc
    return doc


_bash_memory: dict[str, BashDoc] = {}


def bash_doc_from_text(text: str, source: str) -> BashDoc:
    sections = manpage.man_sections(text)
    offsets = manpage.body_offsets(sections)
    paragraphs: dict[str, list[str]] = {}
    compound: dict[str, str] = {}
    builtins: dict[str, dict[str, Any]] = {}
    for section in sections:
        paras = manpage.paragraphs_text(section.lines).split("\n")
        paragraphs.setdefault(section.label, [p for p in paras if p])
        if section.subsection == "Compound Commands":
            found = manpage.entries(section, offsets)
            outer = min((e.indent for e in found), default=0)
            for entry in found:
                if entry.indent == outer:
                    for tag in entry.tags:
                        compound.setdefault(tag, tag + "\n" + entry.help_text())
        if section.title == "SHELL BUILTIN COMMANDS" and section.subsection is None:
            builtins = _builtins(section, offsets, source)
    return BashDoc(source=source, sections=paragraphs, compound=compound, builtins=builtins)


def _builtins(section: Section, offsets: list[int], source: str) -> dict[str, dict[str, Any]]:
    found = manpage.entries(section, offsets)
    if not found:
        return {}
    outer = min(e.indent for e in found)
    out: dict[str, dict[str, Any]] = {}
    for entry in found:
        if entry.indent != outer:
            continue
        names = [t.split()[0] for t in entry.tags if t.split()]
        inner = Section(section.title, None, entry.body)
        nested = manpage.entries(inner, offsets)
        options, _ = _tables(nested)
        body_text = manpage.paragraphs_text(
            [ln for ln in entry.body if ln.indent <= (min(
                (x.indent for x in entry.body if not x.blank), default=0))])
        for name in names:
            if name in out or not re.fullmatch(r"[a-z_.:\[][\w.:\[-]*", name):
                continue
            doc = ProgramDoc(
                program=name, subcommand=None, name_line=manpage.first_sentence(body_text),
                synopsis=list(entry.tags), source=f"{source}: SHELL BUILTIN COMMANDS",
                options=options, description=body_text,
            )
            doc.complete = bool(options) and _looks_complete(doc)
            out[name] = doc.to_dict()
    return out


def _bash_builtin_doc(name: str) -> ProgramDoc | None:
    """Builtins without a man page of their own (cd, export, source, ...), from bash(1)."""
    doc = bash_doc()
    if doc is None or name not in doc.builtins:
        return None
    return ProgramDoc.from_dict(doc.builtins[name])


def prewarm(programs: Iterable[str]) -> int:
    """Parse and cache the docs of these programs (and bash(1)) ahead of time, e.g. in the
    daemon's idle time, so the first `one_line` for them is fast. Returns how many exist."""
    bash_doc()
    return sum(1 for program in programs if program_doc(program) is not None)


def forget() -> None:
    """Drop what this process remembers (the JSON cache stays): as if a new process started."""
    _recent.clear()
    _memory.clear()
    _bash_memory.clear()
