# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Everyday file management: ls, cp, mv, rm, mkdir, ln, chmod, chown, stat, du, df, renaming."""

from ._dsl import P, T, cross
from ._pools import ANY_FILES, DIRS, EXTS, GROUPS, PERMS, SYS_DIRS, USERS

# -- listing ------------------------------------------------------------------------------------

T("ls.long_all", "ls -la", """
list all files including hidden ones with details
show everything in this folder, hidden files too, long format
ls with hidden files
detailed listing of the current directory including dotfiles
""")

T("ls.human", "ls -lh", """
list files with human readable sizes
show file sizes in KB/MB here
long listing with readable sizes
""")

T("ls.by_size", "ls -lhS", """
list files sorted by size
show files here, biggest first
order the directory listing by file size
""")

T("ls.by_size_reverse", "ls -lhSr", """
list files sorted by size, smallest first
show the smallest files first
""")

T("ls.by_time", "ls -lt", """
list files sorted by modification time
show newest files first
order files by date, most recent at the top
what was changed most recently in this folder
""")

T("ls.by_time_reverse", "ls -ltr", """
list files oldest first
sort the listing by time with the newest at the bottom
show files in order of modification, oldest to newest
""")

T("ls.only_dirs", "ls -d */", """
list only directories here
show just the folders in the current directory
ls directories only
""")

T("ls.hidden_only", "ls -d .[!.]*", """
list only hidden files
show just the dotfiles in this directory
""")

T("ls.one_per_line", "ls -1", """
list files one per line
show file names only, one on each line
""")

T("ls.recursive", "ls -R", """
list files recursively
show the contents of all subdirectories
""")

T("ls.count", "ls -1 | wc -l", """
how many files are in this folder
count the entries in the current directory
""")

T("ls.ext", "ls -l *.{ext}", """
list the {ext} files here
show .{ext} files in this directory with details
ls all {Ext} files
""", EXTS)

T("ls.color", {"gnu": "ls --color=auto -l", "bsd": "ls -G -l"}, """
list files with colors
colored ls output
show the listing with colour highlighting
""")

T("ls.full_time", {"gnu": "ls -l --time-style=full-iso", "bsd": "ls -lT"}, """
list files with full timestamps
show exact modification times including seconds
""")

T("ls.dir", "ls -la {dir}", """
what's in {dir}
list the contents of {dir}
show all files in {dir} with details
""", DIRS + SYS_DIRS)

T("ls.inode", "ls -li", """
show inode numbers of files here
list files with their inodes
""")

T("tree.depth", "tree -L {n}", """
show the directory tree {n} levels deep
tree view of this folder, depth {n}
print the folder structure down to {n} levels
""", P("n", "2", "3", "1", "4"))

T("tree.dirs_only", "tree -d", """
show only the directory tree
tree of folders without files
""")

T("tree.ignore", "tree -I '{pat}'", """
show the tree but hide {pat}
directory tree excluding {pat}
""", P("pat", "node_modules", "__pycache__|*.pyc", ".git", "venv|node_modules", "build"))

T("pwd.show", "pwd", """
which directory am I in
print the current working directory
where am i
show current path
""")

T("cd.home", "cd ~", """
go to my home directory
change to home
""")

T("cd.previous", "cd -", """
go back to the previous directory
switch to the last directory I was in
""")

T("realpath.file", "realpath {file}", """
full path of {file}
absolute path to {file}
print the complete path of {file}
""", ANY_FILES)

T("basename.strip_ext", "basename {path} .{ext}", """
file name of {path} without directory and extension
strip the folder and .{ext} from {path}
""", P("path ext", "/home/user/docs/report.pdf pdf", "src/main.py py", "/var/log/app.log log",
       "photos/photo.jpg jpg"))

T("dirname.path", "dirname {path}", """
directory part of {path}
which folder contains {path}
strip the file name from {path}
""", P("path", "/home/user/docs/report.pdf", "src/main.py", "/var/log/app.log",
       "/etc/nginx/nginx.conf"))

T("readlink.symlink", "readlink -f {link}", """
where does the symlink {link} point
resolve the link {link} to its final target
""", P("link", "current", "/usr/bin/python3", "latest", "/etc/localtime", "node_modules/.bin/tsc"))

# -- creating, copying, moving, deleting --------------------------------------------------------

T("mkdir.nested", "mkdir -p {path}", """
create the directory {path}
make the folder {path} including parents
mkdir {path} with all missing parent directories
create nested folders {path}
""", P("path", "src/components/ui", "logs/2024/01", "build/output", "a/b/c", "data/raw",
       "backup/db", "docs/api"))

T("mkdir.multiple", "mkdir {a} {b} {c}", """
create directories {a}, {b} and {c}
make three folders {a} {b} {c}
""", P("a b c", "src tests docs", "input output tmp", "css js img", "raw processed final"))

T("mkdir.cd", "mkdir -p {dir} && cd {dir}", """
create {dir} and go into it
make a directory {dir} and change into it
""", P("dir", "project", "new-app", "build", "tmp/work", "scratch"))

T("touch.create", "touch {file}", """
create an empty file {file}
make a new blank file called {file}
touch {file}
""", P("file", "notes.txt", "index.html", ".env", "main.py", "README.md", "app.log",
       "todo.txt", "Makefile"))

T("touch.set_date", {"gnu": "touch -d '{date}' {file}", "bsd": "touch -t {stamp} {file}"}, """
set the modification date of {file} to {date}
change the timestamp of {file} to {date}
""", P("date stamp file", "2024-01-15 12:00 ; 202401151200 ; notes.txt",
       "2023-12-31 23:59 ; 202312312359 ; report.pdf", "2024-06-01 08:30 ; 202406010830 ; data.csv"))

T("cp.file", "cp {a} {b}", """
copy {a} to {b}
duplicate {a} as {b}
make a copy of {a} called {b}
""", P("a b", "notes.txt notes_backup.txt", "config.yaml config.yaml.bak", "main.py main_old.py",
       "report.pdf docs/report.pdf", "data.csv /tmp/data.csv"))

T("cp.dir", "cp -r {a} {b}", """
copy the directory {a} to {b}
copy folder {a} recursively into {b}
duplicate the whole {a} directory as {b}
""", P("a b", "src src_backup", "project /tmp/project", "photos backup/photos", "docs docs_old",
       "config ~/config-backup"))

T("cp.preserve", "cp -a {a} {b}", """
copy {a} to {b} preserving permissions and timestamps
archive copy of {a} into {b} keeping all attributes
""", P("a b", "src src_backup", "data /mnt/backup/data", "site site.bak", "project project.orig"))

T("cp.no_clobber", "cp -n {a} {b}", """
copy {a} to {b} without overwriting
copy {a} into {b} only if it doesn't already exist there
""", P("a b", "notes.txt backup/", "config.yaml /etc/app/", "report.pdf docs/"))

T("cp.ext_to_dir", "cp *.{ext} {dir}/", """
copy all {ext} files to {dir}
copy every .{ext} file in this folder into {dir}
""", cross(EXTS[:10], DIRS))

T("cp.backup_dated", "cp {file} {file}.$(date +%Y%m%d)", """
make a dated backup copy of {file}
back up {file} with today's date in the name
""", P("file", "config.yaml", "nginx.conf", ".bashrc", "database.db", "notes.txt"))

T("mv.rename", "mv {a} {b}", """
rename {a} to {b}
change the name of {a} to {b}
move {a} to {b}
""", P("a b", "old.txt new.txt", "draft.md final.md", "photo.jpg holiday.jpg",
       "main.py app.py", "report.pdf report-2024.pdf"))

T("mv.into_dir", "mv {file} {dir}/", """
move {file} into {dir}
put {file} in the {dir} folder
""", cross(ANY_FILES, DIRS))

T("mv.ext_to_dir", "mv *.{ext} {dir}/", """
move all {ext} files into {dir}
put every .{ext} file here into {dir}
""", cross(EXTS[:10], DIRS))

T("mv.no_clobber", "mv -n {a} {b}", """
move {a} to {b} without overwriting anything
rename {a} to {b} but don't replace an existing file
""", P("a b", "notes.txt archive/", "new.txt old.txt", "draft.md docs/"))

T("rm.file", "rm {file}", """
delete {file}
remove the file {file}
get rid of {file}
""", ANY_FILES)

T("rm.dir", "rm -r {dir}", """
delete the directory {dir}
remove folder {dir} and everything inside
delete {dir} recursively
""", DIRS + P("dir", "node_modules", "build", "dist", "__pycache__"))

T("rm.ext", "rm *.{ext}", """
delete all {ext} files here
remove every .{ext} file in this folder
""", P("ext", "tmp", "log", "bak", "o", "pyc", "swp"))

T("rm.interactive", "rm -i *.{ext}", """
delete {ext} files but ask before each one
remove .{ext} files with confirmation
""", P("ext", "txt", "log", "jpg", "tmp"))

T("rm.empty_dir", "rmdir {dir}", """
remove the empty directory {dir}
delete empty folder {dir}
""", P("dir", "empty_dir", "unused", "scratch", "placeholder", "old_build"))

T("rm.all_but", "find . -maxdepth 1 -type f ! -name '{keep}' -delete", """
delete all files here except {keep}
remove everything in this folder but {keep}
keep only {keep} and delete the other files
""", P("keep", "README.md", "*.py", "config.yaml", "*.txt", "important.txt"))

T("shred.file", {"gnu": "shred -u {file}", "bsd": "rm -P {file}"}, """
securely delete {file}
overwrite {file} before deleting it
wipe {file} so it can't be recovered
""", P("file", "secrets.txt", "id_rsa.old", "passwords.csv", "private.key"))

T("ln.symlink", "ln -s {target} {link}", """
create a symlink {link} pointing to {target}
make a symbolic link from {link} to {target}
link {target} as {link}
""", P("target link", "/opt/app/current app", "../shared/config.yaml config.yaml",
       "/usr/local/bin/python3.12 python", "releases/v2 current", "~/dotfiles/.vimrc ~/.vimrc"))

T("ln.symlink_force", "ln -sfn {target} {link}", """
update the symlink {link} to point at {target}
replace the existing link {link} with one to {target}
""", P("target link", "releases/v3 current", "/opt/app-2.0 /opt/app", "build-42 latest"))

T("ln.hard", "ln {target} {link}", """
create a hard link {link} to {target}
hard link {target} as {link}
""", P("target link", "data.csv data-link.csv", "notes.txt notes-hard.txt", "big.iso copy.iso"))

T("mktemp.file", "mktemp", """
create a temporary file
make a temp file with a unique name
""")

T("mktemp.dir", "mktemp -d", """
create a temporary directory
make a unique temp folder
""")

# -- permissions and ownership ------------------------------------------------------------------

T("chmod.exec", "chmod +x {file}", """
make {file} executable
give {file} execute permission
allow {file} to be run
""", P("file", "script.sh", "deploy.sh", "run.py", "install.sh", "build.sh", "bin/tool"))

T("chmod.mode", "chmod {mode} {file}", """
set permissions of {file} to {mode}
chmod {file} to {perm_words}
change the mode of {file} to {mode}
""", cross(PERMS, ANY_FILES))

T("chmod.recursive", "chmod -R {mode} {dir}", """
set permissions to {mode} on {dir} recursively
chmod {mode} everything under {dir}
""", cross(PERMS, DIRS))

T("chmod.private_key", "chmod 600 ~/.ssh/{keyfile}", """
fix the permissions on my ssh key {keyfile}
make ~/.ssh/{keyfile} readable only by me
ssh says my private key {keyfile} permissions are too open
""", P("keyfile", "id_ed25519", "id_rsa", "deploy_key", "github_key"))

T("chmod.remove_write_others", "chmod go-w {file}", """
remove write permission for group and others on {file}
make {file} not writable by anyone but me
""", ANY_FILES)

T("chown.user", "sudo chown {user} {file}", """
change the owner of {file} to {user}
make {user} own {file}
give ownership of {file} to {user}
""", cross(USERS, ANY_FILES))

T("chown.user_group_recursive", "sudo chown -R {user}:{group} {dir}", """
change owner of {dir} to {user} and group {group}, recursively
set ownership of everything in {dir} to {user}:{group}
chown {dir} recursively to user {user} group {group}
""", cross(USERS, GROUPS, P("dir", "/var/www", "/srv/app", "data", "/opt/app", "uploads")))

T("chown.me", "sudo chown -R \"$USER\" {dir}", """
take ownership of {dir}
make me the owner of {dir} and everything in it
""", P("dir", "node_modules", "/usr/local/lib", "~/.npm", "project", "/opt/tools"))

T("chgrp.group", "chgrp {group} {file}", """
change the group of {file} to {group}
set group ownership of {file} to {group}
""", cross(GROUPS, ANY_FILES))

T("umask.show", "umask", """
what is my umask
show the default permission mask
""")

# -- inspecting files ---------------------------------------------------------------------------

T("stat.full", "stat {file}", """
show detailed information about {file}
stat {file}
file metadata of {file}
""", ANY_FILES)

T("stat.size_bytes", {"gnu": "stat -c %s {file}", "bsd": "stat -f %z {file}"}, """
size of {file} in bytes
how many bytes is {file}
exact file size of {file}
""", ANY_FILES)

T("stat.mtime", {"gnu": "stat -c %y {file}", "bsd": "stat -f %Sm {file}"}, """
when was {file} last modified
modification time of {file}
last changed date of {file}
""", ANY_FILES)

T("stat.perms_octal", {"gnu": "stat -c '%a %n' {file}", "bsd": "stat -f '%Lp %N' {file}"}, """
show the permissions of {file} as a number
octal mode of {file}
what are the numeric permissions of {file}
""", ANY_FILES)

T("stat.owner", {"gnu": "stat -c '%U:%G' {file}", "bsd": "stat -f '%Su:%Sg' {file}"}, """
who owns {file}
owner and group of {file}
""", ANY_FILES)

T("file.type", "file {file}", """
what type of file is {file}
detect the file type of {file}
is {file} text or binary
""", ANY_FILES)

T("file.mime", "file --mime-type {file}", """
mime type of {file}
what's the MIME type of {file}
""", ANY_FILES)

T("du.file", "du -h {file}", """
how big is {file}
size of {file} on disk
disk usage of {file}
""", ANY_FILES)

T("du.dir_total", "du -sh {dir}", """
how big is the {dir} folder
total size of {dir}
disk usage of {dir}
how much space does {dir} use
""", DIRS + SYS_DIRS)

T("du.here_total", "du -sh .", """
how big is this directory
total size of the current folder
how much space does this folder take up
""")

T("du.each_item", "du -sh -- *", """
size of each file and folder here
disk usage of every item in this directory
""")

T("du.depth1", "du -h -d 1 {dir}", """
size of each subdirectory of {dir}
disk usage one level deep in {dir}
how much space each folder inside {dir} uses
""", P("dir", ".", "/var", "~", "/home", "src", "/var/lib/docker"))

T("du.exclude", {"gnu": "du -sh --exclude='{pat}' .", "bsd": "du -sh -I '{pat}' ."}, """
size of this folder without {pat}
disk usage here excluding {pat}
""", P("pat", "node_modules", ".git", "*.log", "venv"))

T("du.largest_home", "du -ah ~ 2>/dev/null | sort -rh | head -n {n}", """
{n} biggest things in my home directory
what takes the most space in my home folder
""", P("n", "20", "10", "30"))

T("df.human", "df -h", """
how much disk space is left
show free disk space
disk usage of all filesystems
is my disk full
check available storage
""")

T("df.here", "df -h .", """
how much free space is on this drive
disk space available on the filesystem I'm in
""")

T("df.path", "df -h {dir}", """
free space on the filesystem holding {dir}
which disk is {dir} on and how full is it
""", P("dir", "/", "/home", "/var", "/tmp", "/mnt/data", "/boot"))

T("df.inodes", "df -i", """
show inode usage
am I out of inodes
how many inodes are free
""")

T("df.type", {"gnu": "df -hT", "bsd": "df -h"}, """
show filesystem types and usage
disk usage with the type of each filesystem
""")

# -- renaming in bulk ---------------------------------------------------------------------------

T("rename.ext", "for f in *.{a}; do mv -- \"$f\" \"${f%.{a}}.{b}\"; done", """
rename all .{a} files to .{b}
change the extension of every {a} file to {b}
bulk rename *.{a} to *.{b}
convert file extensions from {a} to {b}
""", P("a b", "txt md", "jpeg jpg", "htm html", "yml yaml", "JPG jpg", "text txt", "markdown md"))

T("rename.prefix", "for f in *.{ext}; do mv -- \"$f\" \"{prefix}$f\"; done", """
add the prefix {prefix} to all {ext} files
prepend {prefix} to every .{ext} filename
rename all {ext} files to start with {prefix}
""", P("ext prefix", "jpg holiday_", "txt old_", "pdf 2024-", "csv raw_", "png thumb_"))

T("rename.suffix_before_ext", "for f in *.{ext}; do mv -- \"$f\" \"${f%.{ext}}{suffix}.{ext}\"; done", """
add {suffix} to the end of every {ext} file name, before the extension
append {suffix} to all .{ext} file names
""", P("ext suffix", "jpg _small", "txt _old", "pdf _signed", "csv _backup", "log _archived"))

T("rename.spaces", "for f in *\\ *; do mv -- \"$f\" \"${f// /_}\"; done", """
replace spaces with underscores in file names
rename files to remove spaces
get rid of spaces in all filenames here
""")

T("rename.lowercase", "for f in *; do lower=$(printf '%s' \"$f\" | tr '[:upper:]' '[:lower:]'); [ \"$f\" = \"$lower\" ] || mv -n -- \"$f\" \"$lower\"; done", """
rename all files to lowercase
make every file name here lower case
""")

T("rename.number", "n=1; for f in *.{ext}; do mv -- \"$f\" \"$(printf '{stem}_%03d.{ext}' \"$n\")\"; n=$((n + 1)); done", """
rename all {ext} files to {stem}_001.{ext}, {stem}_002.{ext} and so on
number the .{ext} files sequentially as {stem}_NNN
""", P("ext stem", "jpg photo", "png img", "pdf scan", "mp3 track"))

T("rename.strip_prefix", "for f in {prefix}*; do mv -- \"$f\" \"${f#{prefix}}\"; done", """
remove the prefix {prefix} from file names
strip {prefix} from the start of every filename
""", P("prefix", "IMG_", "copy_of_", "old_", "draft-", "tmp_"))

T("rename.date_prefix", "for f in *.{ext}; do mv -- \"$f\" \"$(date +%Y-%m-%d)_$f\"; done", """
prefix every {ext} file with today's date
add the current date to the front of all .{ext} file names
""", P("ext", "pdf", "jpg", "txt", "csv", "log"))
