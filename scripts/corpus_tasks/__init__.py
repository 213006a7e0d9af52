"""Task definitions for nlsh's corpus; `scripts/build_corpus.py` expands them into JSON Lines.

Every pair here was written for nlsh from knowledge of the tools themselves; none is taken or
reworded from an existing dataset (NL2Bash, InterCode, NL2SH-ALFA, tldr-pages, ...).
"""

from __future__ import annotations

import importlib

from ._dsl import REGISTRY, Task, unique_keys

MODULES = (
    "find_files",
    "text_search",
    "text_edit",
    "files_basic",
    "archives",
    "system",
    "network",
    "git",
    "containers",
    "packages",
    "data",
    "media",
    "shell",
    "combos",
)


def load_tasks() -> list[Task]:
    if not REGISTRY:
        for name in MODULES:
            importlib.import_module(f"{__name__}.{name}")
        unique_keys(REGISTRY)
    return list(REGISTRY)
