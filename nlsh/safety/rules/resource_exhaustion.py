"""Running the machine out of processes, CPU, memory or disk (fork bombs proper are
`fork_bomb`'s).

Dangerous:
- a loop that never ends (`while true`, `while :`, `until false`, `for ((;;))`) and sends a
  command to the background on every pass, or a loop that starts more than 1,000 background
  processes (`for i in {1..100000}; do cmd & done`);
- an endless loop appending to a file with nothing slowing it down (it fills the disk);
- an endless source (`yes`, `cat /dev/zero`, `< /dev/urandom`, `dd if=/dev/zero` without
  `count=`) sent to the background, written to a file (fills the disk; under /dev/shm, memory),
  or fed to a program that keeps all of it in memory (`sort`, `tail`, `tac`);
- allocating at least 90% of the free space of a file system (`fallocate -l 1T f`,
  `dd if=/dev/zero of=f bs=1G count=5000`, `head -c 2T /dev/zero > f`), or 100 GB where the
  free space cannot be measured;
- an endless loop sent to the background with nothing slowing it down;
- interpreter code that starts processes in an endless loop (`node -e 'while (true) spawn(...)'`);
- stress testers (`stress`, `stress-ng`).
Caution: an endless source in the foreground (`yes > /dev/null`) runs until interrupted; an
endless loop that appends to a file but sleeps on each pass; smaller allocations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import tree_sitter

from nlsh.records import Level
from nlsh.safety.blast_radius import human_size
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, option_values, synthetic_word
from nlsh.safety.programs import INTERPRETERS, SHELLS
from nlsh.safety.rules.common import DEV_SINKS, operands, quote
from nlsh.shellparse import ParsedCommand, SimpleCommand

RULE = "resource_exhaustion"

MANY_PROCESSES = 1000
UNKNOWN_FREE_LIMIT = 100 * 10**9
FULL_FRACTION = 0.9
MAX_SIZE = 10**24  # sizes are capped here (a yottabyte)
ENDLESS_DEVICES = frozenset({"/dev/zero", "/dev/urandom", "/dev/random"})
# Programs that copy their input or files to stdout as they read them.
_STREAMERS = frozenset({"cat", "tr", "base64", "od", "xxd", "hexdump", "pv", "dd", "tee",
                        "gzip", "bzip2", "xz", "zstd", "openssl", "strings"})
# Downstream programs that pass an endless stream on (unless `_bounds` says they stop).
_PASS_THROUGH = _STREAMERS | {"grep", "egrep", "fgrep", "sed", "awk", "cut", "uniq", "nl",
                              "rev", "fold", "cat", "tee"}
# Downstream programs that stop reading after a while (so the source ends too).
_BOUNDING = frozenset({"head", "read", "less", "more"})
# Downstream programs that keep everything they read in memory before writing anything.
_HOARDERS = frozenset({"sort", "tail", "tac", "shuf"})
_ALWAYS_TRUE = frozenset({"true", ":", "/bin/true", "/usr/bin/true", "[ 1 ]", "[[ 1 ]]",
                          "((1))", "(( 1 ))", "test 1"})
_ALWAYS_FALSE = frozenset({"false", "/bin/false", "/usr/bin/false", "! true", "! :",
                           "((0))", "(( 0 ))"})
_STOPPERS = frozenset({"break", "exit", "return", "wait"})


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog in ("stress", "stress-ng"):
        return [Finding(Level.DANGEROUS, f"`{prog}` deliberately exhausts CPU, memory or disk "
                                         "until it is stopped", RULE)]
    if prog == "fallocate":
        return _fallocate(inv, ctx)
    if prog in INTERPRETERS and prog not in SHELLS and inv.code_words:
        return _spawning_code(inv)
    findings = _endless_source(inv, ctx)
    if prog == "dd" and not findings:
        findings = _dd_size(inv, ctx)
    if prog == "head":
        findings += _head_size(inv, ctx)
    return findings


def check_command(ctx: Context) -> list[Finding]:
    """Loops, judged once per parse (the line itself and any `bash -c` code inside it)."""
    parses: list[ParsedCommand] = [ctx.parsed]
    for inv in ctx.invocations:
        if all(inv.parsed is not p for p in parses):
            parses.append(inv.parsed)
    findings: list[Finding] = []
    for parsed in parses:
        if parsed.root is None:
            continue
        for loop in _loops(parsed.root):
            findings += _loop(loop, parsed)
    return findings


# -- loops -------------------------------------------------------------------------------------


def _loops(root: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    stack = [root]
    seen = 0
    while stack and seen < 20_000:
        node = stack.pop()
        seen += 1
        if node.type in ("while_statement", "for_statement", "c_style_for_statement"):
            yield node
        stack.extend(node.children)


def _loop(node: tree_sitter.Node, parsed: ParsedCommand) -> list[Finding]:
    body = node.child_by_field_name("body") or next(
        (c for c in node.children if c.type == "do_group"), None)
    if body is None:
        return []
    passes = _passes(node)  # None: endless; 0: unknown or few
    inside = [c for c in parsed.commands if body.start_byte <= c.start < body.end_byte]
    if any(c.program in _STOPPERS for c in inside):
        return []
    spawns = _has_background(body)
    if spawns and passes is None:
        return [Finding(Level.DANGEROUS,
                        "an endless loop starts a background process on every pass: processes "
                        "pile up until the machine runs out of them", RULE)]
    if spawns and passes is not None and passes > MANY_PROCESSES:
        return [Finding(Level.DANGEROUS,
                        f"starts {passes:,} background processes at once, more than the machine "
                        "may allow", RULE)]
    sleeps = any(c.program == "sleep" for c in inside)
    if passes is None and _backgrounded(node) and not sleeps:
        return [Finding(Level.DANGEROUS, "runs an endless loop in the background, keeping a "
                                         "CPU core busy until it is killed", RULE)]
    if passes is None:
        appended = _appended_file(inside)
        if appended:
            if sleeps:
                return [Finding(Level.CAUTION, f"appends to {quote(appended)} forever", RULE)]
            return [Finding(Level.DANGEROUS,
                            f"an endless loop appends to {quote(appended)} as fast as it can, "
                            "until the disk is full", RULE)]
    return []


def _text(node: tree_sitter.Node | None) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _passes(node: tree_sitter.Node) -> int | None:
    """None for a loop that never ends by itself; else how many passes (0 when unknown)."""
    if node.type == "c_style_for_statement":
        return None if re.match(r"for\s*\(\(\s*[^;]*;\s*;", _text(node)) else 0
    if node.type == "while_statement":
        keyword = node.children[0].type if node.children else "while"
        condition = _text(node.child_by_field_name("condition") or (
            node.children[1] if len(node.children) > 1 else None))
        condition = " ".join(condition.rstrip(";& \n").split())
        endless = _ALWAYS_FALSE if keyword == "until" else _ALWAYS_TRUE
        return None if condition in endless else 0
    values = [c for c in node.children if c.is_named and c.type not in (
        "variable_name", "do_group")]
    total = 0
    for value in values:
        total += _count(value)
    return total


def _count(value: tree_sitter.Node) -> int:
    text = _text(value)
    braces = re.fullmatch(r"\{(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?\}", text)
    if braces:
        first, last = int(braces.group(1)), int(braces.group(2))
        step = abs(int(braces.group(3) or 1)) or 1
        return abs(last - first) // step + 1
    seq = re.fullmatch(r"[$]\(\s*seq\s+((?:-?\d+\s+){0,2}-?\d+)\s*\)|`\s*seq\s+((?:-?\d+\s+)"
                       r"{0,2}-?\d+)\s*`", text)
    if seq:
        numbers = [int(n) for n in (seq.group(1) or seq.group(2)).split()]
        first, step, last = (1, 1, numbers[0]) if len(numbers) == 1 else (
            (numbers[0], 1, numbers[1]) if len(numbers) == 2 else tuple(numbers))
        return max(0, (last - first) // (step or 1) + 1)
    return 1


def _backgrounded(node: tree_sitter.Node) -> bool:
    """`while ...; done &` (possibly with redirects after `done`)."""
    while node.parent is not None and node.parent.type == "redirected_statement":
        node = node.parent
    following = node.next_sibling
    return following is not None and following.type == "&"


def _has_background(node: tree_sitter.Node) -> bool:
    """A `&` that ends a statement inside the loop body (not `&&`, not a redirect's `&`)."""
    stack = list(node.children)
    while stack:
        child = stack.pop()
        if child.type == "&" and not child.is_named:
            return True
        if child.type not in ("command_substitution", "process_substitution"):
            stack.extend(child.children)
    return False


def _appended_file(commands: list[SimpleCommand]) -> str | None:
    for cmd in commands:
        for r in cmd.redirects:
            if r.operator in (">>", "&>>") and r.target is not None and \
                    r.target.unquoted not in DEV_SINKS and not r.target.unquoted.startswith(
                        "/dev/"):
                return r.target.text
        if cmd.program == "tee" and any(a in ("-a", "--append") for a in cmd.argv):
            files = [a for a in cmd.argv if not a.startswith("-")]
            if files:
                return files[0]
    return None


# -- interpreters ------------------------------------------------------------------------------

_ENDLESS_CODE = re.compile(r"while\s*\(?\s*(?:true|True|1)\s*\)?|for\s*\(\s*;\s*;\s*\)|"
                           r"\bloop\s*(?:do|\{)|\bcount\(\s*\)|\biter\(\s*int\s*,")
_SPAWN_CODE = re.compile(r"\b(?:spawn|spawnSync|exec|execSync|execFile|Popen|system|popen|"
                         r"run|call|Process)\s*\(|`[^`]+`|\bspawn\b")


def _spawning_code(inv: Invocation) -> list[Finding]:
    """`node -e 'while (true) spawn(...)'`: an endless loop that starts processes (a loop that
    calls fork() is `fork_bomb`'s)."""
    code = " ".join(w.unquoted for w in inv.code_words)
    if "fork" in code or not _ENDLESS_CODE.search(code) or not _SPAWN_CODE.search(code):
        return []
    if re.search(r"\bbreak\b|\bexit\b|\breturn\b|sys\.exit|process\.exit", code):
        return []
    return [Finding(Level.DANGEROUS, f"{inv.program} code starts processes in an endless loop: "
                                     "they pile up until the machine runs out", RULE)]


# -- endless sources ---------------------------------------------------------------------------


def _reads_endless(inv: Invocation) -> str | None:
    """What makes this program produce output forever, or None."""
    prog = inv.program
    if prog == "yes":
        return "`yes`"
    if prog == "dd":
        values = dict(a.split("=", 1) for a in inv.argv if "=" in a)
        if values.get("if") in ENDLESS_DEVICES and "count" not in values:
            return f"`dd` from {values['if']} without a count"
        return None
    if prog in _STREAMERS:
        device = next((a for a in inv.argv if a in ENDLESS_DEVICES), None)
        device = device or next((r.target.unquoted for r in inv.redirects
                                 if r.operator == "<" and r.target is not None
                                 and r.target.unquoted in ENDLESS_DEVICES), None)
        if device:
            return f"`{prog} {device}`" if device in inv.argv else f"`{prog} < {device}`"
    return None


def _endless_source(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.program in _HOARDERS:
        device = next((a for a in inv.argv if a in ENDLESS_DEVICES), None) or next(
            (r.target.unquoted for r in inv.redirects if r.operator == "<"
             and r.target is not None and r.target.unquoted in ENDLESS_DEVICES), None)
        if device:
            return [Finding(Level.DANGEROUS, f"`{inv.program}` reads the endless {device} into "
                                             "memory until the machine runs out of it", RULE)]
        return []
    source = _reads_endless(inv)
    if source is None:
        return []
    downstream = ctx.downstream(inv)
    if any(_bounds(d) or d.program not in _PASS_THROUGH | _HOARDERS for d in downstream):
        return []  # a consumer that stops (head) or decides when it is done (`yes | apt ...`)
    hoarder = next((d for d in downstream if d.program in _HOARDERS), None)
    if hoarder is not None:
        return [Finding(Level.DANGEROUS, f"{source} feeds `{hoarder.program}`, which keeps "
                                         "everything in memory until the machine runs out of it",
                        RULE)]
    for stage in (inv, *downstream):
        written = _written_file(stage)
        if written:
            where = "memory (/dev/shm is RAM)" if written.startswith("/dev/shm") else "the disk"
            return [Finding(Level.DANGEROUS, f"{source} writes endless data to "
                                             f"{quote(written)} until {where} is full", RULE)]
    if inv.command.background:
        return [Finding(Level.DANGEROUS, f"{source} runs forever in the background, keeping a "
                                         "CPU core busy until it is killed", RULE)]
    return [Finding(Level.CAUTION, f"{source} runs until you interrupt it", RULE)]


def _bounds(inv: Invocation) -> bool:
    argv = inv.argv
    if inv.program in _BOUNDING:
        return True
    if inv.program in ("grep", "egrep", "rg") and any(
            a in ("-q", "--quiet", "-l", "-m") or a.startswith(("-m", "--max-count"))
            for a in argv):
        return True
    if inv.program == "dd" and any(a.startswith("count=") for a in argv):
        return True
    return inv.program == "sed" and any(a.endswith("q") for a in argv if not a.startswith("-"))


def _written_file(inv: Invocation) -> str | None:
    """A regular file this stage writes its output to (not a sink, not a device)."""
    for r in inv.redirects:
        if r.writes_file and r.target is not None and r.fd in (None, "1", "&") and \
                _is_file(r.target.unquoted):
            return r.target.unquoted
    if inv.program == "tee":
        return next((w.unquoted for w in operands(inv.args) if _is_file(w.unquoted)), None)
    if inv.program == "dd":
        out = next((a[3:] for a in inv.argv if a.startswith("of=")), None)
        if out and _is_file(out) and not any(a.startswith("count=") for a in inv.argv):
            return out
    return None


def _is_file(path: str) -> bool:
    return path not in DEV_SINKS and not path.startswith("&") and (
        not path.startswith("/dev/") or path.startswith("/dev/shm/"))


# -- large allocations -------------------------------------------------------------------------


_UNITS = {"": 1, "c": 1, "w": 2, "b": 512, "k": 1024, "kb": 1000, "kib": 1024}
for _i, _letter in enumerate("mgtpe", start=2):
    _UNITS[_letter] = 1024 ** _i
    _UNITS[_letter + "b"] = 1000 ** _i
    _UNITS[_letter + "ib"] = 1024 ** _i


def parse_size(text: str) -> int | None:
    """`1T` -> 1024**4, `10GB` -> 10**10, `512` -> 512 (the convention of fallocate, dd,
    head)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([A-Za-z]*)", text.strip())
    if not match:
        return None
    unit = _UNITS.get(match.group(2).lower())
    if unit is None:
        return None
    number = match.group(1)
    if len(number) > 24:
        return MAX_SIZE  # more than any disk; keeps the arithmetic and wording finite
    return min(int(float(number) * unit), MAX_SIZE)


def _free_bytes(path: str) -> int | None:
    probe = path
    while probe and not os.path.isdir(probe):
        probe = os.path.dirname(probe.rstrip("/")) or "/"
        if probe == "/":
            break
    try:
        st = os.statvfs(probe or "/")
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def _allocation(size: int, target_word: str, ctx: Context, what: str) -> list[Finding]:
    target = ctx.target(synthetic_word(target_word))
    free = _free_bytes(target.path) if target.path else None
    shown = quote(target_word)
    if free is not None and size >= FULL_FRACTION * free:
        return [Finding(Level.DANGEROUS, f"{what} {human_size(size)} in {shown}, more than the "
                                         f"{human_size(free)} free on that file system: "
                                         "it fills the disk", RULE)]
    if free is None and size >= UNKNOWN_FREE_LIMIT:
        return [Finding(Level.DANGEROUS, f"{what} {human_size(size)} in {shown}, enough to fill "
                                         "most disks", RULE)]
    extra = f" (of {human_size(free)} free)" if free is not None else ""
    return [Finding(Level.CAUTION, f"{what} {human_size(size)} in {shown}{extra}", RULE)]


def _fallocate(inv: Invocation, ctx: Context) -> list[Finding]:
    if any(a in ("-d", "--dig-holes", "-p", "--punch-hole", "-c", "--collapse-range",
                 "-z", "--zero-range", "-i", "--insert-range") for a in inv.argv):
        return []
    lengths = option_values(inv.args, "-l", "--length")
    files = operands(inv.args, "lo", frozenset({"--length", "--offset"}))
    if not lengths or not files:
        return []
    size = parse_size(lengths[-1].unquoted)
    if size is None:
        return []
    return _allocation(size, files[-1].unquoted, ctx, "reserves")


def _dd_size(inv: Invocation, ctx: Context) -> list[Finding]:
    values = dict(a.split("=", 1) for a in inv.argv if "=" in a)
    out = values.get("of")
    if not out or not _is_file(out) or "count" not in values:
        return []
    block = parse_size(values.get("bs") or values.get("obs") or "512")
    count = parse_size(values["count"])
    if block is None or count is None:
        return []
    return [f for f in _allocation(block * count, out, ctx, "writes")
            if f.level is Level.DANGEROUS]


def _head_size(inv: Invocation, ctx: Context) -> list[Finding]:
    sizes = option_values(inv.args, "-c", "--bytes")
    if not sizes or not any(a in ENDLESS_DEVICES for a in inv.argv):
        return []
    size = parse_size(sizes[-1].unquoted.lstrip("+"))
    if size is None:
        return []
    for stage in (inv, *ctx.downstream(inv)):
        written = _written_file(stage)
        if written:
            return [f for f in _allocation(size, written, ctx, "writes")
                    if f.level is Level.DANGEROUS]
    return []
