"""The concrete values a request names (files, numbers, sizes, quoted text, search words in
capitals) and how many of them a command uses.

A retrieved example brings its own values along ("grep -c 'failed' app.log" for "how many
ERROR lines are in app.log"), and adaptation cannot always carry the user's in; the model, on
the other hand, copies values from the request well even when the rest of its answer is weak.
Ranking therefore credits a command for using what the user named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlsh.retrieval import extract_entities

# Spelled-out counts and positions ("the two oldest", "the third field"). "one", "first" and
# "second" are left out: "the newest one", "the first lines", "every second" are not values.
NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twenty": "20", "hundred": "100",
    "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7", "eighth": "8",
    "ninth": "9", "tenth": "10",
}
# Words in capitals that name a kind of thing, not a string to search for.
ACRONYMS = frozenset("""
CPU GPU RAM PID CSV TSV JSON XML YAML HTML PDF USB SSH HTTP HTTPS URL DNS TCP UDP API UTF SSD
HDD NFS KB MB GB TB KIB MIB GIB UID GID IPV4 IPV6 MAC ISO UTC GMT TTY CWD ASCII
""".split())
_CAPITALS_RE = re.compile(r"(?<![\w$-])[A-Z][A-Z0-9_]{2,}(?![\w-])")
_WORD_RE = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Value:
    text: str
    numeric: bool  # matched as a whole number ("2" is not in "20")

    def used_by(self, command: str) -> bool:
        if self.numeric:
            return re.search(rf"(?<![\d.]){re.escape(self.text)}(?![\d])", command) is not None
        return self.text in command


def request_values(request: str) -> list[Value]:
    """The values in a request, each once."""
    found: list[Value] = []
    entities = extract_entities(request)
    for entity in entities:
        if entity.kind == "size":
            found.append(Value(entity.number, numeric=True))
        elif entity.kind == "number":
            found.append(Value(entity.value, numeric=True))
        else:
            found.append(Value(entity.value, numeric=False))
    taken = [(e.start, e.end) for e in entities]
    for match in _CAPITALS_RE.finditer(request):
        if match.group(0) not in ACRONYMS and not any(a <= match.start() < b for a, b in taken):
            found.append(Value(match.group(0), numeric=False))
    for match in _WORD_RE.finditer(request.lower()):
        if match.group(0) in NUMBER_WORDS:
            found.append(Value(NUMBER_WORDS[match.group(0)], numeric=True))
    return list(dict.fromkeys(found))


def coverage(values: list[Value], command: str) -> float:
    """The share of the request's values the command uses; 1.0 when the request names none."""
    if not values:
        return 1.0
    return sum(value.used_by(command) for value in values) / len(values)
