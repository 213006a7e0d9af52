"""Model backends behind one narrow interface.

A backend turns chat messages into answers with per-token log-probabilities. It knows
nothing about shells: extracting, validating and ranking commands happens in `candidates`.
Importing this package must stay cheap: implementations import torch lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from nlsh.records import Message, Sample

if TYPE_CHECKING:
    from nlsh.config import Settings


def first_line(exc: BaseException) -> str:
    """An exception's message cut to its first line (its type's name if it has none)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class BackendError(Exception):
    """A backend could not load or answer; the message is one line, fit for the user."""


class ModelUnavailable(BackendError):
    """The configured model does not exist or cannot be had offline (the user's input is wrong)."""


@runtime_checkable
class Backend(Protocol):
    name: str  # what `suggest --json` reports as "model"

    def generate(
        self,
        messages: Sequence[Message],
        *,
        n: int,
        temperature: float,
        max_new_tokens: int,
        stop: Sequence[str],
        prefix: str = "",
    ) -> list[Sample]:
        """The greedy answer (greedy=True) first, then `n` sampled answers, in one batched call.

        `prefix` is forced text at the start of the assistant's turn (not part of the
        returned text). Each answer ends at its first stop sequence or EOS; the stop text is
        not included in `Sample.text`, and `token_logprobs` cover exactly the kept tokens.
        """
        ...

    def score(
        self, messages: Sequence[Message], continuations: Sequence[str], *, prefix: str = ""
    ) -> list[Sample]:
        """The log-probability the model gives each continuation as its answer (batched)."""
        ...


def load_backend(settings: Settings) -> Backend:
    """Build the backend the settings ask for. Imports torch only for local models."""
    if settings.backend == "openai":
        from nlsh.backends.openai_remote import OpenAIBackend

        return OpenAIBackend.from_settings(settings)
    from nlsh.backends.transformers_local import TransformersBackend

    return TransformersBackend.from_settings(settings)
