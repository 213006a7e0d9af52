"""Model tiers nlsh can run, where their files come from and which one a machine should use.

`tiers` names what exists (the packaged `embedded` model, the downloadable `coder` model),
`store` keeps pulled files under the user data directory, `sources` fetches and verifies them,
`choice` turns a `model` setting ("auto", a tier, a path) into what the backend loads. Nothing
here imports torch: the client runs all of it.
"""

from __future__ import annotations


class ModelsError(Exception):
    """A model command failed; the message is one line, fit for the user.

    `bad_input` marks a mistake in what the user asked (exit 2) rather than a failure (exit 1).
    """

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input
