"""A task in one call: t(id, request, reference, stdout=..., wrong=[...])."""

from __future__ import annotations

from typing import Any


def t(ident: str, request: str, reference: str, *, stdout: str = "exact",
      wrong: list[str] | None = None, strip: list[str] | None = None, cwd: str | None = None,
      timeout_s: float | None = None, notes: str = "") -> dict[str, Any]:
    task: dict[str, Any] = {"id": ident, "request": request, "reference": reference,
                            "stdout": stdout}
    if wrong:
        task["wrong"] = wrong
    if strip:
        task["strip"] = strip
    if cwd:
        task["cwd"] = cwd
    if timeout_s:
        task["timeout_s"] = timeout_s
    if notes:
        task["notes"] = notes
    return task
