"""Run the corpus's commands for real, in the sandbox, to prove their flags exist.

Every (task, dialect) that can run here (GNU userland, no network, no root, no terminal, no
daemon) has a command run in the sandbox against a fixture directory: a git repository with
branches, tags, stashes and remotes, text/CSV/JSON/YAML/log files with known content, archives,
images, keys and certificates, a fake $HOME, files of several sizes and ages. Runs go through
`nlsh.sandbox.preview` (the namespace sandbox of `run_contained`, over an overlay of the
fixture), so each command sees the pristine fixture and nothing it writes survives; without
namespaces the test is skipped, never run unconfined. A command passes when it exits 0, or with a
status its program documents for "nothing matched / files differ" (grep, diff, cmp, ...), and
never prints an option or usage error. BSD-dialect commands cannot run on this Linux machine
and are counted separately.

Run with `-s` to see the coverage report (executed fraction, skips by reason).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nlsh.retrieval import CorpusEntry, load_corpus
from nlsh.sandbox import namespace_problem, preview
from nlsh.shellparse import parse

# -- what cannot run here, and why ---------------------------------------------------------------

NETWORK = "needs the network (the sandbox has none)"
ROOT = "changes the system or needs root"
TTY = "interactive: needs a terminal"
FOREVER = "runs until interrupted"
DAEMON = "needs a running daemon or cluster"
DESKTOP = "needs a desktop session"
PROCESSES = "acts on processes that do not exist in the sandbox"
TOOLCHAIN = "installs packages from a registry"

SKIP_PROGRAMS: dict[str, str] = {
    **dict.fromkeys(["curl", "wget", "ssh", "scp", "sftp", "ssh-copy-id", "ping", "dig",
                     "nslookup", "host", "nc", "nmap", "traceroute", "mtr", "whois", "yt-dlp",
                     "psql", "pg_dump", "mysql", "mysqldump", "redis-cli", "pg_isready"],
                    NETWORK),
    **dict.fromkeys(["sudo", "su", "shutdown", "reboot", "passwd", "chsh", "useradd", "usermod",
                     "apt", "apt-get", "apt-mark", "dnf", "yum", "pacman", "snap", "flatpak",
                     "hostnamectl", "timedatectl", "resolvectl", "mount", "umount", "renice"],
                    ROOT),
    **dict.fromkeys(["vim", "vi", "nano", "less", "more", "man", "tmux", "screen", "script",
                     "top", "htop", "editor"], TTY),
    **dict.fromkeys(["watch"], FOREVER),
    **dict.fromkeys(["docker", "kubectl", "systemctl", "journalctl", "nmcli"], DAEMON),
    **dict.fromkeys(["xdg-open", "xclip", "notify-send", "spd-say", "upower", "sensors"],
                    DESKTOP),
    **dict.fromkeys(["kill", "pkill", "killall", "disown", "lsof"], PROCESSES),
    **dict.fromkeys(["unalias", "deactivate", "reset", "gpg"], TTY),
    **dict.fromkeys(["ssh-add", "ssh-agent"], DAEMON),
    **dict.fromkeys(["swapon", "lsblk", "findmnt"], "needs disks (the sandbox has none)"),
    **dict.fromkeys(["npm", "npx", "yarn", "pnpm", "pipx", "cargo", "go", "gem", "nvm", "pip",
                     "brew"], TOOLCHAIN),
}
# Shell builtins and keywords that `shutil.which` cannot find.
BUILTINS = frozenset("""
cd echo printf export unset alias unalias source history type command help jobs read set ulimit
umask eval true false exit test [ declare local wait
""".split())
# Exit statuses that mean "ran fine, found nothing / inputs differ" for these programs.
QUIET_FAILURES = {"grep": {1}, "zgrep": {1}, "diff": {1}, "cmp": {1}, "pgrep": {1},
                  "comm": {1}, "git": {1}, "test": {1}, "command": {1}, "which": {1},
                  "type": {1}, "find": {1}, "xargs": {123}, "gzip": {2}, "ps": {1}}
# Messages that mean a flag or program does not exist, whatever the exit status (in a pipeline
# the status is the last program's) ...
OPTION_ERRORS = re.compile(
    r"(?:^|: )(?:invalid|unrecognized|unknown|illegal) (?:option|predicate)|"
    r"(?:^|: )option requires an argument|: command not found|"
    r"(?:^|: )unknown command|is not a [\w-]+ command",
    re.IGNORECASE | re.MULTILINE,
)
# ... and messages that mean the same only when the command failed (`--help` prints "usage:").
USAGE_ERRORS = re.compile(
    r"invalid argument|usage:|Try '[^']+ --help'|not a valid|unexpected|syntax error",
    re.IGNORECASE,
)
# Commands run per (task, dialect): parameters vary, the flags do not. Set
# NLSH_CORPUS_EXEC_PER_TASK=1000 to run every runnable command (~2,500, ~5 min).
PER_TASK_DIALECT = int(os.environ.get("NLSH_CORPUS_EXEC_PER_TASK", "1"))
TIMEOUT_S = 10.0


INTERFACES = frozenset({"eth0", "wlan0", "enp3s0", "ens33", "wlp2s0", "en0"})
PATHLIKE = re.compile(r"/[\w.@+-]+(?:/[\w.@+-]*)*")  # "/etc/x", not a sed script "/^#/d"
REMOTE_SPEC = re.compile(r"^(?:[\w.-]+@)?[\w.-]+:")  # user@host:path or host:path
FOREIGN_COMMIT = re.compile(r"(^|[:.])[0-9a-f]{7}($|[:.~^])")


def _writable_here(path: Path) -> bool:
    """A path the sandbox could create: outside the temp dir everything is read-only there."""
    return path.parent.exists() and path.is_relative_to(tempfile.gettempdir())


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def skip_reason(entry: CorpusEntry) -> str | None:
    """Why this corpus command is not run here, or None when it is."""
    if entry.dialect == "bsd":
        return "BSD/macOS dialect (this machine is GNU/Linux)"
    parsed = parse(entry.command)
    for program in entry.programs:
        if program in ("convert", "mogrify", "identify") and not HAVE_IMAGEMAGICK:
            return f"{program} (ImageMagick) is not installed here"
        if program in SKIP_PROGRAMS:
            return SKIP_PROGRAMS[program]
        if program not in BUILTINS and shutil.which(program) is None \
                and not program.endswith(".sh") and program != "app":
            return f"{program} is not installed here"
    for simple in parsed.commands:
        program, argv = simple.program or "", simple.argv
        if program in ("tail", "less") and ("-f" in argv or "+F" in argv):
            return FOREVER
        if program == "dmesg" and "-w" in argv:
            return FOREVER
        if program == "python3" and "http.server" in argv:
            return FOREVER
        if program == "php" and "-S" in argv:
            return FOREVER
        if program == "python3" and "pip" in argv and any(
                a in argv for a in ("install", "uninstall")):
            return TOOLCHAIN
        if program == "git" and argv and argv[0] in ("clone", "push", "pull", "fetch",
                                                       "ls-remote", "submodule", "lfs"):
            return NETWORK
        if program == "git" and argv[:2] in (["add", "-p"], ["rebase", "-i"]):
            return TTY
        if (program == "git" and argv[:1] == ["bisect"]) or (program == "crontab" and "-e" in argv):
            return TTY
        if program == "sleep" or program == "at" or program == "until":
            return FOREVER
        if program in ("./long_job.sh", "long_job.sh"):
            return FOREVER
        if program == "gpg" and ("-c" in argv or "-d" in argv):
            return TTY  # asks for a passphrase
        if program == "openssl" and argv[:1] == ["enc"]:
            return TTY
        if program == "ssh-keygen" and "-R" not in argv and "-lf" not in argv:
            return TTY
        if program == "zip" and "-er" in argv:
            return TTY
        if (program == "rm" and "-i" in argv) or (program == "xargs" and "-p" in argv):
            return TTY
        if program == "yes":
            return TTY
        if program == "env" and "-i" in argv:
            return TTY  # starts an interactive shell
        if program == "sudo" or program == "eval":
            return ROOT
        if program == "ssh-keygen" and "-R" in argv:
            return "edits the real ~/.ssh/known_hosts (ssh ignores $HOME)"
        if program == "openssl" and argv[:1] == ["pkcs12"]:
            return TTY  # asks for an export password
        if program == "ps" and "-p" in argv:
            return PROCESSES
        if program in ("ip", "ifconfig") and any(a in INTERFACES for a in argv):
            return "network interfaces are not visible in the sandbox"
        if program == "openssl" and argv[:1] == ["s_client"]:
            return NETWORK
        if program == "python3" and "--outdated" in argv:
            return NETWORK
        if program == "git" and any(FOREIGN_COMMIT.search(a) for a in argv):
            return "names a commit of some other repository"
        if program == "git" and ("--abort" in argv or "--continue" in argv):
            return "needs a merge or rebase in progress"
        if program in ("rsync", "scp", "sftp") and any(REMOTE_SPEC.match(a) for a in argv):
            return NETWORK
        absent = [w.unquoted for w in simple.args if w.is_static and PATHLIKE.fullmatch(w.unquoted)
                  and not Path(w.unquoted).exists() and not _writable_here(Path(w.unquoted))]
        if absent:
            return f"names {absent[0]}, which this machine lacks"
        missing = [a for a in argv for name in a.split(":")
                   if (name in CORPUS_USERS and not _user_exists(name))
                   or (name in CORPUS_GROUPS and not _group_exists(name))]
        if missing:
            return "names a user or group this machine does not have"
    if any(c.kind == "loop" for c in parsed.constructs) and "while true" in entry.command:
        return FOREVER
    if "ssh" in entry.command.split():
        return NETWORK
    return None


# -- the fixture -------------------------------------------------------------------------------

LOG_LINES = [
    '192.168.1.10 - - [15/Jan/2024:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512 user=alice',
    '10.0.0.5 - - [15/Jan/2024:10:00:02 +0000] "POST /api/login HTTP/1.1" 401 64 user=bob',
    '192.168.1.10 - - [15/Jan/2024:10:00:03 +0000] "GET /missing HTTP/1.1" 404 0 user=alice',
    "2024-01-15 10:00:04 ERROR database timeout after 30s id=7 status=failed",
    "2024-01-15 10:00:05 WARN disk usage at 91% token=abc session=s1",
    "2024-01-15 10:00:06 INFO user login ok user=carol",
    "2024-01-15 10:00:07 ERROR connection refused to localhost:5432",
    "2024-01-15 10:00:08 INFO GET 404 /favicon.ico",
    "2024-01-15 10:00:09 warning deprecated call in main, import failed",
    "2024-01-15 10:00:10 Exception: out of memory; permission denied; not found",
]
TEXT = """# notes
TODO: write the README
FIXME: password should not be in localhost config
hello world
import os
def main(): pass
error: timeout while reading
BEGIN
inside the block
END
start
stop
START
[main]
key = value
[dev]
key = other
foo bar foo colour http dev v1 oldname teh 2023 master staging
Contact: alice@example.com, bob@example.org
See https://example.com/docs and http://example.org/x
""" + "".join(f"row {n} {n * 3} {n % 7} value{n}\n" for n in range(1, 300))
YAML = "".join(f"# setting {n}\n" for n in range(150)) + """version: "3.9"
name: demo
services:
  web:
    image: nginx
metadata:
  name: demo
spec:
  replicas: 2
debug: true
listen: 8080
"""
SCRIPT = "#!/bin/sh\necho ok\n"
MAKEFILE = "".join(f"# rule {n}\n" for n in range(150)) + "".join(f"{t}:\n\t@echo {t}\n" for t in
                   ("all", "test", "clean", "install", "build", "lint", "release", "deploy"))
CSV = "id,name,status,amount,country\n1,alice,active,100,US\n2,bob,failed,250,DE\n" \
      "3,carol,paid,75,US\n4,dave,admin,1200,FR\n5,eve,active,0,US\n"
RECORD = {"id": 1, "name": "alice", "email": "alice@example.com", "status": "active",
          "url": "https://example.com/1", "version": "1.0", "age": 31, "price": 10, "count": 3,
          "score": 95, "size": 1200, "role": "admin", "country": "US", "state": "open",
          "type": "error", "amount": 5, "total": 7, "date": "2024-01-01"}
JSON_ARRAY = [RECORD, {**RECORD, "id": 2, "name": "bob", "status": "done", "age": 25,
                       "price": 150, "date": "2024-02-01"}]
JSON_OBJECT = {**RECORD, "scripts": {"build": "tsc", "test": "jest"},
               "dependencies": {"react": "^18.0.0"}, "config": {"port": 8080},
               "database": {"host": "localhost"}, "user": {"name": "alice"},
               "env": "dev", "metadata": {"name": "demo"},
               "keywords": [f"keyword{n}" for n in range(150)]}
# Users and groups the corpus names; commands naming one that this machine lacks are skipped.
CORPUS_USERS = ("alice", "bob", "deploy", "www-data", "postgres", "john", "admin", "jenkins")
CORPUS_GROUPS = ("developers", "docker", "sudo", "www-data", "staff", "admin", "wheel")

TEXT_FILES = [*"""
notes.txt todo.txt words.txt README.md README main.py old.py index.html a.txt b.txt old.txt
list1.txt list2.txt users_old.txt users_new.txt emails1.txt emails2.txt names.txt ages.txt
first.txt second.txt keys.txt values.txt col1.txt col2.txt part1.txt part2.txt intro.md body.md
contacts.txt bookmarks.txt page.html config.conf nginx.conf .env config.ini settings.ini
sshd_config versions.txt tags.txt releases.txt notes.txt.orig main.py.orig main.py.new doc.md
a.log b.log header.csv draft.md app.js index.js src/app.js src/main.py src/util.js src/lib.c
src/lib.h docs/guide.md main.go app.ts main.rs test.py text.text page.htm notes.md hosts.txt
urls.txt packages.txt repos.txt users.txt secrets.txt passwords.csv private.key id_rsa.old
report.txt draft-1.md tmp_a.txt copy_of_notes.txt old_a.txt IMG_0001.JPG file.tmp old.bak x.pyc
project/README.md site/index.html dir1/a.txt dir2/a.txt old/notes.txt
new/notes.txt dist/index.html build/app.js data/raw.csv assets/style.css backup/src/app.js
site.bak/index.html node_modules/lodash/index.js __pycache__/main.cpython-311.pyc
config/app.yaml uploads/a.txt mail.log syslog
""".split(), "doc with space.txt"]
EXECUTABLES = ("script.sh", "deploy.sh", "install.sh", "build.sh", "setup.sh", "run.sh",
               "backup.sh", "test.sh", "bench.sh", "scripts/run.sh", "bin/tool", "run.py")
LOGS = ("app.log", "server.log", "access.log", "error.log", "logs/app.log", "logs/server.log")
CSVS = ("data.csv", "sales.csv", "users.csv", "report.csv", "v1.csv", "v2.csv", "orders.csv",
        "names.csv", "scores.csv", "ids.csv", "emails.csv", "export.csv")
JSON_ARRAYS = ("users.json", "data.json", "orders.json", "items.json", "response.json",
               "deps.json")
JSON_OBJECTS = ("package.json", "config.json", "settings.json", "manifest.json")
YAMLS = ("config.yaml", "docker-compose.yml", "deployment.yaml", "config.yaml.bak",
         "config.new.yaml")
DIRECTORIES = """
build data scripts assets backup docs logs photos dir1 dir2 old new site tmp cache output
archive collected images restore project dist node_modules __pycache__ venv .venv env empty_dir
unused scratch placeholder old_build backup/src site.bak uploads config app src/components
photos/2024 collected tests made deploy
""".split()
# Compressed files whose uncompressed names are absent (decompressing must not collide).
GZIPPED = ("access.log.1.gz", "backup.sql.gz", "archive.csv.gz", "syslog.2.gz",
           "old-notes.txt.gz", "app.log.1.gz", "access.log.gz", "server.log.gz")
TARBALLS = ("backup.tar.gz", "project.tar.gz", "logs.tar.gz", "site.tar.gz", "release.tar.gz")
ZIPS = {"archive.zip": "report/summary.txt", "photos.zip": "photos/IMG_1234.jpg",
        "project.zip": "project/setup.py", "docs.zip": "docs/manual.html",
        "release.zip": "release/notes.txt"}


def _png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _jpeg(png: bytes) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # a JPEG-looking stub; only `file` and friends will read it
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
    import io

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def _real_imagemagick() -> bool:
    """Some machines carry a `convert` stand-in that is not ImageMagick."""
    convert = shutil.which("convert")
    if convert is None:
        return False
    probe = subprocess.run([convert, "-version"], capture_output=True, text=True, check=False)
    return "ImageMagick" in probe.stdout


def _write(root: Path, rel: str, content: str | bytes, mode: int | None = None) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    if mode is not None:
        path.chmod(mode)


def build_fixture(root: Path) -> None:
    """The files most corpus commands name, a fake home, then a git history over the files."""
    for name in DIRECTORIES:
        (root / name).mkdir(parents=True, exist_ok=True)
    logs = "\n".join(LOG_LINES) + "\n"
    for name in LOGS:
        _write(root, name, logs)
    for name in TEXT_FILES:
        _write(root, name, TEXT)
    for name in EXECUTABLES:
        _write(root, name, SCRIPT, 0o755)
    _write(root, "job.py", "print('job')\n")
    _write(root, "app.py", "print('app')\n")
    _write(root, "script.py", "print('script')\n")
    _write(root, "train.py", "print('train')\n")
    _write(root, "tests/test_api.py", "def test_login():\n    assert True\n")
    _write(root, "Makefile", MAKEFILE)
    _write(root, "new.txt", TEXT.replace("hello world", "hello there") + "extra line\n")
    _write(root, "list1.txt", "alice\nbob\ncarol\n")
    _write(root, "list2.txt", "alice\ncarol\nzed\n")
    _write(root, "files.txt", "notes.txt\ntodo.txt\n")
    _write(root, "dirs.txt", "made/one\nmade/two\n")
    _write(root, "names.txt", "n1.txt\nn2.txt\n")
    _write(root, "users.txt", "root\n")
    _write(root, "legacy.txt", "caf\xe9\n".encode("latin-1"))
    _write(root, "empty.txt", "")
    for name in CSVS:
        _write(root, name, CSV)
    _write(root, "v2.csv", CSV + "6,frank,active,5,UK\n")
    for name in JSON_ARRAYS:
        _write(root, name, json.dumps(JSON_ARRAY, indent=2) + "\n")
    for name in JSON_OBJECTS:
        _write(root, name, json.dumps(JSON_OBJECT, indent=2) + "\n")
    record = json.dumps({"message": "hi", "level": "info", "user": "alice", "timestamp": 1})
    for name in ("events.jsonl", "logs.jsonl", "data.ndjson", "records.jsonl"):
        _write(root, name, (record + "\n") * 3)
    for name in YAMLS:
        _write(root, name, YAML)
    _media(root)
    _binaries(root)
    _archives(root)
    _crypto(root)
    for name in ("fix.patch", "changes.patch", "update.diff"):
        _write(root, name, "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n-# notes\n"
                           "+# Notes\n TODO: write the README\n")
    for db in ("app.db", "data.db", "users.sqlite", "test.db", "inventory.db"):
        _sqlite(root / db)
    for name in ("venv", ".venv", "env"):
        _write(root, f"{name}/bin/activate", f"VIRTUAL_ENV={name}\nexport VIRTUAL_ENV\n")
    _home(root / "home")
    os.symlink("notes.txt", root / "current")
    os.symlink("releases/v2", root / "latest")  # dangling on purpose
    os.symlink("nowhere", root / "broken-link")
    _age(root)
    _git(root)


def _media(root: Path) -> None:
    png = _png()
    for name in ("image.png", "logo.png", "screenshot.png", "left.png", "right.png", "top.png",
                 "bottom.png", "icon.png", "photos/photo.png"):
        _write(root, name, png)
    jpeg = _jpeg(png)
    for name in ("photo.jpg", "banner.jpg", "picture.jpeg", "copy.jpg", "holiday.jpg",
                 "photos/photo.jpg", "photos/2024/beach.jpg"):
        _write(root, name, jpeg)
    for name in ("report.pdf", "invoice.pdf", "docs/report.pdf", "song.wav", "clip.mov",
                 "movie.mkv", "recording.webm", "talk.mp4", "screen.mov", "video.mp4"):
        _write(root, name, b"\x00binary\x01" * 64)


def _binaries(root: Path) -> None:
    for name, size in (("a.bin", 4096), ("firmware.img", 8192), ("backup.img", 8192),
                       ("old.iso", 2048), ("new.iso", 2048), ("a.out", 1024), ("app.bin", 1024),
                       ("libfoo.so", 1024), ("main.o", 512), ("big.iso", 1_200_000),
                       ("image.iso", 100_000), ("dump.sql", 50_000), ("data.bin", 64)):
        _write(root, name, bytes((i * 7) % 256 for i in range(size)))
    _write(root, "b.bin", bytes((i * 7 + 1) % 256 for i in range(4096)))
    _write(root, "installer.bin", b"test")  # sha256 9f86d081... in the corpus
    for name in ("image.b64", "data.b64", "cert.b64"):
        _write(root, name, "aGVsbG8gd29ybGQ=\n")
    _write(root, "package.deb", b"!<arch>\n")
    _write(root, "report.json", json.dumps(RECORD) + "\n")
    for name in ("chunk_aa", "chunk_ab", "backup.part_aa", "backup.part_ab", "video_aa",
                 "part_aa"):
        _write(root, name, "piece\n")


def _archives(root: Path) -> None:
    logs = "\n".join(LOG_LINES) + "\n"
    for name in GZIPPED:
        _write(root, name, gzip.compress(logs.encode(), mtime=0))
    for name in TARBALLS:
        with tarfile.open(root / name, "w:gz") as tar:
            for member in ("project/README.md", "site/index.html", "logs/app.log"):
                tar.add(root / member, arcname=member)
            tar.add(root / "config.yaml", arcname="etc/config.yaml")
    for name, mode in (("data.tar.xz", "w:xz"), ("src.tar.xz", "w:xz"),
                       ("project.tar.xz", "w:xz"), ("linux-6.6.tar.xz", "w:xz"),
                       ("src.tar.bz2", "w:bz2"), ("data.tar.bz2", "w:bz2"),
                       ("backup.tar.bz2", "w:bz2"), ("release.tar", "w"), ("files.tar", "w"),
                       ("bundle.tar", "w"), ("backup.tar", "w")):
        with tarfile.open(root / name, mode) as tar:  # type: ignore[call-overload]
            tar.add(root / "todo.txt", arcname="unpacked/todo.txt")
    for name, member in ZIPS.items():
        with zipfile.ZipFile(root / name, "w") as archive:
            archive.writestr(member, TEXT)
            archive.writestr("unpacked/extra.txt", "extra\n")
    import bz2
    import lzma

    for name in ("backup.sql.xz", "archive.csv.xz", "disk.img.xz"):
        _write(root, name, lzma.compress(b"select 1;\n"))
    for name in ("archive.csv.bz2", "backup.sql.bz2", "old.log.bz2"):
        _write(root, name, bz2.compress(b"select 1;\n"))
    if shutil.which("zstd"):
        for name in ("backup.sql.zst", "archive.csv.zst", "logs.tar.zst"):
            subprocess.run(["zstd", "-q", "-o", str(root / name), str(root / "todo.txt")],
                           check=True)
    sums = subprocess.run(["sha256sum", "notes.txt", "todo.txt"], cwd=root, check=True,
                          capture_output=True, text=True).stdout
    for name in ("SHA256SUMS", "checksums.txt", "sha256sums.txt"):
        _write(root, name, sums)


def _crypto(root: Path) -> None:
    """A self-signed certificate and RSA key under the names the corpus uses."""
    key, cert = root / "server.key", root / "server.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"],
                   check=True, capture_output=True)
    for name in ("private.pem", "privkey.pem", "id_rsa"):
        shutil.copy(key, root / name)
    for name in ("cert.pem", "fullchain.pem", "ca.crt"):
        shutil.copy(cert, root / name)


def _home(home: Path) -> None:
    ssh = home / ".ssh"
    ssh.mkdir(parents=True)
    for keyfile in ("id_ed25519", "id_rsa", "deploy_key", "github_key", "work_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test",
                        "-f", str(ssh / keyfile)], check=True, capture_output=True)
    (ssh / "known_hosts").write_text("")
    for rc in (".bashrc", ".zshrc", ".profile", ".bash_profile"):
        (home / rc).write_text("# rc\n")
    for folder in ("Downloads", "Videos", ".npm", "bin", "backup", "restore", "apps",
                   "config-backup", "dotfiles", "project"):
        (home / folder).mkdir()
    (home / "dotfiles/.vimrc").write_text("set number\n")


def _sqlite(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as conn:
        for table in ("users", "orders", "products", "events", "customers", "logs"):
            conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER, name TEXT)")
            conn.execute(f"INSERT INTO {table} VALUES (1, 'alice'), (2, 'bob')")


def _age(root: Path) -> None:
    """Spread modification times over the last year so -mtime tests have something to find."""
    now = time.time()
    for i, path in enumerate(sorted(p for p in root.rglob("*") if p.is_file())):
        days = (i * 13) % 400
        os.utime(path, (now - days * 86400, now - days * 86400))


def _git(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "alice", "GIT_AUTHOR_EMAIL": "alice@example.com",
           "GIT_COMMITTER_NAME": "alice", "GIT_COMMITTER_EMAIL": "alice@example.com",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "alice")
    git("config", "user.email", "alice@example.com")
    (root / ".gitignore").write_text("*.log\nnode_modules/\n")
    git("add", "-A")
    git("commit", "-q", "-m", "initial commit")
    for n in range(1, 25):
        (root / "README.md").write_text(TEXT + f"change {n} TODO fix login\n")
        git("commit", "-q", "-am", f"fix typo {n} login")
    for tag in ("v0.9", "v1.0.0", "v1.2.0", "v2.0.0", "release-2024", "v3.0.0-rc1"):
        git("tag", tag)
    git("tag", "-a", "v2.3.1", "-m", "Release v2.3.1")
    for branch in ("develop", "feature/login", "fix/typo", "release-2.1", "hotfix",
                   "feature/search", "experiment", "staging", "dev", "master"):
        git("branch", branch)
    for remote in ("origin", "upstream", "heroku", "old-origin"):
        git("remote", "add", remote, f"https://example.com/{remote}/project.git")
        for branch in ("main", "develop", "master"):
            git("update-ref", f"refs/remotes/{remote}/{branch}", "HEAD~2")
    git("switch", "-q", "feature/login")
    (root / "notes.txt").write_text(TEXT + "login work\n")
    git("commit", "-q", "-am", "add login page")
    git("switch", "-q", "-c", "patch-source", "main")
    (root / "todo.txt").write_text(TEXT + "patched\n")
    git("commit", "-q", "-am", "fix the todo list")
    git("format-patch", "-q", "-1", "-o", "patches")
    for name in ("0001-fix.patch", "0001-add-feature.patch"):
        shutil.copy(next((root / "patches").iterdir()), root / name)
    shutil.rmtree(root / "patches")
    git("switch", "-q", "main")
    git("branch", "-q", "-D", "patch-source")
    git("switch", "-q", "develop")
    git("switch", "-q", "main")  # so that `git switch -` has somewhere to go
    for n in range(2):  # stash@{0} and stash@{1}
        (root / "main.py").write_text(TEXT + f"# stashed {n}\n")
        git("stash", "push", "-q", "-m", f"wip {n}")
    (root / "main.py").write_text(TEXT + "# local edit\n")  # an unstaged change
    (root / "untracked.txt").write_text("new\n")


# -- running -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    entry: CorpusEntry
    exit_code: int | None
    output: str  # stdout and stderr, interleaved
    timed_out: bool

    @property
    def option_error(self) -> bool:
        if OPTION_ERRORS.search(self.output):
            return True
        return self.exit_code != 0 and bool(USAGE_ERRORS.search(self.output))

    @property
    def ok(self) -> bool:
        if self.timed_out or self.option_error or self.exit_code is None:
            return False
        if self.exit_code == 0:
            return True
        last = _last_program(self.entry.command)
        return self.exit_code in QUIET_FAILURES.get(last, set())


def _last_program(command: str) -> str:
    programs = parse(command).programs
    return programs[-1] if programs else ""


def selected(entries: list[CorpusEntry]) -> tuple[list[CorpusEntry], Counter[str]]:
    """Up to PER_TASK_DIALECT commands per (task, dialect) that can run here; skip reasons."""
    chosen: list[CorpusEntry] = []
    per_group: Counter[tuple[str, str]] = Counter()
    skipped: Counter[str] = Counter()
    seen_commands: set[str] = set()
    for entry in entries:
        if entry.command in seen_commands:
            continue
        seen_commands.add(entry.command)
        reason = skip_reason(entry)
        if reason is not None:
            skipped[reason] += 1
            continue
        group = (entry.task, entry.dialect)
        if per_group[group] < PER_TASK_DIALECT:
            per_group[group] += 1
            chosen.append(entry)
    return chosen, skipped


@pytest.fixture(scope="module")
def fixture_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("corpus-fixture") / "work"
    root.mkdir()
    build_fixture(root)
    yield root


def run_all(entries: list[CorpusEntry], template: Path) -> list[Outcome]:
    """Each command in the sandbox over an overlay of the fixture: every command sees the
    pristine fixture and its writes are thrown away, without copying the fixture each time."""
    import getpass

    outcomes: list[Outcome] = []
    # A login shell's state: `cd -` needs somewhere to go back to.
    env = {**os.environ, "HOME": str(template / "home"), "USER": getpass.getuser(),
           "OLDPWD": str(template / "home")}
    for entry in entries:
        result = preview(entry.command, cwd=str(template), timeout_s=TIMEOUT_S, env=env,
                         mode="namespace")
        if not result.supported:
            outcomes.append(Outcome(entry, None, f"not previewable: {result.reason}", False))
            continue
        outcomes.append(Outcome(entry, result.exit_code, result.output, result.timed_out))
    return outcomes


NAMESPACE_PROBLEM = namespace_problem()
HAVE_IMAGEMAGICK = _real_imagemagick()


@pytest.mark.skipif(NAMESPACE_PROBLEM is not None,
                    reason=f"corpus commands only ever run contained; no sandbox here: "
                           f"{NAMESPACE_PROBLEM}")
def test_corpus_commands_run_without_option_errors(fixture_template: Path) -> None:
    entries = load_corpus()
    chosen, skipped = selected(entries)
    outcomes = run_all(chosen, fixture_template)
    failures = [o for o in outcomes if not o.ok]
    distinct = len({e.command for e in entries})
    runnable_tasks = {(o.entry.task, o.entry.dialect) for o in outcomes}
    print(f"\ncorpus execution: ran {len(outcomes)} commands covering {len(runnable_tasks)} "
          f"(task, dialect) groups; {len(outcomes) - len(failures)} passed")
    print(f"distinct commands {distinct}; skipped {sum(skipped.values())}:")
    for reason, count in skipped.most_common():
        print(f"  {count:5d}  {reason}")
    for outcome in failures:
        print(f"FAIL [{outcome.exit_code}{' timeout' if outcome.timed_out else ''}] "
              f"{outcome.entry.id}: {outcome.entry.command}\n      {outcome.output.strip()[-300:]}")
    assert len(outcomes) >= 300, "too few corpus commands could be executed"
    assert not [o for o in failures if o.option_error], "option or usage errors"
    assert not failures


@pytest.mark.skipif(NAMESPACE_PROBLEM is not None,
                    reason=f"commands only ever run contained; no sandbox: {NAMESPACE_PROBLEM}")
def test_a_made_up_flag_is_caught(fixture_template: Path) -> None:
    """The check above can fail: invented options and programs are reported as such."""
    bad = [CorpusEntry(id=f"bad#{i}", task="bad", request="bad", command=command,
                       programs=tuple(parse(command).programs), dialect="gnu")
           for i, command in enumerate(("ls --frobnicate", "find . -sizeish +1M",
                                        "grep -rQ x .", "git frobnicate", "frobctl --all",
                                        "ls --frobnicate | wc -l"))]
    outcomes = run_all(bad, fixture_template)
    assert [o.option_error for o in outcomes] == [True] * len(bad)
    assert not any(o.ok for o in outcomes)
