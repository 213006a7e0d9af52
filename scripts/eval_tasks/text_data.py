"""Columns and counts: awk, cut, sort, uniq, head, tail, paste, join, comm, diff, column."""

from ._dsl import (
    F,
    T,
    exit_is,
    file_is,
    fixture,
    out_has,
    out_lines,
    out_number,
    out_re,
    out_set,
    unchanged,
)
from ._samples import ACCESS_LOG, APP_LOG, FRUIT, STAFF_CSV

T("awk.sum.column",
  "add up the salary column (the third field) of staff.csv, skipping the header",
  "awk -F, 'NR > 1 {s += $3} END {print s}' staff.csv",
  [out_number(422000)],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["awk -F, '{s += $2} END {print s}' staff.csv", "wc -l staff.csv"])

T("awk.average.column",
  "what is the average salary in staff.csv?",
  "awk -F, 'NR > 1 {s += $3; n++} END {print s / n}' staff.csv",
  [out_number(70333.33, tolerance=0.5)],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["awk -F, 'NR > 1 {s += $3} END {print s}' staff.csv"])

T("awk.filter.numeric",
  "list the names of people in staff.csv earning more than 65000",
  "awk -F, 'NR > 1 && $3 > 65000 {print $1}' staff.csv",
  [out_set("alice", "carol", "erin")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["awk -F, '$3 > 65000 {print $1}' staff.csv",
         "awk -F, 'NR > 1 && $3 < 65000 {print $1}' staff.csv"],
  notes="without NR > 1 the header's 'salary' compares as a string and is printed too")

T("awk.group.sum",
  "total salary per department from staff.csv",
  "awk -F, 'NR > 1 {t[$2] += $3} END {for (d in t) print d, t[d]}' staff.csv",
  [out_set("engineering 177000", "marketing 132000", "sales 113000")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["cut -d, -f2,3 staff.csv"],
  notes="line_set with blanks collapsed: 'engineering 177000' and 'engineering\\t177000' agree")

T("awk.print.columns",
  "print the first and fourth columns of staff.csv (name and city), without the header",
  "awk -F, 'NR > 1 {print $1, $4}' staff.csv",
  [out_lines("alice berlin", "bob paris", "carol berlin", "dave madrid", "erin berlin",
             "frank paris")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["cut -d, -f1,4 staff.csv"],
  notes="'alice,berlin' (cut's output) keeps the comma; lines collapse blanks, not commas")

T("awk.bytes.sum-log",
  "how many bytes in total did the server send, according to the last column of access.log?",
  "awk '{s += $NF} END {print s}' access.log",
  [out_number(26528)],
  fixture(F("access.log", ACCESS_LOG)),
  wrong=["wc -c < access.log"])

T("awk.count.status",
  "count the requests in access.log by HTTP status code",
  "awk '{print $9}' access.log | sort | uniq -c",
  [out_set("5 200", "1 302", "2 404", "1 500", "1 403")],
  fixture(F("access.log", ACCESS_LOG)),
  wrong=["awk '{print $9}' access.log | uniq -c"],
  notes="count first, then code: the shape `uniq -c` prints")

T("awk.nf.lines-with-fields",
  "print only the lines of matrix.txt that have exactly 3 fields",
  "awk 'NF == 3' matrix.txt",
  [out_lines("1 2 3", "x y z")],
  fixture(F("matrix.txt", "1 2 3\n4 5\nx y z\n6 7 8 9\n")),
  wrong=["head -n 3 matrix.txt"])

T("awk.max.column",
  "who has the highest salary in staff.csv? print the name",
  "sort -t, -k3,3n staff.csv | tail -n 1 | cut -d, -f1",
  [out_lines("carol")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["sort -t, -k3,3n staff.csv | head -n 1 | cut -d, -f1"])

T("awk.log-levels",
  "how many log lines are there of each level (INFO, WARN, ...) in app.log?",
  "awk '{print $3}' app.log | sort | uniq -c",
  [out_set("4 INFO", "1 DEBUG", "2 WARN", "3 ERROR")],
  fixture(F("app.log", APP_LOG)),
  wrong=["awk '{print $3}' app.log | uniq -c"])

T("cut.field.colon",
  "list just the user names from passwd.txt (the first colon-separated field)",
  "cut -d: -f1 passwd.txt",
  [out_lines("root", "daemon", "alice", "bob")],
  fixture(F("passwd.txt", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\n"
            "alice:x:1000:1000:Alice:/home/alice:/bin/zsh\nbob:x:1001:1001:Bob:/home/bob:"
            "/bin/bash\n")),
  wrong=["cut -d: -f7 passwd.txt"])

T("cut.users-bash",
  "which users in passwd.txt have bash as their login shell?",
  "awk -F: '$7 == \"/bin/bash\" {print $1}' passwd.txt",
  [out_set("root", "bob")],
  fixture(F("passwd.txt", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\n"
            "alice:x:1000:1000:Alice:/home/alice:/bin/zsh\nbob:x:1001:1001:Bob:/home/bob:"
            "/bin/bash\n")),
  wrong=["grep bash passwd.txt"])

T("cut.chars",
  "print the first 8 characters of each line in hashes.txt",
  "cut -c1-8 hashes.txt",
  [out_lines("9f86d081", "2c26b46b", "fcde2b2e")],
  fixture(F("hashes.txt", "9f86d081884c7d659a2feaa0c55ad015  a.txt\n"
            "2c26b46b68ffc68ff99b453c1d304134  b.txt\nfcde2b2edba56bf408601fb721fe9b5c  c.txt\n")),
  wrong=["cut -c1-7 hashes.txt"])

T("sort.numeric.desc",
  "sort scores.txt by the number on each line, highest first",
  "sort -rn scores.txt",
  [out_lines("120 dana", "98 ben", "15 ann", "9 cy")],
  fixture(F("scores.txt", "15 ann\n98 ben\n9 cy\n120 dana\n")),
  wrong=["sort -r scores.txt", "sort -n scores.txt"])

T("sort.unique.lines",
  "show the distinct lines of fruit.txt, sorted",
  "sort -u fruit.txt",
  [out_lines("apple", "banana", "cherry", "date")],
  fixture(F("fruit.txt", FRUIT)),
  wrong=["uniq fruit.txt", "sort fruit.txt"])

T("sort.uniq.most-common",
  "which line appears most often in fruit.txt, and how many times?",
  "sort fruit.txt | uniq -c | sort -rn | head -n 1",
  [out_re(r"\b3\b"), out_re(r"apple", absent=["banana", "cherry", "date"])],
  fixture(F("fruit.txt", FRUIT)),
  wrong=["sort fruit.txt | uniq -c | sort -n | head -n 1", "sort fruit.txt | head -n 1"])

T("sort.uniq.duplicates",
  "show the lines that occur more than once in emails.txt",
  "sort emails.txt | uniq -d",
  [out_set("ann@x.org", "bob@y.net")],
  fixture(F("emails.txt", "ann@x.org\ncy@z.com\nbob@y.net\nann@x.org\ndee@w.io\nbob@y.net\n"
            "ann@x.org\n")),
  wrong=["sort -u emails.txt", "uniq -d emails.txt"])

T("sort.uniq.singletons",
  "which entries of ids.txt appear exactly once?",
  "sort ids.txt | uniq -u",
  [out_set("103", "105")],
  fixture(F("ids.txt", "101\n102\n103\n101\n104\n102\n105\n104\n")),
  wrong=["sort -u ids.txt"])

T("sort.by-column.csv",
  "sort staff.csv by city, keeping the header line on top",
  "(head -n 1 staff.csv; tail -n +2 staff.csv | sort -t, -k4,4 -k1,1)",
  [out_re(r"\Aname,department,salary,city\n"),
   out_re(r"(?s)berlin.*berlin.*berlin.*madrid.*paris.*paris"),
   out_has("alice,engineering,85000,berlin", "frank,sales,58000,paris")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["sort -t, -k4 staff.csv", "sort staff.csv"])

T("sort.version",
  "sort the release names in releases.txt in proper version order (1.10 after 1.9)",
  "sort -V releases.txt",
  [out_lines("v1.2.0", "v1.9.3", "v1.10.0", "v2.0.1")],
  fixture(F("releases.txt", "v1.10.0\nv1.2.0\nv2.0.1\nv1.9.3\n")),
  wrong=["sort releases.txt"])

T("sort.human-sizes",
  "sort sizes.txt by the human-readable size in the first column, smallest first",
  "sort -h sizes.txt",
  [out_lines("512K cache", "3M logs", "1.5G videos", "2G backups")],
  fixture(F("sizes.txt", "2G backups\n512K cache\n1.5G videos\n3M logs\n")),
  wrong=["sort -n sizes.txt"])

T("head.first-lines",
  "show the first 3 lines of changelog.md",
  "head -n 3 changelog.md",
  [out_lines("# Changelog", "## 2.1.0", "- faster startup")],
  fixture(F("changelog.md", "# Changelog\n## 2.1.0\n- faster startup\n- new theme\n## 2.0.0\n"
            "- rewrite\n")),
  wrong=["head changelog.md", "tail -n 3 changelog.md"])

T("tail.last-lines",
  "I only want to see the final 4 lines of app.log",
  "tail -n 4 app.log",
  [out_lines(*[" ".join(line.split()) for line in APP_LOG.splitlines()[-4:]])],
  fixture(F("app.log", APP_LOG)),
  wrong=["head -n 4 app.log", "tail app.log"])

T("tail.from-line",
  "print everything in story.txt from line 3 onwards",
  "tail -n +3 story.txt",
  [out_lines("third", "fourth", "fifth")],
  fixture(F("story.txt", "first\nsecond\nthird\nfourth\nfifth\n")),
  wrong=["tail -n 3 story.txt | head -n 2"])

T("head.nth-line",
  "print only line 5 of queue.txt",
  "sed -n '5p' queue.txt",
  [out_lines("job-e")],
  fixture(F("queue.txt", "job-a\njob-b\njob-c\njob-d\njob-e\njob-f\n")),
  wrong=["head -n 5 queue.txt"])

T("paste.join-lines",
  "merge tags.txt onto a single line, separating entries with commas",
  "paste -sd, tags.txt",
  [out_re(r"\A\s*linux,shell,bash,cli,?\s*\Z")],
  fixture(F("tags.txt", "linux\nshell\nbash\ncli\n")),
  wrong=["cat tags.txt"])

T("paste.side-by-side",
  "put names.txt and ages.txt side by side, line by line",
  "paste names.txt ages.txt",
  [out_lines("ann 31", "ben 27", "cy 45")],
  fixture(F("names.txt", "ann\nben\ncy\n"), F("ages.txt", "31\n27\n45\n")),
  wrong=["cat names.txt ages.txt"])

T("comm.only-in-first",
  "which names are in before.txt but not in after.txt? both files are sorted",
  "comm -23 before.txt after.txt",
  [out_set("carl", "erik")],
  fixture(F("before.txt", "anna\ncarl\ndora\nerik\n"), F("after.txt", "anna\nbeth\ndora\n")),
  wrong=["comm -13 before.txt after.txt", "diff before.txt after.txt"])

T("comm.common",
  "show the packages listed in both prod.txt and dev.txt",
  "comm -12 <(sort prod.txt) <(sort dev.txt)",
  [out_set("numpy", "requests")],
  fixture(F("prod.txt", "requests\nflask\nnumpy\n"), F("dev.txt", "pytest\nnumpy\nrequests\n"
            "black\n")),
  wrong=["cat prod.txt dev.txt | sort -u"])

T("diff.files.differ",
  "what lines differ between v1.conf and v2.conf?",
  "diff v1.conf v2.conf",
  [exit_is([0, 1]), out_re(r"timeout\s*=\s*30"), out_re(r"timeout\s*=\s*60"),
   out_re(r"retries", absent=["host = example"])],
  fixture(F("v1.conf", "host = example\ntimeout = 30\nmode = fast\n"),
          F("v2.conf", "host = example\ntimeout = 60\nmode = fast\nretries = 3\n")),
  wrong=["cat v1.conf v2.conf"],
  notes="diff exits 1 when the files differ, which is the expected outcome here")

T("diff.unified-patch",
  "save the differences between old.py and new.py as a unified diff in change.patch",
  "diff -u old.py new.py > change.patch",
  [exit_is([0, 1]), file_is("change.patch", "regex", r"(?m)^-\s*return a - b$"),
   file_is("change.patch", "regex", r"(?m)^\+\s*return a \+ b$"),
   file_is("change.patch", "regex", r"(?m)^(---|\+\+\+) ")],
  fixture(F("old.py", "def add(a, b):\n    return a - b\n"),
          F("new.py", "def add(a, b):\n    return a + b\n")),
  wrong=["diff old.py new.py > change.patch"])

T("column.table",
  "display inventory.csv with its columns lined up neatly",
  "column -t -s, inventory.csv",
  [out_re(r"(?m)^item\s{2,}qty\s{2,}price\s*$"), out_re(r"(?m)^widget\s{2,}4\s{2,}2\.50\s*$"),
   out_re(r"(?m)^gear\s{3,}10\s{2,}12\.00\s*$")],
  fixture(F("inventory.csv", "item,qty,price\nwidget,4,2.50\ngear,10,12.00\n")),
  wrong=["tr ',' ' ' < inventory.csv"])

T("uniq.count-words",
  "count how many times each word occurs in speech.txt, most frequent first",
  "tr -s '[:space:]' '\\n' < speech.txt | sort | uniq -c | sort -rn",
  [out_re(r"\A\s*(4\s+we|we\s+4)\s*\n"), out_re(r"(?m)^\s*(2\s+shall|shall\s+2)\s*$"),
   out_re(r"(?m)^\s*(1\s+beaches|beaches\s+1)\s*$")],
  fixture(F("speech.txt", "we shall fight\nwe shall go on\nwe will\nwe fight on the beaches\n")),
  wrong=["wc -w speech.txt", "sort speech.txt | uniq -c"])

T("rev.lines",
  "print the lines of stack.txt in reverse order, last line first",
  "tac stack.txt",
  [out_lines("third", "second", "first")],
  fixture(F("stack.txt", "first\nsecond\nthird\n")),
  wrong=["rev stack.txt", "sort -r stack.txt | head -n 1"])

T("join.on-id",
  "join users.txt and orders.txt on their first column (the user id)",
  "join users.txt orders.txt",
  [out_set("1 ann book", "2 ben pen", "3 cy ink")],
  fixture(F("users.txt", "1 ann\n2 ben\n3 cy\n4 dee\n"),
          F("orders.txt", "1 book\n2 pen\n3 ink\n")),
  wrong=["paste users.txt orders.txt"])

T("wc.unique-visitors",
  "how many different IP addresses visited according to access.log?",
  "awk '{print $1}' access.log | sort -u | wc -l",
  [out_number(4)],
  fixture(F("access.log", ACCESS_LOG)),
  wrong=["wc -l < access.log", "awk '{print $1}' access.log | uniq | wc -l"])

T("awk.csv-to-tsv",
  "convert staff.csv to tab-separated and save it as staff.tsv",
  "tr ',' '\\t' < staff.csv > staff.tsv",
  [file_is("staff.tsv", "exact", STAFF_CSV.replace(",", "\t")), unchanged("staff.csv")],
  fixture(F("staff.csv", STAFF_CSV)),
  wrong=["cp staff.csv staff.tsv"])

T("awk.line-lengths",
  "for every line of codes.txt, how many characters long is it?",
  "awk '{print length($0)}' codes.txt",
  [out_lines("3", "6", "1")],
  fixture(F("codes.txt", "abc\nabcdef\nz\n")),
  wrong=["wc -c codes.txt"])

