"""Searching text: grep in its many forms."""

from ._dsl import (
    F,
    T,
    exit_is,
    fixture,
    out_count,
    out_empty,
    out_has,
    out_lines,
    out_number,
    out_paths,
    out_re,
    out_set,
    out_sorted,
)
from ._samples import ACCESS_LOG, APP_LOG, ENV_FILE, HOSTS, PY_MAIN, PY_UTIL

T("grep.lines.error",
  "show the lines of app.log that contain ERROR",
  "grep ERROR app.log",
  [out_lines("2024-03-10 08:02:30 ERROR database connection refused",
             "2024-03-10 08:02:35 ERROR database connection refused",
             "2024-03-10 08:15:00 ERROR payment service timeout")],
  fixture(F("app.log", APP_LOG)),
  wrong=["grep -i error app.log | head -n 1", "grep WARN app.log"])

T("grep.count.error",
  "how many ERROR entries are in app.log?",
  "grep -c ERROR app.log",
  [out_number(3)],
  fixture(F("app.log", APP_LOG)),
  wrong=["wc -l app.log"])

T("grep.recursive.todo-files",
  "which files in this project still have a TODO in them? just the file names",
  "grep -rl TODO .",
  [out_paths("src/main.py", "src/util.py", "docs/roadmap.md")],
  fixture(F("src/main.py", PY_MAIN), F("src/util.py", PY_UTIL),
          F("src/done.py", "print('ok')\n"), F("docs/roadmap.md", "- TODO: release\n"),
          F("docs/intro.md", "welcome\n")),
  wrong=["grep -r TODO .", "grep -l TODO ./*"])

T("grep.recursive.line-numbers",
  "search the src folder for 'import sys' and show the file and line number of each match",
  "grep -rn 'import sys' src",
  [out_re(r"src/main\.py:2:import sys"),
   out_re(r"src/cli\.py:1:import sys", absent=["helpers.py", "README"])],
  fixture(F("src/main.py", "import os\nimport sys\n"), F("src/cli.py", "import sys\n"),
          F("src/helpers.py", "import os\n"), F("README.md", "import sys\n")),
  wrong=["grep -rl 'import sys' src", "grep -rn 'import sys' ."])

T("grep.ignore-case.warning",
  "find lines mentioning 'warning' in build.txt, regardless of upper/lower case",
  "grep -i warning build.txt",
  [out_lines("Warning: unused variable x", "WARNING: deprecated flag -O1", "3 warnings generated")],
  fixture(F("build.txt", "compiling a.c\nWarning: unused variable x\nWARNING: deprecated "
            "flag -O1\nlinking\n3 warnings generated\ndone\n")),
  wrong=["grep warning build.txt"])

T("grep.invert.comments",
  "print hosts.txt without the comment lines that start with #",
  "grep -v '^#' hosts.txt",
  [out_lines("127.0.0.1 localhost", "10.1.1.20 db-primary", "10.1.1.21 db-replica",
             "10.1.1.40 web-01")],
  fixture(F("hosts.txt", HOSTS)),
  wrong=["grep -v '#' hosts.txt | head -n 2", "grep '^#' hosts.txt"])

T("grep.word.exact",
  "show lines in words.txt containing the whole word 'cat' (not catalog or concat)",
  "grep -w cat words.txt",
  [out_lines("the cat sat", "cat", "a black cat.")],
  fixture(F("words.txt", "the cat sat\ncatalog item\ncat\nconcat(a, b)\na black cat.\n")),
  wrong=["grep cat words.txt"])

T("grep.context.after",
  "show each 'panic' line in kernel.log plus the 2 lines after it",
  "grep -A 2 panic kernel.log",
  [out_has("panic: out of memory", "  at alloc_pages", "  at do_fork", "panic: bad page",
           "  at free_pages", absent=["boot complete", "eth0 up"])],
  fixture(F("kernel.log", "boot complete\neth0 up\npanic: out of memory\n  at alloc_pages\n"
            "  at do_fork\nrecovered\nidle\npanic: bad page\n  at free_pages\n")),
  wrong=["grep panic kernel.log", "grep -B 2 panic kernel.log"])

T("grep.only-matching.emails",
  "pull out all the email addresses from contacts.txt, one per line",
  "grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}' contacts.txt",
  [out_sorted("ana@example.org", "b.smith@mail.example.com", "ops@example.net")],
  fixture(F("contacts.txt", "Ana <ana@example.org>, team lead\nBob Smith: b.smith@mail.example"
            ".com (work)\nno address here\nwrite to ops@example.net for access\n")),
  wrong=["grep @ contacts.txt"])

T("grep.only-matching.ips-unique",
  "list the distinct IP addresses that appear in access.log",
  "awk '{print $1}' access.log | sort -u",
  [out_set("192.168.1.10", "10.0.0.5", "172.16.0.3", "203.0.113.7"), out_count(4)],
  fixture(F("access.log", ACCESS_LOG)),
  wrong=["awk '{print $1}' access.log"])

T("grep.files-without-match",
  "which .py files in here do NOT contain a docstring (no triple quotes)?",
  "grep -L '\"\"\"' ./*.py",
  [out_paths("b.py", "d.py")],
  fixture(F("a.py", '"""Module a."""\nx = 1\n'), F("b.py", "y = 2\n"),
          F("c.py", 'def f():\n    """Doc."""\n'), F("d.py", "z = 3\n")),
  wrong=["grep -l '\"\"\"' ./*.py"])

T("grep.regex.lines-start-digit",
  "show the lines of inventory.txt that begin with a number",
  "grep '^[0-9]' inventory.txt",
  [out_lines("12 apples", "7 pears", "300 grams of flour")],
  fixture(F("inventory.txt", "12 apples\nsome plums\n7 pears\n  5 indented\n300 grams of flour\n")),
  wrong=["grep '[0-9]' inventory.txt"])

T("grep.status-404",
  "show the requests in access.log that returned 404",
  "awk '$9 == 404' access.log",
  [out_re(r"missing\.png"), out_re(r"old-page", absent=["index.html", "api/items"])],
  fixture(F("access.log", ACCESS_LOG)),
  wrong=["grep 4 access.log"])

T("grep.count-per-file",
  "how many times does the word 'fixme' appear in each .c file here? show file and count",
  "grep -c fixme ./*.c",
  [out_re(r"a\.c:2\b"), out_re(r"b\.c:0\b"), out_re(r"c\.c:1\b")],
  fixture(F("a.c", "// fixme one\nint a;\n// fixme two\n"), F("b.c", "int b;\n"),
          F("c.c", "int c; // fixme\n")),
  wrong=["grep -c fixme ./*.c | head -n 1", "grep -rl fixme ."],
  notes="grep -c prints zero counts too; that is the expected shape here")

T("grep.quiet.exit",
  "does config.env set DEBUG to true? answer via the exit status only, print nothing",
  "grep -q '^DEBUG=true' config.env",
  [exit_is(0), out_empty()],
  fixture(F("config.env", ENV_FILE)),
  wrong=["grep '^DEBUG=true' config.env", "grep -q '^DEBUG=false' config.env"])

T("grep.include.yaml",
  "search only the .yaml files under deploy/ for the string 'replicas'",
  "grep -r --include='*.yaml' replicas deploy",
  [out_has("deploy/web.yaml", "deploy/k8s/api.yaml", absent=["notes.txt"])],
  fixture(F("deploy/web.yaml", "replicas: 3\n"), F("deploy/k8s/api.yaml", "replicas: 2\n"),
          F("deploy/notes.txt", "scale replicas later\n"), F("deploy/db.yaml", "storage: 1Gi\n")),
  wrong=["grep -r replicas deploy"])

T("grep.multiple-patterns",
  "show lines in app.log that are either WARN or ERROR",
  "grep -E 'WARN|ERROR' app.log",
  [out_lines("2024-03-10 08:01:12 WARN disk usage at 85%",
             "2024-03-10 08:02:30 ERROR database connection refused",
             "2024-03-10 08:02:35 ERROR database connection refused",
             "2024-03-10 08:10:44 WARN slow query took 2300 ms",
             "2024-03-10 08:15:00 ERROR payment service timeout")],
  fixture(F("app.log", APP_LOG)),
  wrong=["grep ERROR app.log"])

T("grep.fixed-string.dots",
  "find lines in versions.txt containing the literal text 1.2.3 (dots are dots)",
  "grep -F 1.2.3 versions.txt",
  [out_lines("lib-a 1.2.3", "lib-c 1.2.3-beta")],
  fixture(F("versions.txt", "lib-a 1.2.3\nlib-b 1x2y3\nlib-c 1.2.3-beta\nlib-d 1.2.4\n")),
  wrong=["grep 1.2.3 versions.txt"])

T("grep.first-match-line-number",
  "on which line of main.py is the main function defined?",
  "grep -n 'def main' main.py",
  [out_number(7)],
  fixture(F("main.py", PY_MAIN)),
  wrong=["grep -c 'def main' main.py"])

T("grep.empty-lines-count",
  "count the blank lines in draft.txt",
  "grep -c '^$' draft.txt",
  [out_number(3)],
  fixture(F("draft.txt", "Title\n\nFirst paragraph.\n\nSecond.\nmore\n\nEnd\n")),
  wrong=["wc -l draft.txt"])

T("grep.env.value",
  "what is DB_PORT set to in .env? print only the value",
  "grep '^DB_PORT=' .env | cut -d= -f2",
  [out_lines("5432")],
  fixture(F(".env", ENV_FILE)),
  wrong=["grep DB_PORT .env"])
