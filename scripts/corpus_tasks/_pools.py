"""Realistic values for task slots.

File and directory names here also exist in the execution-test fixture
(tests/test_corpus_exec.py builds it), so most commands that name them really run.
"""

from __future__ import annotations

from ._dsl import P

# size: how a person writes it; size_alt: another way; fsize: find -size; hsize: sort -h style
SIZES = P(
    "size size_alt fsize",
    "100MB ; 100 megabytes ; 100M",
    "1GB ; 1 gig ; 1G",
    "500MB ; 500 MB ; 500M",
    "50MB ; 50 megs ; 50M",
    "10MB ; 10 MB ; 10M",
    "2GB ; 2 gigabytes ; 2G",
    "200KB ; 200 kilobytes ; 200k",
    "5MB ; 5 megabytes ; 5M",
    "20KB ; 20 KB ; 20k",
    "1MB ; 1 meg ; 1M",
)
SMALL_SIZES = P(
    "size size_alt fsize",
    "1KB ; 1 kilobyte ; 1k",
    "10KB ; 10 KB ; 10k",
    "100 bytes ; 100 bytes ; 100c",
    "4KB ; 4 kilobytes ; 4k",
    "50KB ; 50 KB ; 50k",
)
EXTS = P(
    "ext Ext",
    "pdf PDF", "jpg JPEG", "png PNG", "txt text", "log log", "py Python", "js JavaScript",
    "md Markdown", "csv CSV", "json JSON", "sh shell", "html HTML", "go Go", "c C", "ts TypeScript",
    "yaml YAML", "mp4 MP4", "tmp temporary", "bak backup", "conf config",
)
TEXT_EXTS = P(
    "ext Ext",
    "py Python", "txt text", "md Markdown", "js JavaScript", "log log", "sh shell", "c C",
    "go Go", "yaml YAML", "html HTML", "conf config", "ts TypeScript",
)
CODE_EXTS = P(
    "ext lang",
    "py Python", "js JavaScript", "go Go", "c C", "ts TypeScript", "sh shell", "rs Rust",
    "java Java", "rb Ruby", "cpp C++",
)
TEXT_FILES = P(
    "file",
    "notes.txt", "app.log", "data.csv", "README.md", "config.yaml", "main.py", "server.log",
    "todo.txt", "index.html", "script.sh", "words.txt", "access.log",
)
LOG_FILES = P("file", "app.log", "server.log", "access.log", "error.log", "logs/app.log",
              "logs/server.log")
CSV_FILES = P("file", "data.csv", "sales.csv", "users.csv", "report.csv")
JSON_FILES = P("file", "data.json", "package.json", "config.json", "users.json", "response.json")
ANY_FILES = P(
    "file",
    "notes.txt", "report.pdf", "data.csv", "photo.jpg", "app.log", "main.py", "archive.zip",
    "backup.tar.gz", "config.yaml", "script.sh", "index.html", "README.md",
)
DIRS = P("dir", "src", "logs", "docs", "build", "photos", "backup", "data", "scripts", "assets")
SYS_DIRS = P("dir", "/var/log", "/etc", "/tmp", "/usr/local", "/opt", "/home", "/var/www")
PATTERNS = P(
    "pat",
    "TODO", "error", "ERROR", "FIXME", "password", "localhost", "timeout", "deprecated",
    "warning", "import", "failed", "main",
)
PHRASES = P(
    "phrase",
    "connection refused", "out of memory", "permission denied", "not found", "hello world",
    "disk full", "access denied", "segmentation fault",
)
WORD_PAIRS = P(
    "old new",
    "foo bar", "localhost 127.0.0.1", "http https", "colour color", "dev prod", "v1 v2",
    "oldname newname", "teh the", "2023 2024", "master main", "staging production",
)
COUNTS = P("n", "5", "10", "20", "50", "3", "100", "15", "25", "1", "30")
SMALL_COUNTS = P("n", "5", "10", "3", "20", "2", "15")
LINE_NUMBERS = P("n", "10", "42", "100", "5", "250", "7", "1000")
DAYS = P("days", "7", "30", "1", "3", "14", "90", "2", "365", "60", "10")
MINUTES = P("mins", "5", "10", "30", "60", "15", "90", "120", "45")
HOURS = P("hours", "1", "2", "24", "12", "6", "48", "3")
PORTS = P("port", "8080", "3000", "5432", "443", "80", "8000", "6379", "22", "9200", "27017",
          "5000", "3306")
HOSTS = P(
    "host",
    "example.com", "server.example.com", "192.168.1.10", "10.0.0.5", "db01.internal",
    "web1.example.org", "github.com", "google.com", "8.8.8.8", "api.example.com",
)
DOMAINS = P("domain", "example.com", "github.com", "google.com", "example.org", "python.org",
            "wikipedia.org", "mozilla.org", "debian.org")
USERHOSTS = P(
    "user host",
    "deploy 10.0.0.5", "admin server.example.com", "ubuntu 192.168.1.10", "root db01.internal",
    "alice web1.example.org", "pi raspberrypi.local", "ec2-user 54.12.34.56", "git example.com",
)
USERS = P("user", "alice", "bob", "deploy", "www-data", "postgres", "john", "admin", "jenkins")
GROUPS = P("group", "developers", "docker", "sudo", "www-data", "staff", "admin")
BRANCHES = P("branch", "develop", "feature/login", "fix/typo", "release-2.1", "hotfix",
             "feature/search", "experiment", "staging")
TAGS = P("tag", "v1.0.0", "v2.3.1", "v0.9", "release-2024", "v1.2.0", "v3.0.0-rc1")
REMOTES = P("remote", "origin", "upstream", "backup", "fork")
PROCS = P("proc", "nginx", "python", "node", "java", "firefox", "chrome", "postgres",
          "redis-server", "gunicorn", "sleep", "vim", "ruby")
PIDS = P("pid", "1234", "4321", "9876", "31337", "2048", "5555", "777")
SERVICES = P("svc", "nginx", "docker", "ssh", "postgresql", "cron", "apache2", "mysql", "redis",
             "bluetooth", "NetworkManager")
APT_PKGS = P("pkg", "curl", "htop", "git", "jq", "vim", "tree", "ripgrep", "tmux", "ffmpeg",
             "nginx", "build-essential", "python3-venv")
PIP_PKGS = P("pkg", "requests", "numpy", "flask", "pandas", "django", "pytest", "black",
             "fastapi", "matplotlib", "httpx")
NPM_PKGS = P("pkg", "express", "lodash", "react", "typescript", "eslint", "axios", "prettier",
             "jest", "vite", "nodemon")
IMAGES = P("image", "nginx", "postgres:16", "redis", "ubuntu:22.04", "python:3.12-slim",
           "node:20", "alpine", "mysql:8", "busybox", "httpd")
CONTAINERS = P("ctr", "web", "db", "api", "my-app", "redis", "nginx", "worker", "postgres")
URLS = P(
    "url",
    "https://example.com/file.tar.gz", "https://example.com/data.json",
    "https://releases.example.org/tool-1.2.3.zip", "https://example.com/image.iso",
    "https://downloads.example.com/setup.sh", "https://example.com/archive.zip",
)
API_URLS = P(
    "url",
    "https://api.example.com/users", "https://api.example.com/v1/items",
    "http://localhost:8080/health", "http://localhost:3000/api/login",
    "https://httpbin.org/post", "https://api.example.com/orders",
)
ARCHIVES_TGZ = P("arch", "backup.tar.gz", "project.tar.gz", "logs.tar.gz", "site.tar.gz",
                 "release.tar.gz")
ARCHIVES_ZIP = P("arch", "archive.zip", "photos.zip", "project.zip", "docs.zip", "release.zip")
PERMS = P(
    "mode perm_words",
    "755 ; rwxr-xr-x", "644 ; rw-r--r--", "600 ; rw-------", "700 ; rwx------",
    "775 ; rwxrwxr-x", "640 ; rw-r-----", "777 ; everyone full access",
)
DATES = P("date", "2024-01-15", "2023-12-31", "2024-03-01", "2022-07-04", "2024-06-30",
          "2025-02-14")
ENV_VARS = P("var", "PATH", "HOME", "EDITOR", "JAVA_HOME", "LANG", "SHELL", "PYTHONPATH",
             "GOPATH", "NODE_ENV")
TZS = P("tz", "UTC", "America/New_York", "Europe/London", "Asia/Tokyo", "Europe/Berlin",
        "Australia/Sydney", "America/Los_Angeles")
VIDEO_FILES = P("video", "video.mp4", "clip.mov", "movie.mkv", "recording.webm", "talk.mp4",
                "screen.mov")
IMAGE_FILES = P("img", "photo.jpg", "image.png", "logo.png", "picture.jpeg", "screenshot.png",
                "banner.jpg")
DBS = P("db", "app.db", "data.db", "users.sqlite", "test.db", "inventory.db")
TABLES = P("table", "users", "orders", "products", "events", "customers", "logs")
IFACES = P("iface", "eth0", "wlan0", "enp3s0", "ens33", "wlp2s0")
FIELDS = P("n", "1", "2", "3", "4", "5")
DELIMS = P(
    "delim delim_name",
    ", ; comma", ": ; colon", "; ; semicolon", "| ; pipe", "= ; equals sign",
)
SESSIONS = P("sess", "work", "dev", "main", "server", "logs", "build")
KEYNAMES = P("keyfile", "id_ed25519", "id_rsa", "deploy_key", "github_key", "work_key")
