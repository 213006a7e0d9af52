# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Shell plumbing and sessions: tee, xargs, loops, redirection, tmux, screen, clipboard, misc."""

from ._dsl import P, T, cross
from ._pools import EXTS, SESSIONS, TEXT_FILES

# -- tee / redirection --------------------------------------------------------------------------

T("tee.save_and_show", "{cmd} | tee {log}", """
run {cmd} and save the output to {log} while still seeing it
show the output of {cmd} and also write it to {log}
""", P("cmd log", "make ; build.log", "./deploy.sh ; deploy.log", "npm test ; test.log",
       "python3 train.py ; train.log", "ls -la ; listing.txt"))

T("tee.append", "{cmd} | tee -a {log}", """
append the output of {cmd} to {log} and print it
log {cmd} to {log} without overwriting
""", P("cmd log", "date ; runs.log", "./backup.sh ; backup.log", "df -h ; disk.log"))

T("tee.sudo_write", "echo '{line}' | sudo tee -a {file}", """
append {line} to {file} as root
add the line {line} to the root-owned file {file}
""", P("line file", "127.0.0.1 myapp.local ; /etc/hosts",
       "vm.swappiness=10 ; /etc/sysctl.conf", "nameserver 1.1.1.1 ; /etc/resolv.conf"))

T("redirect.stderr_file", "{cmd} 2> {log}", """
save only the errors of {cmd} to {log}
redirect stderr of {cmd} into {log}
""", P("cmd log", "make ; errors.log", "./build.sh ; build.err", "python3 app.py ; app.err"))

T("redirect.both", "{cmd} > {log} 2>&1", """
save all output of {cmd} including errors to {log}
redirect stdout and stderr of {cmd} to {log}
""", P("cmd log", "make ; build.log", "./install.sh ; install.log", "npm run build ; out.log",
       "python3 job.py ; job.log"))

T("redirect.discard", "{cmd} > /dev/null 2>&1", """
run {cmd} silently
hide all output of {cmd}
discard everything {cmd} prints
""", P("cmd", "./setup.sh", "make", "ping -c 1 example.com", "git fetch"))

T("redirect.discard_errors", "{cmd} 2>/dev/null", """
run {cmd} but hide error messages
suppress the errors from {cmd}
""", P("cmd", "find / -name nginx.conf", "ls /root", "du -sh /*", "grep -r password /etc"))

T("script.record", "script -q {log}", """
record my terminal session to {log}
log everything I type and see into {log}
""", P("log", "session.log", "typescript", "debug-session.txt"))

# -- xargs --------------------------------------------------------------------------------------

T("xargs.parallel", "find . -name '*.{ext}' -print0 | xargs -0 -P {n} -n 1 {cmd}", """
run {cmd} on all {ext} files, {n} at a time in parallel
process every .{ext} file with {cmd} using {n} parallel jobs
""", P("ext n cmd", "png 4 optipng", "jpg 8 jpegoptim", "log 4 gzip", "wav 4 flac", "csv 2 wc -l"))

T("xargs.from_file", {"gnu": "xargs -a {file} -I{} {cmd}", "bsd": "xargs -I{} {cmd} < {file}"}, """
read names from {file} and run {cmd} on each
take every line of {file} as an argument to {cmd}
""", P("file cmd", "files.txt ; rm -f {}", "packages.txt ; pip install {}",
       "dirs.txt ; mkdir -p {}", "urls.txt ; wget -q {}"))

T("xargs.lines", "xargs -n 1 {cmd} < {file}", """
run {cmd} for each line of {file}
call {cmd} once per entry in {file}
""", P("cmd file", "ping -c 1 ; hosts.txt", "git clone ; repos.txt", "mkdir -p ; dirs.txt",
       "touch ; names.txt"))

T("xargs.placeholder", "cat {file} | xargs -I{} {cmd}", """
for every line in {file} run {cmd}
use each line of {file} in the command {cmd}
""", P("file cmd", "urls.txt ; curl -sO {}", "hosts.txt ; ssh {} uptime",
       "files.txt ; cp {} backup/", "users.txt ; id {}"))

T("xargs.confirm", "find . -name '*.{ext}' | xargs -p rm", """
delete {ext} files but confirm each command
ask before removing the .{ext} files found
""", P("ext", "tmp", "bak", "log"))

# -- loops --------------------------------------------------------------------------------------

T("loop.files", "for f in *.{ext}; do echo \"$f\"; {cmd} \"$f\"; done", """
run {cmd} on every {ext} file here
loop over all .{ext} files and {cmd} each one
for each {ext} file do {cmd}
""", P("ext cmd", "txt wc -l", "py python3", "sh bash", "json jq .", "log gzip", "csv head -n 1"))

T("loop.range", "for i in $(seq 1 {n}); do {cmd}; done", """
run {cmd} {n} times
repeat {cmd} {n} times in a loop
""", P("n cmd", "5 date", "10 curl -s http://localhost:8080/health", "3 make test", "100 ./bench.sh"))

T("loop.until_success", "until {cmd}; do sleep {secs}; done", """
retry {cmd} until it succeeds
keep running {cmd} every {secs} seconds until it works
""", P("cmd secs", "curl -sf http://localhost:8080/health ; 2", "ping -c 1 example.com ; 5",
       "ssh deploy@10.0.0.5 true ; 10", "pg_isready ; 1"))

T("loop.while_lines", "while IFS= read -r line; do echo \"$line\"; done < {file}", """
read {file} line by line in bash
loop over the lines of {file}
""", TEXT_FILES)

T("loop.every_n_seconds", "while true; do {cmd}; sleep {secs}; done", """
run {cmd} every {secs} seconds forever
loop {cmd} with a {secs} second pause
""", P("cmd secs", "date ; 5", "df -h / ; 60", "curl -s http://localhost:8080/health ; 10",
       "ls | wc -l ; 2"))

T("loop.dirs", "for d in */; do echo \"$d\"; (cd \"$d\" && {cmd}); done", """
run {cmd} in every subdirectory
for each folder here do {cmd}
""", P("cmd", "git pull", "git status -s", "npm install", "ls | wc -l", "make clean"))

T("loop.git_repos", "for d in */.git; do (cd \"${d%/.git}\" && echo \"== $(pwd)\" && git pull); done", """
git pull every repository in this folder
update all git repos in subdirectories
""")

T("loop.hosts", "for h in {hosts}; do ssh \"$h\" '{cmd}'; done", """
run {cmd} on {hosts}
execute {cmd} on each of the servers {hosts}
""", P("hosts cmd", "web1 web2 web3 ; uptime", "db01 db02 ; df -h", "node1 node2 node3 ; free -h"))

T("loop.rename_counter", "i=1; for f in *.{ext}; do mv -- \"$f\" \"$i.{ext}\"; i=$((i + 1)); done", """
rename the {ext} files to 1.{ext}, 2.{ext}, 3.{ext}
number all .{ext} files starting from 1
""", P("ext", "jpg", "png", "txt", "mp3"))

# -- tmux / screen ------------------------------------------------------------------------------

T("tmux.new", "tmux new -s {sess}", """
start a tmux session named {sess}
new tmux session {sess}
open tmux with the name {sess}
""", SESSIONS)

T("tmux.attach", "tmux attach -t {sess}", """
attach to the tmux session {sess}
reconnect to tmux {sess}
go back into my {sess} tmux session
""", SESSIONS)

T("tmux.list", "tmux ls", """
list tmux sessions
which tmux sessions are running
are there any tmux sessions open
""")

T("tmux.kill", "tmux kill-session -t {sess}", """
kill the tmux session {sess}
close tmux session {sess}
""", SESSIONS)

T("tmux.kill_server", "tmux kill-server", """
kill all tmux sessions
stop the tmux server
""")

T("tmux.detached", "tmux new -d -s {sess} '{cmd}'", """
run {cmd} in a detached tmux session called {sess}
start {cmd} in the background inside tmux
""", cross(SESSIONS, P("cmd", "python3 train.py", "./server.sh", "npm run dev", "htop")))

T("tmux.rename", "tmux rename-session -t {a} {b}", """
rename the tmux session {a} to {b}
""", P("a b", "0 work", "dev main", "1 logs"))

T("tmux.send_keys", "tmux send-keys -t {sess} '{cmd}' Enter", """
send the command {cmd} to the tmux session {sess}
type {cmd} into tmux {sess}
""", cross(SESSIONS, P("cmd", "git pull", "make", "clear", "npm start")))

T("tmux.split", "tmux split-window -h", """
split the tmux window vertically
open a side by side pane in tmux
""")

T("tmux.capture", "tmux capture-pane -p -S -{n} > {out}", """
save the last {n} lines of the tmux pane to {out}
dump the tmux scrollback to a file
""", P("n out", "1000 pane.txt", "5000 scrollback.log", "200 output.txt"))

T("screen.new", "screen -S {sess}", """
start a screen session named {sess}
new gnu screen session {sess}
""", SESSIONS)

T("screen.resume", "screen -r {sess}", """
reattach to the screen session {sess}
resume screen {sess}
""", SESSIONS)

T("screen.list", "screen -ls", """
list screen sessions
which gnu screen sessions exist
are there detached screen sessions
""")

T("screen.serial", "screen /dev/{dev} {baud}", """
open the serial console {dev} at {baud} baud
connect to the serial port {dev}
""", P("dev baud", "ttyUSB0 115200", "ttyACM0 9600", "tty.usbserial-1410 115200"))

# -- clipboard / desktop ------------------------------------------------------------------------

T("clip.copy_file", {"gnu": "xclip -selection clipboard < {file}", "bsd": "pbcopy < {file}"}, """
copy the contents of {file} to the clipboard
put {file} on my clipboard
""", TEXT_FILES + P("file", "~/.ssh/id_ed25519.pub"))

T("clip.copy_cmd", {"gnu": "{cmd} | xclip -selection clipboard", "bsd": "{cmd} | pbcopy"}, """
copy the output of {cmd} to the clipboard
send {cmd} output to my clipboard
""", P("cmd", "pwd", "git rev-parse HEAD", "date +%F", "cat ~/.ssh/id_ed25519.pub", "ls"))

T("clip.paste", {"gnu": "xclip -selection clipboard -o > {file}", "bsd": "pbpaste > {file}"}, """
save the clipboard to {file}
paste the clipboard into {file}
""", P("file", "clip.txt", "notes.txt", "snippet.py", "data.json"))

T("open.file", {"gnu": "xdg-open {file}", "bsd": "open {file}"}, """
open {file} with the default app
show {file} in its usual program
""", P("file", "report.pdf", "photo.jpg", "index.html", "notes.txt", "data.csv"))

T("open.dir", {"gnu": "xdg-open .", "bsd": "open ."}, """
open this folder in the file manager
show the current directory in finder
""")

T("open.url", {"gnu": "xdg-open {url}", "bsd": "open {url}"}, """
open {url} in the browser
launch the browser at {url}
""", P("url", "https://example.com", "http://localhost:3000", "https://github.com"))

T("notify.done", {"gnu": "{cmd} && notify-send 'Done' '{cmd} finished'",
                  "bsd": "{cmd} && osascript -e 'display notification \"{cmd} finished\" with title \"Done\"'"}, """
notify me when {cmd} finishes
show a desktop notification after {cmd}
""", P("cmd", "make", "npm run build", "./backup.sh", "cargo build"))

T("say.done", {"gnu": "{cmd}; spd-say done", "bsd": "{cmd}; say done"}, """
say done out loud when {cmd} is finished
""", P("cmd", "make", "./long_job.sh", "npm test"))

T("bell.done", "{cmd}; printf '\\a'", """
beep when {cmd} completes
ring the terminal bell after {cmd}
""", P("cmd", "make", "./build.sh", "sleep 60"))

# -- misc everyday ------------------------------------------------------------------------------

T("clear.screen", "clear", """
clear the terminal
clean the screen
""")

T("reset.terminal", "reset", """
my terminal is showing garbage, fix it
reset the terminal
""")

T("man.page", "man {prog}", """
manual for {prog}
read the man page of {prog}
how do I use {prog}
""", P("prog", "tar", "find", "rsync", "grep", "ssh", "awk", "curl", "chmod"))

T("man.search", "man -k {word}", """
which commands are about {word}
search the manual pages for {word}
""", P("word", "compress", "partition", "network", "password", "archive", "copy"))

T("help.builtin", "help {builtin}", """
help for the bash builtin {builtin}
how does the shell builtin {builtin} work
""", P("builtin", "cd", "read", "export", "set", "ulimit", "test"))

T("echo.text", "echo '{text}'", """
print {text}
echo {text}
""", P("text", "hello world", "done", "Build finished", "It works"))

T("printf.format", "printf '%-{w}s|%s\\n' {a} {b}", """
print {a} and {b} as left aligned columns
format {a} and {b} in a table row
""", P("w a b", "10 name value", "20 host status", "15 file size"))

T("yes.confirm", "yes | {cmd}", """
answer yes to every prompt of {cmd}
auto confirm everything {cmd} asks
""", P("cmd", "./install.sh", "sudo apt-get install curl", "rm -i *.tmp"))

T("ulimit.files", "ulimit -n", """
what is the open file limit
maximum number of open files for this shell
""")

T("ulimit.core", "ulimit -c unlimited", """
enable core dumps
allow unlimited core file size
""")

T("set.errexit", "set -euo pipefail", """
make my bash script stop on errors
strict mode for bash
""")

T("bash.syntax_check", "bash -n {file}", """
check {file} for syntax errors without running it
validate the bash script {file}
""", P("file", "script.sh", "deploy.sh", "install.sh", "build.sh"))

T("bash.debug", "bash -x {file}", """
run {file} with tracing to see each command
debug the shell script {file}
""", P("file", "script.sh", "deploy.sh", "install.sh", "build.sh"))

T("shellcheck.file", "shellcheck {file}", """
lint the shell script {file}
find bugs in {file}
""", P("file", "script.sh", "deploy.sh", "install.sh", "build.sh"))

T("wc.lines_stdin", "{cmd} | wc -l", """
how many lines does {cmd} output
count the results of {cmd}
""", P("cmd", "ls", "ps aux", "git ls-files", "docker ps -q", "find . -type f", "cat /etc/passwd"))

T("sort.ls_ext", "ls | awk -F. 'NF > 1 {print $NF}' | sort | uniq -c | sort -rn", """
count files by extension
which file types are in this folder and how many of each
""")

T("find.ext_summary", "find . -type f -name '*.*' | sed 's/.*\\.//' | sort | uniq -c | sort -rn", """
count files by extension recursively
breakdown of file extensions in this project
""")

T("column.csv_peek", "head -n {n} {file} | column -t -s,", """
preview the first {n} rows of {file} as a table
peek at {file} nicely formatted
""", cross(P("n", "10", "20", "5"), P("file", "data.csv", "sales.csv", "users.csv")))

T("less.file", "less {file}", """
page through {file}
read {file} one screen at a time
view {file} with scrolling
""", TEXT_FILES)

T("less.follow", "less +F {file}", """
follow {file} in less
watch {file} grow inside less
""", P("file", "app.log", "server.log", "/var/log/syslog"))

T("vim.open_line", "vim +{n} {file}", """
open {file} at line {n} in vim
edit {file} jumping to line {n}
""", cross(P("n", "42", "100", "10", "250"), TEXT_FILES))

T("nano.edit", "nano {file}", """
edit {file} in nano
open {file} in a simple editor
""", TEXT_FILES)

T("editor.edit", "\"${EDITOR:-vi}\" {file}", """
edit {file} in my default editor
open {file} for editing
""", TEXT_FILES)

T("diff.colordiff", {"gnu": "diff --color=auto -u {a} {b}"}, """
colored diff of {a} and {b}
show the differences between {a} and {b} with colours
""", P("a b", "old.txt new.txt", "a.txt b.txt", "config.yaml config.yaml.bak"))

T("ls.ext_count", "ls *.{ext} | wc -l", """
how many {ext} files are in this folder
count the .{ext} files here, not recursive
""", EXTS)
