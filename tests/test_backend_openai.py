"""The OpenAI-compatible client backend against nlsh's real OpenAI-compatible server.

The server runs in a thread on 127.0.0.1 (port 0) over a real TransformersBackend with the
tiny random model from `tiny_model_dir`; the client talks HTTP to it. The error cases use
real sockets too: a closed port, a server that never answers, one that answers garbage.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from nlsh.backends import Backend, BackendError
from nlsh.backends.openai_remote import OpenAIBackend
from nlsh.backends.transformers_local import TransformersBackend
from nlsh.config import Settings
from nlsh.openai_server import OpenAIServer, is_loopback
from nlsh.records import Message

MESSAGES = [Message("system", "You write one shell command."),
            Message("user", "show disk usage of this folder")]
KEY = "sk-test-key"


@pytest.fixture(scope="module")
def local(tiny_model_dir):
    return TransformersBackend.load(str(tiny_model_dir), name="tiny", device="cpu",
                                    precision="fp32")


@pytest.fixture(scope="module")
def server(local):
    running = OpenAIServer(local, host="127.0.0.1", port=0, api_key=KEY).start()
    yield running
    running.stop()


@pytest.fixture
def remote(server):
    return OpenAIBackend(server.url, api_key=KEY, timeout_s=60)


def post(server, path, body, key=KEY):
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(),
                                     method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_remote_greedy_equals_local_greedy(local, remote):
    assert isinstance(remote, Backend)
    ours = local.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=8, stop=["\n"])
    theirs = remote.generate(MESSAGES, n=3, temperature=0.9, max_new_tokens=8, stop=["\n"],
                             seed=5)
    assert len(theirs) == 4
    assert theirs[0].greedy and not any(s.greedy for s in theirs[1:])
    assert theirs[0].text == ours[0].text
    assert theirs[0].token_logprobs == pytest.approx(ours[0].token_logprobs, abs=1e-5)
    assert theirs[0].token_logprobs
    for sample in theirs:
        assert "\n" not in sample.text
        assert all(lp <= 0 for lp in sample.token_logprobs)


def test_remote_samples_follow_the_seed(local, remote):
    first = remote.generate(MESSAGES, n=3, temperature=1.0, max_new_tokens=6, stop=[], seed=11)
    again = remote.generate(MESSAGES, n=3, temperature=1.0, max_new_tokens=6, stop=[], seed=11)
    assert [s.text for s in first] == [s.text for s in again]
    ours = local.generate(MESSAGES, n=3, temperature=1.0, max_new_tokens=6, stop=[], seed=11)
    assert [s.text for s in first[1:]] == [s.text for s in ours[1:]]


def test_remote_prefix_continues_the_answer(local, remote):
    ours = local.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=6, stop=[],
                          prefix="du -")
    theirs = remote.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=6, stop=[],
                             prefix="du -")
    assert theirs[0].text == ours[0].text


def test_remote_score_equals_local_score(local, remote):
    texts = ["du -sh .", "ls -la"]
    ours = local.score(MESSAGES, texts)
    theirs = remote.score(MESSAGES, texts)
    assert remote.scores_supported is True
    assert [s.text for s in theirs] == texts
    for a, b in zip(ours, theirs, strict=True):
        assert b.token_logprobs == pytest.approx(a.token_logprobs, abs=1e-5)


def test_the_model_name_comes_from_the_server(server):
    backend = OpenAIBackend.from_settings(Settings(backend="openai",
                                                   openai_base_url=server.url,
                                                   openai_api_key_env="NLSH_TEST_KEY"))
    assert backend.api_key is None  # the variable is not set
    backend.api_key = KEY
    assert backend.model == "tiny"
    assert backend.name == "tiny"


def test_raw_completions_endpoint(server):
    status, reply = post(server, "/completions", {"prompt": "ls -", "n": 2, "max_tokens": 5,
                                                  "temperature": 0.7, "logprobs": 1, "seed": 1})
    assert status == 200
    assert reply["object"] == "text_completion"
    assert len(reply["choices"]) == 2
    for choice in reply["choices"]:
        logprobs = choice["logprobs"]
        assert len(logprobs["tokens"]) == len(logprobs["token_logprobs"]) > 0
        assert "".join(logprobs["tokens"]).startswith(choice["text"])
        assert logprobs["text_offset"][0] == len("ls -")


def test_chat_logprobs_carry_token_texts(server):
    status, reply = post(server, "/chat/completions", {
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}]}],
        "n": 1, "temperature": 0, "max_tokens": 4, "logprobs": True})
    assert status == 200
    choice = reply["choices"][0]
    tokens = [entry["token"] for entry in choice["logprobs"]["content"]]
    assert "".join(tokens) == choice["message"]["content"]


def test_models_endpoint(server):
    request = urllib.request.Request(server.url + "/models",
                                     headers={"Authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        listing = json.loads(response.read())
    assert [m["id"] for m in listing["data"]] == ["tiny"]


@pytest.mark.parametrize(("body", "message"), [
    ({"messages": "hi"}, "messages must be a list"),
    ({"messages": [{"role": "user", "content": "x"}], "n": 0}, "n must be between"),
    ({"messages": [{"role": "user", "content": "x"}], "stream": True}, "streaming"),
    ({"messages": [{"role": "wizard", "content": "x"}]}, "role"),
    ({"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}, "temperature"),
])
def test_bad_requests_get_a_400_with_a_message(server, body, message):
    status, reply = post(server, "/chat/completions", body)
    assert status == 400
    assert message in reply["error"]["message"]


def test_unknown_endpoint_and_bad_json(server):
    assert post(server, "/embeddings", {})[0] == 404
    request = urllib.request.Request(server.url + "/chat/completions", data=b"{not json",
                                     method="POST", headers={"Authorization": f"Bearer {KEY}"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400


def test_wrong_api_key_is_a_one_line_error(server):
    backend = OpenAIBackend(server.url, model="tiny", api_key="wrong", timeout_s=10)
    with pytest.raises(BackendError, match="refused the API key") as caught:
        backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=4, stop=[])
    assert "\n" not in str(caught.value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_is_a_one_line_error():
    backend = OpenAIBackend(f"http://127.0.0.1:{free_port()}/v1", model="m", timeout_s=5)
    with pytest.raises(BackendError, match="connection refused") as caught:
        backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=4, stop=[])
    assert "\n" not in str(caught.value)


def test_a_silent_server_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)  # accepts connections (the kernel does) but never answers
    try:
        port = listener.getsockname()[1]
        backend = OpenAIBackend(f"http://127.0.0.1:{port}/v1", model="m", timeout_s=0.5)
        with pytest.raises(BackendError, match=r"did not answer within 0\.5 s"):
            backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=4, stop=[])
    finally:
        listener.close()


class _QuietHandler(BaseHTTPRequestHandler):
    """A test server's handler: answers 200 with a body, logs nothing."""

    def send_body(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve_in_thread(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


class _Garbage(_QuietHandler):
    def do_POST(self):
        if self.path.endswith("/nlsh/score"):
            self.send_error(404)
            return
        self.send_body(b"<html>proxy error</html>" if "chat" in self.path
                       else b'{"choices": 5}')


def test_malformed_replies_and_a_server_without_scoring():
    httpd = _serve_in_thread(_Garbage)
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        backend = OpenAIBackend(url, model="m", timeout_s=5)
        with pytest.raises(BackendError, match="malformed reply") as caught:
            backend.generate(MESSAGES, n=0, temperature=0.0, max_new_tokens=4, stop=[])
        assert "\n" not in str(caught.value)
        # No /v1/nlsh/score: the continuations come back unscored (ranked last), no error.
        scored = backend.score(MESSAGES, ["ls"])
        assert [(s.text, s.token_logprobs) for s in scored] == [("ls", [])]
        assert backend.scores_supported is False
    finally:
        httpd.shutdown()
        httpd.server_close()


def _single_choice_proxy(upstream: str) -> ThreadingHTTPServer:
    """A real server in front of nlsh's that behaves like llama.cpp's Python server: one
    choice whatever `n` says, and log-probs only when `top_logprobs` is set."""
    seen: list[dict] = []

    class Handler(_QuietHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            wants_logprobs = body.get("logprobs") and body.get("top_logprobs")
            forward = {**body, "n": 1}
            request = urllib.request.Request(
                upstream + self.path.removeprefix("/v1"), data=json.dumps(forward).encode(),
                method="POST", headers={"Content-Type": "application/json",
                                        "Authorization": f"Bearer {KEY}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                reply = json.loads(response.read())
            if not wants_logprobs:
                for choice in reply.get("choices", []):
                    choice["logprobs"] = None
            self.send_body(json.dumps(reply).encode())

    httpd = _serve_in_thread(Handler)
    httpd.seen = seen  # type: ignore[attr-defined]
    return httpd


def test_a_server_that_ignores_n_still_gives_n_scored_samples(server):
    proxy = _single_choice_proxy(server.url)
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}/v1"
        backend = OpenAIBackend(url, model="tiny", api_key=KEY, timeout_s=60)
        samples = backend.generate(MESSAGES, n=4, temperature=1.0, max_new_tokens=6, stop=[],
                                   seed=3)
        assert len(samples) == 5 and samples[0].greedy
        assert all(s.token_logprobs for s in samples)
        assert backend.honours_n is False
        seeds = sorted(b["seed"] for b in proxy.seen if b.get("temperature"))
        assert seeds == [3, 4, 5, 6]  # one per sample, so that they can differ
        # Known now: the next call asks one sample per request from the start.
        proxy.seen.clear()
        again = backend.generate(MESSAGES, n=2, temperature=1.0, max_new_tokens=6, stop=[],
                                 seed=3)
        assert len(again) == 3 and [b["n"] for b in proxy.seen] == [1, 1, 1]
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_the_server_listens_on_loopback_only(local):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    with pytest.raises(ValueError, match="loopback"):
        OpenAIServer(local, host="0.0.0.0", port=0)


def test_nlsh_serve_openai_from_the_command_line(tiny_model_dir, tmp_path):
    """`nlsh serve --openai` in its own process: the client backend talks to it over HTTP."""
    import os
    import re
    import subprocess
    import sys

    env = {**os.environ, "NLSH_MODEL": str(tiny_model_dir), "NLSH_TEST_SERVE_KEY": KEY,
           "NLSH_OPENAI_API_KEY_ENV": "NLSH_TEST_SERVE_KEY", "XDG_CACHE_HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "nlsh", "serve", "--openai", "--port", "0"],
                               env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        url = None
        for line in process.stderr:
            found = re.search(r"serving .* at (http://\S+) ", line)
            if found:
                url = found.group(1)
                break
        assert url is not None, "the server never said where it listens"
        backend = OpenAIBackend(url, api_key=KEY, timeout_s=60)
        samples = backend.generate(MESSAGES, n=2, temperature=1.0, max_new_tokens=5, stop=[],
                                   seed=1)
        assert len(samples) == 3 and all(s.token_logprobs for s in samples)
        assert backend.honours_n is True
        with pytest.raises(BackendError, match="refused the API key"):
            OpenAIBackend(url, model="tiny", api_key="wrong").generate(
                MESSAGES, n=0, temperature=0.0, max_new_tokens=3, stop=[])
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_nlsh_serve_openai_refuses_a_public_address(tiny_model_dir):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NLSH_MODEL": str(tiny_model_dir)}
    done = subprocess.run([sys.executable, "-m", "nlsh", "serve", "--openai", "--host",
                           "0.0.0.0"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "nlsh: the OpenAI server listens on loopback addresses only, not 0.0.0.0"]


def test_nlsh_serve_openai_on_a_busy_port_is_a_one_line_error(tiny_model_dir):
    import os
    import subprocess
    import sys

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        port = busy.getsockname()[1]
        env = {**os.environ, "NLSH_MODEL": str(tiny_model_dir)}
        done = subprocess.run([sys.executable, "-m", "nlsh", "serve", "--openai", "--port",
                               str(port)], env=env, capture_output=True, text=True, timeout=120)
    finally:
        busy.close()
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"nlsh: cannot listen on 127.0.0.1:{port}: Address already in use")
