"""What a preview can and cannot show, decided on the parsed command (never on its text).

The sandbox would contain every command below anyway (own pid namespace, no disks in its
/dev, no privileges): they are refused because a preview of them shows nothing true.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from nlsh.shellparse import ParsedCommand, SimpleCommand, Word, parse

_MACHINE = "acts on the whole machine, which a preview cannot show"
_PROCESSES = "signals running processes; the preview has its own process namespace, so it " \
             "would show nothing"
_SERVICES = "talks to a running service, which the preview cannot contain"
_DEVICES = "writes to disks or mounts filesystems; the preview has no disks"
_PRIVILEGE = "needs privileges the preview does not grant"

REFUSED_PROGRAMS: dict[str, str] = {
    **dict.fromkeys(("reboot", "shutdown", "halt", "poweroff", "init", "telinit"), _MACHINE),
    **dict.fromkeys(("kill", "pkill", "killall", "skill", "xkill"), _PROCESSES),
    **dict.fromkeys(("systemctl", "service", "crontab", "at", "launchctl", "loginctl"),
                    _SERVICES),
    **dict.fromkeys(("mount", "umount", "mkfs", "mke2fs", "mkswap", "swapon", "swapoff",
                     "fdisk", "sfdisk", "cfdisk", "parted", "wipefs", "losetup", "cryptsetup"),
                    _DEVICES),
    **dict.fromkeys(("sudo", "doas", "su", "pkexec", "runuser", "setpriv"), _PRIVILEGE),
}
REFUSED_PREFIXES = {"mkfs.": _DEVICES, "fsck.": _DEVICES}

# Device paths a command may name: they exist (or mean nothing harmful) inside the sandbox.
HARMLESS_DEVICES = frozenset({
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
    "/dev/stdin", "/dev/stdout", "/dev/stderr",
})

# program -> the first arguments that reach the network (None: any use does).
NETWORK_PROGRAMS: dict[str, frozenset[str] | None] = {
    **dict.fromkeys(("curl", "wget", "ssh", "scp", "sftp", "ftp", "telnet", "nc", "ncat",
                     "netcat", "socat", "ping", "ping6", "dig", "nslookup", "host", "whois",
                     "aria2c", "yt-dlp", "youtube-dl", "http", "https", "rsync", "mosh",
                     "traceroute", "tracepath", "lftp", "gh"), None),
    "git": frozenset({"clone", "fetch", "pull", "push", "ls-remote", "submodule", "remote"}),
    "pip": frozenset({"install", "download", "search"}),
    "pip3": frozenset({"install", "download", "search"}),
    "npm": frozenset({"install", "i", "ci", "add", "update", "publish", "view", "outdated"}),
    "yarn": frozenset({"install", "add", "upgrade", "publish"}),
    "pnpm": frozenset({"install", "i", "add", "update", "publish"}),
    "apt": frozenset({"install", "update", "upgrade", "full-upgrade", "download", "source"}),
    "apt-get": frozenset({"install", "update", "upgrade", "dist-upgrade", "download",
                          "source"}),
    "brew": frozenset({"install", "update", "upgrade", "fetch"}),
    "cargo": frozenset({"install", "fetch", "update", "publish", "search"}),
    "go": frozenset({"get", "install", "mod"}),
    "docker": frozenset({"pull", "push", "login", "search"}),
    "podman": frozenset({"pull", "push", "login", "search"}),
}

_SHELL_MOVES = frozenset({"cd", "pushd", "popd"})


def refusal(parsed: ParsedCommand) -> str | None:
    """Why this command cannot be previewed, or None."""
    if parsed.has_error:
        return "the command does not parse, so what it would run cannot be checked"
    if not parsed.commands:
        return "there is no command to preview"
    for command in parsed.commands:
        reason = _program_refusal(command)
        if reason:
            return reason
    for word in _path_words(parsed):
        device = _device_named(word)
        if device:
            return f"it names the device {device}: {_DEVICES}"
    return None


def _program_refusal(command: SimpleCommand) -> str | None:
    program = command.program
    if not program:
        return None
    if program in REFUSED_PROGRAMS:
        return f"{program}: {REFUSED_PROGRAMS[program]}"
    for prefix, reason in REFUSED_PREFIXES.items():
        if program.startswith(prefix):
            return f"{program}: {reason}"
    return None


def _path_words(parsed: ParsedCommand) -> Iterator[Word]:
    """Every argument and redirect target: the places a path can appear."""
    for command in parsed.commands:
        yield from command.args
        for redirect in command.redirects:
            if redirect.target is not None:
                yield redirect.target


def _path_candidates(word: Word) -> list[str]:
    """The word itself, and the value of an `opt=VALUE` word (dd of=/dev/sda, --file=x)."""
    value = word.unquoted
    found = [value]
    if "=" in value:
        found.append(value.split("=", 1)[1])
    return found


def _device_named(word: Word) -> str | None:
    for value in _path_candidates(word):
        if value.startswith("/dev/") and value not in HARMLESS_DEVICES \
                and not value.startswith(("/dev/fd/", "/dev/shm/")):
            return value
    return None


def network_programs(parsed: ParsedCommand) -> list[str]:
    """Programs in the command that reach the network, as `curl` or `git clone`."""
    found: list[str] = []
    for command in parsed.commands:
        program = command.program
        if program not in NETWORK_PROGRAMS:
            continue
        subcommands = NETWORK_PROGRAMS[program]
        if subcommands is None:
            found.append(program)
            continue
        first = next((a for a in command.argv if not a.startswith("-")), None)
        if first in subcommands:
            found.append(f"{program} {first}")
    return sorted(set(found))


def copy_mode_refusal(parsed: ParsedCommand) -> str | None:
    """The copy fallback contains nothing but the working directory, so it only runs
    commands whose every path is a plain relative one below it, and no network."""
    network = network_programs(parsed)
    if network:
        return f"it uses the network ({', '.join(network)}), which copy mode cannot block"
    for command in parsed.commands:
        if command.program in _SHELL_MOVES:
            return f"{command.program} could leave the copied directory"
        if command.name is not None and command.name.has_expansion:
            return "the program name is computed at run time"
    for word in _path_words(parsed):
        if word.has_expansion:
            return f"{word.text} is expanded at run time and could point anywhere"
        for value in _path_candidates(word):
            if value.startswith(("/", "~")) and value not in HARMLESS_DEVICES:
                return f"{value} is outside the copied directory"
            if ".." in PurePosixPath(value).parts:
                return f"{value} climbs out of the copied directory"
    return None


def check(command: str) -> tuple[ParsedCommand, str | None]:
    parsed = parse(command)
    return parsed, refusal(parsed)
