"""The floor every program gets: `safe` only for a known read-only program with no writing
options and no writing redirects; `caution` for anything that writes files or changes state in
an ordinary way (mkdir, cp, mv, git commit, pip install), for unknown programs, and for code run
through an interpreter.

Writing options that make a reader a writer: `sort -o`, `sed -i`, `tee FILE`, `find -fprint`,
`uniq IN OUT`, `curl -o`, `date -s`, `xxd -r IN OUT`, `awk` programs that write or run commands.
Redirects to `/dev/null` and `2>&1` are fine; `> file` writes (and overwrites if it exists).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import Invocation, has_long, has_short_flag, option_values
from nlsh.safety.paths import Scope
from nlsh.safety.programs import (
    GIT_READ_ONLY,
    INTERPRETERS,
    PRINTS_WITHOUT_ARGS,
    READ_ONLY,
    SHELLS,
    WRITER_DESCRIPTIONS,
)
from nlsh.safety.rules.common import DEV_SINKS, operands, quote, shown_path, subcommand

RULE = "baseline"
REDIRECT_RULE = "baseline.redirect"  # kept even when a specific rule explains the program

ReadOnlyTest = Callable[[Invocation], bool]


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    findings = _redirect_writes(inv, ctx)
    prog = inv.program
    if prog is None:
        return findings  # bare redirects; dynamic names are the obfuscation rule's business
    if inv.code_words or inv.reads_stdin_code or inv.script_args:
        return findings + _code_runner(inv)
    if inv.privileged and prog in ("sudo", "doas", "pkexec", "su", "runuser"):
        return findings  # `sudo -l`, `sudo -v`: nothing else runs (root shells: privilege rule)
    if prog in inv.parsed.functions:
        return findings  # a function defined on this line: its body is judged on its own
    if _only_help(inv):
        return findings
    special = _SPECIAL.get(prog)
    if special is not None:
        reason = special(inv)
        if reason is None:
            return findings
        return [*findings, Finding(Level.CAUTION, reason, RULE, _writer_touches(inv, ctx))]
    if prog in READ_ONLY:
        return findings
    if prog in PRINTS_WITHOUT_ARGS and not inv.args:
        return findings
    touches = _writer_touches(inv, ctx)
    if prog in WRITER_DESCRIPTIONS:
        reason = f"`{prog}` {WRITER_DESCRIPTIONS[prog]}"
    elif prog in PRINTS_WITHOUT_ARGS:
        reason = f"`{prog}` changes settings of the shell or system"
    else:
        reason = f"`{prog}` is not a program nlsh knows to be read-only"
    return [*findings, Finding(Level.CAUTION, reason, RULE, touches)]


def _code_runner(inv: Invocation) -> list[Finding]:
    prog = inv.program or "?"
    if inv.via is not None and inv.nesting_exceeded:
        return [Finding(Level.CAUTION, "code nested too deeply to check", RULE)]
    if prog in SHELLS or prog == "eval":
        code = inv.code_words
        if code and any(w.has_expansion for w in code):
            return [Finding(Level.CAUTION, f"{prog} runs code that is only known at run time",
                            RULE)]
        if code:
            return []  # the code itself was parsed and is judged command by command
        if inv.script_args:
            script = next((w.text for w in operands(inv.args)), "a script")
            return [Finding(Level.CAUTION, f"runs the script {quote(script)} (not checked)",
                            RULE)]
        if inv.command.pipeline_position > 1:
            return [Finding(Level.CAUTION, f"runs whatever commands are piped into {prog}",
                            RULE)]
        return [Finding(Level.CAUTION, f"opens a new {prog} shell", RULE)]
    if prog in ("source", "."):
        return [Finding(Level.CAUTION, "runs a script inside the current shell (not checked)",
                        RULE)]
    language = {"python": "Python", "python3": "Python", "perl": "Perl", "ruby": "Ruby",
                "node": "JavaScript", "php": "PHP"}.get(prog, prog)
    if prog in INTERPRETERS:
        return [Finding(Level.CAUTION, f"runs {language} code (nlsh checks only the shell "
                                       "commands and file deletions in it)", RULE)]
    return [Finding(Level.CAUTION, f"`{prog}` runs code", RULE)]


def _only_help(inv: Invocation) -> bool:
    known = inv.program in READ_ONLY or inv.program in WRITER_DESCRIPTIONS or \
        inv.program in INTERPRETERS
    return known and bool(inv.argv) and all(
        a in ("--help", "-h", "--version", "-V", "help") for a in inv.argv)


def _redirect_writes(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for r in inv.redirects:
        if not r.writes_file or r.target is None:
            continue
        text = r.target.unquoted
        if text in DEV_SINKS or text.startswith(("/dev/fd/", "&")) or text == "-":
            continue
        target = ctx.target(r.target)
        if target.path is None:
            findings.append(Finding(Level.CAUTION,
                                    f"writes output to {quote(r.target.text)}, a file only "
                                    "known at run time", REDIRECT_RULE))
            continue
        shown = quote(shown_path(target.path, ctx) if target.scope is not Scope.INSIDE_CWD
                      else r.target.text)
        if r.truncates:
            exists = os.path.lexists(target.path)
            verb = "overwrites" if exists else "writes output to"
            findings.append(Finding(Level.CAUTION, f"{verb} {shown}", REDIRECT_RULE,
                                    (Touch(target.path, "overwrite"),)))
        else:
            findings.append(Finding(Level.CAUTION, f"appends to {shown}", REDIRECT_RULE))
    return findings


def _writer_touches(inv: Invocation, ctx: Context) -> tuple[Touch, ...]:
    """cp/mv onto existing files overwrite them; mv also moves its sources."""
    prog = inv.program
    if prog not in ("cp", "mv", "install", "sort", "tee", "truncate", "sed"):
        return ()
    touches: list[Touch] = []
    if prog in ("cp", "mv", "install"):
        words = operands(inv.args, "tS", frozenset({"--target-directory", "--suffix"}))
        explicit = option_values(inv.args, "-t", "--target-directory")
        dest_word = explicit[0] if explicit else (words[-1] if len(words) >= 2 else None)
        sources = words if explicit else words[:-1]
        if dest_word is None:
            return ()
        dest = ctx.target(dest_word)
        if dest.path is None:
            return ()
        for src in sources:
            s = ctx.target(src)
            if s.path is None:
                continue
            if prog == "mv":
                touches.append(Touch(s.path, "move", recursive=True, glob=s.glob, to=dest.path))
            if os.path.isdir(dest.path):
                if not s.glob:
                    landing = os.path.join(dest.path, os.path.basename(s.path.rstrip("/")))
                    if os.path.isfile(landing):
                        touches.append(Touch(landing, "overwrite"))
            elif os.path.isfile(dest.path):
                touches.append(Touch(dest.path, "overwrite"))
        return tuple(touches)
    if prog == "sort":
        outs = option_values(inv.args, "-o", "--output")
    elif prog == "tee":
        outs = [] if has_short_flag(inv.args, "a") or has_long(inv.args, "--append") else \
            operands(inv.args)
    elif prog == "truncate":
        outs = operands(inv.args, "sr", frozenset({"--size", "--reference"}))
    else:
        outs = []
    for word in outs:
        t = ctx.target(word)
        if t.path and t.path not in DEV_SINKS and os.path.isfile(t.path):
            touches.append(Touch(t.path, "overwrite"))
    return tuple(touches)


# -- programs that read or write depending on their options ---------------------------------
# Each returns None when the invocation only reads, else a reason.


def _sort(inv: Invocation) -> str | None:
    outs = option_values(inv.args, "-o", "--output")
    return f"sort writes its output to {quote(outs[0].text)}" if outs else None


def _sed(inv: Invocation) -> str | None:
    argv = inv.argv
    if any(a == "--in-place" or a.startswith("--in-place=") or (
            a.startswith("-") and not a.startswith("--") and "i" in a[1:].split("e")[0])
            for a in argv):
        return "sed -i edits files in place"
    scripts = [w.unquoted for w in option_values(inv.args, "-e", "--expression")]
    if not scripts:
        ops = operands(inv.args, "ef", frozenset({"--expression", "--file"}))
        scripts = [ops[0].unquoted] if ops else []
    for script in scripts:
        for piece in script.replace("}", ";").split(";"):
            piece = piece.strip()
            if piece[:1] in ("w", "W") or piece[:1] == "e" or (
                    piece.startswith("s") and len(piece) > 1 and _sed_s_flags(piece)):
                return "the sed script writes files or runs commands"
    return None


def _sed_s_flags(piece: str) -> bool:
    delim = piece[1]
    parts = piece[2:].split(delim)
    if len(parts) < 3:
        return False
    flags = parts[2]
    return "w" in flags or "e" in flags


def _tee(inv: Invocation) -> str | None:
    files = [w for w in operands(inv.args) if w.unquoted not in DEV_SINKS]
    if not files:
        return None
    verb = "appends" if has_short_flag(inv.args, "a") or has_long(inv.args, "--append") else \
        "writes"
    return f"tee {verb} to {', '.join(quote(w.text) for w in files[:3])}"


def _find(inv: Invocation) -> str | None:
    scope = inv.find_scope
    if scope is not None and scope.written_files:
        return f"find writes its results to {quote(scope.written_files[0].text)}"
    return None


def _uniq(inv: Invocation) -> str | None:
    ops = operands(inv.args, "fsw", frozenset({"--skip-fields", "--skip-chars", "--check-chars"}))
    return f"uniq writes to {quote(ops[1].text)}" if len(ops) >= 2 else None


def _date(inv: Invocation) -> str | None:
    if has_short_flag(inv.args, "s") or has_long(inv.args, "--set"):
        return "date -s sets the system clock"
    # Only an operand sets the clock (MMDDhhmm…); the value of -d/--date, -f or -r is read.
    values = frozenset({"--date", "--file", "--reference"})
    if any(w.unquoted[:1].isdigit() for w in operands(inv.args, "dfr", values)):
        return "date with a time argument sets the system clock"
    return None


def _hostname(inv: Invocation) -> str | None:
    ops = [a for a in inv.argv if not a.startswith("-")]
    return "hostname changes the machine's name" if ops else None


def _curl(inv: Invocation) -> str | None:
    writes = {"-o", "--output", "-O", "--remote-name", "--remote-name-all", "-J",
              "--output-dir", "-c", "--cookie-jar", "-D", "--dump-header"}
    sends = {"-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form",
             "-T", "--upload-file", "--json", "-X", "--request"}
    for a in inv.argv:
        key = a.split("=", 1)[0]
        if key in writes or (a.startswith("-o") and not a.startswith("--") and len(a) > 2):
            return "curl saves a download to a file"
        if key in sends:
            return "curl sends data to a server"
    return None


def _wget(inv: Invocation) -> str | None:
    argv = inv.argv
    to_stdout = any(a in ("-O-", "-qO-", "-qO", "--output-document=-", "--spider") for a in argv) \
        or any(a.startswith("-") and a.endswith("O") and i + 1 < len(argv) and argv[i + 1] == "-"
               for i, a in enumerate(argv))
    if to_stdout and not any(a.startswith("--post") for a in argv):
        return None
    return "wget downloads files to disk"


def _git(inv: Invocation) -> str | None:
    from nlsh.safety.rules.git_history import split_git

    sub, rest = split_git(inv.args)
    if sub is None:
        return None
    argv = [w.unquoted for w in rest]
    if sub in GIT_READ_ONLY and not any(a.startswith("--output") for a in argv):
        return None
    listing = {
        "branch": lambda: not [a for a in argv if not a.startswith("-")] or (any(
            a in ("-l", "--list", "-a", "-r", "--contains", "--merged", "--no-merged",
                  "--show-current") for a in argv) and not any(
            a in ("-d", "-D", "-m", "-M", "-c", "-C", "--delete", "--move") for a in argv)),
        "tag": lambda: not argv or argv[0] in ("-l", "--list", "-n", "--contains", "--points-at"),
        "stash": lambda: bool(argv) and argv[0] in ("list", "show"),
        "remote": lambda: not argv or argv[0] in ("-v", "--verbose", "show", "get-url"),
        "config": lambda: any(a in ("--get", "--get-all", "--list", "-l", "--get-regexp",
                                    "--show-origin") for a in argv) or (
            len([a for a in argv if not a.startswith("-")]) == 1),
        "reflog": lambda: not argv or argv[0] in ("show", "exists") or argv[0].startswith("-"),
        "worktree": lambda: argv[:1] == ["list"],
        "submodule": lambda: not argv or argv[0] in ("status", "summary"),
        "notes": lambda: not argv or argv[0] in ("list", "show"),
        "fetch": lambda: "--dry-run" in argv,
        "clean": lambda: "--dry-run" in argv or any(
            a.startswith("-") and not a.startswith("--") and "n" in a for a in argv),
    }
    test = listing.get(sub)
    if test is not None and test():
        return None
    return f"git {sub} changes the repository"


def _xxd(inv: Invocation) -> str | None:
    ops = operands(inv.args, "cglos", frozenset())
    return "xxd writes to a file" if len(ops) >= 2 else None


def _awk(inv: Invocation) -> str | None:
    if any(a in ("-i", "--include") for a in inv.argv) and "inplace" in inv.argv:
        return "awk edits files in place"
    ops = operands(inv.args, "fvF", frozenset())
    program = ops[0].unquoted if ops else ""
    if "system(" in program or "| getline" in program or '|&' in program:
        return "the awk program runs shell commands"
    for statement in program.replace("}", ";").replace("{", ";").split(";"):
        statement = statement.strip()
        if statement.startswith(("print", "printf")) and (">" in statement or "|" in statement):
            return "the awk program writes to files or commands"
    return None


def _first_arg_in(*allowed: str) -> ReadOnlyTest:
    def test(inv: Invocation) -> bool:
        verb, _ = subcommand(inv.args)
        return verb is None or verb in allowed
    return test


def _reads_if(test: ReadOnlyTest, reason: str) -> Callable[[Invocation], str | None]:
    def check(inv: Invocation) -> str | None:
        return None if test(inv) else reason
    return check


def _flag_in(*flags: str) -> ReadOnlyTest:
    return lambda inv: any(a in flags for a in inv.argv)


def _no_args_or(*flags: str) -> ReadOnlyTest:
    return lambda inv: not inv.args or all(a in flags for a in inv.argv)


_SPECIAL: dict[str, Callable[[Invocation], str | None]] = {
    "sort": _sort, "sed": _sed, "gsed": _sed, "tee": _tee, "find": _find, "uniq": _uniq,
    "date": _date, "hostname": _hostname, "curl": _curl, "wget": _wget, "git": _git,
    "xxd": _xxd, "awk": _awk, "gawk": _awk, "mawk": _awk, "nawk": _awk,
    "systemctl": _reads_if(_first_arg_in(
        "status", "list-units", "list-unit-files", "list-timers", "list-sockets",
        "list-dependencies", "list-jobs", "is-active", "is-enabled", "is-failed",
        "is-system-running", "show", "cat", "help", "get-default", "--version"),
        "systemctl changes service state"),
    "journalctl": _reads_if(lambda inv: not any(a.startswith(("--vacuum", "--rotate", "--flush",
                                                               "--sync", "--relinquish"))
                                                for a in inv.argv),
                            "journalctl deletes or rotates logs"),
    "docker": _reads_if(_first_arg_in(
        "ps", "images", "logs", "inspect", "version", "info", "stats", "top", "history", "port",
        "diff", "search", "events"), "docker changes containers or images"),
    "podman": _reads_if(_first_arg_in("ps", "images", "logs", "inspect", "version", "info",
                                      "stats", "top", "history", "port"),
                        "podman changes containers or images"),
    "kubectl": _reads_if(_first_arg_in(
        "get", "describe", "logs", "top", "version", "explain", "api-resources", "api-versions",
        "cluster-info", "auth"), "kubectl changes the cluster"),
    "apt": _reads_if(_first_arg_in("list", "show", "search", "policy", "depends", "rdepends",
                                   "changelog"), "apt changes system packages"),
    "apt-cache": _reads_if(lambda inv: True, ""),
    "dpkg": _reads_if(_flag_in("-l", "-L", "-s", "-S", "--list", "--listfiles", "--status",
                               "--search", "-p", "--print-architecture", "--get-selections"),
                      "dpkg changes system packages"),
    "dpkg-query": _reads_if(lambda inv: True, ""),
    "rpm": _reads_if(lambda inv: any(a.startswith("-q") for a in inv.argv),
                     "rpm changes system packages"),
    "pip": _reads_if(_first_arg_in("list", "show", "freeze", "check", "search", "index",
                                   "inspect", "debug", "config", "cache"),
                     "pip changes Python packages"),
    "pip3": _reads_if(_first_arg_in("list", "show", "freeze", "check", "search", "index",
                                    "inspect", "debug"), "pip changes Python packages"),
    "npm": _reads_if(_first_arg_in("ls", "list", "view", "info", "outdated", "search",
                                   "root", "bin", "prefix", "config", "help", "audit", "doctor",
                                   "explain", "why", "query"), "npm changes packages"),
    "brew": _reads_if(_first_arg_in("list", "ls", "info", "search", "outdated", "deps", "uses",
                                    "leaves", "doctor", "config", "--prefix", "home", "desc"),
                      "brew changes Homebrew packages"),
    "tar": _reads_if(lambda inv: has_short_flag(inv.args, "t") or has_long(inv.args, "--list"),
                     "tar creates or extracts files"),
    "unzip": _reads_if(lambda inv: any(a in ("-l", "-v", "-t", "-Z") for a in inv.argv),
                       "unzip extracts files"),
    "gzip": _reads_if(lambda inv: any(a in ("-l", "--list", "-t", "--test", "-c", "--stdout")
                                      for a in inv.argv), "gzip compresses files in place"),
    "crontab": _reads_if(_flag_in("-l"), "crontab replaces your scheduled jobs"),
    "fdisk": _reads_if(_flag_in("-l", "--list"), "fdisk edits partition tables"),
    "sfdisk": _reads_if(_flag_in("-l", "--list", "-d", "--dump"), "sfdisk edits partitions"),
    "parted": _reads_if(lambda inv: any(a in ("-l", "--list", "print") for a in inv.argv),
                        "parted edits partition tables"),
    "ip": _reads_if(lambda inv: not any(a in ("add", "del", "delete", "set", "flush", "change",
                                              "replace", "append", "up", "down")
                                        for a in inv.argv), "ip changes network settings"),
    "ifconfig": _reads_if(lambda inv: len(inv.argv) <= 1 or inv.argv == ["-a"],
                          "ifconfig changes network settings"),
    "mount": _reads_if(_no_args_or("-l", "--list", "-v"), "mount mounts a filesystem"),
    "umask": _reads_if(_no_args_or("-S", "-p"), "umask changes default permissions"),
    "history": _reads_if(lambda inv: not any(a.startswith("-") for a in inv.argv),
                         "history changes the shell history"),
    "dmesg": _reads_if(lambda inv: not any(a in ("-c", "-C", "-D", "-E", "-n", "--clear",
                                                 "--read-clear", "--console-off")
                                           for a in inv.argv), "dmesg changes the kernel log"),
    "alias": _reads_if(lambda inv: all("=" not in a for a in inv.argv),
                       "alias defines a shell alias"),
    "set": _reads_if(lambda inv: not inv.args or inv.argv == ["-o"],
                     "set changes shell options"),
    "export": _reads_if(_no_args_or("-p"), "export changes the shell environment"),
    "declare": _reads_if(lambda inv: all(a.startswith("-") and a in ("-p", "-f", "-F", "-x")
                                         for a in inv.argv), "declare defines variables"),
    "type": _reads_if(lambda inv: True, ""),
    "ls": _reads_if(lambda inv: True, ""),
    "jq": _reads_if(lambda inv: True, ""),
    "yq": _reads_if(lambda inv: not any(a in ("-i", "--inplace") for a in inv.argv),
                    "yq edits files in place"),
    "fd": _reads_if(lambda inv: not any(a in ("-x", "--exec", "-X", "--exec-batch")
                                        for a in inv.argv), "fd runs a command on each match"),
    "ssh-keygen": _reads_if(lambda inv: any(a in ("-l", "-lf", "-F", "-y", "-L", "-Q")
                                            for a in inv.argv),
                            "ssh-keygen creates or changes keys"),
    "openssl": _reads_if(lambda inv: bool(inv.argv) and inv.argv[0] in (
        "version", "x509", "s_client", "list", "help", "dgst", "rand", "verify",
    ) and "-out" not in inv.argv, "openssl writes keys or files"),
    "kill": _reads_if(_flag_in("-l", "-L", "--list", "--table"), "`kill` stops processes"),
    "python": _reads_if(_flag_in("--version", "-V"), "runs Python"),
    "python3": _reads_if(_flag_in("--version", "-V"), "runs Python"),
}
