# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Finding files: by size, time, type, name, permissions; acting on what was found."""

from ._dsl import P, T, cross
from ._pools import DAYS, DIRS, EXTS, HOURS, MINUTES, PATTERNS, SIZES, SMALL_SIZES, USERS

T("find.size.larger", "find . -type f -size +{fsize}", """
find files larger than {size}
big files over {size} here
could you please show me all files in this directory that are bigger than {size}
which files are more than {size_alt}
list every file above {size} under the current folder
files > {size}
search for files whose size exceeds {size}
""", SIZES)

T("find.size.smaller", "find . -type f -size -{fsize}", """
find files smaller than {size}
files under {size}
show me all the files that are less than {size_alt} in size
tiny files below {size} in this tree
which files are smaller than {size}?
""", SMALL_SIZES + SIZES[:4])

T("find.size.larger.ls", "find . -type f -size +{fsize} -exec ls -lh {} +", """
list files bigger than {size} with their sizes
show size and details of every file over {size}
ls -lh for all files larger than {size}
long listing of files above {size_alt}
""", SIZES)

T("find.size.larger.dir", "find {dir} -type f -size +{fsize}", """
find files larger than {size} in {dir}
files bigger than {size} inside the {dir} folder
search {dir} for anything over {size_alt}
which files under {dir} exceed {size}
""", cross(SIZES, DIRS))

T("find.size.between", "find . -type f -size +{lo} -size -{hi}", """
find files between {lo_h} and {hi_h}
files larger than {lo_h} but smaller than {hi_h}
show files whose size is in the range {lo_h} to {hi_h}
list files sized between {lo_h} and {hi_h} in this directory
""", P("lo hi lo_h hi_h", "10M 100M 10MB 100MB", "1M 10M 1MB 10MB", "100k 1M 100KB 1MB",
       "50M 500M 50MB 500MB", "1G 5G 1GB 5GB"))

T("find.size.empty_files", "find . -type f -empty", """
find empty files
list all zero-byte files here
which files are empty
show files with size 0
could you find every empty file under the current directory
""")

T("find.size.empty_dirs", "find . -type d -empty", """
find empty directories
list empty folders
which directories have nothing in them
show all empty subdirectories of the current directory
""")

T("find.size.empty_dirs.delete", "find . -type d -empty -delete", """
delete all empty directories
remove empty folders recursively
clean up empty subdirectories
get rid of every empty directory under here
""")

T("find.size.empty_files.delete", "find . -type f -empty -delete", """
delete empty files
remove all zero-byte files
clean out empty files in this tree
""")

T("find.size.largest_n", "find . -type f -exec du -h {} + | sort -rh | head -n {n}", """
show the {n} largest files
biggest {n} files in this directory tree
what are the top {n} largest files under here
list the {n} biggest files recursively, largest first
which {n} files take the most space
""", P("n", "10", "20", "5", "3", "15", "50"))

T("find.size.largest_dirs", "du -h -d 1 | sort -rh | head -n {n}", """
which directories take the most space
top {n} biggest folders here
show the {n} largest subdirectories by size
what folders are using the most disk space in the current directory
""", P("n", "10", "5", "20", "3"))

T("find.name.ext", "find . -type f -name '*.{ext}'", """
find all {ext} files
list every .{ext} file in this directory and below
where are the {Ext} files
search recursively for files ending in .{ext}
show me all the *.{ext} files
could you find all files with the .{ext} extension under the current folder
""", EXTS)

T("find.name.ext.dir", "find {dir} -type f -name '*.{ext}'", """
find {ext} files in {dir}
list all .{ext} files under {dir}
search the {dir} directory for {Ext} files
""", cross(EXTS, DIRS))

T("find.name.iname", "find . -iname '*{word}*'", """
find files with {word} in the name, ignoring case
case insensitive search for files named like {word}
anything whose name contains {word} regardless of upper or lower case
look for files or folders called {word}, any case
""", P("word", "readme", "report", "invoice", "backup", "config", "test", "photo", "notes"))

T("find.name.exact", "find . -name '{file}'", """
find the file named {file}
where is {file}
locate {file} somewhere under this directory
search for a file called {file}
is there a {file} anywhere in here
""", P("file", "config.yaml", "README.md", "package.json", "Makefile", "Dockerfile",
       ".env", "main.py", "index.html", "notes.txt", "docker-compose.yml"))

T("find.name.dir", "find . -type d -name '{name}'", """
find directories named {name}
where are the {name} folders
list all {name} directories in this tree
locate every directory called {name}
""", P("name", "node_modules", "__pycache__", ".git", "build", "dist", "target", "venv",
       "logs", "tests", ".cache"))

T("find.name.multi_ext", "find . -type f \\( -name '*.{a}' -o -name '*.{b}' \\)", """
find all {a} and {b} files
list files ending in .{a} or .{b}
search for {a} or {b} files recursively
show every .{a} and .{b} file here
""", P("a b", "jpg png", "jpg jpeg", "mp4 mkv", "c h", "js ts", "yml yaml", "doc docx",
       "tar.gz zip", "html css"))

T("find.name.not_ext", "find . -type f ! -name '*.{ext}'", """
find files that are not {ext} files
list all files except .{ext}
everything but {Ext} files
files whose name does not end in .{ext}
""", EXTS[:10])

T("find.name.count_ext", "find . -type f -name '*.{ext}' | wc -l", """
how many {ext} files are there
count the .{ext} files recursively
number of {Ext} files in this directory tree
count all *.{ext} files under here
""", EXTS)

T("find.name.delete_ext", "find . -type f -name '*.{ext}' -delete", """
delete all {ext} files recursively
remove every .{ext} file in this tree
get rid of all the *.{ext} files under the current directory
clean up {Ext} files everywhere below here
""", P("ext Ext", "tmp temporary", "bak backup", "log log", "pyc compiled Python", "o object",
       "swp vim swap", "orig orig", "DS_Store DS_Store"))

T("find.name.maxdepth", "find . -maxdepth 1 -type f -name '*.{ext}'", """
find {ext} files only in the current directory, not subdirectories
list .{ext} files here without recursing
{Ext} files in this folder only, no subfolders
""", EXTS[:12])

T("find.name.pyc_dirs", "find . -type d -name __pycache__ -prune -exec rm -rf {} +", """
delete all __pycache__ directories
remove python cache folders recursively
clean up __pycache__ everywhere
get rid of every __pycache__ dir in the project
""")

T("find.name.node_modules_size", "find . -type d -name node_modules -prune -exec du -sh {} +", """
how much space do my node_modules folders use
size of every node_modules directory under here
show disk usage of all node_modules dirs
""")

T("find.name.exclude_dir", "find . -path './{dir}' -prune -o -type f -name '*.{ext}' -print", """
find {ext} files but skip the {dir} directory
list all .{ext} files excluding {dir}
search for {Ext} files, ignoring anything in {dir}
""", cross(P("dir", "node_modules", ".git", "build", "venv", "dist", "vendor"),
           P("ext Ext", "js JavaScript", "py Python", "md Markdown", "json JSON", "ts TypeScript",
             "go Go")))

T("find.name.regex", {
    "gnu": "find . -regextype posix-extended -regex '.*\\.({a}|{b})$'",
    "bsd": "find -E . -regex '.*\\.({a}|{b})$'",
}, """
find files matching a regex for .{a} or .{b} extensions
use a regular expression to find {a} and {b} files
regex search for file names ending in {a} or {b}
""", P("a b", "jpg png", "mp3 flac", "c h", "js jsx", "yml yaml"))

T("find.time.mtime_days", "find . -type f -mtime -{days}", """
files modified in the last {days} days
what changed in the past {days} days
show me files edited within the last {days} days
list recently modified files, last {days} days
find files changed less than {days} days ago
""", DAYS)

T("find.time.older_days", "find . -type f -mtime +{days}", """
files older than {days} days
find files not modified in over {days} days
list files last changed more than {days} days ago
which files haven't been touched for {days} days
stale files older than {days} days
""", DAYS)

T("find.time.older_days.delete", "find {dir} -type f -mtime +{days} -delete", """
delete files older than {days} days in {dir}
remove everything in {dir} not modified for {days} days
clean up files in {dir} that are more than {days} days old
purge old files from {dir} older than {days} days
""", cross(DAYS, P("dir", "logs", "/tmp", "backup", "cache", "/var/log/myapp", "tmp")))

T("find.time.mmin", "find . -type f -mmin -{mins}", """
files modified in the last {mins} minutes
what changed in the past {mins} minutes
show files edited less than {mins} minutes ago
recently changed files, last {mins} min
""", MINUTES)

T("find.time.hours", "find . -type f -mmin -$(({hours} * 60))", """
files changed in the last {hours} hours
what was modified in the past {hours} hours
list files edited within {hours} hours
""", HOURS)

T("find.time.today", "find . -type f -newermt \"$(date +%Y-%m-%d)\"", """
files modified today
what did I change today
show files edited since midnight
list today's modified files
""")

T("find.time.newer_than_file", "find . -type f -newer {file}", """
files newer than {file}
find everything modified after {file}
which files changed since {file} was last modified
""", P("file", "README.md", "notes.txt", "Makefile", "package.json", "config.yaml"))

T("find.time.since_date", "find . -type f -newermt '{date}'", """
files modified since {date}
find files changed after {date}
list files edited after {date}
what was modified from {date} onward
""", P("date", "2024-01-15", "2023-12-31", "2024-03-01", "2024-06-30", "2025-02-14"))

T("find.time.between_dates", "find . -type f -newermt '{d1}' ! -newermt '{d2}'", """
files modified between {d1} and {d2}
find files changed after {d1} and before {d2}
which files were edited from {d1} to {d2}
""", P("d1 d2", "2024-01-01 2024-02-01", "2023-06-01 2023-07-01", "2024-03-01 2024-03-31",
       "2022-01-01 2023-01-01"))

T("find.time.accessed", "find . -type f -atime +{days}", """
files not accessed in {days} days
find files nobody has opened for {days} days
which files haven't been read in over {days} days
""", DAYS[:6])

T("find.time.recent_sorted", {
    "gnu": "find . -type f -printf '%T@ %p\\n' | sort -n | tail -n {n} | cut -d' ' -f2-",
    "bsd": "find . -type f -exec stat -f '%m %N' {} + | sort -n | tail -n {n} | cut -d' ' -f2-",
}, """
the {n} most recently modified files in this tree
show the last {n} files that were changed, recursively
which {n} files were edited most recently
newest {n} files anywhere under here
""", P("n", "10", "5", "20", "3"))

T("find.type.dirs", "find . -type d", """
list all directories recursively
show every subfolder
find all directories under here
print the directory tree, folders only
""")

T("find.type.dirs.maxdepth", "find . -mindepth 1 -maxdepth 1 -type d", """
list only the directories in the current folder
show subdirectories here, not recursive
which folders are in this directory
just the folders, one level deep
""")

T("find.type.symlinks", "find . -type l", """
find symbolic links
list all symlinks in this tree
show every soft link under here
""")

T("find.type.broken_symlinks", {
    "gnu": "find . -xtype l",
    "bsd": "find -L . -type l",
}, """
find broken symlinks
list dangling symbolic links
which symlinks point to nothing
show symlinks whose target no longer exists
""")

T("find.type.files_count", "find . -type f | wc -l", """
how many files are in this directory recursively
count all files under here
total number of files in this tree
count files including subfolders
""")

T("find.type.dirs_count", "find . -mindepth 1 -type d | wc -l", """
how many subdirectories are there
count the folders under here
number of directories in this tree
""")

T("find.perm.executable", "find . -type f -perm -u+x", """
find executable files
list files with the execute bit set
which files can be run
show all executables under the current directory
""")

T("find.perm.world_writable", "find . -type f -perm -o+w", """
find world-writable files
files anyone can write to
list files writable by others
security check: which files are writable by everyone
""")

T("find.perm.mode", "find . -type f -perm {mode}", """
find files with permissions {mode}
list files whose mode is exactly {mode}
which files are chmod {mode}
""", P("mode", "777", "644", "755", "600", "666"))

T("find.perm.suid", "find / -xdev -perm -4000 -type f 2>/dev/null", """
find setuid binaries
list all suid files on the system
which programs have the setuid bit
""")

T("find.owner.user", "find . -user {user}", """
files owned by {user}
find everything belonging to user {user}
list files whose owner is {user}
""", USERS)

T("find.owner.nouser", "find . -nouser", """
find files with no owner
files owned by a deleted user
orphaned files whose uid has no user
""")

T("find.exec.grep", "find . -type f -name '*.{ext}' -exec grep -l '{pat}' {} +", """
which {ext} files contain {pat}
find .{ext} files that mention {pat}
list {Ext} files containing the text {pat}
search all {ext} files for {pat} and print the file names
""", cross(P("ext Ext", "py Python", "js JavaScript", "txt text", "md Markdown", "log log",
             "yaml YAML", "go Go"), PATTERNS))

T("find.exec.chmod_dirs", "find . -type d -exec chmod 755 {} +", """
set all directories to 755
chmod 755 every folder recursively
make all subdirectories rwxr-xr-x
fix directory permissions to 755
""")

T("find.exec.chmod_files", "find . -type f -exec chmod 644 {} +", """
set all files to 644
chmod 644 every file recursively
make all files rw-r--r-- but leave directories alone
fix file permissions to 644
""")

T("find.exec.copy_ext", "find . -type f -name '*.{ext}' -exec cp {} {dir}/ \\;", """
copy all {ext} files into {dir}
collect every .{ext} file from subfolders into {dir}
find {Ext} files and copy them to {dir}
""", cross(P("ext Ext", "jpg JPEG", "pdf PDF", "mp3 MP3", "png PNG", "csv CSV", "docx Word"),
           P("dir", "backup", "photos", "docs", "data", "archive", "collected")))

T("find.exec.move_ext", "find . -maxdepth 1 -type f -name '*.{ext}' -exec mv {} {dir}/ \\;", """
move all {ext} files here into {dir}
put every .{ext} file in this folder into {dir}
move the {Ext} files to the {dir} directory
""", cross(P("ext Ext", "jpg JPEG", "pdf PDF", "log log", "png PNG", "csv CSV", "txt text"),
           P("dir", "photos", "docs", "logs", "images", "data", "archive")))

T("find.exec.xargs_rm", {
    "gnu": "find . -type f -name '*.{ext}' -print0 | xargs -0 -r rm -f",
    "bsd": "find . -type f -name '*.{ext}' -print0 | xargs -0 rm -f",
}, """
remove all {ext} files using xargs
find .{ext} files and pipe them to xargs rm
delete {Ext} files with find and xargs, safe for spaces
""", P("ext Ext", "tmp temporary", "bak backup", "log log", "orig orig", "pyc compiled"))

T("find.exec.wc_lines_code", "find . -name '*.{ext}' -type f -print0 | xargs -0 wc -l | tail -n 1", """
how many lines of {lang} code are there
count total lines in all .{ext} files
total line count of my {lang} files
lines of code in the {lang} sources
""", P("ext lang", "py Python", "js JavaScript", "go Go", "c C", "ts TypeScript", "rs Rust",
       "java Java", "sh shell"))

T("find.exec.newest_file", "ls -t | head -n 1", """
what is the newest file here
most recently modified file in this folder
show the latest file in the current directory
""")

T("find.exec.oldest_file", "ls -tr | head -n 1", """
what is the oldest file here
least recently modified file in this folder
show the oldest file in the current directory
""")

T("find.dups.by_hash", {
    "gnu": "find . -type f -exec md5sum {} + | sort | uniq -w32 -dD",
    "bsd": "find . -type f -exec md5 -r {} + | sort | awk 'seen[$1]++'",
}, """
find duplicate files by content
which files are identical copies of each other
list files that have the same checksum
detect duplicate files in this directory tree
""")

T("find.hidden", "find . -name '.*' -not -name '.'", """
find hidden files
list all dotfiles recursively
show hidden files and folders under here
""")

T("find.long_names", "find . -type f -name '*[[:space:]]*'", """
find files with spaces in their names
which files have a space in the filename
list file names containing whitespace
""")

T("find.path_contains", "find . -type f -path '*/{dir}/*'", """
files anywhere inside a {dir} directory
find all files whose path goes through {dir}
list files under any folder named {dir}
""", DIRS[:6])

T("find.tmp_older", "find /tmp -maxdepth 1 -user \"$USER\" -mtime +{days}", """
my files in /tmp older than {days} days
which of my temp files are more than {days} days old
list stale files I own in /tmp
""", DAYS[:5])

T("find.large.home", "find ~ -type f -size +{fsize} 2>/dev/null", """
find big files in my home directory over {size}
what files larger than {size} are in my home folder
search ~ for anything bigger than {size_alt}
""", SIZES[:6])

T("find.size.total_ext", "find . -type f -name '*.{ext}' -exec du -ch {} + | tail -n 1", """
how much space do all the {ext} files take
total size of every .{ext} file here
sum the sizes of all {Ext} files
""", EXTS[:10])

T("find.rename.lower_ext", "find . -type f -name '*.{up}' -exec sh -c 'mv \"$1\" \"${1%.{up}}.{low}\"' _ {} \\;", """
rename all .{up} files to .{low} recursively
change the extension {up} to {low} everywhere under here
convert uppercase .{up} extensions to .{low}
""", P("up low", "JPG jpg", "PNG png", "TXT txt", "JPEG jpg", "MOV mov"))
