"""A minimal OpenAI-compatible HTTP server over a local backend (`nlsh serve --openai`).

Standard library only (http.server), loopback addresses only, one request decoded at a time
(the backend serialises them). Endpoints:
- GET  /v1/models
- POST /v1/chat/completions  (n, temperature, top_p, max_tokens, stop, logprobs, seed;
  `continue_final_message`: a final assistant message is a prefix the answer continues;
  nlsh extension `nlsh_greedy_first`: choice 0 is the greedy answer, the others samples)
- POST /v1/completions       (raw text prompt; needs a backend with a tokenizer)
- POST /v1/nlsh/score        (nlsh extension: log-probabilities of given continuations)
No streaming. With `api_key`, requests must carry `Authorization: Bearer <key>`.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from nlsh.backends import Backend, BackendError
from nlsh.records import Message, Sample

if TYPE_CHECKING:
    from nlsh.config import Settings

MAX_BODY = 1 << 20
MAX_CHOICES = 64
MAX_TOKENS = 1024
DEFAULT_MAX_TOKENS = 256


class RequestError(Exception):
    """A bad request: HTTP status and a one-line message for the client."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind


class OpenAIServer:
    """Serves `backend` on host:port (port 0 picks a free one) in a background thread or the
    foreground (`serve_forever`)."""

    def __init__(self, backend: Backend, *, host: str = "127.0.0.1", port: int = 8000,
                 api_key: str | None = None, model_name: str | None = None) -> None:
        if not is_loopback(host):
            raise ValueError(f"the OpenAI server listens on loopback addresses only, not {host}")
        self.backend = backend
        self.api_key = api_key
        self.model_name = model_name or backend.name
        self.httpd = ThreadingHTTPServer((host, port), _handler_class(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        address = self.httpd.server_address
        host, port = str(address[0]), int(address[1])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/v1"

    def start(self) -> OpenAIServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    # ------------------------------------------------------------------ endpoints

    def handle(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        route = path.split("?", 1)[0].rstrip("/")
        if method == "GET" and route == "/v1/models":
            return {"object": "list", "data": [
                {"id": self.model_name, "object": "model", "created": 0, "owned_by": "nlsh"}]}
        if method == "POST" and route == "/v1/chat/completions":
            return self.chat(body)
        if method == "POST" and route == "/v1/completions":
            return self.completions(body)
        if method == "POST" and route == "/v1/nlsh/score":
            return self.score(body)
        raise RequestError(404, f"no endpoint {method} {route}", "not_found_error")

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        options = _options(body)
        messages = _messages(body.get("messages"))
        prefix = ""
        if body.get("continue_final_message") and messages and messages[-1].role == "assistant":
            prefix, messages = messages[-1].content, messages[:-1]
        if not messages:
            raise RequestError(400, "messages must not be empty")
        n, greedy_first = options["n"], bool(body.get("nlsh_greedy_first"))
        samples, token_texts = self._generate(messages, n, greedy_first, options, prefix)
        choices = []
        for index, (sample, texts) in enumerate(zip(samples, token_texts, strict=True)):
            logprobs: dict[str, Any] | None = None
            if options["logprobs"]:
                logprobs = {"content": [{"token": token, "logprob": lp, "bytes": None,
                                         "top_logprobs": []}
                                        for token, lp in zip(texts, sample.token_logprobs,
                                                             strict=True)]}
            choices.append({"index": index, "logprobs": logprobs,
                            "message": {"role": "assistant", "content": sample.text},
                            "finish_reason": _finish(sample, options["max_tokens"])})
        return self._reply("chat.completion", choices, samples)

    def completions(self, body: dict[str, Any]) -> dict[str, Any]:
        complete = getattr(self.backend, "complete", None)
        if complete is None:
            raise RequestError(400, "this backend serves chat completions only")
        options = _options(body)
        prompt = body.get("prompt")
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if not isinstance(prompt, str) or not prompt:
            raise RequestError(400, "prompt must be one non-empty string")
        if body.get("echo"):
            raise RequestError(400, "echo is not supported")
        if body.get("stream"):
            raise RequestError(400, "streaming is not supported")
        n, temperature = options["n"], options["temperature"]
        try:
            answers = complete(prompt, n=n if temperature > 0 else 0, temperature=temperature,
                               max_new_tokens=options["max_tokens"], stop=options["stop"],
                               seed=options["seed"], top_p=options["top_p"])
        except BackendError as exc:
            raise RequestError(400, str(exc)) from None
        chosen = answers[1:] if temperature > 0 else answers[:1] * n
        if body.get("nlsh_greedy_first") and temperature > 0:
            chosen = answers[:n]
        want_logprobs = body.get("logprobs") is not None
        choices = []
        for index, answer in enumerate(chosen):
            logprobs = None
            if want_logprobs:
                tokens = [self.backend.token_text(t)  # type: ignore[attr-defined]
                          for t in answer.token_ids]
                offsets, position = [], len(prompt)
                for token in tokens:
                    offsets.append(position)
                    position += len(token)
                logprobs = {"tokens": tokens, "token_logprobs": list(answer.token_logprobs),
                            "top_logprobs": None, "text_offset": offsets}
            sample = answer.sample()
            choices.append({"index": index, "text": answer.text, "logprobs": logprobs,
                            "finish_reason": _finish(sample, options["max_tokens"])})
        return self._reply("text_completion", choices, [a.sample() for a in chosen])

    def score(self, body: dict[str, Any]) -> dict[str, Any]:
        messages = _messages(body.get("messages"))
        continuations = body.get("continuations")
        if not isinstance(continuations, list) or not all(isinstance(c, str)
                                                           for c in continuations):
            raise RequestError(400, "continuations must be a list of strings")
        if len(continuations) > MAX_CHOICES:
            raise RequestError(400, f"at most {MAX_CHOICES} continuations")
        prefix = body.get("prefix") or ""
        if not isinstance(prefix, str):
            raise RequestError(400, "prefix must be a string")
        try:
            scored = self.backend.score(messages, continuations, prefix=prefix)
        except BackendError as exc:
            raise RequestError(400, str(exc)) from None
        return {"object": "nlsh.score", "model": self.model_name,
                "scores": [{"text": s.text, "token_logprobs": s.token_logprobs} for s in scored]}

    def _generate(self, messages: list[Message], n: int, greedy_first: bool,
                  options: dict[str, Any], prefix: str) -> tuple[list[Sample], list[list[str]]]:
        """The n choices, and each one's token texts ("" each where the backend cannot say)."""
        temperature = options["temperature"]
        asked = 0 if temperature <= 0 else (n - 1 if greedy_first else n)
        backend: Any = self.backend
        samples: list[Sample]
        try:
            if hasattr(backend, "decode") and hasattr(backend, "encode_prompt"):
                answers = backend.decode(
                    backend.encode_prompt(messages, prefix), n=asked, temperature=temperature,
                    max_new_tokens=options["max_tokens"], stop=options["stop"],
                    seed=options["seed"], top_p=options["top_p"])
                samples = [a.sample() for a in answers]
                texts = [[backend.token_text(t) for t in a.token_ids] for a in answers]
            else:
                samples = backend.generate(
                    messages, n=asked, temperature=temperature,
                    max_new_tokens=options["max_tokens"], stop=options["stop"], prefix=prefix)
                texts = [[""] * len(s.token_logprobs) for s in samples]
        except BackendError as exc:
            raise RequestError(400, str(exc)) from None
        if temperature <= 0:
            return samples[:1] * n, texts[:1] * n
        if greedy_first:
            return samples[:n], texts[:n]
        return samples[1:], texts[1:]

    def _reply(self, kind: str, choices: list[dict[str, Any]],
               samples: Sequence[Sample]) -> dict[str, Any]:
        generated = sum(len(s.token_logprobs) for s in samples)
        prefix = "chatcmpl" if kind == "chat.completion" else "cmpl"
        return {"id": f"{prefix}-{uuid.uuid4().hex}", "object": kind,
                "created": int(time.time()), "model": self.model_name, "choices": choices,
                "usage": {"completion_tokens": generated}}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _options(body: dict[str, Any]) -> dict[str, Any]:
    """The sampling options of a request, checked (RequestError on a bad value)."""
    if body.get("stream"):
        raise RequestError(400, "streaming is not supported")
    n = _number(body, "n", 1, int)
    if not 1 <= n <= MAX_CHOICES:
        raise RequestError(400, f"n must be between 1 and {MAX_CHOICES}")
    temperature = _number(body, "temperature", 1.0, float)
    if not 0.0 <= temperature <= 5.0:
        raise RequestError(400, "temperature must be between 0 and 5")
    top_p = _number(body, "top_p", 1.0, float)
    if not 0.0 < top_p <= 1.0:
        raise RequestError(400, "top_p must be in (0, 1]")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    max_tokens = DEFAULT_MAX_TOKENS if limit is None else _number({"v": limit}, "v", 0, int)
    if not 1 <= max_tokens <= MAX_TOKENS:
        raise RequestError(400, f"max_tokens must be between 1 and {MAX_TOKENS}")
    stop = body.get("stop") or []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise RequestError(400, "stop must be a string or a list of strings")
    seed = body.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise RequestError(400, "seed must be an integer")
    logprobs = bool(body.get("logprobs"))
    return {"n": n, "temperature": temperature, "top_p": top_p, "max_tokens": max_tokens,
            "stop": stop, "seed": seed, "logprobs": logprobs}


def _number(body: dict[str, Any], name: str, default: Any, kind: type) -> Any:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(400, f"{name} must be a number")
    if kind is int and value != int(value):
        raise RequestError(400, f"{name} must be an integer")
    return kind(value)


def _messages(raw: Any) -> list[Message]:
    if not isinstance(raw, list):
        raise RequestError(400, "messages must be a list")
    messages = []
    for item in raw:
        if not isinstance(item, dict) or item.get("role") not in ("system", "user", "assistant",
                                                                   "developer"):
            raise RequestError(400, "each message needs a role: system, user or assistant")
        content = item.get("content")
        if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
            content = "".join(part.get("text", "") for part in content
                              if isinstance(part, dict) and part.get("type") == "text")
        if not isinstance(content, str):
            raise RequestError(400, "message content must be text")
        role = "system" if item["role"] == "developer" else item["role"]
        messages.append(Message(role, content))
    return messages


def _finish(sample: Sample, max_tokens: int) -> str:
    return "length" if len(sample.token_logprobs) >= max_tokens else "stop"


def _handler_class(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nlsh-openai/1"

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            try:
                self._authorise()
                body = self._body() if method == "POST" else {}
                reply = server.handle(method, self.path, body)
                self._send(200, reply)
            except RequestError as exc:
                self._send(exc.status, {"error": {"message": exc.message, "type": exc.kind,
                                                  "code": exc.status}})
            except Exception as exc:  # the server must answer, whatever went wrong
                message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self._send(500, {"error": {"message": message, "type": "server_error",
                                           "code": 500}})

        def _authorise(self) -> None:
            if server.api_key is None:
                return
            if self.headers.get("Authorization", "") != f"Bearer {server.api_key}":
                raise RequestError(401, "invalid API key", "authentication_error")

        def _body(self) -> dict[str, Any]:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                raise RequestError(400, "bad Content-Length") from None
            if length > MAX_BODY:
                raise RequestError(413, "request body too large")
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except (ValueError, UnicodeDecodeError):
                raise RequestError(400, "the request body is not JSON") from None
            if not isinstance(body, dict):
                raise RequestError(400, "the request body must be a JSON object")
            return body

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the CLI prints what matters

    return Handler


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000,
          api_key: str | None = None) -> None:
    """Load the local backend the settings name and serve it until interrupted."""
    from nlsh.backends import load_backend

    if settings.backend != "local":
        raise BackendError("nlsh serve --openai serves a local model (backend = local)")
    if not is_loopback(host):  # before the model loads: say so at once
        raise ValueError(f"the OpenAI server listens on loopback addresses only, not {host}")
    backend = load_backend(settings)
    server = OpenAIServer(backend, host=host, port=port, api_key=api_key)
    print(f"nlsh: serving {backend.name} at {server.url} (Ctrl-C to stop)", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
