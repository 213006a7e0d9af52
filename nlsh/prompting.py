"""Render the prompt templates in `prompts/` into chat messages for the backend.

Retrieved examples become earlier chat turns (user: request, assistant: command): a small
model copies the format of what it has just seen far more reliably than it follows rules.

A code model (`profile_for`) gets a compact prompt instead: a short system message whose
static part (shell and OS) comes first, so the backend computes its key/values once and
reuses them as a prefix for every request; a short context line; fewer examples (it needs
them for the format far less, and each one costs prefill time on a CPU); the last history
turns only; and the whole kept within a token budget (`fit_budget`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PromptProfile:
    """How a prompt is laid out for one family of models."""

    name: str
    system: str = "system"  # template of the system message's static part
    context: str = "context"  # template of what follows it (where the user is)
    listing: int = LISTING_IN_PROMPT  # file names shown
    examples: int | None = None  # at most this many examples (None: the setting decides)
    conversation_turns: int | None = None  # last earlier turns kept (None: all)
    budget_tokens: int | None = None  # prompt length budget (None: no budget)


CHAT_PROFILE = PromptProfile("chat")
# Examples in the code model's prompt, measured on 8 of nlsh's eval tasks (greedy + 1
# sample, Qwen2.5-Coder-1.5B Q4_K_M): top-1 0.50 / 0.50 / 0.50 / 0.75 with 0 / 1 / 2 / 4
# examples (0 also turned retrieval off), the greedy answer right 0.50 / 0.38 / 0.38 / 0.50.
# Four it is, within the 250-token budget, which drops the least similar first; each example
# costs ~30 prompt tokens of prefill. A small sample: the dev-set run should confirm it.
CODER_PROFILE = PromptProfile("coder", system="coder_system", context="coder_context",
                              listing=8, examples=4, conversation_turns=2,
                              budget_tokens=250)
_CODE_MODEL_MARKERS = ("coder", "codellama", "starcoder", "deepseek-coder", "codegemma")


def profile_for(model_name: str) -> PromptProfile:
    """The compact coder layout for code models (recognised by name), else the chat one."""
    lowered = model_name.lower()
    return CODER_PROFILE if any(m in lowered for m in _CODE_MODEL_MARKERS) else CHAT_PROFILE


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


def system_message(ctx: ShellContext, profile: PromptProfile = CHAT_PROFILE) -> str:
    """The static part (shell, OS) first, then where the user is: requests from one shell
    share the first part token for token, and the backend reuses its key/values."""
    git = ""
    if ctx.git is not None and ctx.git.branch:
        git = f", a git repository on branch {ctx.git.branch}"
        if ctx.git.dirty:
            git += " with uncommitted changes"
    names = ctx.listing[:profile.listing]
    more = len(ctx.listing) - len(names) + ctx.listing_omitted
    listing = ", ".join(names) if names else "(empty)"
    if more > 0:
        listing += f", and {more} more"
    head = render(profile.system, shell=ctx.shell, os_description=os_description(ctx))
    where = render(profile.context, cwd=ctx.cwd, git=git, listing=listing)
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


def build_messages(req: SuggestRequest, examples: Sequence[Example],
                   profile: PromptProfile = CHAT_PROFILE) -> list[Message]:
    """System message, then retrieved examples as turns (best last), then the request."""
    if profile.examples is not None:
        examples = list(examples)[: profile.examples]
    messages = [Message("system", system_message(req.context, profile))]
    for example in reversed(list(examples)):
        messages.append(Message("user", example.request))
        messages.append(Message("assistant", example.command))
    conversation = list(req.conversation)
    keep = profile.conversation_turns
    if keep is not None and len(conversation) > keep:
        conversation = conversation[len(conversation) - keep:] if keep > 0 else []
        if conversation and conversation[0].role != "user":
            conversation = conversation[1:]  # a kept pair starts with the user's turn
    messages.extend(conversation)
    messages.append(Message("user", user_turn(req)))
    return messages


def fit_budget(messages: list[Message], count_tokens: Callable[[list[Message]], int],
               budget: int) -> list[Message]:
    """`messages` within `budget` prompt tokens: example pairs dropped first (the least
    similar, placed earliest), then earlier conversation pairs. The system message and the
    request always stay, even if they alone exceed the budget."""
    fitted = list(messages)
    while count_tokens(fitted) > budget and len(fitted) > 2:
        if len(fitted) >= 4 and fitted[1].role == "user" and fitted[2].role == "assistant":
            del fitted[1:3]
        else:
            break
    return fitted


def build_summary_messages(command: str) -> list[Message]:
    return [Message("system", render("summary_system")), Message("user", command)]
