"""Stopping processes and services, and powering the machine off.

- dangerous: `kill -9 -1` / `kill -1` (every process you own), `kill 1` (init), `killall5`,
  `pkill -u` / `killall -u` (all of a user's processes), killing the display, login or ssh
  processes, stopping/disabling/masking a critical service (ssh, networking, display manager,
  dbus, journald), `reboot`, `shutdown`, `halt`, `poweroff`, `init 0|6`, `systemctl reboot`;
- caution: killing named processes, stopping or disabling other services, `shutdown -c`.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, has_short_flag
from nlsh.safety.rules.common import operands, quote, subcommand

RULE = "process_control"

CRITICAL_PROCESSES = frozenset({
    "init", "systemd", "sshd", "ssh", "Xorg", "X", "Xwayland", "gnome-shell", "kwin",
    "kwin_x11", "kwin_wayland", "plasmashell", "dbus-daemon", "dbus", "NetworkManager",
    "login", "gdm", "lightdm", "sddm", "systemd-logind", "launchd", "WindowServer", "loginwindow",
    "Finder", "explorer", "wpa_supplicant", "udevd", "systemd-udevd", "mutter", "weston",
    "sway", "containerd", "dockerd", "journald", "systemd-journald", "bash", "zsh", "sh", "fish",
})
CRITICAL_SERVICES = frozenset({
    "ssh", "sshd", "networking", "network", "NetworkManager", "systemd-networkd",
    "systemd-resolved", "dbus", "gdm", "gdm3", "lightdm", "sddm", "display-manager",
    "systemd-journald", "systemd-logind", "getty", "firewalld", "ufw", "nftables", "iptables",
    "apparmor", "auditd", "polkit", "wpa_supplicant", "systemd-udevd", "cron", "crond", "sudo",
})
_POWER = {"reboot": "reboots", "shutdown": "shuts down", "halt": "halts", "poweroff":
          "powers off"}
_SERVICE_VERBS = {"stop": "stops", "disable": "disables", "mask": "masks", "kill": "kills",
                  "restart": "restarts", "try-restart": "restarts", "isolate": "isolates"}
_POWER_VERBS = {"reboot", "poweroff", "halt", "kexec", "rescue", "emergency", "soft-reboot",
                "hibernate", "hybrid-sleep", "suspend-then-hibernate"}


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog == "kill":
        return _kill(inv, ctx)
    if prog in ("killall", "pkill", "skill", "slay"):
        return _kill_by_name(inv)
    if prog == "killall5":
        return [Finding(Level.DANGEROUS, "kills every process on the machine", RULE)]
    if prog in _POWER:
        return _power(inv, prog)
    if prog in ("init", "telinit") and inv.argv[:1] and inv.argv[0] in ("0", "6", "1", "s", "S"):
        what = "powers off" if inv.argv[0] == "0" else "reboots" if inv.argv[0] == "6" else \
            "drops to single-user mode on"
        return [Finding(Level.DANGEROUS, f"{what} the machine; unsaved work is lost", RULE)]
    if prog == "systemctl":
        return _systemctl(inv)
    if prog == "service" and len(inv.argv) >= 2 and inv.argv[1] in _SERVICE_VERBS:
        return _service(inv.argv[0], inv.argv[1])
    if prog == "loginctl" and inv.argv[:1] and inv.argv[0] in (
            "terminate-session", "terminate-user", "kill-session", "kill-user", "poweroff",
            "reboot"):
        return [Finding(Level.DANGEROUS, f"ends login sessions ({inv.argv[0]})", RULE)]
    if prog == "launchctl" and inv.argv[:1] and inv.argv[0] in ("unload", "bootout", "remove",
                                                                 "disable", "reboot"):
        return [Finding(Level.CAUTION, f"stops a launchd service ({inv.argv[0]})", RULE)]
    return []


def _kill(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    if any(a in ("-l", "-L", "--list", "--table") for a in argv):
        return []
    targets: list[str] = []
    signal_seen = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-s", "-n", "--signal"):
            signal_seen = True
            i += 2
            continue
        if a == "--":
            targets += argv[i + 1:]
            break
        if a.startswith("-") and not signal_seen and not targets:
            signal_seen = True  # -9, -KILL, -SIGTERM; a later -1 is a process group
        else:
            targets.append(a)
        i += 1
    if "-1" in targets:
        return [Finding(Level.DANGEROUS, "kills every process you are allowed to kill, "
                                         "including your desktop session", RULE)]
    if "1" in targets:
        return [Finding(Level.DANGEROUS, "kills init (PID 1), which brings the system down",
                        RULE)]
    for word in inv.args:
        if word.has_expansion:
            for finder in ctx.nested(inv, word):
                if finder.program in ("pgrep", "pidof"):
                    wide = _kill_by_name(finder)
                    if any(f.level >= Level.DANGEROUS for f in wide):
                        return [Finding(Level.DANGEROUS, "kills the processes "
                                        f"`{finder.program}` finds: {wide[0].reason}", RULE)]
    if targets:
        return [Finding(Level.CAUTION, "stops process " + ", ".join(targets[:4]), RULE)]
    return []


def _kill_by_name(inv: Invocation) -> list[Finding]:
    argv = inv.argv
    if has_short_flag(inv.args, "u") or any(a.startswith("--user") for a in argv):
        return [Finding(Level.DANGEROUS, "kills every process of a user", RULE)]
    names = [w.unquoted for w in operands(inv.args, "sugtPGFUn", frozenset({
        "--signal", "--user", "--group", "--parent", "--pgroup", "--session", "--terminal",
        "--older-than", "--younger-than", "--ns", "--euid", "--uid", "--pidfile"}))]
    wide = [n for n in names if n in ("", ".", ".*", "^", "$", ".+")]
    if wide:
        return [Finding(Level.DANGEROUS, f"{inv.program} matches every process", RULE)]
    critical = [n for n in names if n in CRITICAL_PROCESSES]
    if critical:
        return [Finding(Level.DANGEROUS, f"kills {quote(critical[0])}, which the system or your "
                                         "session depends on", RULE)]
    if names:
        return [Finding(Level.CAUTION, "kills processes named " +
                        ", ".join(quote(n) for n in names[:3]), RULE)]
    return []


def _power(inv: Invocation, prog: str) -> list[Finding]:
    argv = inv.argv
    if prog == "shutdown" and any(a in ("-c", "--cancel") for a in argv):
        return [Finding(Level.CAUTION, "cancels a scheduled shutdown", RULE)]
    if prog == "shutdown" and any(a in ("-k",) for a in argv):
        return [Finding(Level.CAUTION, "sends a shutdown warning without shutting down", RULE)]
    if any(a in ("--help", "--version") for a in argv):
        return []
    verb = _POWER[prog]
    if prog == "shutdown" and any(a in ("-r", "--reboot") for a in argv):
        verb = "reboots"
    return [Finding(Level.DANGEROUS, f"{verb} the machine; unsaved work in every program is lost",
                    RULE)]


def _systemctl(inv: Invocation) -> list[Finding]:
    verb, rest = subcommand(inv.args, "tHMpsn", frozenset({
        "--type", "--host", "--machine", "--property", "--signal", "--lines", "--state",
        "--kill-whom", "--root", "--output"}))
    if verb is None:
        return []
    if verb in _POWER_VERBS:
        return [Finding(Level.DANGEROUS, f"systemctl {verb}: takes the machine down; unsaved work "
                                         "is lost", RULE)]
    if verb in ("suspend", "sleep"):
        return [Finding(Level.CAUTION, "suspends the machine", RULE)]
    if verb in _SERVICE_VERBS:
        findings: list[Finding] = []
        for unit in [w.unquoted for w in rest if not w.unquoted.startswith("-")][:4]:
            findings += _service(unit, verb)
        if "--now" in inv.argv and verb in ("disable", "mask"):
            findings.append(Finding(Level.CAUTION, "also stops it now (--now)", RULE))
        return findings
    if verb in ("daemon-reload", "daemon-reexec", "set-default", "enable", "unmask", "start",
                "reload", "edit", "revert", "preset"):
        return [Finding(Level.CAUTION, f"changes service state (systemctl {verb})", RULE)]
    return []


def _service(unit: str, verb: str) -> list[Finding]:
    name = unit.removesuffix(".service").split("@", 1)[0]
    what = _SERVICE_VERBS.get(verb, verb)
    if name in CRITICAL_SERVICES and verb != "restart":
        return [Finding(Level.DANGEROUS, f"{what} {quote(name)}, which the system depends on "
                                         "(you may lose remote access or your session)", RULE)]
    level = Level.DANGEROUS if verb == "mask" and name in CRITICAL_SERVICES else Level.CAUTION
    return [Finding(level, f"{what} the service {quote(name)}", RULE)]
