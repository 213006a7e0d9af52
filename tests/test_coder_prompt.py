"""The code model's prompt: compact layout, static prefix first, a token budget; and the
client's wait for a first-start conversion (progress shown, deadline moved while it advances)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from nlsh import prompting
from nlsh.backends import embedded
from nlsh.daemon.client import ConversionWatch, DaemonClient
from nlsh.pipeline import SuggestRequest
from nlsh.records import Message, ShellContext


@dataclass
class Pair:
    request: str
    command: str


def _context(listing: int = 40) -> ShellContext:
    return ShellContext(os_name="Linux", userland="gnu", distro="Ubuntu 24.04", shell="bash",
                        shell_version="5.2", cwd="/home/ann/projects/site",
                        listing=[f"report-{i:02}.csv" for i in range(listing)],
                        listing_omitted=3)


def _examples(count: int) -> list[Pair]:
    return [Pair(f"copy every csv file modified in the last {i} days into the backup folder "
                 f"and keep their timestamps, printing each name {i}",
                 f"find . -name '*.csv' -mtime -{i} -exec cp -p -v {{}} backup/ \\;")
            for i in range(1, count + 1)]


def test_code_models_get_the_compact_profile():
    assert prompting.profile_for("qwen2.5-coder-1.5b-instruct-q4_k_m") is prompting.CODER_PROFILE
    assert prompting.profile_for("SmolLM2-135M-Instruct-Q4_1+smollm2") is prompting.CHAT_PROFILE


def test_the_coder_prompt_is_compact_and_starts_with_its_static_part():
    conversation = [Message("user", f"turn {i}") if i % 2 == 0 else Message("assistant", "ls")
                    for i in range(6)]
    req = SuggestRequest(request="count the lines of every csv file", context=_context(),
                         conversation=conversation)
    messages = prompting.build_messages(req, _examples(4), prompting.CODER_PROFILE)
    system = messages[0].content
    static = prompting.render("coder_system", shell="bash",
                              os_description=prompting.os_description(req.context))
    assert system.startswith(static + "\n")  # the cacheable prefix comes first
    assert "report-07.csv" in system and "report-08.csv" not in system  # 8 names at most
    assert "and 35 more" in system
    roles = [m.role for m in messages]
    # system, four example pairs (best last), the last two conversation turns, the request.
    assert roles == ["system"] + ["user", "assistant"] * 5 + ["user"]
    assert messages[7].content == _examples(1)[0].request
    assert messages[9].content == "turn 4"
    narrow = prompting.build_messages(req, _examples(6), prompting.CODER_PROFILE)
    assert len(narrow) == len(messages)  # at most four examples
    assert messages[-1].content == req.request

    other = SuggestRequest(request="list big files", context=_context(listing=3))
    assert prompting.build_messages(other, [], prompting.CODER_PROFILE)[0].content.startswith(
        static + "\n")


def test_the_budget_drops_examples_first_and_keeps_the_request(embedded_tokenizer):
    from nlsh.backends.transformers_local import TransformersBackend

    tokenizer = embedded_tokenizer

    def count(messages: list[Message]) -> int:
        chat = [{"role": m.role, "content": m.content} for m in messages]
        return len(tokenizer.apply_chat_template(chat, tokenize=True,
                                                 add_generation_prompt=True)["input_ids"])

    req = SuggestRequest(request="find the csv files larger than 2 MB", context=_context())
    profile = prompting.CODER_PROFILE
    wide = prompting.build_messages(req, _examples(4), profile)
    assert count(wide) > profile.budget_tokens  # four long examples do not fit
    fitted = prompting.fit_budget(wide, count, profile.budget_tokens or 0)
    assert count(fitted) <= 250
    assert fitted[0] == wide[0] and fitted[-1] == wide[-1]
    assert 0 < len(fitted) < len(wide)
    # Whole pairs go, least similar (earliest) first: what is kept is the tail.
    dropped = len(wide) - len(fitted)
    assert dropped % 2 == 0 and fitted[1:] == wide[1 + dropped:]
    assert callable(TransformersBackend.count_prompt_tokens)  # what the pipeline counts with


def test_the_budget_never_drops_the_system_message_or_request():
    messages = [Message("system", "s " * 400), Message("user", "u " * 400)]
    assert prompting.fit_budget(messages, lambda m: sum(len(x.content) for x in m), 10) == \
        messages


def test_the_wait_follows_the_conversion_and_reports_each_tenth():
    state = embedded.ConversionState()
    watch = ConversionWatch(patience_s=30.0)
    assert watch.see(state.snapshot(), now=0.0) is None  # nothing converting
    assert watch.deadline == 0.0
    state.update("coder.gguf", 5, 100, "embed")
    assert watch.see(state.snapshot(), now=10.0) == \
        "converting coder.gguf (first run only): 5% done"
    assert watch.deadline == 40.0
    assert watch.see(state.snapshot(), now=20.0) is None  # no advance: deadline stays
    assert watch.deadline == 40.0
    state.update("coder.gguf", 8, 100, "layers.0.qkv")
    assert watch.see(state.snapshot(), now=35.0) is None  # same tenth, quietly
    assert watch.deadline == 65.0
    state.update("coder.gguf", 42, 100, "layers.9.down")
    assert watch.see(state.snapshot(), now=50.0) == \
        "converting coder.gguf (first run only): 42% done"
    state.finish()
    assert state.snapshot() is None


def test_the_first_suggest_waits_for_the_conversion(monkeypatch, tmp_path_factory):
    """A K-quant GGUF that was never converted: the daemon converts it at start, and the
    first request through the client gets its answer (not a start timeout)."""
    from nlsh_home import NlshHome
    from tiny_gguf import write_tiny_qwen2

    from nlsh.context import gather_context

    model = write_tiny_qwen2(tmp_path_factory.mktemp("coder") / "tiny-qwen2-coder.gguf",
                             embedded.embedded_gguf_path())
    root = tempfile.mkdtemp(prefix="nlsh-c")
    home = NlshHome(root, monkeypatch, model, samples=2, max_new_tokens=6, trials=0)
    try:
        notes: list[str] = []
        client = DaemonClient(home.settings(), progress=notes.append)
        payload = SuggestRequest(request="list files", context=gather_context(),
                                 shown=None).to_dict()
        result = client.call("suggest", payload)
        assert result["request"] == "list files"
        assert result["model"] == "tiny-qwen2-coder"
        converted = embedded.converted_dir(model, "tiny-qwen2-coder")
        assert embedded.is_converted(converted) and converted.name.startswith(
            "tiny-qwen2-coder-lowbit-")
        status = client.server_call("status")
        assert status is not None and status["state"] == "ready"
        assert status["conversion"] is None
        assert "starting the nlsh model daemon…" in notes
    finally:
        home.stop()
        shutil.rmtree(root, ignore_errors=True)
