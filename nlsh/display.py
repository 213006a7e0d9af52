"""Showing untrusted text (commands, requests, file names, program output) on a terminal.

A command can hide what it does behind characters a terminal obeys instead of showing: C0
and C1 controls (escape sequences, cursor moves), and bidi overrides or zero-width marks that
reorder or hide the rest of a line. Every place that prints a command or a request passes it
through `printable`, which makes each such character visible; `safe_json` does the same for
JSON output, as \\u escapes that decode back to the exact text.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Characters that change how the rest of a line looks (bidi embeddings, overrides and
# isolates, zero-width joiners, line and paragraph separators, the byte-order mark).
INVISIBLE = frozenset({0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B,
                       0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF})
# The same, plus C1 controls, as a character class for JSON output (C0 controls are escaped
# by json.dumps itself).
_HIDDEN = re.compile("[\u0080-\u009f" + "".join(chr(c) for c in sorted(INVISIBLE)) + "]")


def is_hidden(ch: str) -> bool:
    """A C1 control or an invisible formatting character (not C0: callers differ on tab)."""
    code = ord(ch)
    return 0x80 <= code < 0xA0 or code in INVISIBLE


def hidden_characters(text: str) -> list[str]:
    """The C1 controls and invisible characters in `text`, as U+XXXX, in order of appearance."""
    return list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if is_hidden(ch)))


def printable(text: str, newline: str = " ↵ ") -> str:
    """`text` with every control or invisible character made visible (^[, \\u202e, ...)."""
    return "".join(printable_char(ch, newline) for ch in text)


def printable_char(ch: str, newline: str = " ↵ ") -> str:
    """How one character is shown: itself, or a visible spelling of it."""
    code = ord(ch)
    if ch == "\n":
        return newline
    if ch == "\t":
        return " "
    if code < 32 or code == 127:
        return "^" + chr(code ^ 0x40)
    if is_hidden(ch):
        return f"\\u{code:04x}"
    return ch


def safe_json(value: Any) -> str:
    """json.dumps that keeps non-ASCII text readable but escapes what a terminal would obey."""
    text = json.dumps(value, ensure_ascii=False)
    # Such characters can only occur inside JSON strings, where \uXXXX means the same thing.
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def first_guess_text(answer: dict[str, Any]) -> str | None:
    """The greedy answer as the spinner shows it while the rest is ranked, with its risk
    level when it is not safe (a dangerous or blocked one is only ever shown, never put on
    the line from here); None when the model gave no command."""
    command = answer.get("command")
    if not isinstance(command, str) or not command.strip():
        return None
    risk = answer.get("risk")
    level = risk.get("level") if isinstance(risk, dict) else None
    label = f" ({level})" if level and level != "safe" else ""
    return f"first guess{label}: {printable(command.strip())} - ranking the rest"
