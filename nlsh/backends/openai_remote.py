"""A model behind an OpenAI-compatible HTTP server (vLLM, llama.cpp's server, `nlsh serve
--openai`, ...). Standard library only: the client never imports torch or transformers.

Requests go to `/v1/chat/completions` (the client cannot render a model's chat template
without its tokenizer, so it leaves that to the server). Each `generate` sends two requests
at once: one at temperature 0 for the greedy answer (an OpenAI server's choices are all
sampled, so "the first of n+1" would not be greedy), and one with `n` samples at the asked
temperature (a server that ignores `n` gets the rest as separate requests, concurrently).
Both ask for `logprobs`. A forced answer `prefix` is sent as a final partial assistant
message with `continue_final_message` (vLLM's and nlsh's servers honour it).

`score` uses nlsh's own extension endpoint `/v1/nlsh/score`; a server without it cannot
score, and the continuations come back with no log-probabilities (ranking then counts them
as a typical candidate: `candidates.rank`).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from nlsh.backends import BackendError
from nlsh.records import Message, Sample

if TYPE_CHECKING:
    from nlsh.config import Settings

MAX_STOPS = 4  # the OpenAI API accepts at most four stop sequences
MAX_CONCURRENT = 8  # requests in flight at once, for a server that answers one choice each


class OpenAIBackend:
    """The Backend protocol over an OpenAI-compatible server."""

    def __init__(self, base_url: str, *, model: str | None = None, api_key: str | None = None,
                 timeout_s: float = 30.0, seed: int | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.seed = seed
        self._model = model
        # What `suggest --json` reports; the served model's id once the server was asked.
        self.name = model or f"openai:{self.base_url}"
        self.scores_supported: bool | None = None
        self.honours_n: bool | None = None  # known after the first sampled request

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIBackend:
        key = os.environ.get(settings.openai_api_key_env) or None
        # "embedded" is the local default; against a server, ask it which model it serves.
        model = None if settings.model in ("embedded", "auto") else settings.model
        return cls(settings.openai_base_url, model=model, api_key=key,
                   timeout_s=settings.openai_timeout_s, seed=getattr(settings, "seed", None))

    @property
    def model(self) -> str:
        if self._model is None:
            listing = self._request("GET", "/models")
            try:
                self._model = str(listing["data"][0]["id"])
            except (KeyError, IndexError, TypeError):
                raise self._malformed("no model in /models") from None
            self.name = self._model
        return self._model

    # ------------------------------------------------------------------ protocol

    def generate(
        self,
        messages: Sequence[Message],
        *,
        n: int,
        temperature: float,
        max_new_tokens: int,
        stop: Sequence[str],
        prefix: str = "",
        seed: int | None = None,
    ) -> list[Sample]:
        body = self._chat_body(messages, prefix, max_new_tokens, stop)
        greedy_body = {**body, "n": 1, "temperature": 0.0}
        sampled_body = {**body, "n": n, "temperature": temperature}
        chosen_seed = self.seed if seed is None else seed
        if chosen_seed is not None:
            sampled_body["seed"] = chosen_seed
        if n == 0 or temperature <= 0:
            greedy = self._choices(self._request("POST", "/chat/completions", greedy_body))[:1]
            samples = [Sample(greedy[0].text, list(greedy[0].token_logprobs), greedy=True)]
            return samples + [Sample(samples[0].text, list(samples[0].token_logprobs))
                              for _ in range(n)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            greedy_reply = pool.submit(self._request, "POST", "/chat/completions", greedy_body)
            sampled_reply = pool.submit(self._sampled, sampled_body, n, chosen_seed)
            greedy = self._choices(greedy_reply.result())[:1]
            sampled = sampled_reply.result()
        return [Sample(greedy[0].text, greedy[0].token_logprobs, greedy=True), *sampled]

    def _sampled(self, body: dict[str, Any], n: int, seed: int | None) -> list[Sample]:
        """n sampled choices: in one request where the server honours `n`; otherwise (llama.cpp's
        server answers one choice whatever `n` says) the rest one request each, concurrently,
        each with its own seed so that they can differ."""
        sampled: list[Sample] = []
        if self.honours_n is not False:
            sampled = self._choices(self._request("POST", "/chat/completions", body))
            if len(sampled) > n:
                raise self._malformed(f"asked for {n} choices, got {len(sampled)}")
            self.honours_n = len(sampled) == n or n == 1
        missing = n - len(sampled)
        if missing <= 0:
            return sampled

        def one(i: int) -> Sample:
            single = {**body, "n": 1}
            if seed is not None:
                single["seed"] = seed + len(sampled) + i
            return self._choices(self._request("POST", "/chat/completions", single))[0]

        with ThreadPoolExecutor(max_workers=min(missing, MAX_CONCURRENT)) as pool:
            sampled += list(pool.map(one, range(missing)))
        return sampled

    def score(self, messages: Sequence[Message], continuations: Sequence[str], *,
              prefix: str = "") -> list[Sample]:
        if not continuations:
            return []
        if self.scores_supported is not False:
            body = {"model": self.model, "messages": _chat_messages(messages),
                    "continuations": list(continuations), "prefix": prefix}
            try:
                reply = self._request("POST", "/nlsh/score", body, missing_ok=True)
            except _NotFound:
                self.scores_supported = False
            else:
                self.scores_supported = True
                return self._scores(reply, continuations)
        return [Sample(text, []) for text in continuations]

    # ------------------------------------------------------------------ replies

    def _chat_body(self, messages: Sequence[Message], prefix: str, max_new_tokens: int,
                   stop: Sequence[str]) -> dict[str, Any]:
        chat = _chat_messages(messages)
        # llama.cpp's Python server returns log-probs only when top_logprobs is set.
        body: dict[str, Any] = {"model": self.model, "max_tokens": max_new_tokens,
                                "logprobs": True, "top_logprobs": 1}
        stops = [s for s in stop if s][:MAX_STOPS]
        if stops:
            body["stop"] = stops
        if prefix:
            chat.append({"role": "assistant", "content": prefix})
            body["continue_final_message"] = True
            body["add_generation_prompt"] = False
        body["messages"] = chat
        return body

    def _choices(self, reply: dict[str, Any]) -> list[Sample]:
        try:
            choices = sorted(reply["choices"], key=lambda c: int(c.get("index", 0)))
            samples = []
            for choice in choices:
                text = choice["message"].get("content") or ""
                entries = (choice.get("logprobs") or {}).get("content") or []
                samples.append(Sample(str(text), [float(e["logprob"]) for e in entries]))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._malformed("unexpected chat completion shape") from None
        if not samples:
            raise self._malformed("no choices")
        return samples

    def _scores(self, reply: dict[str, Any], continuations: Sequence[str]) -> list[Sample]:
        try:
            rows = reply["scores"]
            samples = [Sample(text, [float(v) for v in row["token_logprobs"]])
                       for text, row in zip(continuations, rows, strict=True)]
        except (KeyError, TypeError, ValueError):
            raise self._malformed("unexpected score reply shape") from None
        return samples

    # ------------------------------------------------------------------ HTTP

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 missing_ok: bool = False) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                raise _NotFound from None
            raise self._http_error(exc) from None
        except urllib.error.URLError as exc:
            raise self._connection_error(exc.reason) from None
        except TimeoutError:
            raise self._connection_error(TimeoutError()) from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise self._connection_error(exc) from None
        try:
            parsed = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise self._malformed("not JSON") from None
        if not isinstance(parsed, dict):
            raise self._malformed("not a JSON object")
        return parsed

    def _http_error(self, exc: urllib.error.HTTPError) -> BackendError:
        where = f"the model server at {self.base_url}"
        if exc.code in (401, 403):
            return BackendError(f"{where} refused the API key (HTTP {exc.code}); check "
                                "openai_api_key_env and that variable")
        detail = ""
        try:
            payload = json.loads(exc.read() or b"{}")
            detail = str(payload.get("error", {}).get("message", "")).strip()
        except (ValueError, AttributeError, OSError):
            pass
        detail = detail.splitlines()[0] if detail else (exc.reason or "")
        return BackendError(f"{where} answered HTTP {exc.code}" + (f": {detail}" if detail
                                                                   else ""))

    def _connection_error(self, reason: object) -> BackendError:
        where = f"the model server at {self.base_url}"
        if isinstance(reason, TimeoutError):
            return BackendError(f"{where} did not answer within {self.timeout_s:g} s")
        if isinstance(reason, ConnectionRefusedError):
            return BackendError(f"cannot reach {where}: connection refused (is it running?)")
        if isinstance(reason, socket.gaierror):
            return BackendError(f"cannot reach {where}: unknown host")
        text = str(reason).strip().splitlines()
        return BackendError(f"cannot reach {where}: {text[0] if text else type(reason).__name__}")

    def _malformed(self, what: str) -> BackendError:
        return BackendError(f"the model server at {self.base_url} sent a malformed reply "
                            f"({what})")


class _NotFound(Exception):
    pass


def _chat_messages(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]
