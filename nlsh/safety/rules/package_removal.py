"""Removing installed software: `apt remove/purge/autoremove`, `dpkg -r/-P`, `dnf/yum remove`,
`pacman -R`, `zypper rm`, `apk del`, `snap remove`, `flatpak uninstall`, `brew uninstall`,
`pip uninstall`, `npm uninstall -g`, `gem uninstall`, `cargo uninstall`, `conda remove`.

- blocked: removing a package the system cannot run without (libc, coreutils, systemd, bash,
  sudo, apt/dpkg, the kernel, python3 on Debian-like systems);
- dangerous: removing system packages (other programs may depend on them; purge deletes config);
- caution: removing language packages (pip, npm -g, gem, cargo), easy to reinstall.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.rules.common import operands, quote, subcommand
from nlsh.shellparse import Word

RULE = "package_removal"

ESSENTIAL = frozenset({
    "libc6", "libc-bin", "glibc", "coreutils", "bash", "dash", "systemd", "systemd-sysv",
    "sudo", "apt", "dpkg", "rpm", "dnf", "yum", "pacman", "base-files", "base-passwd", "login",
    "passwd", "util-linux", "init", "linux-image-generic", "linux-generic", "kernel", "kernel-core",
    "python3", "python3-minimal", "perl-base", "libstdc++6", "grub-pc", "grub2", "grub-efi-amd64",
    "openssh-server", "network-manager", "ubuntu-desktop", "gnome-shell", "xorg", "filesystem",
    "glibc-common", "zlib1g", "libselinux1", "tar", "gzip", "findutils",
    "grep", "sed", "mount", "e2fsprogs", "ca-certificates",
})
_SYSTEM_REMOVE = {
    "apt": ("remove", "purge", "autoremove", "autopurge"),
    "apt-get": ("remove", "purge", "autoremove"),
    "aptitude": ("remove", "purge"),
    "dnf": ("remove", "erase", "autoremove"),
    "yum": ("remove", "erase", "autoremove"),
    "zypper": ("remove", "rm"),
    "apk": ("del",),
    "snap": ("remove",),
    "flatpak": ("uninstall", "remove"),
    "port": ("uninstall",),
}
_LANGUAGE_REMOVE = {
    "pip": ("uninstall",), "pip3": ("uninstall",), "pipx": ("uninstall", "uninstall-all"),
    "gem": ("uninstall",), "cargo": ("uninstall",), "conda": ("remove", "uninstall"),
    "mamba": ("remove", "uninstall"), "brew": ("uninstall", "remove", "rm"),
    "npm": ("uninstall", "remove", "rm", "un", "r", "unlink"),
    "pnpm": ("remove", "rm", "uninstall", "un"), "yarn": ("remove",), "go": ("clean",),
    "rustup": ("uninstall", "self"), "uv": ("remove",),
}


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None:
        return []
    if prog in _SYSTEM_REMOVE:
        verb, rest = subcommand(inv.args, "oct", frozenset({"--option", "--config"}))
        if verb in _SYSTEM_REMOVE[prog]:
            return _system(prog, verb, rest)
        return []
    if prog == "dpkg" and any(a in ("-r", "-P", "--remove", "--purge") for a in inv.argv):
        return _system(prog, "remove", [w for w in inv.args if not w.unquoted.startswith("-")])
    if prog in ("rpm",) and any(a in ("-e", "--erase") for a in inv.argv):
        return _system(prog, "erase", [w for w in inv.args if not w.unquoted.startswith("-")])
    if prog == "pacman" and any(a.startswith("-R") for a in inv.argv):
        return _system(prog, "remove", [w for w in inv.args if not w.unquoted.startswith("-")])
    if prog in _LANGUAGE_REMOVE:
        verb, rest = subcommand(inv.args)
        if prog == "yarn" and verb == "global" and rest and rest[0].unquoted == "remove":
            verb, rest = "remove", rest[1:]
        if verb in _LANGUAGE_REMOVE[prog]:
            names = [w.unquoted for w in operands(rest)]
            is_global = any(a in ("-g", "--global") for a in inv.argv) or prog not in (
                "npm", "pnpm", "yarn", "uv")
            shown = ", ".join(quote(n) for n in names[:4]) or "packages"
            where = " globally" if is_global and prog in ("npm", "pnpm", "yarn") else ""
            return [Finding(Level.CAUTION, f"uninstalls {shown}{where} ({prog})", RULE)]
    return []


def _system(prog: str, verb: str, rest: list[Word]) -> list[Finding]:
    names = [w.unquoted for w in rest if not w.unquoted.startswith("-")]
    essential = [n for n in names if _base(n) in ESSENTIAL or _base(n).startswith(
        ("linux-image", "linux-headers-generic", "libc6"))]
    if essential:
        return [Finding(Level.BLOCKED, f"removes {quote(essential[0])}, which the system cannot "
                                       "run without", RULE)]
    shown = ", ".join(quote(n) for n in names[:4])
    if verb in ("autoremove", "autopurge"):
        return [Finding(Level.DANGEROUS, f"removes every package {prog} thinks is unused", RULE)]
    what = "and its configuration" if verb == "purge" else "and anything that depends on it"
    return [Finding(Level.DANGEROUS, f"removes the system package {shown or 'listed'} {what}",
                    RULE)]


def _base(name: str) -> str:
    """`libc6:amd64` -> `libc6`, `python3=3.11*` -> `python3`."""
    for sep in (":", "=", "<", ">"):
        name = name.split(sep, 1)[0]
    return name
