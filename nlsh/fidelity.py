"""Does a candidate do what was asked, with the values that were given?

Two judgements, each a mark the user sees and a demotion in the ranking:
- intent: a request to show, list, count, find or check gets a command that changes things
  ("goes beyond the request"); a request to delete gets one that deletes nothing ("does not
  do the requested action") or one that spares what was named and deletes the rest, or
  deletes what was not named ("does the opposite");
- values: a value the request names (path, file, extension, number, time span, host ...) is
  missing from the command, or the command brings a value nobody gave (a host, a container,
  a path that is not on this machine, "-mtime -7" for "today"). Retrieved examples bring their
  own values along; these checks catch what adaptation could not carry over.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from nlsh import shellparse
from nlsh.records import Level, ShellContext
from nlsh.retrieval import _normalise_request, extract_entities
from nlsh.values import request_values

# -- what the request asks for ----------------------------------------------------------------

_DELETE_RE = re.compile(r"\b(delete|deletes|deleting|remove|removes|removing|rm|erase|purge|"
                        r"wipe|get rid of|clean ?up|clear out|prune|trash)\b", re.I)
# "remove the duplicate lines", "delete empty lines from notes.txt": text, not files.
_TEXT_OBJECTS = re.compile(r"\b(lines?|duplicates?|whitespace|spaces?|characters?|chars?|"
                           r"columns?|words?|comments?|prefix|suffix|extensions?|trailing|"
                           r"leading|newlines?|header|fields?|strings?|text|tabs?|"
                           r"permissions?|variables?|colou?rs?|package|packages)\b", re.I)
_READ_START = re.compile(r"^\s*(?:please\s+|can you\s+|could you\s+|i want to\s+|i need to\s+|"
                         r"help me\s+)?(show|list|count|find|check|display|print|which|what|"
                         r"where|how many|how much|how big|is|are|does|do|did|tell me|view|"
                         r"see|search|look for|locate|grep|report|preview)\b", re.I)
_CHANGE_RE = re.compile(
    r"\b(delete|remove|rm|erase|purge|wipe|move|mv|rename|copy|cp|create|make|mkdir|write|"
    r"save|append|change|set|edit|replace|substitute|install|uninstall|kill|stop|start|"
    r"restart|compress|archive|zip|unzip|extract|unpack|chmod|chown|truncate|touch|download|"
    r"upload|sync|push|commit|merge|checkout|switch|add|fix|convert|split|link|mount|format|"
    r"update|upgrade|back ?up|empty|overwrite|redirect|output to|into|tee|sort them|"
    r"apply|reset|revert|stash|tag|init|clone|pull|fetch|run|execute|open|launch|send|"
    r"encrypt|decrypt|resize|shrink|rotate|generate)\b", re.I)
# "which files would git clean delete": what a command would do, asked about, changes nothing.
_HYPOTHETICAL = re.compile(r"\b(would|could|might|will|going to|can)\s+(?:be\s+)?\w+(?:\s+\w+)?",
                           re.I)


# "empty server.log without deleting it", "don't remove anything": deletion ruled out.
_NOT_DOING = re.compile(r"\b(without|don't|do not|not|never|no)\s+(?:\w+\s+)?\w+", re.I)


def asks_to_delete(request: str) -> bool:
    text = _NOT_DOING.sub(" ", _HYPOTHETICAL.sub(" ", request))
    return bool(_DELETE_RE.search(text)) and not bool(_TEXT_OBJECTS.search(request))


def asks_to_look(request: str) -> bool:
    """Show, list, count, find, check, a question: nothing is to change."""
    if not _READ_START.search(request):
        return False
    return not _CHANGE_RE.search(_HYPOTHETICAL.sub(" ", request))


# -- what the command does --------------------------------------------------------------------

DELETERS = frozenset({"rm", "rmdir", "unlink", "shred", "trash", "trash-put", "srm", "userdel",
                      "groupdel"})
# `kubectl delete`, `apt remove`, `npm uninstall`, `docker rmi`: a subcommand that removes.
REMOVING_SUBCOMMANDS = frozenset({"delete", "remove", "rm", "rmi", "uninstall", "purge", "prune",
                                  "erase", "del", "drop"})
GIT_DELETES = {"rm": (), "clean": (), "branch": ("-d", "-D", "--delete"),
               "stash": ("drop", "clear"), "tag": ("-d", "--delete")}


def deletes(command: str) -> bool:
    """Whether the command removes files or other things (branches, containers)."""
    return _any_deletes(shellparse.parse(command).commands)


def _any_deletes(commands: list[shellparse.SimpleCommand]) -> bool:
    for cmd in commands:
        argv = [cmd.program or "", *cmd.argv]
        program = argv[0]
        if program == "git":
            if _git_deletes(argv):
                return True
            continue
        if any(os.path.basename(word) in DELETERS for word in argv):
            return True  # rm, and rm run by xargs, find -exec, sudo
        if program == "find" and "-delete" in argv:
            return True
        if any(a in REMOVING_SUBCOMMANDS for a in argv[1:3]) or (
                program == "crontab" and "-r" in argv):
            return True
    return False


_SPARING = re.compile(r"\b(except|excluding|other than|apart from|besides|but not|all but|"
                      r"not the|keep|keeping|leave|leaving|but the|unless)\b", re.I)
def _git_deletes(argv: list[str]) -> bool:
    sub = next((a for a in argv[1:] if not a.startswith("-")), "")
    if sub == "rm" and "--cached" in argv:
        return False  # leaves the files on disk: only git forgets them
    flags = GIT_DELETES.get(sub)
    dry_run = sub == "clean" and any(a in ("-n", "--dry-run") for a in argv)
    return flags is not None and (not flags or any(f in argv for f in flags)) and not dry_run


_NEGATED_TEST = re.compile(r"(?:!|-not)\s+-i?(?:name|path|wholename|regex)\s+(\S+)")


def spares_what_was_named(command: str, request: str) -> bool:
    """A deleting command that negates the request's own pattern (`! -name '*.log'`,
    `grep -v .log | xargs rm`) deletes everything except what was asked for."""
    if _SPARING.search(_ASIDE.sub(" ", request)):
        return False  # the user asked to spare something ("(not in subfolders)" is no such)
    named = [v.text.lstrip("*.") for v in request_values(request) if not v.numeric]
    if _NEGATED_TEST.search(command):
        pattern = _NEGATED_TEST.search(command)
        return pattern is not None and (not named or any(n in pattern.group(1) for n in named))
    for pipeline in shellparse.parse(command).pipelines():
        inverted = [c for c in pipeline if c.program in ("grep", "egrep") and (
            "--invert-match" in c.argv or any(
                re.fullmatch(r"-[A-Za-z]*v[A-Za-z]*", a) for a in c.argv))]
        if inverted and _any_deletes(pipeline):
            return True
    return False


_GLOB_EXT = re.compile(r"\*\.([A-Za-z0-9]{1,5})\b")


def deletes_what_was_not_named(command: str, request: str) -> bool:
    """The request names extensions to delete; every extension the command's patterns name is
    another one (`rm *.txt` for "delete the .log files")."""
    named = {e.value.lower() for e in extract_entities(request) if e.kind == "ext"}
    if not named:
        return False
    used = {m.group(1).lower() for m in _GLOB_EXT.finditer(command)}
    return bool(used) and not (used & named)


# -- values -----------------------------------------------------------------------------------

# Values a command may carry without anyone naming them: loopback, "any address", the public
# resolvers people test connectivity with.
COMMON_HOSTS = frozenset({"127.0.0.1", "0.0.0.0", "localhost", "::1", "8.8.8.8", "1.1.1.1",
                          "8.8.4.4", "1.0.0.1"})
CONTAINER_SUBCOMMANDS = frozenset({"exec", "logs", "stop", "start", "restart", "kill",
                                   "inspect", "attach", "top", "pause", "unpause", "rm", "cp"})
# Programs whose arguments start with a script or pattern (`sed '/DEBUG/d'`), not a path.
SCRIPT_PROGRAMS = frozenset({"sed", "awk", "gawk", "mawk", "grep", "egrep", "fgrep", "rg", "perl",
                             "jq", "tr", "printf", "echo", "python3", "python"})
_REMOTE_SPEC = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?:/|~|\.)")
_DAY_WORDS = {"today": (0, 1), "yesterday": (0, 1, 2), "this week": (6, 7, 8),
              "last week": (6, 7, 8), "past week": (6, 7, 8), "this month": (29, 30, 31),
              "last month": (29, 30, 31), "past month": (29, 30, 31)}
_SPAN_RE = re.compile(r"\b(\d+)\s*(minute|min|hour|hr|day|week|month|year)s?\b", re.I)
_MINUTES = {"minute": 1, "min": 1, "hour": 60, "hr": 60, "day": 1440, "week": 10080,
            "month": 43200, "year": 525600}
_FIND_TIME = re.compile(r"-([amc])(time|min)\s+([+-]?)(\d+)\b")


def request_minutes(request: str) -> set[int]:
    """The time spans a request names, in minutes ("today": up to a day)."""
    text = _normalise_request(request).lower()
    spans: set[int] = set()
    for words, days in _DAY_WORDS.items():
        if re.search(rf"\b{words}\b", text):
            spans.update(d * 1440 for d in days)
    for m in _SPAN_RE.finditer(text):
        spans.add(int(m.group(1)) * _MINUTES[m.group(2)])
    return spans


def _is_span_number(number: str, request: str) -> bool:
    return any(m.group(1) == number for m in _SPAN_RE.finditer(_normalise_request(request)))


def foreign_time_spans(command: str, request: str) -> list[str]:
    """find's -mtime/-mmin values that match no time span the request names."""
    wanted = request_minutes(request)
    if not wanted:
        return []
    foreign: list[str] = []
    for m in _FIND_TIME.finditer(command):
        number = int(m.group(4))
        if m.group(2) == "time":
            # -mtime N counts whole days: "7 days" is -mtime -7 or +6; "today" -mtime 0 or -1.
            ok = any(number * 1440 == w or (number + 1) * 1440 == w or
                     (number - 1) * 1440 == w for w in wanted)
        else:
            ok = number in wanted
        if not ok:
            foreign.append(m.group(0))
    return foreign


def foreign_values(command: str, request: str, context: ShellContext) -> list[str]:
    """Values in the command that neither the request nor the context supplies."""
    said = request.lower() + " " + (context.last_command or "").lower()
    foreign: list[str] = []
    for entity in extract_entities(command):
        if entity.kind in ("ip", "userhost", "host", "url") and entity.value not in COMMON_HOSTS:
            host = entity.value.split("@")[-1]
            if entity.value.lower() not in said and host.lower() not in said and not any(
                    entity.value in other for other in foreign):
                foreign.append(entity.value)
    for cmd in shellparse.parse(command).commands:
        foreign.extend(_foreign_words(cmd, said, context))
    foreign.extend(foreign_time_spans(command, request))
    unique = list(dict.fromkeys(foreign))
    # `ubuntu@192.168.1.10` says it once: not again as the host of `ubuntu@192.168.1.10:/x`.
    return [v for v in unique if not any(v != other and v in other for other in unique)]


def _foreign_words(cmd: shellparse.SimpleCommand, said: str,
                   context: ShellContext) -> list[str]:
    found: list[str] = []
    words = [w for w in cmd.args if w.is_static]
    for word in words:
        text = word.unquoted
        remote = _REMOTE_SPEC.match(text)
        if remote and remote.group(1).lower() not in said and cmd.program in (
                "scp", "rsync", "docker", "podman", "sftp"):
            found.append(remote.group(1))
        elif (text.startswith("/") and len(text) > 1 and text.lower() not in said
              and cmd.program not in SCRIPT_PROGRAMS
              and not any(ch in text for ch in "*?[") and not os.path.lexists(text)
              and not _inside_said(text, said)):
            found.append(text)
    if cmd.program in ("docker", "podman"):
        argv = [w.unquoted for w in words]
        sub = next((a for a in argv if not a.startswith("-")), None)
        if sub in CONTAINER_SUBCOMMANDS and sub != "cp":
            rest = argv[argv.index(sub) + 1:]
            name = next((a for a in rest if not a.startswith("-")), None)
            if name and name.lower() not in said and not re.fullmatch(r"[0-9a-f]{12,64}", name):
                found.append(name)
    return found


def _inside_said(path: str, said: str) -> bool:
    """`/srv/app/logs/error.log` when the request names /srv/app/logs."""
    return any(path.startswith(p.rstrip("/") + "/") for p in re.findall(r"[~/][^\s,;'\"]+", said))


# "(1 to 365)", "(INFO, WARN, ...)": an aside explains; it names nothing to copy.
_ASIDE = re.compile(r"\([^()]*\)")


def _literal_values(request: str) -> set[str]:
    """The values written out as such: entities (paths, files, numbers in digits, sizes)."""
    found: set[str] = set()
    for entity in extract_entities(request):
        found.add(entity.number if entity.kind == "size" else entity.value)
    return found


def missing_values(command: str, request: str, context: ShellContext) -> list[str]:
    """Values the request names that the command does not use."""
    missing: list[str] = []
    spans = request_minutes(request)
    timed = bool(spans and _FIND_TIME.search(command) and not foreign_time_spans(command, request))
    literal = _literal_values(request)
    for value in request_values(_ASIDE.sub(" ", request)):
        if value.text not in literal:
            continue  # a word in capitals or a spelled-out count: often not a value to copy
        if value.used_by(command) or (timed and value.numeric and _is_span_number(value.text,
                                                                                request)):
            continue  # "the last 24 hours" written as -mtime -1
        if value.numeric and re.search(rf"(?<![\d.])0+{re.escape(value.text)}(?!\d)", command):
            continue  # "3 March" written as 2021-03-03
        if re.search(r"\{\w+\.\.\w+\}", command) and (value.numeric or "." in value.text):
            continue  # {01..12}, test{01..10}.txt: a range written as a brace expansion
        if re.search(r"\.\.\.|…|\blike\b|\bsuch as\b|\be\.g\.", request) and not (
                value.text.startswith(("/", "~"))):
            continue  # values given as examples of a pattern ("img_1.png, img_2.png, ...")
        text = value.text
        if not value.numeric and text.startswith(("/", "~")):
            if text.rstrip("/") in command or (text == "~" and "$HOME" in command):
                continue
            resolved = os.path.realpath(os.path.expanduser(text))
            if resolved == os.path.realpath(context.cwd) and re.search(r"(^|\s)\.(/|\s|$)",
                                                                       command):
                continue  # the user named the directory they are in; `.` is the same
        missing.append(text)
    return missing


# -- the verdict --------------------------------------------------------------------------------


@dataclass
class Fit:
    values_missing: list[str] = field(default_factory=list)
    values_foreign: list[str] = field(default_factory=list)
    beyond_request: bool = False
    opposite: bool = False
    misses_action: bool = False
    wrong_kind: str = ""  # "directories" when files were asked for, and the reverse

    @property
    def marks(self) -> list[str]:
        marks: list[str] = []
        if self.opposite:
            marks.append("does the opposite of the request")
        if self.misses_action:
            marks.append("does not do the requested action")
        if self.wrong_kind:
            marks.append(f"finds {self.wrong_kind} only")
        if self.beyond_request:
            marks.append("goes beyond the request: it changes things")
        if self.values_missing:
            marks.append("leaves out " + ", ".join(self.values_missing))
        if self.values_foreign:
            marks.append("uses values nobody gave: " + ", ".join(self.values_foreign))
        return marks


def judge(command: str, request: str, context: ShellContext) -> Fit:
    """How well the command keeps to the request's intent and values."""
    if not request.strip():
        return Fit()
    fit = Fit(values_missing=missing_values(command, request, context),
              values_foreign=foreign_values(command, request, context))
    fit.wrong_kind = wrong_kind(command, request)
    if asks_to_delete(request):
        if not deletes(command):
            fit.misses_action = True
        else:
            fit.opposite = (spares_what_was_named(command, request)
                            or deletes_what_was_not_named(command, request))
    elif asks_to_look(request):
        fit.beyond_request = _changes_things(command, context)
    return fit


_FILES_WORD = re.compile(r"\bfiles?\b", re.I)
_DIRS_WORD = re.compile(r"\b(directories|directory|folders?|dirs?|subdirectories)\b", re.I)


def wrong_kind(command: str, request: str) -> str:
    """"list the files here" -> `find . -type d`: directories where files were asked for."""
    types = set(re.findall(r"-type\s+([fd])\b", command))
    if len(types) != 1:
        return ""
    asks_files, asks_dirs = bool(_FILES_WORD.search(request)), bool(_DIRS_WORD.search(request))
    if types == {"d"} and asks_files and not asks_dirs:
        return "directories"
    if types == {"f"} and asks_dirs and not asks_files:
        return "files"
    return ""


def _changes_things(command: str, context: ShellContext) -> bool:
    from nlsh.safety import assess

    if assess(command, cwd=context.cwd, blast_radius=False).level == Level.SAFE:
        return False
    return not _only_reads_a_date(command)


def _only_reads_a_date(command: str) -> bool:
    """`date -d 2024-02-29 +%A` prints a date; the risk rules (today) read its argument as a
    new time for the clock. Until they tell the two apart, a date that is only computed does
    not count as changing things here."""
    commands = shellparse.parse(command).commands
    dates = [c for c in commands if c.program == "date"]
    if not dates or any(c.program not in ("date", "echo", "printf", "expr", "bc")
                        or any(r.writes_file for r in c.redirects) for c in commands):
        return False
    return all(any(re.fullmatch(r"-[a-zA-Z]*d[a-zA-Z]*|--date(=.*)?", a) for a in c.argv)
               and not any(a in ("-s", "--set") or a.startswith("--set=") for a in c.argv)
               for c in dates)
