"""`nlsh init zsh|bash|fish`: the shell integration script, rendered for this installation.

The templates live in `shell_hooks/`; rendering fills in how to run the key binding's helper
(this interpreter, `-m nlsh.daemon.widget`, so the key press never goes through typer or a
PATH lookup), the daemon's socket (to say "starting the daemon" rather than "thinking"), the
per-user runtime directory and the key, translated into each shell's notation.
"""

from __future__ import annotations

import itertools
import re
import shlex
import site
import sys
from dataclasses import dataclass
from pathlib import Path

from nlsh import paths

SHELLS = ("zsh", "bash", "fish")
DEFAULT_KEY = "^G"
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
# A key is a sequence of caret-notation control characters (^G, ^X^N), optionally with
# Escape-prefixed ("Meta") printable characters (^[g).
_KEY_TOKEN = re.compile(r"\^[@A-Za-z\[\\\]^_]|[A-Za-z0-9]")


class ShellInitError(ValueError):
    """Bad shell name or key; the message is one line, fit for the user."""


@dataclass(frozen=True)
class Key:
    """A key sequence as a list of tokens: "^X" (a control character) or a printable char."""

    tokens: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Key:
        spec = text.strip()
        tokens = tuple(_KEY_TOKEN.findall(spec))
        if not spec or "".join(tokens) != spec:
            raise ShellInitError(f"key {text!r} is not a key sequence like ^G, ^X^N or ^[g")
        if not tokens[0].startswith("^"):
            raise ShellInitError(f"key {text!r} must start with a control key (^G, ^X, ^[…): "
                                 "a printable first key would stop you typing that character")
        for before, token in itertools.pairwise(tokens):
            if not token.startswith("^") and before.upper() not in ("^[", "^X"):
                raise ShellInitError(f"key {text!r}: a printable key may only follow ^[ or ^X")
        return cls(tuple(t[0] + t[1:].upper() if t.startswith("^") else t for t in tokens))

    @property
    def label(self) -> str:
        def name(token: str) -> str:
            if token == "^[":
                return "Esc"
            return f"Ctrl-{token[1]}" if token.startswith("^") else token

        return " ".join(name(t) for t in self.tokens)

    def zsh(self) -> str:
        return "".join(self.tokens)

    def readline(self) -> str:
        """bash's `bind` notation: \\C-g, \\e."""
        out = []
        for token in self.tokens:
            if token == "^[":
                out.append("\\e")
            elif token == "^\\":
                out.append("\\C-\\\\")
            elif token.startswith("^"):
                out.append(f"\\C-{token[1].lower()}")
            else:
                out.append(token)
        return "".join(out)

    def fish(self) -> str:
        """fish's `bind` notation: \\cg, \\e."""
        out = []
        for token in self.tokens:
            if token == "^[":
                out.append("\\e")
            elif token.startswith("^") and token[1].isalpha():
                out.append(f"\\c{token[1].lower()}")
            elif token.startswith("^"):
                out.append("\\x%02x" % (ord(token[1]) ^ 0x40))
            else:
                out.append(token)
        return "".join(out)


def fish_quote(text: str) -> str:
    """Single-quote for fish, where only \\' and \\\\ are escapes inside single quotes."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _package_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _needs_pythonpath(root: Path) -> bool:
    """True in a checkout that was not installed: the helper must be told where nlsh is."""
    try:
        site_dirs = [*site.getsitepackages(), site.getusersitepackages()]
    except AttributeError:  # pragma: no cover - virtualenvs of old
        site_dirs = []
    return all(Path(d).resolve() != root for d in site_dirs if d)


def python_command(module: str) -> list[str]:
    """argv that runs `module` with this interpreter and this copy of nlsh."""
    root = _package_root()
    argv = [sys.executable, "-m", module]
    if _needs_pythonpath(root):
        return ["env", f"PYTHONPATH={root}", *argv]
    return argv


def render(shell: str, key: str | None = None) -> str:
    """The script for `shell` (`eval "$(nlsh init zsh)"`, `nlsh init fish | source`)."""
    if shell not in SHELLS:
        raise ShellInitError(f"unsupported shell {shell!r}; choose one of {', '.join(SHELLS)}")
    parsed = Key.parse(key if key is not None else DEFAULT_KEY)
    template = (paths.package_resource("shell_hooks") / f"nlsh.{shell}").read_text("utf-8")
    from nlsh.daemon.protocol import daemon_files

    files = daemon_files()
    quote = fish_quote if shell == "fish" else shlex.quote
    key_text = {"zsh": parsed.zsh(), "bash": parsed.readline(), "fish": parsed.fish()}[shell]
    values = {
        "WIDGET_COMMAND": " ".join(quote(a) for a in [*python_command("nlsh.daemon.widget"),
                                                      "--key", parsed.label]),
        "CLI_COMMAND": " ".join(quote(a) for a in python_command("nlsh")),
        "SOCKET": quote(str(files.socket)),
        "RUNTIME_DIR": quote(str(files.directory)),
        # Key tokens are control characters and letters/digits: safe unquoted in bash's
        # '"…"' and in fish; zsh's ^ may be a glob operator, so quote it there.
        "KEY": shlex.quote(key_text) if shell == "zsh" else key_text,
        "KEY_LABEL": parsed.label,
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ShellInitError(f"template nlsh.{shell} has an unknown slot {name}")
        return values[name]

    return _PLACEHOLDER.sub(fill, template)


def init(shell: str, key: str | None = None) -> str:
    """What `nlsh init SHELL` prints; `key` defaults to the `key` setting (NLSH_KEY, config)."""
    if key is None:
        from nlsh.config import load_settings

        key = load_settings().key
    return render(shell, key)
