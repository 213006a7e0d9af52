"""Case table for `resource_exhaustion` (issue 16 item 2): loops that spawn or fill, endless
sources sent to the background, to files or into memory, and allocations bigger than the disk.

Each row: command, the exact level the whole command gets, and a fragment of its reasons (empty
for look-alikes, which must not be flagged by this family)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.records import Level
from nlsh.safety import assess, findings_for

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
FAMILY = "resource_exhaustion"

CASES: list[tuple[str, Level, str]] = [
    ("while true; do sleep 1 & done", D, "starts a background process on every pass"),
    ("while :; do xterm & done", D, "processes pile up"),
    ("until false; do sleep 5 & done", D, "on every pass"),
    ("for ((;;)); do ping -c1 host & done", D, "on every pass"),
    ("for i in {1..100000}; do sleep 100 & done", D, "starts 100,000 background processes"),
    ("for i in $(seq 1 5000); do sleep 9 & done", D, "5,000 background processes"),
    ("bash -c 'while true; do sleep 1 & done'", D, "on every pass"),
    ("while true; do echo x >> log.txt; done", D, "until the disk is full"),
    ("while true; do cat notes.txt; done &", D, "endless loop in the background"),
    ("yes > /dev/null &", D, "runs forever in the background"),
    ("yes &", D, "runs forever in the background"),
    ("cat /dev/urandom > /dev/null &", D, "runs forever in the background"),
    ("cat /dev/zero > f", D, "until the disk is full"),
    ("yes > big.txt", D, "until the disk is full"),
    ("yes | tee big.txt", D, "until the disk is full"),
    ("tr -dc a-z < /dev/urandom > words.txt", D, "until the disk is full"),
    ("dd if=/dev/zero of=fill.bin", D, "until the disk is full"),
    ("cat /dev/zero > /dev/shm/fill", D, "/dev/shm is RAM"),
    ("tail /dev/zero", D, "into memory"),
    ("yes | sort", D, "keeps everything in memory"),
    ("fallocate -l 1P big.img", D, "it fills the disk"),
    ("fallocate -l " + "9" * 400 + "P huge.img", D, "it fills the disk"),
    ("head -c 900T /dev/zero > f", D, "it fills the disk"),
    ("dd if=/dev/zero of=f bs=1G count=1000000", D, "it fills the disk"),
    ("stress-ng --vm 8 --vm-bytes 90%", D, "deliberately exhausts"),
    ("node -e 'const {spawn} = require(\"child_process\"); while (true) spawn(\"sleep\", [\"9\"])'",
     D, "starts processes in an endless loop"),
    ("python3 -c 'import itertools as i, subprocess as s; "
     "[s.Popen([\"sleep\", \"9\"]) for _ in i.count()]'", D, "endless loop"),
    ("ruby -e 'loop { spawn(\"sleep 9\") }'", D, "endless loop"),
    # look-alikes
    ("yes > /dev/null", C, "runs until you interrupt it"),
    ("while true; do date >> clock.log; sleep 60; done", C, "appends to `clock.log` forever"),
    ("fallocate -l 1K small.img", C, "reserves 1.0 kB"),
    ("yes | head -n 3", S, ""),
    ("yes | apt-get install nginx", C, ""),
    ("cat /dev/urandom | gzip > /dev/null &", D, "runs forever in the background"),
    ("yes | grep -m 2 y", S, ""),
    ("head -c 16 /dev/urandom | base64", S, ""),
    ("for f in a b c; do gzip $f & done", C, ""),
    ("for i in 1 2 3; do sleep $i & done; wait", S, ""),
    ("while true; do date; sleep 1; done", S, ""),
    ("while read -r line; do echo \"$line\" & done < list.txt", S, ""),
    ("dd if=/dev/zero of=small.bin bs=1M count=1", C, ""),
    ("grep -r 'while true' .", S, ""),
    ("python3 -c 'import subprocess; subprocess.run([\"ls\"])'", C, ""),
    ("node -e 'while (true) { if (done()) break; spawn(\"x\") }'", C, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(command: str, level: Level, fragment: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    cwd = home / "proj"
    cwd.mkdir(parents=True)
    risk = assess(command, cwd=str(cwd), home=str(home))
    assert risk.level == level, risk.reasons
    fired = [f for f in findings_for(command, cwd=str(cwd), home=str(home))
             if f.rule == FAMILY]
    if fragment:
        assert any(fragment in r for r in risk.reasons), risk.reasons
    if level < Level.DANGEROUS and not fragment:
        assert not fired, fired


def test_allocation_compares_with_the_free_space_where_the_file_goes(tmp_path: Path) -> None:
    """A size that fits is caution and says how much is free; one that does not is dangerous."""
    import os

    st = os.statvfs(tmp_path)
    free = st.f_bavail * st.f_frsize
    fits = assess(f"fallocate -l {free // 4} a.img", cwd=str(tmp_path), home=str(tmp_path))
    too_big = assess(f"fallocate -l {free * 2} a.img", cwd=str(tmp_path), home=str(tmp_path))
    assert fits.level == C and "free)" in fits.reasons[0]
    assert too_big.level == D and "fills the disk" in too_big.reasons[0]
