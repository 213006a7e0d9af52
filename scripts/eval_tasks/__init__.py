"""Task definitions for `nlsh eval`; `scripts/make_eval_tasks.py` writes them as JSON Lines.

Every request, fixture and command here was written for nlsh from knowledge of the tools
themselves; none is taken or reworded from an existing dataset (NL2Bash, InterCode,
NL2SH-ALFA, tldr-pages, ...).
"""

from __future__ import annotations

import importlib
from typing import Any

from ._dsl import REGISTRY

MODULES = (
    "find_files",
    "inspect_files",
    "text_search",
    "text_edit",
    "text_data",
    "archives",
    "file_ops",
    "git_repo",
    "json_data",
    "dates_misc",
)


def load_tasks() -> list[dict[str, Any]]:
    if not REGISTRY:
        for name in MODULES:
            importlib.import_module(f"{__name__}.{name}")
    return list(REGISTRY)
