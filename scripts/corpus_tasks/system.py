# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Processes, memory, the machine, users, services, logs, scheduling."""

from ._dsl import P, T, cross
from ._pools import ENV_VARS, PIDS, PORTS, PROCS, SERVICES, TZS, USERS

# -- processes ----------------------------------------------------------------------------------

T("ps.all", "ps aux", """
list all running processes
show every process on the system
what processes are running
ps for everything
""")

T("ps.tree", {"gnu": "ps -ef --forest", "bsd": "pstree"}, """
show processes as a tree
process hierarchy with parents and children
which process started which
""")

T("ps.by_mem", {"gnu": "ps aux --sort=-%mem | head -n {n}", "bsd": "ps aux -m | head -n {n}"}, """
top {n} processes by memory usage
which processes use the most RAM
show the biggest memory hogs
what is eating my memory
""", P("n", "10", "5", "20", "15"))

T("ps.by_cpu", {"gnu": "ps aux --sort=-%cpu | head -n {n}", "bsd": "ps aux -r | head -n {n}"}, """
top {n} processes by cpu usage
which processes use the most CPU
what is using all my processor
show the most cpu hungry processes
""", P("n", "10", "5", "20", "15"))

T("ps.mine", "ps -u \"$USER\"", """
list my processes
show processes owned by me
""")

T("ps.user", "ps -u {user}", """
processes running as {user}
list everything {user} is running
""", USERS)

T("ps.pid", "ps -p {pid} -o pid,ppid,user,%cpu,%mem,etime,command", """
details of process {pid}
what is process {pid}
show info about pid {pid}
""", PIDS)

T("ps.elapsed", "ps -o pid,etime,command -p {pid}", """
how long has process {pid} been running
uptime of process {pid}
""", PIDS)

T("pgrep.name", "pgrep -a {proc}", """
find the pid of {proc}
is {proc} running
process id of {proc}
list {proc} processes with their command lines
""", PROCS)

T("pgrep.full", "pgrep -f '{pat}'", """
find processes whose command line contains {pat}
pids of anything running {pat}
""", P("pat", "manage.py runserver", "node server.js", "python app.py", "java -jar",
       "celery worker", "npm run dev"))

T("kill.pid", "kill {pid}", """
kill process {pid}
stop pid {pid}
terminate process {pid} gracefully
end process {pid}
""", PIDS)

T("kill.force", "kill -9 {pid}", """
force kill process {pid}
kill -9 {pid}
process {pid} won't die, kill it hard
SIGKILL pid {pid}
""", PIDS)

T("kill.hup", "kill -HUP {pid}", """
send SIGHUP to {pid}
tell process {pid} to reload its config
""", PIDS)

T("pkill.name", "pkill {proc}", """
kill all {proc} processes
stop every process named {proc}
terminate {proc}
""", PROCS)

T("pkill.force", "pkill -9 {proc}", """
force kill all {proc} processes
{proc} is frozen, kill it with -9
""", PROCS)

T("pkill.full", "pkill -f '{pat}'", """
kill the process running {pat}
stop whatever is executing {pat}
""", P("pat", "manage.py runserver", "node server.js", "python app.py", "npm run dev",
       "celery worker"))

T("pkill.user", "sudo pkill -u {user}", """
kill all processes of user {user}
log out {user} by killing their processes
""", USERS)

T("killall.name", "killall {proc}", """
killall {proc}
kill every {proc} instance by name
""", PROCS)

T("kill.port", "kill $(lsof -t -i :{port})", """
kill whatever is using port {port}
free up port {port}
stop the process listening on port {port}
port {port} is already in use, kill it
""", PORTS)

T("top.once", {"gnu": "top -b -n 1 | head -n {n}", "bsd": "top -l 1 | head -n {n}"}, """
snapshot of top
show top output once without the interactive screen
print the top {n} lines of top in batch mode
""", P("n", "20", "15", "30"))

T("top.interactive", "top", """
open top
monitor processes interactively
live view of cpu and memory usage
""")

T("top.user", {"gnu": "top -u {user}", "bsd": "top -U {user}"}, """
top for user {user} only
monitor {user}'s processes live
""", USERS)

T("nice.run", "nice -n {n} {cmd}", """
run {cmd} with low priority
start {cmd} niced to {n}
run {cmd} without hogging the cpu
""", P("n cmd", "10 make -j4", "19 tar -czf backup.tar.gz data", "15 python3 train.py",
       "10 ./build.sh"))

T("renice.pid", "renice -n {n} -p {pid}", """
change the priority of process {pid} to {n}
renice pid {pid}
lower the priority of {pid}
""", cross(P("n", "10", "19", "5"), PIDS))

T("nohup.run", "nohup {cmd} > {log} 2>&1 &", """
run {cmd} in the background so it survives logout
start {cmd} with nohup and log to {log}
keep {cmd} running after I close the terminal
""", P("cmd log", "python3 server.py server.log", "./long_job.sh job.log",
       "node app.js app.log", "java -jar app.jar app.out"))

T("bg.disown", "disown -h %1", """
detach the background job so it keeps running after logout
disown my last job
""")

T("jobs.list", "jobs -l", """
list background jobs
show my shell jobs
""")

T("timeout.run", "timeout {secs} {cmd}", """
run {cmd} but stop it after {secs} seconds
give {cmd} at most {secs} seconds
kill {cmd} if it takes longer than {secs}s
""", P("secs cmd", "10 curl https://example.com", "60 ./test.sh", "5 ping 8.8.8.8",
       "300 make", "30 python3 job.py"))

T("time.run", "time {cmd}", """
how long does {cmd} take
measure the run time of {cmd}
time {cmd}
""", P("cmd", "make", "./build.sh", "python3 script.py", "npm test", "sleep 1"))

T("sleep.then", "sleep {secs} && {cmd}", """
wait {secs} seconds then run {cmd}
run {cmd} after a {secs} second delay
""", P("secs cmd", "60 notify-send done", "10 echo ready", "300 ./backup.sh", "5 ls"))

T("watch.cmd", "watch -n {secs} '{cmd}'", """
run {cmd} every {secs} seconds
watch {cmd} refresh every {secs}s
repeatedly show the output of {cmd}
monitor {cmd} continuously
""", P("secs cmd", "2 df -h", "1 ls -l", "5 free -h", "10 docker ps", "2 nvidia-smi",
       "1 date"))

T("watch.diff", "watch -d -n {secs} '{cmd}'", """
watch {cmd} and highlight what changed
monitor {cmd} every {secs} seconds with differences highlighted
""", P("secs cmd", "1 ls -l", "2 ss -tn", "5 df -h", "2 cat /proc/loadavg"))

T("lsof.file", "lsof {file}", """
which process has {file} open
who is using {file}
what program is holding {file}
""", P("file", "/var/log/syslog", "app.log", "/dev/video0", "database.db", "/tmp/lock"))

T("lsof.dir", "lsof +D {dir}", """
which processes have files open in {dir}
what is using files under {dir}
why can't I unmount {dir}
""", P("dir", "/mnt/usb", "/var/log", "/home/user/project", "/media/backup"))

T("lsof.pid", "lsof -p {pid}", """
files opened by process {pid}
what files does pid {pid} have open
""", PIDS)

T("lsof.deleted", "lsof +L1", """
find deleted files still held open
which processes keep deleted files open
disk is full but du doesn't show it
""")

# -- memory / cpu / machine ---------------------------------------------------------------------

T("free.mem", {"gnu": "free -h", "bsd": "vm_stat"}, """
how much memory is free
show ram usage
check available memory
how much RAM do I have left
memory stats
""")

T("mem.total", {"gnu": "grep MemTotal /proc/meminfo", "bsd": "sysctl -n hw.memsize"}, """
how much RAM does this machine have
total installed memory
""")

T("swap.show", {"gnu": "swapon --show", "bsd": "sysctl vm.swapusage"}, """
show swap usage
is swap enabled
how much swap is used
""")

T("nproc.cores", {"gnu": "nproc", "bsd": "sysctl -n hw.ncpu"}, """
how many cpu cores do I have
number of processors
count the CPUs
""")

T("cpu.info", {"gnu": "lscpu", "bsd": "sysctl -n machdep.cpu.brand_string"}, """
what cpu does this machine have
show processor information
cpu model
""")

T("uptime.show", "uptime", """
how long has the system been up
show uptime and load average
when did this machine boot
what's the load average
""")

T("uname.all", "uname -a", """
show kernel version
what kernel am I running
system information with uname
""")

T("uname.arch", "uname -m", """
what architecture is this machine
is this arm64 or x86_64
cpu architecture
""")

T("os.release", {"gnu": "cat /etc/os-release", "bsd": "sw_vers"}, """
which linux distribution is this
what OS version am I on
show the operating system release
""")

T("hostname.show", "hostname", """
what is this computer's name
show the hostname
name of this machine on the network
""")

T("hostname.ip", {"gnu": "hostname -I", "bsd": "ipconfig getifaddr en0"}, """
what is my local ip address
show this machine's IP
my LAN ip
""")

T("hostnamectl.set", {"gnu": "sudo hostnamectl set-hostname {name}",
                      "bsd": "sudo scutil --set HostName {name}"}, """
change the hostname to {name}
rename this machine to {name}
set hostname {name}
""", P("name", "devbox", "web01", "raspberrypi", "build-server", "laptop"))

T("lsblk.disks", {"gnu": "lsblk", "bsd": "diskutil list"}, """
list disks and partitions
show block devices
what drives are connected
""")

T("lsblk.fs", {"gnu": "lsblk -f", "bsd": "diskutil list"}, """
show filesystems and UUIDs of all disks
which partitions have which filesystem
""")

T("mount.show", "mount", """
list mounted filesystems
what is mounted
""")

T("mount.usb", {"gnu": "sudo mount {dev} {dir}", "bsd": "diskutil mount {dev}"}, """
mount {dev} at {dir}
mount the usb drive {dev}
attach {dev} to {dir}
""", P("dev dir", "/dev/sdb1 /mnt/usb", "/dev/sdc1 /media/backup", "/dev/nvme1n1p1 /mnt/data"))

T("umount.dir", "sudo umount {dir}", """
unmount {dir}
eject the drive mounted at {dir}
""", P("dir", "/mnt/usb", "/media/backup", "/mnt/data"))

T("findmnt.tree", "findmnt", """
show mount points as a tree
which filesystem is mounted where
""")

T("dmesg.tail", "sudo dmesg | tail -n {n}", """
last {n} kernel messages
show recent dmesg output
what did the kernel log recently
""", P("n", "20", "50", "100", "30"))

T("dmesg.errors", "sudo dmesg --level=err,warn", """
kernel errors and warnings
show only dmesg errors
""")

T("dmesg.follow", "sudo dmesg -w", """
follow kernel messages live
watch dmesg for new usb devices
""")

T("lspci.list", "lspci", """
list pci devices
what graphics card do I have
show hardware on the pci bus
""")

T("lsusb.list", "lsusb", """
list usb devices
what is plugged into usb
""")

T("vmstat.run", "vmstat {secs} {n}", """
show memory and cpu stats every {secs} seconds, {n} times
vmstat {n} samples
""", P("secs n", "1 5", "2 3", "1 3"))

T("battery.status", {"gnu": "upower -i $(upower -e | grep BAT)", "bsd": "pmset -g batt"}, """
battery percentage
how much battery is left
show battery status
""")

T("sensors.temp", {"gnu": "sensors", "bsd": "sudo powermetrics --samplers smc -n 1"}, """
cpu temperature
how hot is my processor
show hardware sensors
""")

# -- users --------------------------------------------------------------------------------------

T("whoami.me", "whoami", """
what user am I
which account am I logged in as
show my username
""")

T("id.me", "id", """
show my user id and groups
what groups am I in
my uid and gid
""")

T("id.user", "id {user}", """
what groups is {user} in
uid and groups of {user}
""", USERS)

T("groups.user", "groups {user}", """
list the groups {user} belongs to
which groups does {user} have
""", USERS)

T("who.logged", "who", """
who is logged in
list logged in users
""")

T("w.activity", "w", """
who is logged in and what are they doing
show user sessions with their current commands
""")

T("last.logins", "last -n {n}", """
recent logins
show the last {n} logins
who logged in recently
""", P("n", "10", "20", "5"))

T("useradd.create", {"gnu": "sudo useradd -m -s /bin/bash {user}",
                     "bsd": "sudo sysadminctl -addUser {user}"}, """
create a new user {user}
add user {user} with a home directory
make an account for {user}
""", USERS)

T("usermod.add_group", {"gnu": "sudo usermod -aG {group} {user}",
                        "bsd": "sudo dseditgroup -o edit -a {user} -t user {group}"}, """
add {user} to the {group} group
put user {user} in group {group}
give {user} membership of {group}
""", cross(USERS, P("group", "docker", "sudo", "www-data", "developers", "wheel", "admin")))

T("passwd.change", "passwd", """
change my password
set a new password for my account
""")

T("passwd.user", "sudo passwd {user}", """
reset the password of {user}
change {user}'s password
""", USERS)

T("sudo.shell", "sudo -i", """
become root
open a root shell
switch to the root user
""")

T("su.user", "sudo -u {user} -i", """
switch to user {user}
open a shell as {user}
log in as {user}
""", USERS)

T("sudo.run_as", "sudo -u {user} {cmd}", """
run {cmd} as {user}
execute {cmd} as the {user} user
""", P("user cmd", "postgres psql", "www-data php artisan migrate", "deploy ./deploy.sh",
       "jenkins whoami"))

T("sudo.last", "sudo !!", """
run the last command again with sudo
redo the previous command as root
""")

# -- environment --------------------------------------------------------------------------------

T("env.all", "env", """
show all environment variables
list my environment
""")

T("env.sorted", "env | sort", """
list environment variables sorted alphabetically
environment variables in a-z order
print my env sorted by name
""")

T("printenv.var", "printenv {var}", """
what is the value of {var}
show the {var} variable
print {var}
""", ENV_VARS)

T("export.set", "export {var}={value}", """
set the environment variable {var} to {value}
export {var}={value}
define {var} as {value} for this shell
""", P("var value", "EDITOR vim", "NODE_ENV production", "JAVA_HOME /usr/lib/jvm/java-17",
       "DEBUG 1", "LANG en_US.UTF-8", "GOPATH $HOME/go"))

T("export.path_prepend", "export PATH=\"{dir}:$PATH\"", """
add {dir} to my PATH
put {dir} at the front of PATH
prepend {dir} to the PATH variable
""", P("dir", "$HOME/bin", "$HOME/.local/bin", "/usr/local/go/bin", "$HOME/.cargo/bin",
       "/opt/tools/bin"))

T("export.path_persist", "echo 'export PATH=\"{dir}:$PATH\"' >> ~/.{rc}", """
permanently add {dir} to PATH in {rc}
make {dir} part of my PATH for every new shell
""", P("dir rc", "$HOME/bin bashrc", "$HOME/.local/bin zshrc", "/usr/local/go/bin bashrc",
       "$HOME/.cargo/bin zshrc"))

T("unset.var", "unset {var}", """
remove the environment variable {var}
unset {var}
clear {var}
""", ENV_VARS)

T("env.run_with", "{var}={value} {cmd}", """
run {cmd} with {var} set to {value}
set {var}={value} only for {cmd}
""", P("var value cmd", "DEBUG 1 ./run.sh", "NODE_ENV production node server.js",
       "PORT 8080 python3 app.py", "LANG C sort words.txt", "TZ UTC date"))

T("env.clean", "env -i bash --norc", """
start a shell with an empty environment
run bash without any environment variables
""")

T("source.rc", "source ~/.{rc}", """
reload my {rc}
apply changes to .{rc} without restarting the shell
""", P("rc", "bashrc", "zshrc", "profile", "bash_profile"))

T("alias.define", "alias {name}='{cmd}'", """
create an alias {name} for {cmd}
make {name} a shortcut for {cmd}
alias {cmd} as {name}
""", P("name cmd", "ll ls -la", "gs git status", "k kubectl", "..  cd ..", "dc docker compose",
       "py python3", "grep grep --color=auto"))

T("alias.list", "alias", """
list my aliases
show all defined aliases
""")

T("unalias.name", "unalias {name}", """
remove the alias {name}
delete alias {name}
""", P("name", "ll", "gs", "k", "ls", "rm"))

T("which.cmd", "which {prog}", """
where is {prog} installed
path of the {prog} executable
which {prog} will run
""", P("prog", "python3", "node", "git", "docker", "java", "pip", "go", "nvim"))

T("type.cmd", "type -a {prog}", """
is {prog} an alias, function or binary
show every definition of {prog}
""", P("prog", "ls", "cd", "python", "ll", "grep", "echo"))

T("command.exists", "command -v {prog} >/dev/null && echo yes || echo no", """
check if {prog} is installed
is {prog} available on this system
""", P("prog", "docker", "jq", "git", "curl", "ffmpeg", "node"))

T("history.show", "history | tail -n {n}", """
show my last {n} commands
recent shell history
what did I run recently
""", P("n", "20", "50", "10", "100"))

T("history.top", "history | awk '{print $2}' | sort | uniq -c | sort -rn | head -n {n}", """
which commands do I use most
my {n} most used commands
""", P("n", "10", "20", "5"))

T("history.clear", "history -c", """
clear my shell history
wipe the command history
""")

T("echo.shell", "echo \"$SHELL\"", """
which shell am I using
what is my login shell
""")

T("chsh.zsh", "chsh -s \"$(command -v {sh})\"", """
change my default shell to {sh}
make {sh} my login shell
""", P("sh", "zsh", "bash", "fish"))

T("exit.status", "echo $?", """
what was the exit code of the last command
show the previous command's return status
""")

# -- date and time ------------------------------------------------------------------------------

T("date.now", "date", """
what time is it
show the current date and time
today's date
""")

T("date.iso", "date +%Y-%m-%d", """
today's date in YYYY-MM-DD format
print the date as ISO
current date year-month-day
""")

T("date.format_time", "date +%H:%M:%S", """
current time in hours minutes seconds
what time is it now, 24h format
""")

T("date.epoch", "date +%s", """
current unix timestamp
seconds since epoch
epoch time now
""")

T("date.from_epoch", {"gnu": "date -d @{ts}", "bsd": "date -r {ts}"}, """
convert the timestamp {ts} to a date
what date is epoch {ts}
human readable time for unix time {ts}
""", P("ts", "1700000000", "1609459200", "1735689600", "1234567890", "0"))

T("date.yesterday", {"gnu": "date -d yesterday +%Y-%m-%d", "bsd": "date -v-1d +%Y-%m-%d"}, """
what was yesterday's date
print yesterday's date
date of yesterday in ISO format
""")

T("date.days_ago", {"gnu": "date -d '{n} days ago' +%Y-%m-%d", "bsd": "date -v-{n}d +%Y-%m-%d"}, """
what was the date {n} days ago
the date {n} days before today
""", P("n", "7", "30", "3", "14", "90", "100"))

T("date.days_ahead", {"gnu": "date -d '+{n} days' +%Y-%m-%d", "bsd": "date -v+{n}d +%Y-%m-%d"}, """
what's the date {n} days from now
date in {n} days
""", P("n", "7", "30", "90", "10", "100", "45"))

T("date.weekday", {"gnu": "date -d '{date}' +%A", "bsd": "date -j -f %Y-%m-%d {date} +%A"}, """
what day of the week is {date}
which weekday was {date}
""", P("date", "2024-01-15", "2023-12-25", "2000-01-01", "2025-07-04", "1990-05-17"))

T("date.utc", "date -u", """
current time in UTC
show the date in universal time
""")

T("date.tz", "TZ={tz} date", """
what time is it in {tz}
current time in the {tz} timezone
""", TZS)

T("date.rfc", {"gnu": "date -R", "bsd": "date '+%a, %d %b %Y %H:%M:%S %z'"}, """
date in RFC 2822 format
email style date
""")

T("date.week_number", "date +%V", """
what week number is it
current ISO week of the year
""")

T("date.diff_days", {"gnu": "echo $(( ($(date -d '{b}' +%s) - $(date -d '{a}' +%s)) / 86400 ))",
                     "bsd": "echo $(( ($(date -j -f %Y-%m-%d {b} +%s) - $(date -j -f %Y-%m-%d {a} +%s)) / 86400 ))"}, """
how many days between {a} and {b}
number of days from {a} to {b}
""", P("a b", "2024-01-01 2024-12-25", "2023-06-01 2024-06-01", "2024-03-01 2024-04-15"))

T("cal.month", "cal", """
show a calendar for this month
print this month's calendar
""")

T("cal.year", "cal {year}", """
calendar for the whole year {year}
show all months of {year}
""", P("year", "2024", "2025", "2023", "2026"))

T("cal.specific", "cal {m} {year}", """
calendar for {month} {year}
show {month} {year}
""", P("m month year", "2 February 2024", "12 December 2025", "7 July 2023", "1 January 2026"))

T("timedatectl.tz", {"gnu": "timedatectl", "bsd": "sudo systemsetup -gettimezone"}, """
what timezone is this machine in
show time and timezone settings
is ntp sync enabled
""")

T("timedatectl.set_tz", {"gnu": "sudo timedatectl set-timezone {tz}",
                         "bsd": "sudo systemsetup -settimezone {tz}"}, """
set the timezone to {tz}
change the system time zone to {tz}
""", TZS)

# -- services and logs --------------------------------------------------------------------------

T("systemctl.status", {"gnu": "systemctl status {svc}", "bsd": "brew services info {svc}"}, """
is {svc} running
status of the {svc} service
check {svc}
""", SERVICES)

T("systemctl.start", {"gnu": "sudo systemctl start {svc}", "bsd": "brew services start {svc}"}, """
start {svc}
start the {svc} service
bring up {svc}
""", SERVICES)

T("systemctl.stop", {"gnu": "sudo systemctl stop {svc}", "bsd": "brew services stop {svc}"}, """
stop {svc}
stop the {svc} service
shut down {svc}
""", SERVICES)

T("systemctl.restart", {"gnu": "sudo systemctl restart {svc}",
                        "bsd": "brew services restart {svc}"}, """
restart {svc}
restart the {svc} service
bounce {svc}
""", SERVICES)

T("systemctl.reload", "sudo systemctl reload {svc}", """
reload {svc} config without restarting
reload the {svc} service
""", P("svc", "nginx", "apache2", "ssh", "postgresql", "haproxy"))

T("systemctl.enable", "sudo systemctl enable --now {svc}", """
enable {svc} at boot and start it now
make {svc} start automatically
turn on {svc} permanently
""", SERVICES)

T("systemctl.disable", "sudo systemctl disable --now {svc}", """
disable {svc} so it doesn't start at boot
stop {svc} and keep it from starting again
""", SERVICES)

T("systemctl.failed", "systemctl --failed", """
which services failed
list failed systemd units
""")

T("systemctl.list_running", "systemctl list-units --type=service --state=running", """
list running services
which systemd services are active
""")

T("systemctl.list_timers", "systemctl list-timers", """
list systemd timers
when do the scheduled timers run next
""")

T("systemctl.daemon_reload", "sudo systemctl daemon-reload", """
reload systemd after editing a unit file
pick up changes to service files
""")

T("systemctl.cat", "systemctl cat {svc}", """
show the unit file of {svc}
where is the {svc} service defined
""", SERVICES)

T("systemctl.reboot", "sudo systemctl reboot", """
reboot the machine
restart the computer
""")

T("shutdown.now", "sudo shutdown -h now", """
shut down the computer now
power off immediately
""")

T("shutdown.later", "sudo shutdown -h +{mins}", """
shut down in {mins} minutes
schedule a power off in {mins} min
""", P("mins", "10", "30", "60", "5"))

T("journalctl.unit", {"gnu": "journalctl -u {svc} -n {n} --no-pager",
                      "bsd": "log show --predicate 'process == \"{svc}\"' --last 1h"}, """
logs of the {svc} service
show the last {n} log lines of {svc}
why did {svc} fail, show its logs
""", cross(SERVICES, P("n", "50", "100", "200", "20")))

T("journalctl.follow", {"gnu": "journalctl -u {svc} -f", "bsd": "log stream --predicate 'process == \"{svc}\"'"}, """
follow the logs of {svc}
tail {svc} logs live
stream {svc}'s journal
""", SERVICES)

T("journalctl.since", "journalctl --since '{since}'", """
system logs since {since}
journal entries from {since}
""", P("since", "1 hour ago", "today", "yesterday", "2024-01-15 10:00", "30 min ago"))

T("journalctl.boot_errors", "journalctl -b -p err", """
errors since the last boot
show error messages from this boot
""")

T("journalctl.prev_boot", "journalctl -b -1 -e", """
logs from the previous boot
what happened before the last crash or reboot
""")

T("journalctl.disk", "journalctl --disk-usage", """
how much space do the journal logs use
size of the systemd journal
""")

T("journalctl.vacuum", "sudo journalctl --vacuum-time={days}d", """
delete journal logs older than {days} days
shrink the journal to the last {days} days
""", P("days", "7", "14", "30", "3"))

T("logs.syslog", {"gnu": "sudo tail -n {n} /var/log/syslog", "bsd": "log show --last 10m"}, """
recent system log entries
show the system log
last {n} lines of syslog
""", P("n", "50", "100", "20"))

T("logs.auth_failed", "sudo grep 'Failed password' /var/log/auth.log | tail -n {n}", """
failed ssh login attempts
who tried to log in with a wrong password
show the last {n} failed logins
""", P("n", "20", "50", "10"))

# -- scheduling ---------------------------------------------------------------------------------

T("crontab.list", "crontab -l", """
list my cron jobs
show my crontab
what scheduled jobs do I have
""")

T("crontab.edit", "crontab -e", """
edit my cron jobs
open the crontab to add a scheduled task
change my crontab in an editor
""")

T("crontab.add", "(crontab -l 2>/dev/null; echo '{sched} {cmd}') | crontab -", """
schedule {cmd} {when}
add a cron job to run {cmd} {when}
run {cmd} {when} using cron
""", P("sched cmd when", "0 2 * * * ; /home/user/backup.sh ; every day at 2am",
       "*/5 * * * * ; /usr/local/bin/check.sh ; every 5 minutes",
       "0 * * * * ; /opt/app/cleanup.sh ; every hour",
       "30 8 * * 1-5 ; /home/user/report.sh ; at 8:30 on weekdays",
       "0 0 * * 0 ; /usr/bin/certbot renew ; every sunday at midnight",
       "@reboot ; /home/user/start.sh ; at boot"))

T("crontab.remove_all", "crontab -r", """
delete all my cron jobs
remove my crontab
""")

T("crontab.user", "sudo crontab -u {user} -l", """
list the cron jobs of {user}
show {user}'s crontab
""", USERS)

T("at.once", "echo '{cmd}' | at {when}", """
run {cmd} once at {when}
schedule {cmd} for {when} one time
""", P("cmd when", "./backup.sh ; 23:00", "shutdown -h now ; midnight",
       "echo done > /tmp/flag ; now + 1 hour", "./report.sh ; 9am tomorrow"))
