"""Raw writes to disks: `dd of=/dev/sda`, `mkfs`, `wipefs -a`, `shred`, partitioning tools, and
redirects or copies onto a block device (`> /dev/sda`, `cp x.iso /dev/sdb`).

Anything that overwrites a whole disk or partition is blocked: the data on it is gone.
`shred` on ordinary files is dangerous (irrecoverable, but narrow). Formatting or writing an image
file is caution.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding, Touch
from nlsh.safety.invocations import Invocation, has_long, has_short_flag
from nlsh.safety.rules.common import DEV_SINKS, operands, quote

RULE = "raw_disk"

# A path naming a disk or partition (a pattern over a path, not over shell text).
_BLOCK_DEVICE = re.compile(
    r"^/dev/(?:(?:s|h|v|xv)d[a-z]+\d*|nvme\d+n\d+(?:p\d+)?|mmcblk\d+(?:p\d+)?|r?disk\d+(?:s\d+)?"
    r"|md\d+|md/.+|dm-\d+|mapper/.+|loop\d+|nbd\d+|sr\d+|disk/by-.+|root|bcache\d+|zd\d+"
    r"|[a-z]+/[a-z0-9_-]+)$")
_MEMORY_DEVICES = frozenset({"/dev/mem", "/dev/kmem", "/dev/port"})
_FORMATTERS = frozenset({"mkfs", "mke2fs", "mkswap", "mkdosfs", "mkntfs", "mkexfatfs", "newfs",
                         "newfs_msdos", "newfs_hfs", "mformat"})
_PARTITIONERS = frozenset({"sgdisk", "sfdisk", "gdisk", "fdisk", "cfdisk", "parted", "gparted"})


def is_block_device(path: str) -> bool:
    if path in DEV_SINKS or not path.startswith("/dev/"):
        return False
    if path.startswith(("/dev/fd/", "/dev/pts/", "/dev/shm/", "/dev/tcp/", "/dev/udp/")):
        return False
    if path in ("/dev/random", "/dev/urandom", "/dev/ptmx", "/dev/console", "/dev/kmsg"):
        return False
    return bool(_BLOCK_DEVICE.match(path))


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    findings = _redirects(inv, ctx)
    prog = inv.program
    if prog is None:
        return findings
    if prog == "dd":
        findings += _dd(inv, ctx)
    elif prog in _FORMATTERS or prog.startswith(("mkfs.", "mkfs_", "newfs_")):
        findings += _format(inv, ctx)
    elif prog in ("wipefs",):
        if has_short_flag(inv.args, "a") or has_long(inv.args, "--all") or has_short_flag(
                inv.args, "o"):
            findings += _on_devices(inv, ctx, "erases the filesystem signatures on",
                                    Level.DANGEROUS)
    elif prog == "shred":
        findings += _shred(inv, ctx)
    elif prog in ("blkdiscard", "badblocks"):
        if prog == "blkdiscard" or has_short_flag(inv.args, "w"):
            findings += _on_devices(inv, ctx, "wipes every block of", Level.CAUTION)
    elif prog in _PARTITIONERS:
        findings += _partition(inv, ctx)
    elif prog in ("hdparm", "nvme", "cryptsetup", "sg_format"):
        findings += _disk_admin(inv, ctx)
    elif prog in ("cp", "tee", "install"):
        for target in ctx.resolve_all(operands(inv.args)[1 if prog in ("cp", "install") else 0:]):
            if target.path and is_block_device(target.path):
                findings.append(Finding(Level.BLOCKED,
                                        f"writes over the disk {quote(target.path)}, destroying "
                                        "everything on it", RULE))
    return findings


def _redirects(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for r in inv.redirects:
        if r.writes_file and r.target is not None:
            target = ctx.target(r.target)
            if target.path and is_block_device(target.path):
                findings.append(Finding(Level.BLOCKED,
                                        f"redirects output onto the disk {quote(target.path)}, "
                                        "destroying what is on it", RULE))
            elif target.path in _MEMORY_DEVICES:
                findings.append(Finding(Level.DANGEROUS,
                                        f"writes into system memory ({target.path})", RULE))
    return findings


def _dd(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for word in inv.args:
        key, eq, value = word.unquoted.partition("=")
        if key != "of" or not eq:
            continue
        if not word.is_static:
            findings.append(Finding(Level.DANGEROUS,
                                    f"dd writes to {quote(value)}, a target only known at run "
                                    "time", RULE))
            continue
        target = ctx.target(replace(word, unquoted=value, text=value))
        if target.path and is_block_device(target.path):
            findings.append(Finding(Level.BLOCKED,
                                    f"dd writes raw data over the disk {quote(target.path)}, "
                                    "destroying everything on it", RULE))
        elif target.path in _MEMORY_DEVICES:
            findings.append(Finding(Level.DANGEROUS, f"dd writes into {target.path}", RULE))
        elif target.path and target.path not in DEV_SINKS:
            findings.append(Finding(Level.CAUTION, f"dd overwrites {quote(value)}", RULE,
                                    (Touch(target.path, "overwrite"),)))
    return findings


def _devices(inv: Invocation, ctx: Context) -> list[str]:
    found = []
    for target in ctx.resolve_all(operands(inv.args, "bcCEgGiIjJlLmMNOrtTU")):
        word = target.word
        if target.path and is_block_device(target.path):
            found.append(target.path)
        elif not word.is_static and word.unquoted.startswith(("$", "/dev/")):
            found.append(word.text)
    return found


def _on_devices(inv: Invocation, ctx: Context, verb: str, otherwise: Level) -> list[Finding]:
    devices = _devices(inv, ctx)
    if devices:
        return [Finding(Level.BLOCKED, f"{verb} {quote(d)}; everything on it is lost", RULE)
                for d in devices]
    return [Finding(otherwise, f"{inv.program} {verb.split(' ', 1)[0]} a disk or image", RULE)]


def _format(inv: Invocation, ctx: Context) -> list[Finding]:
    devices = _devices(inv, ctx)
    if devices:
        return [Finding(Level.BLOCKED, f"formats {quote(d)}, erasing everything on it", RULE)
                for d in devices]
    return [Finding(Level.CAUTION, f"{inv.program} creates a filesystem in a file", RULE)]


def _shred(inv: Invocation, ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for target in ctx.targets(inv, operands(inv.args, "nsx", frozenset({"--iterations",
                                                                         "--size"}))):
        if target.path and is_block_device(target.path):
            findings.append(Finding(Level.BLOCKED,
                                    f"shreds the disk {quote(target.path)}, destroying everything "
                                    "on it", RULE))
        else:
            shown = target.word.text
            touches = (Touch(target.path, "delete", glob=target.glob),) if target.path else ()
            findings.append(Finding(Level.DANGEROUS,
                                    f"shred overwrites {quote(shown)} so it can never be "
                                    "recovered", RULE, touches))
    return findings


def _partition(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    listing = {"-l", "--list", "-p", "--print", "-L", "--list-types", "-s", "--show-size", "-v",
               "--version", "-h", "--help"}
    if argv and all(a in listing or a.startswith("/dev/") for a in argv) and any(
            a in listing for a in argv):
        return []
    if inv.program == "parted" and any(a in ("print", "-l", "--list") for a in argv) and not any(
            a in ("mklabel", "mkpart", "rm", "resizepart", "mkfs") for a in argv):
        return []
    devices = _devices(inv, ctx)
    destructive = {"--zap-all", "-Z", "-o", "--clear", "mklabel", "rm", "--delete",
                   "--wipe", "always", "mkpart", "resizepart"}
    if devices and any(a in destructive or a.startswith("--wipe") for a in argv):
        return [Finding(Level.BLOCKED, f"rewrites the partition table of {quote(d)}; its data "
                                       "becomes unreachable", RULE) for d in devices]
    if devices:
        return [Finding(Level.DANGEROUS, f"{inv.program} can change the partitions of "
                                         f"{quote(d)}", RULE) for d in devices]
    return [Finding(Level.CAUTION, f"{inv.program} edits partition tables", RULE)]


def _disk_admin(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    erase = {"--security-erase", "--security-erase-enhanced", "--write-sector",
             "--trim-sector-ranges", "format", "sanitize", "luksFormat", "erase", "luksErase"}
    if any(a in erase for a in argv) or inv.program == "sg_format":
        devices = _devices(inv, ctx) or ["a disk"]
        return [Finding(Level.BLOCKED, f"erases {quote(d) if d.startswith('/') else d} at the "
                                       "hardware level", RULE) for d in devices]
    return []
