"""The first answer early: the greedy answer reaches the waiting surface (`nlsh suggest
--stream`, the daemon's progress channel, the Ctrl-G key's spinner) before the ranked set.

Plumbing only: the tiny randomly initialised model (conftest's `nlsh_home`), through the real
CLI, the real daemon and the real pipeline.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def nlsh(home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nlsh", *args], env=home.env, text=True,
                          capture_output=True, timeout=300, cwd=home.home)


def without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings"}


@pytest.mark.parametrize("where", ["--no-daemon", "--daemon"])
def test_stream_prints_the_greedy_line_then_the_json_object(nlsh_home, where):
    flags = ["--no-daemon"] if where == "--no-daemon" else []
    streamed = nlsh(nlsh_home, *flags, "suggest", "--stream", "list the csv files here")
    assert streamed.returncode == 0, streamed.stderr
    lines = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert [line["event"] for line in lines] == ["greedy", "final"]
    greedy, final = lines
    assert set(greedy) == {"event", "command", "risk"}
    if greedy["command"] is not None:  # the tiny model may say nothing a command is made of
        assert greedy["risk"]["level"] in ("safe", "caution", "dangerous", "blocked")
    assert "first_answer_s" in final["timings"]

    plain = nlsh(nlsh_home, *flags, "suggest", "--json", "list the csv files here")
    assert plain.returncode == 0, plain.stderr
    assert len(plain.stdout.splitlines()) == 1
    answer = json.loads(plain.stdout)
    assert "event" not in answer
    del final["event"]
    assert without_timings(final) == without_timings(answer)


def test_the_daemon_sends_the_first_answer_before_the_result(nlsh_home):
    from nlsh.context import gather_context
    from nlsh.daemon.client import DaemonClient
    from nlsh.pipeline import SuggestRequest

    seen: list[dict] = []
    answered: list[dict] = []
    client = DaemonClient(nlsh_home.settings(), progress=None,
                          on_first=lambda first: seen.append({"first": first,
                                                              "answered": list(answered)}))
    req = SuggestRequest(request="show the disk usage of this folder",
                         context=gather_context())
    answered.append(client.call("suggest", {**req.to_dict(), "with_samples": True}))
    assert len(seen) == 1
    assert seen[0]["answered"] == []  # told before the call returned the ranked set
    first = seen[0]["first"]
    assert set(first) == {"command", "risk"}
    greedy = [s for s in answered[0]["samples"] if s["greedy"]]
    assert len(greedy) == 1
    assert first["command"] == greedy[0]["command"]  # what the pipeline decoded, no other
    assert (first["risk"] is None) == (first["command"] is None)


@pytest.mark.parametrize("daemon", [True, False], ids=["daemon", "in-process"])
def test_the_key_shows_the_greedy_answer_on_its_spinner(nlsh_home, tmp_path, daemon):
    """The key's helper shows the greedy answer on the spinner while it waits; the line
    itself changes only once, with the ranked set's top candidate (the shell tests)."""
    import os

    from nlsh.daemon.widget import LastCommand, Spinner, _call, suggest_payload

    settings = nlsh_home.settings(use_daemon=daemon)
    payload = suggest_payload("count the lines of every python file", shell="bash",
                              mode="suggest", last=LastCommand(), shown=settings.shown,
                              history_pairs=[])
    with open(tmp_path / "tty", "w") as tty:
        spinner = Spinner(tty, "line")  # not started: its text is read here, not drawn
        assert spinner.first is None
        result = _call(settings, {**payload, "with_samples": True}, [], spinner)
    greedy = next(s["command"] for s in result["samples"] if s["greedy"])
    if greedy is None:
        assert spinner.first is None
        return
    assert spinner.first is not None
    assert spinner.first.startswith("first guess")
    assert spinner.first.endswith(" - ranking the rest")
    shown = spinner.text(0)
    assert shown.startswith("| nlsh: first guess")
    assert len(shown) <= 80 and os.linesep not in shown  # one terminal line, never wrapped
    if len(greedy) < 30:
        assert greedy in shown


def test_the_first_guess_names_a_risk_that_is_not_safe():
    from nlsh.display import first_guess_text
    from nlsh.safety import assess

    command = "rm -rf ~/projects"
    risk = assess(command, blast_radius=False).to_dict()
    assert risk["level"] != "safe"
    text = first_guess_text({"command": command, "risk": risk})
    assert text == f"first guess ({risk['level']}): rm -rf ~/projects - ranking the rest"
    safe = first_guess_text({"command": "ls -l", "risk": assess("ls -l").to_dict()})
    assert safe == "first guess: ls -l - ranking the rest"
    assert first_guess_text({"command": None, "risk": None}) is None
    shown = first_guess_text({"command": "echo a\x1b[2Jb", "risk": {"level": "safe"}})
    assert shown is not None and "\x1b" not in shown  # a terminal escape is made visible
