"""Archiving and compression: tar, gzip, zip, xz, bzip2, zstd."""

from ._dsl import P, T, cross
from ._pools import ARCHIVES_TGZ, ARCHIVES_ZIP, DIRS

T("tar.create_gz", "tar -czf {name}.tar.gz {dir}", """
compress the {dir} folder into {name}.tar.gz
create a tarball of {dir}
make a gzipped tar archive of {dir} called {name}.tar.gz
tar and gzip {dir}
archive {dir} as {name}.tar.gz
could you pack the directory {dir} into a .tar.gz file
""", P("dir name", "src src", "logs logs-backup", "docs docs", "photos photos", "project project",
       "data data-2024", "build release"))

T("tar.create_plain", "tar -cf {name}.tar {dir}", """
create an uncompressed tar of {dir}
tar up {dir} without compression
bundle {dir} into {name}.tar
""", P("dir name", "src src", "logs logs", "docs docs", "photos photos"))

T("tar.create_xz", "tar -cJf {name}.tar.xz {dir}", """
compress {dir} into a tar.xz archive
create {name}.tar.xz from {dir} with xz compression
make a highly compressed xz tarball of {dir}
""", P("dir name", "src src", "logs logs", "docs docs", "project project", "data data"))

T("tar.create_bz2", "tar -cjf {name}.tar.bz2 {dir}", """
create a bzip2 compressed tar of {dir}
tar {dir} into {name}.tar.bz2
""", P("dir name", "src src", "logs logs", "docs docs", "data data"))

T("tar.create_zstd", "tar --zstd -cf {name}.tar.zst {dir}", """
compress {dir} with zstd into a tarball
create {name}.tar.zst from {dir}
""", P("dir name", "src src", "logs logs", "data data", "project project"))

T("tar.create_exclude", "tar -czf {name}.tar.gz --exclude='{pat}' {dir}", """
tar up {dir} but leave out {pat}
create {name}.tar.gz from {dir} excluding {pat}
archive {dir} without the {pat} files
""", P("name dir pat", "project project node_modules", "src src *.pyc", "site site .git",
       "app app __pycache__", "backup data *.log"))

T("tar.create_files", "tar -czf {name}.tar.gz {files}", """
put {files} into {name}.tar.gz
archive the files {files} as a tar.gz
""", P("name files", "configs nginx.conf config.yaml", "docs README.md notes.txt",
       "reports report.pdf data.csv"))

T("tar.create_ext", "tar -czf {name}.tar.gz *.{ext}", """
archive all {ext} files here into {name}.tar.gz
tar and compress every .{ext} file in this folder
""", P("name ext", "logs log", "images jpg", "docs pdf", "sources py", "data csv"))

T("tar.create_dated", "tar -czf backup-$(date +%Y-%m-%d).tar.gz {dir}", """
back up {dir} into a tarball named with today's date
create a dated tar.gz backup of {dir}
""", DIRS)

T("tar.extract_gz", "tar -xzf {arch}", """
extract {arch}
unpack {arch}
untar {arch}
decompress the tarball {arch}
open up {arch} here
how do I unzip {arch}
""", ARCHIVES_TGZ)

T("tar.extract_to", "tar -xzf {arch} -C {dir}", """
extract {arch} into {dir}
unpack {arch} to the {dir} directory
untar {arch} into {dir}
""", cross(ARCHIVES_TGZ, P("dir", "/tmp", "/opt", "build", "restore", "~/apps", "output")))

T("tar.extract_any", "tar -xf {arch}", """
extract the archive {arch}
unpack {arch} whatever the compression
""", P("arch", "backup.tar", "data.tar.xz", "src.tar.bz2", "logs.tar.zst", "release.tar"))

T("tar.extract_xz", "tar -xJf {arch}", """
extract the xz tarball {arch}
unpack {arch}
""", P("arch", "data.tar.xz", "linux-6.6.tar.xz", "src.tar.xz", "project.tar.xz"))

T("tar.extract_bz2", "tar -xjf {arch}", """
extract the bz2 tarball {arch}
unpack {arch}
""", P("arch", "src.tar.bz2", "data.tar.bz2", "backup.tar.bz2"))

T("tar.extract_one", "tar -xzf {arch} {member}", """
extract only {member} from {arch}
get just the file {member} out of {arch}
""", P("arch member", "backup.tar.gz etc/config.yaml", "project.tar.gz project/README.md",
       "logs.tar.gz logs/app.log", "site.tar.gz site/index.html"))

T("tar.strip", "tar -xzf {arch} --strip-components=1 -C {dir}", """
extract {arch} into {dir} without the top-level folder
unpack {arch} and drop its leading directory
""", cross(ARCHIVES_TGZ, P("dir", "app", "/opt/tool", "build", "src")))

T("tar.list", "tar -tzf {arch}", """
list the contents of {arch}
what files are in {arch}
show what's inside {arch} without extracting
""", ARCHIVES_TGZ)

T("tar.list_verbose", "tar -tvzf {arch}", """
list {arch} with sizes and dates
detailed listing of the files in {arch}
""", ARCHIVES_TGZ)

T("tar.append", "tar -rf {arch} {file}", """
add {file} to the existing archive {arch}
append {file} to {arch}
""", P("arch file", "backup.tar notes.txt", "files.tar report.pdf", "bundle.tar config.yaml"))

T("tar.ssh_copy", "tar -czf - {dir} | ssh {user}@{host} 'tar -xzf - -C {dest}'", """
copy {dir} to {host} over ssh using tar
stream a tarball of {dir} to {user}@{host} and unpack it in {dest}
""", P("dir user host dest", "project deploy 10.0.0.5 /srv", "site admin web1.example.org /var/www",
       "data ubuntu 192.168.1.10 /home/ubuntu"))

T("gzip.file", "gzip {file}", """
gzip {file}
compress {file} with gzip
make {file} a .gz
""", P("file", "app.log", "data.csv", "dump.sql", "access.log", "notes.txt", "report.json"))

T("gzip.keep", "gzip -k {file}", """
gzip {file} but keep the original
compress {file} and keep the uncompressed copy too
""", P("file", "app.log", "data.csv", "dump.sql", "notes.txt"))

T("gzip.best", "gzip -9 {file}", """
compress {file} with maximum gzip compression
gzip {file} as small as possible
""", P("file", "dump.sql", "data.csv", "app.log", "backup.tar"))

T("gzip.decompress", "gunzip {file}", """
decompress {file}
unzip the gz file {file}
gunzip {file}
""", P("file", "access.log.1.gz", "backup.sql.gz", "archive.csv.gz", "syslog.2.gz",
       "old-notes.txt.gz"))

T("gzip.to_stdout", {"gnu": "zcat {file}", "bsd": "gzcat {file}"}, """
show the contents of {file} without decompressing it to disk
print the gzipped file {file}
cat a .gz file {file}
""", P("file", "access.log.1.gz", "archive.csv.gz", "syslog.2.gz", "backup.sql.gz"))

T("gzip.less", {"gnu": "zless {file}", "bsd": "gzcat {file} | less"}, """
page through the compressed file {file}
view {file} in a pager without unzipping
""", P("file", "access.log.1.gz", "syslog.2.gz", "archive.csv.gz"))

T("gzip.all_logs", "gzip *.log", """
compress all log files here
gzip every .log file in this folder
""")

T("gzip.test", "gzip -t {file}", """
check that {file} is a valid gzip file
test the integrity of {file}
""", P("file", "backup.tar.gz", "access.log.1.gz", "backup.sql.gz"))

T("zip.dir", "zip -r {name}.zip {dir}", """
zip the {dir} folder
create {name}.zip from {dir}
compress {dir} into a zip file
make a zip archive of {dir}
""", P("dir name", "src src", "photos photos", "docs docs", "project project", "build release"))

T("zip.files", "zip {name}.zip {files}", """
zip {files} into {name}.zip
put {files} in a zip called {name}.zip
""", P("name files", "docs README.md notes.txt", "reports report.pdf data.csv",
       "images photo.jpg logo.png"))

T("zip.password", "zip -er {name}.zip {dir}", """
create a password protected zip of {dir}
zip {dir} with encryption
make an encrypted zip archive {name}.zip from {dir}
""", P("dir name", "docs docs", "secrets secrets", "photos photos", "taxes taxes-2024"))

T("zip.exclude", "zip -r {name}.zip {dir} -x '{pat}'", """
zip {dir} but exclude {pat}
create {name}.zip from {dir} leaving out {pat}
""", P("name dir pat", "project project */node_modules/*", "src src *.pyc", "site site */.git/*",
       "app app *.log"))

T("unzip.here", "unzip {arch}", """
unzip {arch}
extract {arch}
open the zip file {arch}
decompress {arch}
""", ARCHIVES_ZIP)

T("unzip.to_dir", "unzip {arch} -d {dir}", """
unzip {arch} into {dir}
extract {arch} to the folder {dir}
""", cross(ARCHIVES_ZIP, P("dir", "output", "/tmp/extracted", "photos", "docs", "build")))

T("unzip.list", "unzip -l {arch}", """
list the contents of {arch}
what's in {arch}
show files inside the zip {arch} without extracting
""", ARCHIVES_ZIP)

T("unzip.one", "unzip {arch} {member}", """
extract only {member} from {arch}
get {member} out of {arch}
""", P("arch member", "archive.zip report/summary.txt", "project.zip project/setup.py",
       "docs.zip docs/manual.html", "photos.zip photos/IMG_1234.jpg"))

T("unzip.overwrite", "unzip -o {arch}", """
unzip {arch} and overwrite existing files
extract {arch} replacing files without asking
""", ARCHIVES_ZIP)

T("unzip.test", "unzip -t {arch}", """
check whether {arch} is corrupted
test the zip file {arch}
""", ARCHIVES_ZIP)

T("xz.compress", "xz -k {file}", """
compress {file} with xz
xz {file} keeping the original
""", P("file", "dump.sql", "data.csv", "image.iso", "app.log"))

T("xz.decompress", "unxz {file}", """
decompress {file}
unpack the xz file {file}
""", P("file", "backup.sql.xz", "archive.csv.xz", "disk.img.xz"))

T("xz.threads", "xz -T0 -9 {file}", """
compress {file} with xz using all cpu cores at maximum level
fast multithreaded xz compression of {file}
""", P("file", "dump.sql", "image.iso", "backup.tar"))

T("bzip2.compress", "bzip2 {file}", """
compress {file} with bzip2
bzip {file}
""", P("file", "data.csv", "dump.sql", "app.log", "notes.txt"))

T("bzip2.decompress", "bunzip2 {file}", """
decompress {file}
unpack the bz2 file {file}
""", P("file", "archive.csv.bz2", "backup.sql.bz2", "old.log.bz2"))

T("zstd.compress", "zstd {file}", """
compress {file} with zstd
zstandard compress {file}
""", P("file", "dump.sql", "data.csv", "app.log", "backup.tar"))

T("zstd.decompress", "zstd -d {file}", """
decompress the zst file {file}
unzstd {file}
""", P("file", "backup.sql.zst", "archive.csv.zst", "logs.tar.zst"))

T("gzip.size_ratio", "gzip -l {file}", """
how well is {file} compressed
show the compression ratio of {file}
""", P("file", "access.log.1.gz", "backup.sql.gz", "archive.csv.gz"))
