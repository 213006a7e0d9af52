"""Running code straight from a download or from a decoded blob: `curl … | sh`, `wget -O- | bash`,
`base64 -d | sh`, `bash <(curl …)`, `python -c "$(curl …)"`, `eval "$(wget -qO- …)"`, and
`curl -o x.sh … && bash x.sh`.

Dangerous: whatever the server (or the hidden text) says runs with your rights, unseen.
"""

from __future__ import annotations

from urllib.parse import urlparse

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, option_values
from nlsh.safety.programs import DOWNLOADERS, INTERPRETERS
from nlsh.safety.rules.common import operands

RULE = "remote_exec"

_CODE_RUNNERS = frozenset(INTERPRETERS) | {"eval", "source", ".", "sudo", "xargs"}


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None or prog not in _CODE_RUNNERS:
        return []
    runner = {"source": "the current shell (source)", ".": "the current shell (`.`)"}.get(
        prog, prog)
    findings: list[Finding] = []
    if inv.reads_stdin_code:
        for source in ctx.upstream(inv):
            finding = _source_finding(source, runner, "pipes", ctx)
            if finding:
                findings.append(finding)
                break
    words = list(inv.code_words) + [w for w in inv.args if w.has_expansion]
    for word in words:
        for source in ctx.nested(inv, word):
            finding = _source_finding(source, runner, "feeds", ctx)
            if finding:
                findings.append(finding)
                break
    if inv.script_args or prog in ("source", "."):
        findings += _downloaded_script(inv, ctx, runner)
    return findings


def _source_finding(source: Invocation, runner: str, verb: str,
                    ctx: Context) -> Finding | None:
    if is_download(source):
        host = download_host(source)
        return Finding(Level.DANGEROUS,
                       f"{verb} a download from {host} straight into {runner}, which runs "
                       "whatever the server sends", RULE)
    if is_decoder(source):
        return Finding(Level.DANGEROUS,
                       f"{verb} decoded hidden text ({source.program}) straight into {runner}, "
                       "which runs it unseen", RULE)
    return None


def is_download(inv: Invocation) -> bool:
    if inv.program not in DOWNLOADERS:
        return False
    return any(_looks_like_url(a) for a in inv.argv) or inv.program in ("curl", "wget")


def is_decoder(inv: Invocation) -> bool:
    argv = inv.argv
    prog = inv.program
    if prog in ("base64", "base32", "basenc"):
        return any(a in ("-d", "--decode", "-D") or (a.startswith("-") and not a.startswith("--")
                                                     and "d" in a) for a in argv)
    if prog == "xxd":
        return any(a.startswith("-r") for a in argv)
    if prog == "openssl":
        return "-d" in argv or ("-base64" in argv and "-d" in argv)
    return prog in ("uudecode", "unbase64")


def _looks_like_url(text: str) -> bool:
    return "://" in text or (not text.startswith("-") and "." in text.split("/", 1)[0]
                             and "/" in text)


def download_host(inv: Invocation) -> str:
    for arg in inv.argv:
        if _looks_like_url(arg):
            parsed = urlparse(arg if "://" in arg else "https://" + arg)
            if parsed.hostname:
                return parsed.hostname
    return "the internet"


def _downloaded_script(inv: Invocation, ctx: Context, runner: str) -> list[Finding]:
    """`curl -o x.sh URL && bash x.sh`: the script was fetched by an earlier command."""
    script = next((w for w in operands(inv.args) if w.is_static), None)
    if script is None:
        return []
    name = script.unquoted.rsplit("/", 1)[-1]
    for other in ctx.invocations:
        if other.parsed is not inv.parsed or other.command.start >= inv.command.start:
            continue
        if other.program not in ("curl", "wget"):
            continue
        if other.program == "curl":
            outputs = option_values(other.args, "-o", "--output")
            by_url = "-O" in other.argv or "--remote-name" in other.argv
        else:
            outputs = option_values(other.args, "-O", "--output-document")
            by_url = not outputs
        names = {w.unquoted.rsplit("/", 1)[-1] for w in outputs}
        if by_url:
            names |= {a.rstrip("/").rsplit("/", 1)[-1] for a in other.argv if _looks_like_url(a)}
        if name in names:
            return [Finding(Level.DANGEROUS,
                            f"downloads a script from {download_host(other)} and runs it with "
                            f"{runner} without showing it", RULE)]
    return []
