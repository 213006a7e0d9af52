"""The strict dev set's tasks, one module per category (see scripts/make_devset.py).

Every request and reference here was written for this project, about the invented
workstation of `nlsh/evaluation/world.py`; none comes from a public NL-to-bash data set.
"""

from __future__ import annotations

import importlib
from typing import Any

MODULES = ("find", "count", "aggregate", "search", "extract", "fileops", "archive", "perms",
           "git", "json_data", "disk")


def load_tasks() -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"devset_tasks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"devset_tasks.{name}":
                raise
            continue  # a category not written yet
        for task in module.TASKS:
            tasks.append({"category": module.CATEGORY, **task})
    return tasks
