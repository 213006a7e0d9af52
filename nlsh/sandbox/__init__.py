"""Running commands where they cannot hurt: effect previews and contained runs.

- `preview(command, cwd=...)` runs a command in a throw-away sandbox and reports what it
  printed and which files it would add, modify or delete; `apply_changes(result)` replays
  exactly those changes onto the real tree (refusing if the tree moved on since).
- `run_contained(command, workdir=...)` runs a command with only `workdir` writable, no
  network and its own process namespace (for the evaluation harness and corpus tests).
- `render_preview(result, console)` prints a preview for people (rich), `to_dict()` for JSON.

Mechanisms, and their limits, are described in `nlsh.sandbox.preview` and `_inner`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlsh.sandbox.changes import Change, StaleTreeError
from nlsh.sandbox.preview import PreviewResult, apply_changes, preview
from nlsh.sandbox.runner import (
    ContainedRun,
    Limits,
    SandboxError,
    namespace_problem,
    run_contained,
)

if TYPE_CHECKING:
    from rich.console import Console


def render_preview(result: PreviewResult, console: Console, *, offer: bool = False) -> None:
    from nlsh.sandbox.render import render_preview as render

    render(result, console, offer=offer)




__all__ = [
    "Change",
    "ContainedRun",
    "Limits",
    "PreviewResult",
    "SandboxError",
    "StaleTreeError",
    "apply_changes",
    "namespace_problem",
    "preview",
    "render_preview",
    "run_contained",
]
