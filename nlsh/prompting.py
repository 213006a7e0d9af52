"""Render the prompt templates in `prompts/` into chat messages for the backend.

Retrieved examples become earlier chat turns (user: request, assistant: command): a small
model copies the format of what it has just seen far more reliably than it follows rules.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from string import Template
from typing import TYPE_CHECKING, Protocol

from nlsh.paths import package_resource
from nlsh.records import Message, ShellContext

if TYPE_CHECKING:
    from nlsh.pipeline import SuggestRequest

STOP_SEQUENCES = ("\n",)
ANSWER_PREFIX = ""
LISTING_IN_PROMPT = 15
ERROR_IN_PROMPT = 600


class Example(Protocol):
    request: str
    command: str


@functools.cache
def template(name: str) -> Template:
    path = package_resource("prompts") / f"{name}.txt"
    return Template(path.read_text(encoding="utf-8"))


def render(name: str, **values: object) -> str:
    return template(name).safe_substitute({k: str(v) for k, v in values.items()}).strip()


def os_description(ctx: ShellContext) -> str:
    flavour = {"gnu": "GNU coreutils", "bsd": "BSD userland", "busybox": "BusyBox"}
    parts = [ctx.distro or ctx.os_name, flavour.get(ctx.userland, ctx.userland)]
    return f"{parts[0]} ({parts[1]})"


def system_message(ctx: ShellContext) -> str:
    git = ""
    if ctx.git is not None and ctx.git.branch:
        git = f", a git repository on branch {ctx.git.branch}"
        if ctx.git.dirty:
            git += " with uncommitted changes"
    names = ctx.listing[:LISTING_IN_PROMPT]
    more = len(ctx.listing) - len(names) + ctx.listing_omitted
    listing = ", ".join(names) if names else "(empty)"
    if more > 0:
        listing += f", and {more} more"
    head = render("system", shell=ctx.shell, os_description=os_description(ctx))
    where = render("context", cwd=ctx.cwd, git=git, listing=listing)
    return f"{head}\n{where}"


def user_turn(req: SuggestRequest) -> str:
    ctx = req.context
    if req.mode == "fix" and ctx.last_command:
        error = ""
        if ctx.last_error:
            error = "Its error output was:\n" + ctx.last_error[-ERROR_IN_PROMPT:].strip() + "\n"
        turn = render("fix", exit_status=ctx.last_exit_status, command=ctx.last_command,
                      error=error)
        return f"{turn}\n{req.request}".strip() if req.request else turn
    if req.mode == "revise":
        return render("revise", request=req.request)
    return req.request


def build_messages(req: SuggestRequest, examples: Sequence[Example]) -> list[Message]:
    """System message, then retrieved examples as turns (best last), then the request."""
    messages = [Message("system", system_message(req.context))]
    for example in reversed(list(examples)):
        messages.append(Message("user", example.request))
        messages.append(Message("assistant", example.command))
    messages.extend(req.conversation)
    messages.append(Message("user", user_turn(req)))
    return messages


def build_summary_messages(command: str) -> list[Message]:
    return [Message("system", render("summary_system")), Message("user", command)]
