"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# --- model backends (added by the backends helper) -------------------------------------------


@pytest.fixture(scope="session")
def embedded_backend():
    """The real embedded model (SmolLM2-135M), loaded once per test session.

    The first load on a fresh machine converts the GGUF into the user cache (~20-30 s);
    later sessions read the cache.
    """
    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.config import Settings

    return TransformersBackend.from_settings(Settings(model="embedded", device="cpu"))


@pytest.fixture(scope="session")
def embedded_tokenizer():
    """The embedded model's tokenizer (from the converted cache when present), for the tiny
    random models the plumbing tests build."""
    from transformers import AutoTokenizer

    from nlsh.backends import embedded

    gguf = embedded.embedded_gguf_path()
    converted = embedded.converted_dir(gguf, embedded.EMBEDDED_NAME)
    if embedded.is_converted(converted):
        return AutoTokenizer.from_pretrained(str(converted))
    return AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)


# --- daemon and shell integration (added by the daemon helper) ------------------------------


from nlsh_home import NlshHome  # noqa: E402  (re-exported for the fixtures below)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, embedded_tokenizer):
    """A tiny randomly initialised Llama with the real SmolLM2 tokenizer, saved with
    save_pretrained: the daemon loads it in a second or two (generation plumbing only)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = embedded_tokenizer
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
        num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=2048,
        tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id, initializer_range=0.5,
    )
    out = tmp_path_factory.mktemp("tiny-llama")
    LlamaForCausalLM(config).save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return out


def _environ_snapshot():
    import os

    return dict(os.environ)


_ENV_AT_START = _environ_snapshot()  # taken before any test isolates the XDG dirs


@pytest.fixture(scope="session")
def embedded_model_dir():
    """The embedded model converted to a plain checkpoint in the real user cache (once; later
    sessions reuse it), so daemons in isolated homes load it as a local directory."""
    import os

    from nlsh.backends import embedded

    # A module-scoped isolated home may be active: convert into the real cache regardless.
    names = ("HOME", "XDG_CACHE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        if _ENV_AT_START.get(name) is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = _ENV_AT_START[name]
    try:
        return embedded.ensure_converted(embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def nlsh_home(monkeypatch, tiny_model_dir):
    """An isolated home whose daemon runs the tiny model, fast: two samples, few tokens."""
    import shutil
    import tempfile

    root = tempfile.mkdtemp(prefix="nlsh-t")
    home = NlshHome(root, monkeypatch, tiny_model_dir, samples=2, max_new_tokens=8)
    try:
        yield home
    finally:
        home.stop()
        shutil.rmtree(root, ignore_errors=True)



# --- documentation cache ---------------------------------------------------------------------


def _private_doc_cache(root: Path) -> Iterator[Path]:
    """XDG_CACHE_HOME pointed at an empty `root` (the cold path is exercised too), restored
    afterwards; parsed docs held in memory are forgotten on both sides."""
    from nlsh.explain import docs

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root)
    docs.forget()
    yield root
    docs.forget()
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def doc_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private, empty documentation cache for one test."""
    yield from _private_doc_cache(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def module_doc_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private, initially empty documentation cache shared by a module's tests."""
    yield from _private_doc_cache(tmp_path_factory.mktemp("cache"))
