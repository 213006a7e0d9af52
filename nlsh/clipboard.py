"""Copy text to the user's clipboard: a clipboard program if there is one, else OSC 52."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys

PROGRAMS = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
)


def copy(text: str) -> str:
    """Copies; returns how ("xclip", "terminal (OSC 52)")."""
    for argv in PROGRAMS:
        if shutil.which(argv[0]) and (argv[0] != "wl-copy" or os.environ.get("WAYLAND_DISPLAY")):
            try:
                subprocess.run(argv, input=text.encode(), check=True, timeout=2,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return argv[0]
            except (OSError, subprocess.SubprocessError):
                continue
    # OSC 52 asks the terminal itself (works over ssh and in tmux with set-clipboard on).
    payload = base64.b64encode(text.encode()).decode()
    sequence = f"\033]52;c;{payload}\a"
    if os.environ.get("TMUX"):
        sequence = f"\033Ptmux;\033{sequence}\033\\"
    stream = sys.stderr if sys.stderr.isatty() else sys.stdout
    stream.write(sequence)
    stream.flush()
    return "terminal (OSC 52)"
