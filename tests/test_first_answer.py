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
