"""Grounded explanations of shell commands from this machine's own documentation.

`explain(cmd)` maps every program, subcommand, option and shell construct to the text of the
man page (or `--help`, or bash(1)) that documents it; `one_line(cmd)` condenses that for a
candidate list; `render(parts, console)` prints it explainshell-style. No model is involved
and nothing is made up: undocumented parts carry `help=None`.
"""

from __future__ import annotations

from nlsh.explain import docs
from nlsh.explain.explainer import explain, syntax_problem
from nlsh.explain.render import one_line, render

__all__ = ["docs", "explain", "one_line", "render", "syntax_problem"]
