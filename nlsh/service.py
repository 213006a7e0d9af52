"""How the client reaches the model: through the daemon, or in this process (`--no-daemon`).

The client side never imports torch; only the in-process pipeline does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlsh.config import Settings

_pipelines: dict[tuple[Any, ...], Any] = {}


def call(settings: Settings, op: str, payload: dict[str, Any],
         on_first: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """`on_first`: told the greedy answer of a "suggest" before the ranked set is ready."""
    if settings.use_daemon:
        from nlsh.daemon.client import call as daemon_call

        return daemon_call(settings, op, payload, on_first)
    return local_pipeline(settings).handle(op, payload, on_first)


def local_pipeline(settings: Settings) -> Any:
    """One loaded pipeline per distinct configuration, for this process's lifetime."""
    key = tuple((name, value) for name, value, _ in settings.as_table())
    if key not in _pipelines:
        from nlsh.pipeline import Pipeline

        _pipelines[key] = Pipeline(settings)
    return _pipelines[key]
