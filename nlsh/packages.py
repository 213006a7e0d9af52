"""Which package provides a program that is not installed, and how to install it here.

When the right answer needs `cpio` and the machine lacks it, the answer is still the right
one: it is shown marked "needs cpio (not installed; `apt install cpio`)" instead of being
replaced by an unrelated command that happens to run. Only programs in this table count:
a name the model made up stays "command not found".
"""

from __future__ import annotations

import functools
import platform
import shutil

# Package managers in the order they are looked for; Homebrew first on macOS.
MANAGERS = ("apt", "dnf", "yum", "pacman", "zypper", "apk", "brew")
INSTALL = {
    "apt": "apt install {}", "dnf": "dnf install {}", "yum": "yum install {}",
    "pacman": "pacman -S {}", "zypper": "zypper install {}", "apk": "apk add {}",
    "brew": "brew install {}",
}
# program -> package, where the package's name differs from the program's.
# "*" is every manager not listed for that program.
PACKAGES: dict[str, dict[str, str]] = {
    "cal": {"apt": "ncal", "*": "util-linux", "brew": ""},  # macOS ships cal
    "ncal": {"apt": "ncal"},
    "7z": {"apt": "p7zip-full", "dnf": "p7zip-plugins", "pacman": "p7zip", "*": "p7zip"},
    "rg": {"*": "ripgrep"},
    "fd": {"apt": "fd-find", "*": "fd"},
    "fdfind": {"apt": "fd-find"},
    "batcat": {"apt": "bat"},
    "xmllint": {"apt": "libxml2-utils", "dnf": "libxml2", "pacman": "libxml2", "*": "libxml2"},
    "convert": {"*": "imagemagick", "dnf": "ImageMagick"},
    "identify": {"*": "imagemagick", "dnf": "ImageMagick"},
    "mogrify": {"*": "imagemagick", "dnf": "ImageMagick"},
    "magick": {"*": "imagemagick", "dnf": "ImageMagick"},
    "nc": {"apt": "netcat-openbsd", "dnf": "nmap-ncat", "pacman": "openbsd-netcat",
           "*": "netcat"},
    "dig": {"apt": "dnsutils", "dnf": "bind-utils", "yum": "bind-utils", "pacman": "bind",
            "*": "bind"},
    "nslookup": {"apt": "dnsutils", "dnf": "bind-utils", "yum": "bind-utils", "pacman": "bind",
                 "*": "bind"},
    "host": {"apt": "bind9-host", "dnf": "bind-utils", "pacman": "bind", "*": "bind"},
    "xz": {"apt": "xz-utils", "*": "xz"},
    "unxz": {"apt": "xz-utils", "*": "xz"},
    "sponge": {"*": "moreutils"},
    "ts": {"*": "moreutils"},
    "pdftotext": {"apt": "poppler-utils", "dnf": "poppler-utils", "*": "poppler"},
    "pdfinfo": {"apt": "poppler-utils", "dnf": "poppler-utils", "*": "poppler"},
    "exiftool": {"apt": "libimage-exiftool-perl", "dnf": "perl-Image-ExifTool",
                 "pacman": "perl-image-exiftool", "*": "exiftool"},
    "iostat": {"*": "sysstat"},
    "mpstat": {"*": "sysstat"},
    "netstat": {"*": "net-tools"},
    "ifconfig": {"*": "net-tools"},
    "ip": {"apt": "iproute2", "dnf": "iproute", "*": "iproute2"},
    "ss": {"apt": "iproute2", "dnf": "iproute", "*": "iproute2"},
    "column": {"apt": "bsdextrautils", "*": "util-linux"},
    "hexdump": {"apt": "bsdextrautils", "*": "util-linux"},
    "xxd": {"apt": "xxd", "dnf": "vim-common", "pacman": "xxd", "*": "vim"},
    "lsblk": {"*": "util-linux"},
    "inotifywait": {"*": "inotify-tools"},
    "ab": {"apt": "apache2-utils", "dnf": "httpd-tools", "*": "apache"},
    "htpasswd": {"apt": "apache2-utils", "dnf": "httpd-tools", "*": "apache"},
    "sqlite3": {"dnf": "sqlite", "pacman": "sqlite", "*": "sqlite3"},
    "gs": {"*": "ghostscript"},
    "pip": {"apt": "python3-pip", "dnf": "python3-pip", "pacman": "python-pip"},
    "pip3": {"apt": "python3-pip", "dnf": "python3-pip", "pacman": "python-pip"},
    "killall": {"apt": "psmisc", "*": "psmisc"},
    "pstree": {"*": "psmisc"},
    "fuser": {"*": "psmisc"},
    "watch": {"apt": "procps", "dnf": "procps-ng", "*": "procps-ng"},
    "free": {"apt": "procps", "dnf": "procps-ng", "*": "procps-ng"},
    "bc": {"*": "bc"},
    "dos2unix": {"*": "dos2unix"},
    "unix2dos": {"*": "dos2unix"},
    "shellcheck": {"dnf": "ShellCheck", "*": "shellcheck"},
    "docker": {"apt": "docker.io", "*": "docker"},
}
# Programs whose package carries the program's own name on every manager.
SAME_NAME = frozenset("""
cpio rsync tree jq yq zip unzip unrar zstd lz4 pigz pv parallel htop ncdu ffmpeg curl wget git
tmux screen lsof strace ltrace file gawk bzip2 tig gh rename pwgen sshpass socat nmap traceroute
whois mtr iftop iotop ncdu entr fzf bat hyperfine tldr gnupg moreutils aria2 jhead optipng
pandoc graphviz subversion mercurial make gcc cmake ruby nodejs npm perl php lua5.4 sqlite3 zsh
fish time tar gzip patch diffutils findutils sed less vim nano emacs rclone unison par2 qpdf
""".split())


@functools.cache
def package_manager() -> str | None:
    """The package manager this machine uses, or None."""
    if platform.system() == "Darwin":
        return "brew" if shutil.which("brew") else None
    return next((m for m in MANAGERS if shutil.which(m)), None)


def package_for(program: str, manager: str | None) -> str | None:
    """The package that provides `program`, or None when nlsh does not know the program."""
    table = PACKAGES.get(program)
    if table is not None:
        name = table.get(manager or "", table.get("*", ""))
        return name or None
    return program if program in SAME_NAME else None


def install_hint(program: str) -> str | None:
    """`apt install ncal` for `cal` on Debian; None when nlsh does not know the program."""
    manager = package_manager()
    package = package_for(program, manager)
    if package is None:
        return None
    return INSTALL[manager].format(package) if manager else f"install {package}"


def needs_note(program: str, hint: str) -> str:
    return f"needs {program} (not installed; `{hint}`)"
