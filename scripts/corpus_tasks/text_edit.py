# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Transforming text: sed, awk, cut, tr, sort, uniq, wc, head, tail, paste, column, and friends."""

from ._dsl import P, T, cross
from ._pools import (
    CSV_FILES,
    DELIMS,
    FIELDS,
    LINE_NUMBERS,
    LOG_FILES,
    PATTERNS,
    SMALL_COUNTS,
    TEXT_FILES,
    WORD_PAIRS,
)

# -- sed ----------------------------------------------------------------------------------------

T("sed.replace.stdout", "sed 's/{old}/{new}/g' {file}", """
replace {old} with {new} in {file} and print the result
show {file} with every {old} changed to {new}
substitute {old} by {new} in {file} without modifying it
preview replacing {old} with {new} in {file}
""", cross(WORD_PAIRS, TEXT_FILES))

T("sed.replace.inplace", {
    "gnu": "sed -i 's/{old}/{new}/g' {file}",
    "bsd": "sed -i '' 's/{old}/{new}/g' {file}",
}, """
replace {old} with {new} in {file}
change every {old} to {new} in {file} in place
edit {file} replacing all occurrences of {old} with {new}
find and replace {old} -> {new} in {file}
could you swap {old} for {new} throughout {file}
""", cross(WORD_PAIRS, TEXT_FILES))

T("sed.replace.inplace_backup", {
    "gnu": "sed -i.bak 's/{old}/{new}/g' {file}",
    "bsd": "sed -i .bak 's/{old}/{new}/g' {file}",
}, """
replace {old} with {new} in {file} but keep a backup
in-place edit of {file} changing {old} to {new}, saving the original as .bak
substitute {old} with {new} in {file} and keep a copy of the old file
""", cross(WORD_PAIRS, TEXT_FILES))

T("sed.replace.many_files", {
    "gnu": "grep -rl '{old}' --include='*.{ext}' . | xargs sed -i 's/{old}/{new}/g'",
    "bsd": "grep -rl '{old}' --include='*.{ext}' . | xargs sed -i '' 's/{old}/{new}/g'",
}, """
replace {old} with {new} in all {ext} files
change {old} to {new} across every .{ext} file in the project
find and replace {old} by {new} recursively in *.{ext}
bulk rename the string {old} to {new} in all .{ext} files
""", cross(WORD_PAIRS, P("ext", "py", "js", "md", "txt", "html", "yaml", "go", "ts")))

T("sed.replace.first_only", "sed 's/{old}/{new}/' {file}", """
replace only the first {old} on each line of {file} with {new}
change the first occurrence per line of {old} to {new} in {file}
""", cross(WORD_PAIRS, TEXT_FILES))

T("sed.replace.case_insensitive", {
    "gnu": "sed 's/{old}/{new}/gI' {file}",
    "bsd": "perl -pe 's/{old}/{new}/gi' {file}",
}, """
replace {old} with {new} in {file} ignoring case
case-insensitive substitution of {old} by {new} in {file}
""", cross(WORD_PAIRS, TEXT_FILES))

T("sed.delete_matching", {
    "gnu": "sed -i '/{pat}/d' {file}",
    "bsd": "sed -i '' '/{pat}/d' {file}",
}, """
delete lines containing {pat} from {file}
remove every line with {pat} in {file}
strip out the {pat} lines from {file} in place
""", cross(PATTERNS, TEXT_FILES))

T("sed.delete_line_n", {
    "gnu": "sed -i '{n}d' {file}",
    "bsd": "sed -i '' '{n}d' {file}",
}, """
delete line {n} of {file}
remove line number {n} from {file}
get rid of the {n}th line in {file}
""", cross(LINE_NUMBERS, TEXT_FILES))

T("sed.delete_first_line", "sed '1d' {file}", """
print {file} without its first line
skip the header line of {file}
drop the first line of {file}
""", CSV_FILES + TEXT_FILES[:4])

T("sed.delete_blank", "sed '/^[[:space:]]*$/d' {file}", """
remove blank lines from {file}
print {file} without empty lines
delete all whitespace-only lines in {file}
squeeze out the empty lines of {file}
""", TEXT_FILES)

T("sed.print_range", "sed -n '{a},{b}p' {file}", """
print lines {a} to {b} of {file}
show lines {a} through {b} from {file}
extract lines {a}-{b} of {file}
display {file} from line {a} to line {b}
""", cross(P("a b", "10 20", "100 150", "1 5", "50 60", "200 300", "5 15"), TEXT_FILES))

T("sed.print_line_n", "sed -n '{n}p' {file}", """
print line {n} of {file}
show only line number {n} from {file}
what is on line {n} of {file}
""", cross(LINE_NUMBERS, TEXT_FILES))

T("sed.insert_first_line", {
    "gnu": "sed -i '1i {text}' {file}",
    "bsd": "sed -i '' '1i\\'$'\\n''{text}' {file}",
}, """
insert "{text}" as the first line of {file}
add a line saying {text} at the top of {file}
prepend {text} to {file}
""", cross(P("text", "#!/bin/bash", "name,email,age", "# TODO", "id,value", "---"),
           TEXT_FILES))

T("sed.append_line", "echo '{text}' >> {file}", """
append "{text}" to {file}
add the line {text} at the end of {file}
write {text} to the bottom of {file}
""", cross(P("text", "export PATH=$HOME/bin:$PATH", "done", "127.0.0.1 myapp.local",
             "alias ll='ls -la'", "new entry", "# end"), TEXT_FILES))

T("sed.trailing_ws", {
    "gnu": "sed -i 's/[[:space:]]*$//' {file}",
    "bsd": "sed -i '' 's/[[:space:]]*$//' {file}",
}, """
remove trailing whitespace from {file}
strip spaces at the end of every line in {file}
trim trailing blanks in {file}
""", TEXT_FILES)

T("sed.leading_ws", "sed 's/^[[:space:]]*//' {file}", """
remove leading whitespace from each line of {file}
strip indentation from {file}
trim spaces at the start of every line of {file}
""", TEXT_FILES)

T("sed.crlf", {
    "gnu": "sed -i 's/\\r$//' {file}",
    "bsd": "sed -i '' $'s/\\r$//' {file}",
}, """
convert {file} from windows line endings to unix
remove carriage returns from {file}
fix CRLF line endings in {file}
dos2unix {file} without dos2unix
""", TEXT_FILES)

T("sed.between_markers", "sed -n '/{a}/,/{b}/p' {file}", """
print everything between {a} and {b} in {file}
show the lines from {a} up to {b} in {file}
extract the block starting at {a} and ending at {b} from {file}
""", cross(P("a b", "BEGIN END", "start stop", "START END", "\\[main\\] \\[dev\\]"),
           TEXT_FILES))

T("sed.comment_out", {
    "gnu": "sed -i '/{pat}/s/^/# /' {file}",
    "bsd": "sed -i '' '/{pat}/s/^/# /' {file}",
}, """
comment out lines containing {pat} in {file}
put a # in front of every line with {pat} in {file}
disable the {pat} lines in {file} by commenting them
""", cross(P("pat", "PermitRootLogin", "debug", "listen", "server_name", "import os"),
           P("file", "config.conf", "sshd_config", "nginx.conf", "settings.ini", "main.py")))

T("sed.number_lines_regex", "sed = {file} | sed 'N;s/\\n/ /'", """
number the lines of {file} using sed
prefix each line of {file} with its line number via sed
""", TEXT_FILES[:6])

# -- awk ----------------------------------------------------------------------------------------

T("awk.print_column", "awk '{print ${n}}' {file}", """
print column {n} of {file}
show the {nth} field of every line in {file}
get the {nth} column from {file}
extract field {n} (whitespace separated) from {file}
""", cross(P("n nth", "1 first", "2 second", "3 third", "4 fourth", "5 fifth"), TEXT_FILES))

T("awk.print_column_delim", "awk -F'{delim}' '{print ${n}}' {file}", """
print column {n} of {file} split on {delim_name}
get field {n} from {file} using {delim} as the separator
show the {n}th {delim_name}-separated field of {file}
""", cross(FIELDS, DELIMS, CSV_FILES + P("file", "/etc/passwd", "config.ini")))

T("awk.last_column", "awk '{print $NF}' {file}", """
print the last column of {file}
show the final field on each line of {file}
get the last word of every line in {file}
""", TEXT_FILES)

T("awk.sum_column", "awk '{s += ${n}} END {print s}' {file}", """
sum column {n} of {file}
add up the numbers in the {nth} column of {file}
total of field {n} in {file}
what is the sum of column {n} in {file}
""", cross(P("n nth", "1 first", "2 second", "3 third", "4 fourth", "5 fifth"), TEXT_FILES))

T("awk.sum_csv_column", "awk -F, 'NR > 1 {s += ${n}} END {print s}' {file}", """
sum column {n} of the csv {file}, skipping the header
total the {n}th field of {file}
add up column {n} in {file} ignoring the first row
""", cross(FIELDS[1:], CSV_FILES))

T("awk.average", "awk '{s += ${n}; c++} END {if (c) print s / c}' {file}", """
average of column {n} in {file}
mean of the {nth} field of {file}
compute the average value in column {n} of {file}
""", cross(P("n nth", "1 first", "2 second", "3 third", "4 fourth"), TEXT_FILES))

T("awk.max", "awk 'NR == 1 || ${n} > m {m = ${n}} END {print m}' {file}", """
maximum value in column {n} of {file}
largest number in the {nth} column of {file}
what's the max of field {n} in {file}
""", cross(P("n nth", "1 first", "2 second", "3 third"), TEXT_FILES))

T("awk.min", "awk 'NR == 1 || ${n} < m {m = ${n}} END {print m}' {file}", """
minimum value in column {n} of {file}
smallest number in the {nth} column of {file}
""", cross(P("n nth", "1 first", "2 second", "3 third"), TEXT_FILES))

T("awk.filter_gt", "awk '${n} > {v}' {file}", """
lines of {file} where column {n} is greater than {v}
show rows in {file} whose {nth} field exceeds {v}
filter {file} to lines with field {n} above {v}
""", cross(P("n nth", "2 second", "3 third", "1 first", "5 fifth"),
           P("v", "100", "1000", "50", "0", "500"), TEXT_FILES))

T("awk.filter_eq", "awk -F, '${n} == \"{v}\"' {file}", """
rows of {file} where column {n} equals {v}
show lines in {file} whose {n}th field is {v}
filter {file} for {v} in column {n}
""", cross(P("n", "2", "3", "1", "4"), P("v", "active", "admin", "US", "failed", "paid"),
           CSV_FILES))

T("awk.line_lengths", "awk '{print length($0)}' {file}", """
print the length of each line in {file}
how long is every line of {file}
""", TEXT_FILES)

T("awk.longest_line", "awk '{ if (length($0) > max) {max = length($0); line = $0} } END {print line}' {file}", """
longest line in {file}
find the line with the most characters in {file}
""", TEXT_FILES)

T("awk.long_lines", "awk 'length > {n}' {file}", """
lines in {file} longer than {n} characters
show lines of {file} with more than {n} chars
""", cross(P("n", "80", "100", "120", "72", "200"), TEXT_FILES))

T("awk.count_by_field", "awk '{print ${n}}' {file} | sort | uniq -c | sort -rn", """
count occurrences of each value in column {n} of {file}
how many times does each {nth} field appear in {file}
frequency of values in column {n} of {file}
histogram of field {n} in {file}
""", cross(P("n nth", "1 first", "9 ninth", "2 second", "3 third"), LOG_FILES))

T("awk.swap_columns", "awk '{print ${b}, ${a}}' {file}", """
swap columns {a} and {b} in {file}
print field {b} then field {a} of {file}
""", cross(P("a b", "1 2", "2 3", "1 3"), TEXT_FILES))

T("awk.unique_lines_keep_order", "awk '!seen[$0]++' {file}", """
remove duplicate lines from {file} but keep the original order
dedupe {file} without sorting
print each line of {file} only the first time it appears
""", TEXT_FILES)

T("awk.csv_to_tsv", "awk 'BEGIN {FS = \",\"; OFS = \"\\t\"} {$1 = $1; print}' {file}", """
convert {file} from comma separated to tab separated
turn the csv {file} into a tsv
""", CSV_FILES)

T("awk.nr_range", "awk 'NR >= {a} && NR <= {b}' {file}", """
use awk to print lines {a} to {b} of {file}
awk lines {a} through {b} in {file}
""", cross(P("a b", "10 20", "5 10", "100 200", "1 3"), TEXT_FILES))

T("awk.every_nth_line", "awk 'NR % {n} == 0' {file}", """
print every {n}th line of {file}
show one line out of every {n} in {file}
""", cross(P("n", "2", "3", "5", "10"), TEXT_FILES))

T("awk.http_status_count", "awk '{print $9}' {file} | sort | uniq -c | sort -rn", """
count HTTP status codes in {file}
how many of each response code are in the access log {file}
breakdown of status codes in {file}
""", P("file", "access.log", "/var/log/nginx/access.log", "/var/log/apache2/access.log"))

T("awk.top_ips", "awk '{print $1}' {file} | sort | uniq -c | sort -rn | head -n {n}", """
top {n} IP addresses in {file}
which {n} clients made the most requests in {file}
most frequent visitor IPs in the access log {file}
""", cross(SMALL_COUNTS, P("file", "access.log", "/var/log/nginx/access.log")))

# -- cut / tr / paste / column ------------------------------------------------------------------

T("cut.field", "cut -d'{delim}' -f{n} {file}", """
cut field {n} from {file} using {delim_name} as delimiter
print the {n}th {delim_name}-separated column of {file}
get column {n} from {file} split by {delim}
""", cross(FIELDS, DELIMS, CSV_FILES))

T("cut.fields_multi", "cut -d, -f{a},{b} {file}", """
get columns {a} and {b} from {file}
print only fields {a} and {b} of the csv {file}
extract columns {a} and {b} out of {file}
""", cross(P("a b", "1 3", "2 4", "1 2", "3 5"), CSV_FILES))

T("cut.chars", "cut -c1-{n} {file}", """
first {n} characters of each line in {file}
truncate every line of {file} to {n} chars
show only the first {n} columns of text in {file}
""", cross(P("n", "10", "80", "20", "40", "5"), TEXT_FILES))

T("cut.passwd_users", "cut -d: -f1 /etc/passwd", """
list all user names on this system
show every user account
which users exist on this machine
""")

T("tr.upper", "tr '[:lower:]' '[:upper:]' < {file}", """
convert {file} to uppercase
make all the text in {file} upper case
print {file} in capital letters
""", TEXT_FILES)

T("tr.lower", "tr '[:upper:]' '[:lower:]' < {file}", """
convert {file} to lowercase
make {file} all lower case
""", TEXT_FILES)

T("tr.delete_chars", "tr -d '{chars}' < {file}", """
delete all {chars_name} from {file}
remove every {chars_name} character in {file}
strip {chars_name} out of {file}
""", cross(P("chars chars_name", "\\r ; carriage return", "0-9 ; digit", "[:punct:] ; punctuation",
             "\\n ; newline", "[:space:] ; whitespace", "\" ; double quote"), TEXT_FILES))

T("tr.squeeze_spaces", "tr -s ' ' < {file}", """
squeeze repeated spaces in {file}
collapse multiple spaces into one in {file}
""", TEXT_FILES)

T("tr.spaces_to_newlines", "tr -s '[:space:]' '\\n' < {file}", """
put each word of {file} on its own line
split {file} into one word per line
""", TEXT_FILES)

T("tr.word_frequency", "tr -cs '[:alpha:]' '\\n' < {file} | tr '[:upper:]' '[:lower:]' | sort | uniq -c | sort -rn | head -n {n}", """
{n} most common words in {file}
word frequency count for {file}
which words appear most often in {file}, top {n}
""", cross(P("n", "10", "20", "5", "50"), TEXT_FILES))

T("tr.path_lines", "echo \"$PATH\" | tr ':' '\\n'", """
show my PATH one directory per line
print each entry of PATH on its own line
list the directories in my PATH
""")

T("paste.join_lines", "paste -sd, {file}", """
join all lines of {file} with commas
turn the lines of {file} into one comma separated line
merge {file} into a single line
""", TEXT_FILES)

T("paste.side_by_side", "paste {a} {b}", """
merge {a} and {b} side by side
combine the lines of {a} and {b} column-wise
put {a} and {b} next to each other
""", P("a b", "names.txt ages.txt", "first.txt second.txt", "keys.txt values.txt",
       "col1.txt col2.txt"))

T("column.table", "column -t -s, {file}", """
show {file} as an aligned table
pretty print the csv {file} in columns
format {file} into neat columns
view {file} nicely aligned
""", CSV_FILES)

T("column.mount", "mount | column -t", """
show mounted filesystems as a table
list mounts in aligned columns
""")

# -- sort / uniq / wc / head / tail -------------------------------------------------------------

T("sort.alpha", "sort {file}", """
sort the lines of {file}
alphabetize {file}
order {file} alphabetically
""", TEXT_FILES)

T("sort.reverse", "sort -r {file}", """
sort {file} in reverse order
reverse alphabetical sort of {file}
""", TEXT_FILES)

T("sort.numeric", "sort -n {file}", """
sort {file} numerically
order the numbers in {file} from smallest to largest
""", TEXT_FILES)

T("sort.numeric_desc", "sort -rn {file}", """
sort {file} numerically from largest to smallest
reverse numeric sort of {file}
""", TEXT_FILES)

T("sort.by_column", "sort -t, -k{n} -n {file}", """
sort {file} by column {n} numerically
order the csv {file} by its {n}th field
sort {file} on field {n} as numbers
""", cross(FIELDS, CSV_FILES))

T("sort.by_column_desc", "sort -t, -k{n},{n} -rn {file}", """
sort {file} by column {n} in descending order
biggest values of field {n} first in {file}
""", cross(FIELDS, CSV_FILES))

T("sort.unique", "sort -u {file}", """
sort {file} and remove duplicates
unique sorted lines of {file}
list the distinct lines in {file}
""", TEXT_FILES)

T("sort.human_sizes", "du -sh * | sort -h", """
sort files and folders here by size
list items in this directory ordered by size, smallest first
disk usage of each entry sorted by size
""")

T("sort.version", "sort -V {file}", """
sort {file} by version number
version sort the lines of {file}
""", P("file", "versions.txt", "tags.txt", "releases.txt"))

T("sort.random", {"gnu": "shuf {file}", "bsd": "sort -R {file}"}, """
shuffle the lines of {file}
randomize the order of {file}
print {file} in random order
""", TEXT_FILES)

T("shuf.pick", {"gnu": "shuf -n {n} {file}", "bsd": "sort -R {file} | head -n {n}"}, """
pick {n} random lines from {file}
random sample of {n} lines from {file}
choose {n} lines at random out of {file}
""", cross(SMALL_COUNTS, TEXT_FILES))

T("shuf.number", {"gnu": "shuf -i {a}-{b} -n 1", "bsd": "jot -r 1 {a} {b}"}, """
random number between {a} and {b}
pick a random integer from {a} to {b}
roll a number in the range {a}-{b}
""", P("a b", "1 100", "1 6", "1 10", "0 255", "1000 9999", "1 1000"))

T("uniq.count", "sort {file} | uniq -c | sort -rn", """
count duplicate lines in {file}
how many times does each line appear in {file}
frequency of each line of {file}, most common first
""", TEXT_FILES)

T("uniq.duplicates_only", "sort {file} | uniq -d", """
show only duplicated lines in {file}
which lines appear more than once in {file}
list repeated lines of {file}
""", TEXT_FILES)

T("uniq.unique_only", "sort {file} | uniq -u", """
lines that appear exactly once in {file}
show lines of {file} that are not repeated
""", TEXT_FILES)

T("wc.lines", "wc -l {file}", """
how many lines in {file}
count lines in {file}
line count of {file}
number of lines in {file}
""", TEXT_FILES)

T("wc.words", "wc -w {file}", """
how many words in {file}
word count of {file}
count the words in {file}
""", TEXT_FILES)

T("wc.chars", "wc -m {file}", """
how many characters in {file}
count the characters of {file}
""", TEXT_FILES)

T("wc.lines_all_ext", "wc -l *.{ext}", """
line counts of every {ext} file here
how many lines does each .{ext} file have
""", P("ext", "txt", "py", "md", "csv", "log", "sh"))

T("head.first_n", "head -n {n} {file}", """
first {n} lines of {file}
show the top {n} lines of {file}
print the beginning of {file}, {n} lines
head {file} {n} lines
""", cross(P("n", "10", "20", "5", "50", "100", "3"), TEXT_FILES))

T("head.skip_last", {"gnu": "head -n -{n} {file}", "bsd": "tail -r {file} | tail -n +{m} | tail -r"}, """
print all of {file} except the last {n} lines
drop the final {n} lines of {file}
everything in {file} but the last {n} lines
""", cross(P("n m", "1 2", "5 6", "10 11", "3 4"), TEXT_FILES))

T("tail.last_n", "tail -n {n} {file}", """
last {n} lines of {file}
show the end of {file}, {n} lines
print the final {n} lines of {file}
tail {file} {n} lines
""", cross(P("n", "10", "20", "50", "100", "5", "200"), TEXT_FILES))

T("tail.follow", "tail -f {file}", """
follow {file}
watch {file} as new lines are written
stream {file} live
keep printing {file} as it grows
""", LOG_FILES)

T("tail.follow_grep", "tail -f {file} | grep --line-buffered '{pat}'", """
follow {file} and only show lines with {pat}
watch {file} live for {pat}
stream new {pat} lines from {file}
""", cross(P("pat", "ERROR", "error", "WARN", "404", "Exception", "timeout"), LOG_FILES))

T("tail.from_line", "tail -n +{n} {file}", """
print {file} starting from line {n}
show everything in {file} after the first {m} lines
skip the first {m} lines of {file}
""", cross(P("n m", "2 1", "11 10", "101 100", "6 5", "21 20"), TEXT_FILES))

T("tail.reverse", {"gnu": "tac {file}", "bsd": "tail -r {file}"}, """
print {file} in reverse line order
show {file} backwards, last line first
reverse the lines of {file}
""", TEXT_FILES)

T("rev.chars", "rev {file}", """
reverse each line of {file} character by character
mirror the text on each line of {file}
""", TEXT_FILES)

T("rev.string", "echo '{text}' | rev", """
reverse the string {text}
spell {text} backwards
""", P("text", "hello", "stressed", "racecar", "abc123", "nlsh"))

T("nl.number_lines", "nl -ba {file}", """
number the lines of {file}
show {file} with line numbers
print {file} with a line number in front of each line
""", TEXT_FILES)

T("cat.number", "cat -n {file}", """
cat {file} with line numbers
display {file} numbering every line
""", TEXT_FILES)

T("cat.show", "cat {file}", """
show the contents of {file}
print {file}
display {file}
what's in {file}
""", TEXT_FILES)

T("cat.concat", "cat {a} {b} > {out}", """
combine {a} and {b} into {out}
concatenate {a} and {b} and save as {out}
merge {a} with {b} into a new file {out}
""", P("a b out", "part1.txt part2.txt full.txt", "header.csv data.csv combined.csv",
       "a.log b.log all.log", "intro.md body.md doc.md"))

T("cat.show_invisible", {"gnu": "cat -A {file}", "bsd": "cat -vet {file}"}, """
show invisible characters in {file}
display tabs and line endings in {file}
reveal hidden characters like tabs and CR in {file}
""", TEXT_FILES)

T("fold.wrap", "fold -s -w {n} {file}", """
wrap the lines of {file} at {n} characters
fold {file} to {n} columns, breaking at spaces
""", cross(P("n", "80", "72", "60", "100"), TEXT_FILES))

T("fmt.reflow", "fmt -w {n} {file}", """
reflow the paragraphs of {file} to {n} characters wide
reformat {file} text to width {n}
""", cross(P("n", "80", "72", "60"), P("file", "notes.txt", "README.md", "todo.txt")))

T("expand.tabs", "expand -t {n} {file}", """
convert tabs to spaces in {file}
replace tabs in {file} with {n} spaces
""", cross(P("n", "4", "2", "8"), TEXT_FILES))

T("unexpand.spaces", "unexpand -a -t {n} {file}", """
convert groups of {n} spaces into tabs in {file}
turn leading spaces in {file} into tabs
""", cross(P("n", "4", "8", "2"), TEXT_FILES))

# -- comparing ----------------------------------------------------------------------------------

T("diff.files", "diff {a} {b}", """
compare {a} and {b}
what's the difference between {a} and {b}
show differences between {a} and {b}
diff {a} against {b}
""", P("a b", "old.txt new.txt", "config.yaml config.yaml.bak", "a.txt b.txt",
       "v1.csv v2.csv", "notes.txt notes.txt.orig"))

T("diff.unified", "diff -u {a} {b}", """
unified diff of {a} and {b}
show a patch-style diff between {a} and {b}
diff {a} and {b} with context in unified format
""", P("a b", "old.txt new.txt", "a.txt b.txt", "v1.csv v2.csv", "main.py main.py.orig"))

T("diff.side_by_side", "diff -y -W {w} {a} {b}", """
compare {a} and {b} side by side
show {a} and {b} in two columns with differences marked
""", cross(P("a b", "old.txt new.txt", "a.txt b.txt", "v1.csv v2.csv"), P("w", "160", "200")))

T("diff.dirs", "diff -rq {a} {b}", """
compare the directories {a} and {b}
which files differ between {a} and {b}
diff two folders {a} and {b}, just the names
""", P("a b", "dir1 dir2", "src backup/src", "old new", "site site.bak"))

T("diff.ignore_ws", "diff -w {a} {b}", """
compare {a} and {b} ignoring whitespace
diff {a} {b} but don't care about spaces
""", P("a b", "old.txt new.txt", "a.txt b.txt", "main.py main.py.orig"))

T("diff.make_patch", "diff -u {a} {b} > {patch}", """
create a patch from {a} to {b}
save the differences between {a} and {b} as {patch}
make a diff file {patch} of {a} vs {b}
""", P("a b patch", "old.txt new.txt changes.patch", "main.py main.py.new fix.patch",
       "config.yaml config.new.yaml config.diff"))

T("patch.apply", "patch -p1 < {patch}", """
apply the patch {patch}
patch the source tree with {patch}
apply {patch} to this directory
""", P("patch", "fix.patch", "changes.patch", "update.diff", "0001-fix.patch"))

T("cmp.files", "cmp {a} {b}", """
check if {a} and {b} are byte-for-byte identical
are {a} and {b} exactly the same
compare the binary files {a} and {b}
""", P("a b", "a.bin b.bin", "old.iso new.iso", "photo.jpg copy.jpg", "firmware.img backup.img"))

T("comm.common", "comm -12 <(sort {a}) <(sort {b})", """
lines that appear in both {a} and {b}
show what {a} and {b} have in common
intersection of {a} and {b}
""", P("a b", "list1.txt list2.txt", "users_old.txt users_new.txt", "a.txt b.txt",
       "emails1.txt emails2.txt"))

T("comm.only_first", "comm -23 <(sort {a}) <(sort {b})", """
lines in {a} that are not in {b}
what does {a} have that {b} doesn't
show entries only found in {a}, not in {b}
""", P("a b", "list1.txt list2.txt", "users_old.txt users_new.txt", "a.txt b.txt",
       "emails1.txt emails2.txt"))

T("join.files", "join -t, <(sort {a}) <(sort {b})", """
join {a} and {b} on their first column
merge the csv files {a} and {b} by the shared key in column 1
""", P("a b", "users.csv orders.csv", "names.csv scores.csv", "ids.csv emails.csv"))

# -- generating ---------------------------------------------------------------------------------

T("seq.range", "seq {a} {b}", """
print the numbers from {a} to {b}
count from {a} to {b}
list numbers {a} through {b}
""", P("a b", "1 10", "1 100", "0 9", "5 50", "10 20"))

T("seq.step", "seq {a} {s} {b}", """
numbers from {a} to {b} in steps of {s}
count from {a} to {b} by {s}
""", P("a s b", "0 5 100", "1 2 20", "10 10 100", "0 0.5 5", "100 -10 0"))

T("seq.padded", "seq -w {a} {b}", """
numbers {a} to {b} zero padded
print {a} to {b} with leading zeros
""", P("a b", "1 10", "1 100", "01 31", "0 999"))

T("touch.brace_range", "touch {stem}{{a}..{b}}.{ext}", """
create files {stem}{a}.{ext} through {stem}{b}.{ext}
make {count} empty files named {stem}N.{ext}
touch a numbered series of files {stem}{a}.{ext} to {stem}{b}.{ext}
""", P("stem a b ext count", "file 1 10 txt 10", "test 1 5 py 5", "note 1 3 md 3",
       "chapter 1 12 md 12", "img 0 9 png 10"))

T("split.lines", "split -l {n} {file} {prefix}", """
split {file} into pieces of {n} lines
break {file} into files of {n} lines each
chop {file} every {n} lines
""", cross(P("n", "1000", "100", "500", "10000"), P("file prefix", "data.csv part_",
                                                    "big.log chunk_", "words.txt words_")))

T("split.size", "split -b {size} {file} {prefix}", """
split {file} into {size_h} chunks
cut {file} into pieces of {size_h}
break {file} into {size_h} parts
""", cross(P("size size_h", "100M 100MB", "1G 1GB", "10M 10MB", "500M 500MB"),
           P("file prefix", "backup.tar.gz backup.part_", "video.mp4 video_", "dump.sql dump_")))

T("split.join_back", "cat {prefix}* > {file}", """
join the split pieces {prefix}* back into {file}
reassemble {file} from its parts
""", P("prefix file", "backup.part_ backup.tar.gz", "video_ video.mp4", "chunk_ big.log"))

T("split.csv_keep_header", "tail -n +2 {file} | split -l {n} - part_", """
split the csv {file} into files of {n} rows, without the header
break {file} into {n}-line chunks skipping the first line
""", cross(P("n", "1000", "500", "10000"), CSV_FILES))

T("xxd.hex", "xxd {file} | head -n {n}", """
hex dump of {file}
show the first bytes of {file} in hex
look at {file} as hexadecimal
""", cross(P("file", "photo.jpg", "a.bin", "firmware.img", "archive.zip", "main.o"),
           P("n", "20", "10", "5")))

T("od.chars", "od -c {file} | head -n {n}", """
show {file} character by character with escapes
dump {file} as characters with od
""", cross(TEXT_FILES, P("n", "20", "10")))

T("strings.binary", "strings {file} | grep -i '{pat}'", """
find readable text containing {pat} in the binary {file}
search the binary {file} for the string {pat}
""", cross(P("file", "a.out", "firmware.img", "app.bin", "libfoo.so"),
           P("pat", "version", "password", "http", "error", "copyright")))

T("iconv.utf8", "iconv -f {enc} -t UTF-8 {file} > {out}", """
convert {file} from {enc} to utf-8
change the encoding of {file} to UTF-8 from {enc}
re-encode {file} as utf8
""", P("enc file out", "ISO-8859-1 legacy.txt legacy.utf8.txt", "WINDOWS-1252 export.csv export.utf8.csv",
       "UTF-16 notes.txt notes.utf8.txt", "LATIN1 names.txt names.utf8.txt"))

T("file.encoding", {"gnu": "file -i {file}", "bsd": "file -I {file}"}, """
what encoding is {file}
check the character set of {file}
detect the charset of {file}
""", TEXT_FILES)
