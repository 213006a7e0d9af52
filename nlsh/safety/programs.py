"""Tables of programs the rules share: what only reads, what runs code, what uses the network."""

from __future__ import annotations

# Programs that only read files or print information, whatever their (non-writing) options.
# Programs whose options can write (sort -o, sed -i, find -delete, tee, ...) are handled by the
# baseline rule, which looks at the options before calling them read-only.
READ_ONLY = frozenset({
    "ls", "dir", "vdir", "cat", "tac", "grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep",
    "zcat", "bzcat", "xzcat", "zstdcat", "zless", "wc", "head", "tail", "du", "df", "ps", "pstree",
    "pgrep", "echo", "printf", "pwd", "stat", "file", "which", "whereis", "type", "whoami", "id",
    "groups", "uname", "uptime", "free", "vmstat", "iostat", "lsblk", "blkid", "lscpu", "lsusb",
    "lspci", "lsof", "lsmod", "printenv", "man", "info", "help", "apropos", "whatis", "tldr",
    "less", "more", "most", "cut", "tr", "uniq", "nl", "rev", "fold", "fmt", "column", "paste",
    "join", "comm", "diff", "diff3", "sdiff", "cmp", "md5sum", "sha1sum", "sha224sum", "sha256sum",
    "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "base64", "base32", "basenc", "od",
    "hexdump", "strings", "readlink", "realpath", "basename", "dirname", "true", "false", "test",
    "[", "[[", "sleep", "seq", "yes", "expr", "jq", "tree", "locate", "plocate", "mlocate",
    "fdfind", "netstat", "ss", "ping", "ping6", "dig", "nslookup", "host", "traceroute",
    "tracepath", "whois", "getent", "tput", "clear", "tty", "locale", "getconf", "nproc", "arch",
    "cal", "ncal", "w", "who", "last", "lastlog", "users", "top", "htop", "btop", "atop", "iotop",
    "nvidia-smi", "sensors", "env", "cd", "pushd", "popd", "dirs", "jobs", "wait", ":", "bat",
    "batcat", "exa", "eza", "lsd", "ncdu", "pv", "numfmt", "factor", "tsort", "expand",
    "unexpand", "look", "iconv", "xmllint", "zipinfo", "lsattr", "namei", "findmnt",
    "timedatectl", "hostnamectl", "loginctl", "time", "times", "fc-list",
    "watch", "nice", "nohup", "timeout", "command", "xargs", "read", "shift", "return",
    "break", "continue", "let", "getopts", "local", "readonly", "typeset", "unset", "exit",
})
# `mount` with arguments mounts, `umask 077` changes state: handled in baseline by argument count.
PRINTS_WITHOUT_ARGS = frozenset({
    "mount", "umask", "ulimit", "alias", "set", "export", "declare", "typeset", "history",
    "hash", "trap", "shopt", "hostname",
})

SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "tcsh", "csh",
                    })
# Interpreters that run code from stdin when given no script, or from an inline option.
INTERPRETERS = {
    "python": ("-c",), "python2": ("-c",), "python3": ("-c",), "pypy": ("-c",),
    "pypy3": ("-c",), "perl": ("-e", "-E"), "ruby": ("-e",), "node": ("-e", "--eval", "-p"),
    "nodejs": ("-e", "--eval", "-p"), "deno": ("eval",), "bun": ("-e", "--eval"),
    "php": ("-r",), "lua": ("-e",), "luajit": ("-e",), "Rscript": ("-e",), "tclsh": (),
    "osascript": ("-e",), "pwsh": ("-c", "-Command"), "powershell": ("-c", "-Command"),
    "jshell": (), "irb": (), "groovy": ("-e",), "julia": ("-e",),
}
for _shell in SHELLS:
    INTERPRETERS[_shell] = ("-c",)

DOWNLOADERS = frozenset({"curl", "wget", "fetch", "http", "https", "xh", "aria2c", "lwp-request",
                         "GET", "lynx", "links", "w3m"})
NETWORK_SENDERS = frozenset({
    "curl", "wget", "nc", "ncat", "netcat", "socat", "scp", "sftp", "rsync", "ssh", "ftp",
    "telnet", "mail", "mailx", "sendmail", "mutt", "http", "https", "xh", "openssl", "rclone",
    "gsutil", "aws", "az", "smbclient", "lftp", "tftp", "croc", "wormhole", "magic-wormhole",
})

# Read-only git subcommands (and `git branch`/`tag`/`stash`/`remote` when they only list).
GIT_READ_ONLY = frozenset({
    "status", "log", "diff", "show", "blame", "grep", "ls-files", "ls-tree", "ls-remote",
    "rev-parse", "rev-list", "describe", "shortlog", "cat-file", "whatchanged",
    "annotate", "count-objects", "diff-tree", "diff-files", "diff-index", "name-rev", "help",
    "version", "check-ignore", "verify-commit", "cherry", "range-diff", "show-ref", "for-each-ref",
    "merge-base", "fsck", "var", "--version", "--help",
})

# A short description of what common writing programs do, for caution reasons.
WRITER_DESCRIPTIONS = {
    "mkdir": "creates directories", "touch": "creates or updates files", "cp": "copies files",
    "mv": "moves or renames files", "ln": "creates links", "rm": "deletes files",
    "rmdir": "removes directories", "tar": "creates or extracts an archive",
    "unzip": "extracts an archive", "zip": "creates an archive", "gzip": "compresses files",
    "gunzip": "decompresses files", "make": "runs build steps", "npm": "runs npm",
    "pip": "changes Python packages", "pip3": "changes Python packages",
    "apt": "changes system packages", "apt-get": "changes system packages",
    "git": "changes the git repository", "docker": "changes Docker state",
    "kubectl": "changes the Kubernetes cluster", "wget": "downloads files",
    "curl": "sends or saves data over the network", "ssh": "runs commands on a remote machine",
    "scp": "copies files over the network", "rsync": "synchronises files",
    "vim": "opens an editor", "vi": "opens an editor", "nano": "opens an editor",
    "emacs": "opens an editor", "code": "opens an editor", "chmod": "changes file permissions",
    "chown": "changes file ownership", "kill": "stops processes", "sed": "edits text",
    "tee": "writes its input to files", "truncate": "changes file sizes", "dd": "copies raw data",
    "ffmpeg": "converts media files", "convert": "converts images",
    "crontab": "edits scheduled jobs",
    "export": "changes the shell environment", "source": "runs a script in this shell",
    ".": "runs a script in this shell", "python": "runs Python code",
    "python3": "runs Python code", "node": "runs JavaScript code", "bash": "runs a shell",
    "sh": "runs a shell", "zsh": "runs a shell", "systemctl": "controls system services",
    "brew": "changes Homebrew packages", "cargo": "runs Cargo", "go": "runs the Go tool",
}
