"""Grounded explanations against this machine's real man pages (man-db must be installed, with
the pages of coreutils, findutils, grep, sed, gawk, tar, gzip, git, openssh-client, curl,
procps, diffutils, less, apt and bash; see the explain report for the CI packages).

Each expectation is a phrase from the real documentation entry of that option, so a wrong
mapping (another option's text, a nested entry, a neighbouring paragraph) fails.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlsh.explain import docs, explain
from nlsh.records import ExplainedPart

UNDOCUMENTED = None


# A private, initially empty docs cache: the tests exercise the cold path too.
pytestmark = pytest.mark.usefixtures("module_doc_cache")


def find(parts: list[ExplainedPart], text: str, kind: str | None = None) -> ExplainedPart:
    matches = [p for p in parts if p.text == text and (kind is None or p.kind == kind)]
    assert matches, f"no part {text!r} ({kind}) in {[(p.text, p.kind) for p in parts]}"
    return matches[0]


# (command, [(part text, kind, phrase from the real entry | UNDOCUMENTED, source contains)])
CASES: list[tuple[str, list[tuple[str, str, str | None, str]]]] = [
    # coreutils
    ("ls -lah", [("ls", "program", "list directory contents", "man ls(1)"),
                 ("-l", "option", "long listing format", "ls(1)"),
                 ("-a", "option", "do not ignore entries starting with", "ls(1)"),
                 ("-h", "option", "print sizes like 1K 234M 2G", "ls(1)")]),
    ("ls --frobnicate", [("--frobnicate", "option", UNDOCUMENTED, "")]),
    ("ls -t --reverse /etc", [("-t", "option", "sort by time", "ls(1)"),
                              ("--reverse", "option", "reverse order while sorting", "ls(1)")]),
    ("cp -r src dst", [("-r", "option", "copy directories recursively", "cp(1)"),
                       ("src", "argument", "SOURCE", "cp(1): SYNOPSIS"),
                       ("dst", "argument", "DEST", "cp(1): SYNOPSIS")]),
    ("cp -a --no-clobber a b", [("-a", "option", "--preserve=all", "cp(1)"),
                                ("--no-clobber", "option", "do not overwrite an existing file",
                                 "cp(1)")]),
    ("mv -i a b", [("mv", "program", "move (rename) files", "man mv(1)"),
                   ("-i", "option", "prompt before overwrite", "mv(1)")]),
    ("mv -n --verbose a b", [("-n", "option", "do not overwrite an existing file", "mv(1)"),
                             ("--verbose", "option", "explain what is being done", "mv(1)")]),
    ("rm -rf build", [("-r", "option", "remove directories and their contents recursively",
                       "rm(1)"),
                      ("-f", "option", "ignore nonexistent files", "rm(1)")]),
    ("rm -i old.log", [("-i", "option", "prompt before every removal", "rm(1)")]),
    ("du -h", [("-h", "option", "human readable format", "du(1)")]),
    ("du -sh --max-depth=1 /var", [("-s", "option", "display only a total", "du(1)"),
                                   ("--max-depth=1", "option", "N or fewer levels below",
                                    "du(1)"),
                                   ("/var", "argument", "FILE", "du(1): SYNOPSIS")]),
    ("df -h", [("df", "program", "space usage", "man df(1)"),
               ("-h", "option", "powers of 1024", "df(1)")]),
    ("df -T", [("-T", "option", "print file system type", "df(1)")]),
    ("sort -k2 -n -r data", [("-k 2", "option", "sort via a key", "sort(1)"),
                             ("-n", "option", "string numerical value", "sort(1)"),
                             ("-r", "option", "reverse the result of comparisons", "sort(1)")]),
    ("sort -u -t , -k3 file", [("-u", "option", "output only the first of an equal run",
                                "sort(1)"),
                               ("-t ,", "option", "use SEP instead of non-blank", "sort(1)")]),
    ("uniq -c", [("-c", "option", "prefix lines by the number of occurrences", "uniq(1)")]),
    ("uniq -d counts.txt", [("-d", "option", "only print duplicate lines", "uniq(1)")]),
    ("cut -d: -f1 /etc/passwd", [("-d :", "option", "use DELIM instead of TAB", "cut(1)"),
                                 ("-f 1", "option", "select only these fields", "cut(1)")]),
    ("cut -c1-10 notes", [("-c 1-10", "option", "select only these characters", "cut(1)")]),
    ("tr -d '\\n'", [("tr", "program", "translate or delete characters", "man tr(1)"),
                     ("-d", "option", "delete characters", "tr(1)")]),
    ("tr -s ' '", [("-s", "option", "replace each sequence of a repeated character", "tr(1)")]),
    ("head -n 5 notes", [("-n 5", "option", "print the first NUM lines", "head(1)")]),
    ("head -c 100 notes", [("-c 100", "option", "print the first NUM bytes", "head(1)")]),
    ("tail -f /var/log/syslog", [("-f", "option", "output appended data as the file grows",
                                  "tail(1)")]),
    ("tail -n +2 data.csv", [("-n +2", "option", "output the last NUM lines", "tail(1)")]),
    ("wc -l", [("wc", "program", "newline, word, and byte counts", "man wc(1)"),
               ("-l", "option", "print the newline counts", "wc(1)")]),
    ("wc -w -c", [("-w", "option", "print the word counts", "wc(1)"),
                  ("-c", "option", "print the byte counts", "wc(1)")]),
    ("chmod -R 755 dir", [("-R", "option", "change files and directories recursively",
                           "chmod(1)"),
                          ("755", "argument", "MODE", "chmod(1): SYNOPSIS")]),
    ("chmod u+x run.sh", [("u+x", "argument", "MODE", "chmod(1): SYNOPSIS")]),
    ("chown -R user:group dir", [("-R", "option", "operate on files and directories recursively",
                                  "chown(1)")]),
    ("ln -s target link", [("-s", "option", "make symbolic links instead of hard links", "ln(1)"),
                           ("target", "argument", "TARGET", "ln(1): SYNOPSIS"),
                           ("link", "argument", "LINK_NAME", "ln(1): SYNOPSIS")]),
    ("ln -sf a b", [("-f", "option", "remove existing destination files", "ln(1)")]),
    ("mkdir -p a/b/c", [("-p", "option", "make parent directories as needed", "mkdir(1)")]),
    ("mkdir -m 700 secret", [("-m 700", "option", "set file mode", "mkdir(1)")]),
    ("date +%s", [("+%s", "argument", "+FORMAT", "date(1): SYNOPSIS")]),
    ("date -u", [("-u", "option", "Coordinated Universal Time", "date(1)")]),
    ("date -d yesterday", [("-d yesterday", "option", "display time described by STRING",
                            "date(1)")]),
    ("cat -n notes", [("-n", "option", "number all output lines", "cat(1)")]),
    ("echo -n hi", [("-n", "option", "do not output the trailing newline", "echo(1)")]),
    ("tee -a log.txt", [("-a", "option", "append to the given FILEs", "tee(1)")]),
    # findutils
    ("find . -name '*.txt'", [("find", "program", "search for files in a directory hierarchy",
                               "man find(1)"),
                              ("-name '*.txt'", "option", "Base of file name", "find(1)"),
                              (".", "argument", "starting-point", "find(1): SYNOPSIS")]),
    ("find /tmp -type f -size +100M", [("-type f", "option", "File is of type c", "find(1)"),
                                       ("-size +100M", "option", "units of space", "find(1)")]),
    ("find . -mtime -7 -delete", [("-mtime -7", "option", "modified", "find(1)"),
                                  ("-delete", "option", "Delete files", "find(1)")]),
    ("find . -maxdepth 1 -iname '*.JPG'", [("-maxdepth 1", "option", "Descend at most levels",
                                            "find(1)"),
                                           ("-iname '*.JPG'", "option", "case insensitive",
                                            "find(1)")]),
    ("find . -name '*.pyc' -exec rm {} \\;", [("-exec", "option", "Execute command", "find(1)"),
                                              ("rm", "program", "remove files or directories",
                                               "man rm(1)")]),
    ("find . -print0 | xargs -0 rm -f", [("-print0", "option", "followed by a null character",
                                          "find(1)"),
                                         ("-0", "option", "terminated by a null character",
                                          "xargs(1)"),
                                         ("-f", "option", "ignore nonexistent files", "rm(1)")]),
    ("xargs -n 1 echo", [("-n 1", "option", "Use at most max-args arguments", "xargs(1)"),
                         ("echo", "program", "display a line of text", "man echo(1)")]),
    ("xargs -I {} cp {} /backup", [("-I {}", "option", "Replace occurrences of replace-str",
                                    "xargs(1)"),
                                   ("cp", "program", "copy files and directories", "cp(1)")]),
    # grep, sed, awk
    ("grep -rn TODO src", [("-r", "option", "Read all files under each directory", "grep(1)"),
                           ("-n", "option", "line number", "grep(1)"),
                           ("TODO", "argument", "PATTERNS", "grep(1): SYNOPSIS")]),
    ("grep -i -v error app.log", [("-i", "option", "Ignore case distinctions", "grep(1)"),
                                  ("-v", "option", "Invert the sense of matching", "grep(1)")]),
    ("grep -E 'a|b' notes", [("-E", "option", "extended regular expressions", "grep(1)")]),
    ("grep -Q x", [("-Q", "option", UNDOCUMENTED, "")]),
    ("grep -c --color=auto x notes", [("-c", "option", "count of matching lines", "grep(1)"),
                                      ("--color=auto", "option", "Surround the matched",
                                       "grep(1)")]),
    ("sed -i 's/a/b/g' notes", [("sed", "program", "stream editor", "man sed(1)"),
                                ("-i", "option", "edit files in place", "sed(1)")]),
    ("sed -n '10,20p' notes", [("-n", "option", "suppress automatic printing", "sed(1)")]),
    ("sed -E -e 's/x/y/' notes", [("-E", "option", "extended regular expressions", "sed(1)"),
                                  ("-e 's/x/y/'", "option", "add the script", "sed(1)")]),
    ("awk -F: '{print $1}' /etc/passwd", [("-F :", "option", "field separator", "awk(1)")]),
    ("awk -v n=3 'NR > n' data", [("-v n=3", "option", "Assign the value", "awk(1)")]),
    # archives
    ("tar -xzvf a.tgz -C /tmp", [("tar", "program", "archiving utility", "man tar(1)"),
                                 ("-x", "option", "Extract files from an archive", "tar(1)"),
                                 ("-z", "option", "gzip", "tar(1)"),
                                 ("-v", "option", "Verbosely list files processed", "tar(1)"),
                                 ("-f a.tgz", "option", "Use archive file", "tar(1)"),
                                 ("-C /tmp", "option", "Change to DIR", "tar(1)")]),
    ("tar czf out.tgz dir", [("-c", "option", "Create a new archive", "tar(1)"),
                             ("-z", "option", "gzip", "tar(1)"),
                             ("-f out.tgz", "option", "Use archive file", "tar(1)")]),
    ("tar -tf a.tar", [("-t", "option", "List the contents of an archive", "tar(1)")]),
    ("tar --exclude='*.log' -cf a.tar .", [("--exclude='*.log'", "option",
                                            "Exclude files matching PATTERN", "tar(1)")]),
    ("gzip -d notes.gz", [("gzip", "program", "compress or expand files", "man gzip(1)"),
                          ("-d", "option", "Decompress", "gzip(1)")]),
    ("gzip -k -9 notes", [("-k", "option", "Keep (don't delete) input files", "gzip(1)"),
                          ("-9", "option", "Regulate the speed of compression", "gzip(1)")]),
    # git: subcommands resolve to their own pages
    ("git log --oneline -n 5", [("git", "program", "content tracker", "man git(1)"),
                                ("log", "subcommand", "Show commit logs", "man git-log(1)"),
                                ("--oneline", "option", "shorthand for", "git-log(1)"),
                                ("-n 5", "option", "Limit the number of commits", "git-log(1)")]),
    ("git commit -m msg", [("commit", "subcommand", "Record changes to the repository",
                            "man git-commit(1)"),
                           ("-m msg", "option", "as the commit message", "git-commit(1)")]),
    ("git status -s", [("status", "subcommand", "Show the working tree status",
                        "man git-status(1)"),
                       ("-s", "option", "short-format", "git-status(1)")]),
    ("git -C /tmp status", [("-C /tmp", "option", "Run as if git was started in", "man git(1)"),
                            ("status", "subcommand", "working tree status", "git-status(1)")]),
    ("git diff --stat HEAD~1", [("diff", "subcommand", "Show changes", "man git-diff(1)"),
                                ("--stat", "option", "diffstat", "git-diff(1)")]),
    ("git push --force origin main", [("push", "subcommand", "Update remote refs",
                                       "man git-push(1)"),
                                      ("--force", "option", "refuses to update a remote ref",
                                       "git-push(1)")]),
    ("git remote add origin url", [("remote", "subcommand", "Manage set of tracked repositories",
                                    "man git-remote(1)"),
                                   ("add", "subcommand", "Add a remote named", "git-remote(1)"),
                                   ("origin", "argument", "name", "git-remote(1): SYNOPSIS"),
                                   ("url", "argument", "URL", "git-remote(1): SYNOPSIS")]),
    # network, processes, misc
    ("ssh -p 2222 user@host", [("ssh", "program", "remote login client", "man ssh(1)"),
                               ("-p 2222", "option", "Port to connect to on the remote host",
                                "ssh(1)"),
                               ("user@host", "argument", "destination", "ssh(1): SYNOPSIS")]),
    ("ssh -i key.pem -L 8080:localhost:80 host", [("-i key.pem", "option", "identity", "ssh(1)"),
                                                  ("-L 8080:localhost:80", "option",
                                                   "local", "ssh(1)")]),
    ("curl -fsSL https://example.com", [("curl", "program", "transfer a URL", "man curl(1)"),
                                        ("-f", "option", "Fail fast", "curl(1)"),
                                        ("-s", "option", "Silent or quiet mode", "curl(1)"),
                                        ("-S", "option", "show an error message", "curl(1)"),
                                        ("-L", "option", "moved to a different location",
                                         "curl(1)")]),
    ("curl -o out.html -H 'Accept: text/html' https://example.com",
     [("-o out.html", "option", "Write output to", "curl(1)"),
      ("-H 'Accept: text/html'", "option", "Extra header", "curl(1)")]),
    ("curl -X POST -d data https://example.com", [("-X POST", "option", "request method",
                                                   "curl(1)"),
                                                  ("-d data", "option", "Sends the specified data",
                                                   "curl(1)")]),
    ("ps aux", [("ps", "program", "snapshot of the current processes", "man ps(1)"),
                ("a", "option", "Lift the BSD-style", "ps(1)"),
                ("u", "option", "user-oriented format", "ps(1)"),
                ("x", "option", "must have a tty", "ps(1)")]),
    ("ps -ef", [("-e", "option", "Select all processes", "ps(1)"),
                ("-f", "option", "full-format listing", "ps(1)")]),
    ("kill -9 1234", [("kill", "program", "send a signal to a process", "man kill(1)"),
                      ("-9", "option", "Specify the signal to be sent", "kill(1)"),
                      ("1234", "argument", "pid", "kill(1): SYNOPSIS")]),
    ("kill -l", [("-l", "option", "List signal names", "kill(1)")]),
    ("diff -u a b", [("diff", "program", "compare files line by line", "man diff(1)"),
                     ("-u", "option", "unified context", "diff(1)")]),
    ("diff -r dir1 dir2", [("-r", "option", "recursively compare any subdirectories",
                            "diff(1)")]),
    ("less -N notes", [("-N", "option", "line number", "less(1)")]),
    ("apt-get install -y curl", [("install", "subcommand", "packages desired for installation",
                                  "man apt-get(8)"),
                                 ("-y", "option", "Automatic yes to prompts", "apt-get(8)")]),
    ("apt install -y curl", [("install", "subcommand", "Performs the requested action",
                              "man apt(8)"),
                             # apt(8) names apt-get(8) for these commands and their options.
                             ("-y", "option", "Automatic yes to prompts", "man apt-get(8)")]),
    # bash builtins, from bash(1)
    ("cd /tmp", [("cd", "program", "Change the current directory", "SHELL BUILTIN COMMANDS")]),
    ("read -r line", [("-r", "option", "Backslash does not act as an escape character",
                       "man bash(1)")]),
]


@pytest.mark.parametrize(("command", "expected"), CASES, ids=[c for c, _ in CASES])
def test_parts_are_grounded_in_the_right_entry(command: str,
                                               expected: list[tuple[str, str, str | None, str]]):
    parts = explain(command)
    for text, kind, phrase, source in expected:
        part = find(parts, text, kind)
        if phrase is UNDOCUMENTED:
            assert part.help is None and part.source is None, part
            continue
        assert part.help is not None, f"{text}: no help found"
        assert phrase in part.help, f"{text}: {phrase!r} not in {part.help[:300]!r}"
        assert source in (part.source or ""), f"{text}: source {part.source!r}"


@pytest.mark.parametrize(("command", "expected"), [
    ("docker run --rm -it -v /a:/b ubuntu bash",
     [("run", "subcommand", "Create and run a new container", "docker run --help"),
      ("--rm", "option", "Automatically remove the container", "docker run --help"),
      ("-v /a:/b", "option", "Bind mount a volume", "docker run --help"),
      ("ubuntu", "argument", "IMAGE", "docker run --help")]),
    ("kubectl get pods -o wide", [("get", "subcommand", "Display one or many resources",
                                   "kubectl get --help"),
                                  ("-o wide", "option", "Output format", "kubectl get --help")]),
    ("systemctl restart nginx", [("restart", "subcommand", "Stop and then start",
                                  "man systemctl(1)"),
                                 ("nginx", "argument", "PATTERN", "man systemctl(1)")]),
], ids=["docker", "kubectl", "systemctl"])
def test_tools_present_on_this_machine(command: str,
                                       expected: list[tuple[str, str, str | None, str]]):
    """docker/kubectl (documented only by --help) and systemd are not in every CI image."""
    program = command.split()[0]
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed on this machine")
    if program == "systemctl" and docs.man_page_path("systemctl") is None:
        pytest.skip("systemctl has no man page on this machine")
    test_parts_are_grounded_in_the_right_entry(command, expected)


def test_case_table_covers_enough_programs():
    programs = {c.split()[0] for c, _ in CASES}
    assert len(CASES) >= 60
    assert len(programs) >= 25, sorted(programs)


def test_combined_short_flags_split_with_offsets():
    command = "tar -xzvf a.tgz -C /tmp"
    parts = explain(command)
    letters = [p for p in parts if p.kind == "option" and p.start < 10]
    assert [p.text.split()[0] for p in letters] == ["-x", "-z", "-v", "-f"]
    data = command.encode()
    assert [data[p.start:p.end].decode() for p in letters] == ["x", "z", "v", "f"]
    # -f takes the archive: the next word is attached as its argument.
    assert find(parts, "a.tgz", "argument").help == "ARCHIVE (argument of -f)"


def test_option_argument_spans_both_words():
    command = "tar -C /tmp -xf a.tar"
    part = find(explain(command), "-C /tmp", "option")
    assert command.encode()[part.start:part.end] == b"-C /tmp"


def test_attached_short_argument_is_one_part():
    parts = explain("head -n5 notes")
    part = find(parts, "-n 5", "option")
    assert "print the first NUM lines" in (part.help or "")
    assert not [p for p in parts if p.text == "-5"]


def test_unknown_letter_in_bundle_is_undocumented_not_guessed():
    parts = explain("ls -lQz")
    assert "long listing" in (find(parts, "-l").help or "")
    assert find(parts, "-z").help is None


def test_program_without_documentation():
    parts = explain("nlsh-no-such-program-xyz --flag arg")
    assert find(parts, "nlsh-no-such-program-xyz", "program").help is None
    assert find(parts, "--flag", "option").help is None
    assert find(parts, "arg", "argument").help is None


def test_words_after_double_dash_are_arguments():
    parts = explain("rm -- -rf")
    assert find(parts, "-rf").kind == "argument"


# -- shell constructs ---------------------------------------------------------------------------

CONSTRUCTS = [
    ("ls | wc -l", "|", "operator", "Pipelines", "A pipeline is a sequence"),
    ("echo hi > out.txt", "> out.txt", "redirect", "Redirecting Output", "opened for writing"),
    ("echo hi >> out.txt", ">> out.txt", "redirect", "Appending Redirected Output",
     "opened for appending"),
    ("wc -l < in.txt", "< in.txt", "redirect", "Redirecting Input", "opened for reading"),
    ("make 2>&1", "2>&1", "redirect", "Duplicating File Descriptors",
     "duplicate output file descriptors"),
    ("ls &> all.log", "&> all.log", "redirect", "Redirecting Standard Output and Standard Error",
     "standard error"),
    ("true && echo ok", "&&", "operator", "Lists", "returns an exit status of zero"),
    ("false || echo failed", "||", "operator", "Lists", "non-zero exit status"),
    ("cd /tmp; ls", ";", "operator", "Lists", "executed sequentially"),
    ("sleep 10 &", "&", "operator", "Lists", "in the background"),
    ("echo $(date)", "$(date)", "substitution", "Command Substitution",
     "output of a command to replace the command name"),
    ("diff <(ls a) <(ls b)", "<(ls a)", "process_substitution", "Process Substitution",
     "referred to using a filename"),
    ("echo $HOME", "$HOME", "variable", "Parameter Expansion", "parameter expansion"),
    ("ls *.txt", "*.txt", "glob", "Pathname Expansion", "regarded as a pattern"),
    ("(cd /tmp && ls)", "(cd /tmp && ls)", "subshell", "Compound Commands",
     "executed in a subshell"),
    ("x=1", "x=1", "assignment", "PARAMETERS", "name=[value]"),
    ("[[ -f x ]] && echo y", "[[ -f x ]]", "test", "Compound Commands", "conditional expression"),
    ("for f in *; do echo $f; done", "for f in *; do echo $f; done", "loop", "Compound Commands",
     "The list of words following in is expanded"),
    ("grep x <<< \"$s\"", "<<< \"$s\"", "redirect", "Here Strings", "here documents"),
    ("cat <<EOF\nhello\nEOF", "<<EOF\nhello\nEOF", "redirect", "Here Documents",
     "read input from the current source"),
]


@pytest.mark.parametrize(("command", "text", "kind", "section", "phrase"), CONSTRUCTS,
                         ids=[c[0] for c in CONSTRUCTS])
def test_shell_constructs_come_from_bash_man_page(command: str, text: str, kind: str,
                                                  section: str, phrase: str):
    part = find(explain(command), text, kind)
    assert part.source == f"man bash(1): {section}"
    assert part.help is not None and phrase in part.help, part.help


def test_every_word_of_a_pipeline_is_covered():
    command = "find . -name '*.log' -mtime +30 | xargs gzip -9 && echo done > status.txt"
    parts = explain(command)
    data = command.encode()
    covered: set[int] = set()
    for part in parts:
        covered.update(range(part.start, part.end))
    words = [i for i, ch in enumerate(data) if not chr(ch).isspace()]
    assert not [data[i:i + 1] for i in words if i not in covered]


def test_local_executable_is_not_confused_with_a_system_program():
    parts = explain("./ls -l")
    assert find(parts, "./ls", "program").help is None
    assert find(explain("/bin/ls -l"), "/bin/ls", "program").source == "man ls(1)"


@pytest.mark.parametrize("command", [
    "", "   ", "|", "ls &&", "'unterminated", "echo $(", "ls >", "for x in; do", "((", "[[",
    "git", "tar", "find -exec", "find . -exec rm {}", "xargs", "sudo", "ps", "kill -",
    "echo 'héllo' | wc -c", "ls " + "-l " * 300, "cat <<EOF", "a=b c=d", "!", "{ ls; }",
    "grep -e", "tar -f", "curl -o", "\\rm -rf /tmp/x", "'ls' -l", "\"$cmd\" --flag",
])
def test_malformed_or_odd_input_never_raises(command: str):
    parts = explain(command)
    data = command.encode()
    for part in parts:
        assert 0 <= part.start <= part.end <= len(data)


_SHELLISH = st.text(alphabet=st.sampled_from(list("lsfindgrep -|&;<>$()'\"*?[]{}=/.~\\\n\tx9é")),
                    max_size=60)


@settings(max_examples=150, deadline=None)
@given(_SHELLISH)
def test_explain_is_total_on_arbitrary_text(command: str):
    # No --help runs for whatever program names the strategy happens to spell.
    old = os.environ.get("NLSH_NO_HELP_EXEC")
    os.environ["NLSH_NO_HELP_EXEC"] = "1"
    try:
        parts = explain(command)
    finally:
        if old is None:
            os.environ.pop("NLSH_NO_HELP_EXEC", None)
        else:
            os.environ["NLSH_NO_HELP_EXEC"] = old
    size = len(command.encode("utf-8", "surrogateescape"))
    assert all(0 <= p.start <= p.end <= size for p in parts)
    assert all(p.help is None or p.source for p in parts)  # documented parts say where from
