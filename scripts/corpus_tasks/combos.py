# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Everyday combinations: find by extension AND age/size/place, single-file grep variants, counts."""

from ._dsl import P, T, cross
from ._pools import DAYS, DIRS, EXTS, LOG_FILES, PATTERNS, SIZES, TEXT_FILES

T("find.ext.iname", "find . -type f -iname '*.{ext}'", """
find {ext} files whatever the case of the extension
list all .{ext} and .{EXT} files recursively
case-insensitive search for *.{ext} files
{ext} files, also the ones ending in upper case .{EXT}
""", P("ext EXT", "jpg JPG", "png PNG", "pdf PDF", "mp4 MP4", "txt TXT", "jpeg JPEG", "mov MOV"))

T("find.ext.older", "find . -type f -name '*.{ext}' -mtime +{days}", """
{ext} files older than {days} days
list .{ext} files not modified for {days} days
which *.{ext} files haven't changed in over {days} days
""", cross(P("ext", "log", "tmp", "bak", "csv", "gz", "jpg", "pdf"), DAYS))

T("find.ext.older.dir", "find {dir} -type f -name '*.{ext}' -mtime +{days}", """
{ext} files in {dir} older than {days} days
list the .{ext} files under {dir} that are more than {days} days old
""", cross(P("ext", "log", "tmp", "bak", "gz"), P("dir", "logs", "/var/log", "backup", "tmp", "cache"), DAYS))

T("find.ext.older.delete", "find . -type f -name '*.{ext}' -mtime +{days} -delete", """
delete {ext} files older than {days} days
remove .{ext} files that haven't been modified in {days} days
clean up *.{ext} older than {days} days
""", cross(P("ext", "log", "tmp", "bak", "gz", "zip"), DAYS))

T("find.ext.newer", "find . -type f -name '*.{ext}' -mtime -{days}", """
{ext} files changed in the last {days} days
.{ext} files modified within {days} days
recent *.{ext} files, last {days} days
""", cross(P("ext", "py", "md", "txt", "log", "js", "csv"), DAYS))

T("find.ext.larger", "find . -type f -name '*.{ext}' -size +{fsize}", """
{ext} files bigger than {size}
find .{ext} files over {size}
which *.{ext} files are larger than {size_alt}
""", cross(P("ext", "log", "mp4", "jpg", "zip", "iso", "csv", "pdf"), SIZES))

T("find.ext.dir_count", "find {dir} -type f -name '*.{ext}' | wc -l", """
how many {ext} files are in {dir}
count the .{ext} files under {dir}
number of *.{ext} files inside {dir}
""", cross(EXTS[:10], DIRS))

T("find.ext.exec_wc", "find . -type f -name '*.{ext}' -exec wc -l {} +", """
line count of every {ext} file
how many lines does each .{ext} file have, recursively
wc -l all the *.{ext} files in this tree
""", P("ext", "py", "txt", "md", "js", "csv", "sh", "go"))

T("find.ext.list_sizes", "find . -type f -name '*.{ext}' -exec du -h {} + | sort -rh", """
sizes of all {ext} files, biggest first
list the .{ext} files sorted by size
which *.{ext} files are the largest
""", P("ext", "mp4", "jpg", "log", "zip", "pdf", "iso", "png"))

T("find.subdirs_all", "find . -mindepth 1 -type d", """
every subdirectory below this one, at any depth
all folders under here, recursively, without the current one
list subdirectories recursively
""")

T("find.files_here", "find . -maxdepth 1 -type f", """
only the files in this directory, not folders
list regular files here without going into subfolders
files at the top level of the current folder
""")

T("grep.in_file_ignore_case", "grep -i '{pat}' {file}", """
lines in {file} containing {pat}, any case
case-insensitive search for {pat} in {file}
grep {pat} in {file} ignoring upper and lower case
""", cross(PATTERNS, TEXT_FILES))

T("grep.in_file_numbers", "grep -n '{pat}' {file}", """
which line numbers of {file} contain {pat}
show {pat} matches in {file} with line numbers
where in {file} does {pat} appear, with line numbers
""", cross(PATTERNS, TEXT_FILES))

T("grep.word_in_file", "grep -w '{pat}' {file}", """
lines of {file} with the whole word {pat}
match {pat} in {file} only as a complete word
""", cross(PATTERNS, TEXT_FILES))

T("grep.files_with_match_ext", "grep -l '{pat}' *.{ext}", """
which .{ext} files in this folder mention {pat}
list the {ext} files here that contain {pat}
""", cross(PATTERNS, P("ext", "py", "txt", "md", "log", "js", "yaml")))

T("grep.count_per_ext_file", "grep -c '{pat}' *.{ext}", """
count lines with {pat} in each .{ext} file here
how many {pat} lines per {ext} file in this folder
""", cross(PATTERNS, P("ext", "py", "txt", "log", "md", "c")))

T("grep.strip_comments", "grep -v '^#' {file}", """
show {file} without the lines starting with #
hide comment lines in {file}
print {file} minus lines beginning with a hash
""", P("file", "hosts.txt", "config.conf", ".env", "requirements.txt", "crontab.txt"))

T("grep.recursive_dir", "grep -rn '{pat}' {dir}", """
search {dir} for {pat}
grep {pat} inside the {dir} folder recursively
which files under {dir} mention {pat}, with line numbers
""", cross(PATTERNS, DIRS))

T("grep.include_dir", "grep -rn --include='*.{ext}' '{pat}' {dir}", """
search the {ext} files under {dir} for {pat}
grep {pat} in .{ext} files inside {dir}
""", cross(P("ext", "py", "yaml", "js", "md", "conf"), PATTERNS, DIRS))

T("wc.lines_only_number", "wc -l < {file}", """
just the number of lines in {file}, without the file name
line count of {file} as a bare number
""", TEXT_FILES)

T("wc.bytes", "wc -c < {file}", """
how many bytes is {file}
byte count of {file}
""", TEXT_FILES)

T("head.bytes", "head -c {n} {file}", """
first {n} bytes of {file}
print the beginning {n} bytes of {file}
""", cross(P("n", "100", "512", "1024", "64"), TEXT_FILES))

T("head.header", "head -n 1 {file}", """
show the header row of {file}
first line of {file}
what columns does {file} have
""", P("file", "data.csv", "sales.csv", "users.csv", "report.csv", "export.tsv"))

T("tail.last_line", "tail -n 1 {file}", """
last line of {file}
show only the final line of {file}
""", TEXT_FILES + LOG_FILES)

T("awk.column_count", "awk -F, '{print NF}' {file} | sort -u", """
how many columns does {file} have
count the fields per row in the csv {file}
""", P("file", "data.csv", "sales.csv", "users.csv", "report.csv"))

T("awk.print_line_n", "awk 'NR == {n}' {file}", """
print line {n} of {file} with awk
awk show the {n}th line of {file}
""", cross(P("n", "5", "10", "42", "100"), TEXT_FILES))

T("cut.first_column_counts", "cut -d, -f{n} {file} | sort | uniq -c | sort -rn", """
count how often each value appears in column {n} of {file}
frequency of the values in csv column {n} of {file}
""", cross(P("n", "1", "2", "3"), P("file", "data.csv", "sales.csv", "users.csv")))

T("sort.passwd_uid", "sort -t: -k3 -n /etc/passwd", """
sort /etc/passwd by user id
list accounts ordered by uid
""")

T("sort.by_field_ws", "sort -k{n} {file}", """
sort {file} by its {nth} whitespace-separated field
order the lines of {file} on column {n}
""", cross(P("n nth", "2 second", "3 third", "1 first"), TEXT_FILES))

T("sort.by_field_num_desc", "sort -k{n},{n}nr {file}", """
sort {file} by column {n} as numbers, biggest first
descending numeric sort of {file} on field {n}
""", cross(P("n", "2", "3", "5"), TEXT_FILES))

T("sed.last_line", "sed -n '$p' {file}", """
print the last line of {file} with sed
sed show the final line of {file}
""", TEXT_FILES)

T("sed.first_match_to_tab", "sed 's/{delim}/\\t/' {file}", """
change the first {delim_name} on each line of {file} to a tab
replace the first {delim_name} per line in {file} with a tab character
""", cross(P("delim delim_name", ", ; comma", ": ; colon", "; ; semicolon", "= ; equals sign"), TEXT_FILES))

T("date.timestamp_name", "date +%Y-%m-%d_%H-%M-%S", """
timestamp suitable for a file name
current date and time without spaces or colons
""")

T("ls.dirs_only_long", "ls -l | grep '^d'", """
long listing of just the directories here
ls -l but only folders
""")

T("ls.recent_n", "ls -t | head -n {n}", """
the {n} most recently changed files in this folder
last {n} files modified here
newest {n} entries in the current directory
""", P("n", "5", "10", "3", "20"))
