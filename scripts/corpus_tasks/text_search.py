"""Searching text: grep and friends."""

from ._dsl import P, T, cross
from ._pools import LOG_FILES, PATTERNS, PHRASES, TEXT_EXTS, TEXT_FILES

T("grep.recursive", "grep -rn '{pat}' .", """
search for {pat} in all files
grep {pat} recursively
find every line containing {pat} under this directory with line numbers
where does {pat} appear in this project
could you look through all the files here for the word {pat}
which lines mention {pat}
""", PATTERNS)

T("grep.recursive.ignore_case", "grep -rni '{pat}' .", """
case-insensitive search for {pat} in all files
grep {pat} ignoring case, recursively
find {pat} in any capitalisation across the project
search for {pat} regardless of upper or lower case
""", PATTERNS)

T("grep.files_with_match", "grep -rl '{pat}' .", """
which files contain {pat}
list files that mention {pat}
just the names of files containing {pat}
show me the filenames where {pat} appears
""", PATTERNS)

T("grep.files_without_match", "grep -rL '{pat}' .", """
which files do not contain {pat}
list files that never mention {pat}
files missing the word {pat}
""", PATTERNS)

T("grep.in_file", "grep '{pat}' {file}", """
search {file} for {pat}
lines in {file} containing {pat}
grep {pat} in {file}
show me where {pat} appears in {file}
find {pat} in {file}
""", cross(PATTERNS, TEXT_FILES))

T("grep.phrase", "grep -rn '{phrase}' .", """
search for the phrase "{phrase}" in all files
find "{phrase}" anywhere in this directory
which lines say {phrase}
grep for '{phrase}' recursively
""", PHRASES)

T("grep.count_in_file", "grep -c '{pat}' {file}", """
how many lines in {file} contain {pat}
count lines matching {pat} in {file}
number of {pat} lines in {file}
""", cross(PATTERNS, TEXT_FILES))

T("grep.count_occurrences", "grep -o '{pat}' {file} | wc -l", """
how many times does {pat} occur in {file}
count every occurrence of {pat} in {file}, not just lines
total number of {pat} matches in {file}
""", cross(PATTERNS, TEXT_FILES))

T("grep.invert", "grep -v '{pat}' {file}", """
lines in {file} that do not contain {pat}
show {file} without the {pat} lines
filter out {pat} from {file}
exclude lines matching {pat} in {file}
""", cross(PATTERNS, TEXT_FILES))

T("grep.word", "grep -rnw '{pat}' .", """
search for {pat} as a whole word
find the word {pat} but not as part of other words
match {pat} exactly as a word, recursively
""", PATTERNS)

T("grep.include_ext", "grep -rn --include='*.{ext}' '{pat}' .", """
search for {pat} only in {ext} files
grep {pat} in all .{ext} files
find {pat} in the {Ext} files of this project
look for {pat} but only inside *.{ext}
""", cross(TEXT_EXTS, PATTERNS))

T("grep.exclude_dir", "grep -rn --exclude-dir={dir} '{pat}' .", """
search for {pat} but skip {dir}
grep {pat} recursively excluding the {dir} folder
find {pat} everywhere except {dir}
""", cross(P("dir", "node_modules", ".git", "venv", "build", "dist", "vendor"), PATTERNS))

T("grep.context", "grep -n -C {n} '{pat}' {file}", """
show {n} lines around each {pat} in {file}
grep {pat} in {file} with {n} lines of context
matches of {pat} in {file} plus surrounding lines
""", cross(P("n", "3", "2", "5", "1", "10"), PATTERNS, LOG_FILES))

T("grep.after", "grep -A {n} '{pat}' {file}", """
show {n} lines after each {pat} in {file}
print the match for {pat} and the next {n} lines from {file}
""", cross(P("n", "5", "3", "10", "2"), PATTERNS, LOG_FILES))

T("grep.before", "grep -B {n} '{pat}' {file}", """
show {n} lines before each {pat} in {file}
what comes right before {pat} in {file}, {n} lines
""", cross(P("n", "5", "3", "10", "2"), PATTERNS, LOG_FILES))

T("grep.either", "grep -E '{a}|{b}' {file}", """
lines in {file} containing {a} or {b}
grep for either {a} or {b} in {file}
show lines matching {a} or {b} from {file}
""", cross(P("a b", "error warning", "ERROR WARN", "fail timeout", "TODO FIXME",
             "GET POST", "denied refused"), LOG_FILES))

T("grep.both", "grep '{a}' {file} | grep '{b}'", """
lines in {file} that contain both {a} and {b}
find lines with {a} and also {b} in {file}
""", cross(P("a b", "error database", "GET 404", "user login", "ERROR timeout", "POST api"),
           LOG_FILES))

T("grep.fixed", "grep -rnF '{lit}' .", """
search for the literal string {lit}
grep for {lit} without treating it as a regex
find the exact text {lit} in all files
""", P("lit", "a.b", "[debug]", "*.txt", "$HOME", "1+1", "(x)", "foo?"))

T("grep.only_matching_ips", "grep -oE '([0-9]{1,3}\\.){3}[0-9]{1,3}' {file} | sort -u", """
extract all IP addresses from {file}
list the unique IPs in {file}
pull out every IPv4 address mentioned in {file}
""", LOG_FILES)

T("grep.emails", "grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}' {file} | sort -u", """
extract email addresses from {file}
list every unique email in {file}
find all the emails in {file}
""", P("file", "contacts.txt", "users.csv", "notes.txt", "mail.log", "data.csv"))

T("grep.urls", "grep -oE 'https?://[^[:space:]\"]+' {file} | sort -u", """
extract all URLs from {file}
list the links in {file}
pull out every http or https address from {file}
""", P("file", "index.html", "README.md", "notes.txt", "bookmarks.txt", "page.html"))

T("grep.lines_starting", "grep '^{pre}' {file}", """
lines in {file} that start with {pre}
show lines beginning with {pre} in {file}
""", cross(P("pre", "#", "ERROR", "import", "def ", "[", "INFO"), TEXT_FILES))

T("grep.blank_lines_count", "grep -c '^$' {file}", """
how many blank lines are in {file}
count the empty lines in {file}
""", TEXT_FILES)

T("grep.non_comment", "grep -v -E '^[[:space:]]*(#|$)' {file}", """
show {file} without comments and blank lines
strip comment lines and empty lines from {file}
print only the active settings in {file}
""", P("file", "config.conf", "/etc/ssh/sshd_config", "nginx.conf", ".env", "config.ini",
       "/etc/fstab"))

T("grep.count_per_file", "grep -rc '{pat}' . | grep -v ':0$'", """
how many times does {pat} appear in each file
count {pat} per file, skipping files with none
matches of {pat} per file
""", PATTERNS)

T("grep.process_output", "ps aux | grep '[{first}]{rest}'", """
is {proc} running
check whether a {proc} process exists
find the {proc} process in ps output
""", P("proc first rest", "nginx n ginx", "python p ython", "node n ode", "java j ava",
       "postgres p ostgres", "redis r edis"))

T("grep.history", "history | grep '{word}'", """
find commands in my history containing {word}
search my shell history for {word}
what {word} commands did I run before
""", P("word", "ssh", "docker", "git push", "rsync", "kubectl", "ffmpeg", "scp", "tar"))

T("grep.zgrep", "zgrep '{pat}' {file}", """
search the compressed log {file} for {pat}
grep {pat} inside {file} without unzipping it
find {pat} in the gzipped file {file}
""", cross(PATTERNS, P("file", "app.log.1.gz", "syslog.2.gz", "access.log.gz", "server.log.gz")))

T("grep.perl_regex", {
    "gnu": "grep -oP '(?<={key}=)[^&\\s]+' {file}",
    "bsd": "grep -oE '{key}=[^&[:space:]]+' {file} | cut -d= -f2",
}, """
extract the value of {key}= from each line of {file}
print whatever follows {key}= in {file}
get all {key} values out of {file}
""", cross(P("key", "user", "id", "token", "session", "status"), LOG_FILES))

T("grep.max_count", "grep -m {n} '{pat}' {file}", """
first {n} lines in {file} matching {pat}
stop after {n} matches of {pat} in {file}
show only the first {n} {pat} lines from {file}
""", cross(P("n", "1", "5", "10", "3"), PATTERNS, LOG_FILES))

T("grep.list_todos", "grep -rnE 'TODO|FIXME|XXX' --include='*.{ext}' .", """
list all TODO and FIXME comments in {lang} files
find every TODO in the {lang} code
show FIXMEs and TODOs across the .{ext} sources
""", P("ext lang", "py Python", "js JavaScript", "go Go", "c C", "ts TypeScript", "rs Rust"))
