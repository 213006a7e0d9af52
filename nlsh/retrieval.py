"""Retrieval of example (request, command) pairs: BM25 over the curated corpus and user history.

The tiny embedded model is only useful with good few-shot examples and with retrieved commands
in its candidate pool, so this module decides much of nlsh's quality. Requests are tokenised
with a small, explicit normaliser (lower case, light stemming, a synonym table, entity classes
such as <size> or <ext> so "files over 2GB" matches "files bigger than 100MB"), typos in a
query are corrected against the corpus vocabulary, and results are de-duplicated by task with
the user's dialect preferred. `adapt_command` then carries concrete values from the request
(sizes, extensions, counts, names) into a retrieved command.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlsh import paths

CORPUS_FILE = "corpus.jsonl"
DIALECTS = ("any", "gnu", "bsd")
# How much a result from the wrong dialect is worth when its task has no variant for ours.
FOREIGN_DIALECT_FACTOR = 0.75
# History entries outrank the corpus when their request is this close to the query (token Jaccard).
NEAR_EXACT = 0.8
HISTORY_FACTOR = 1.15
# "files that do NOT contain x" and "files that contain x" share every content word; a request
# and an example that disagree about negation are a poor match whatever BM25 says.
NEGATION_MISMATCH_FACTOR = 0.7
NEGATIONS = frozenset("""
not never no without except excluding exclude dont doesnt don't doesn't isnt isn't arent aren't
havent haven't hasnt hasn't didnt didn't missing lacking non none
""".split())


@dataclass
class Example:
    request: str
    command: str
    programs: list[str]
    score: float
    source: str  # "corpus" | "history"
    task: str = ""
    dialect: str = "any"


@dataclass(frozen=True)
class CorpusEntry:
    id: str
    task: str
    request: str
    command: str
    programs: tuple[str, ...]
    dialect: str
    source: str = "corpus"


class CorpusFormatError(ValueError):
    pass


def load_corpus(path: Path | None = None) -> list[CorpusEntry]:
    """Read the JSON Lines corpus shipped in the wheel (or another file of the same shape)."""
    path = path or paths.data_file(CORPUS_FILE)
    entries: list[CorpusEntry] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entries.append(CorpusEntry(
                    id=str(data["id"]),
                    task=str(data["task"]),
                    request=str(data["request"]),
                    command=str(data["command"]),
                    programs=tuple(str(p) for p in data.get("programs", [])),
                    dialect=str(data.get("dialect", "any")),
                ))
            except (ValueError, KeyError, TypeError) as exc:
                raise CorpusFormatError(f"{path}:{number}: bad corpus line ({exc})") from exc
    return entries


# -- entities ---------------------------------------------------------------------------------

_SIZE_UNITS = {
    "b": "b", "byte": "b", "bytes": "b", "c": "b",
    "k": "k", "kb": "k", "kib": "k", "kilobyte": "k", "kilobytes": "k", "kilo": "k", "kilos": "k",
    "m": "m", "mb": "m", "mib": "m", "meg": "m", "megs": "m", "megabyte": "m", "megabytes": "m",
    "g": "g", "gb": "g", "gib": "g", "gig": "g", "gigs": "g", "gigabyte": "g", "gigabytes": "g",
    "t": "t", "tb": "t", "tib": "t", "terabyte": "t", "terabytes": "t",
}
_UNIT_ALTERNATION = "|".join(sorted(_SIZE_UNITS, key=len, reverse=True))
# "100MB", "100 MB", "1.5 gigs"; a bare b/c/k/m/g/t only when glued to the number ("2g").
_SIZE_RE = re.compile(
    rf"(?<![\w.])(\d+(?:\.\d+)?)(?:\s?({_UNIT_ALTERNATION})|([bcgkmt]))(?![\w])", re.IGNORECASE
)
_URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s'\"<>]+", re.IGNORECASE)
_USERHOST_RE = re.compile(r"\b[a-z_][\w.-]*@[\w-]+(?:\.[\w-]+)*\b", re.IGNORECASE)
_IP_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w.])")
_PATH_RE = re.compile(r"(?<![\w])(?:~|\.{1,2})?/[\w.@%+~-]+(?:/[\w.@%+~-]*)*|~(?=\s|$)")
_QUOTED_RE = re.compile(r"\"([^\"]+)\"|'([^']+)'|`([^`]+)`")
_HOST_RE = re.compile(
    r"(?<![\w.@/-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|local|internal|lan|edu|gov|co|uk|de|"
    r"ai|app|cloud|info|me|us)(?![\w.-])", re.IGNORECASE)
_FILE_RE = re.compile(r"(?<![\w./-])[\w-]+(?:\.[\w-]+)*\.([a-z0-9]{1,5})(?![\w])", re.IGNORECASE)
_EXT_RE = re.compile(r"(?<![\w])\*?\.([a-z0-9]{1,5})(?![\w.])", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?<![\w.:/-])\d+(?![\w.:/])")

# File name extensions people mention as a bare word ("find pdf files").
KNOWN_EXTENSIONS = frozenset("""
pdf jpg jpeg png gif svg webp bmp tiff ico heic txt log md rst csv tsv json yaml yml xml toml ini
conf cfg py js ts jsx tsx go rs c h cpp hpp java rb php sh bash zsh pl lua sql html htm css scss
mp3 mp4 mkv mov avi webm flac wav ogg m4a zip tar gz tgz bz2 xz zst 7z rar iso dmg deb rpm
doc docx xls xlsx ppt pptx odt epub tmp bak swp orig pyc o so class jar war env lock
""".split())


@dataclass(frozen=True)
class Entity:
    kind: str  # size, url, userhost, ip, host, path, quoted, file, ext, number
    text: str  # as written in the request
    value: str  # normalised: "100m" for sizes, "jpg" for extensions, the string otherwise
    start: int
    end: int
    number: str = ""  # sizes: the digits; "100" in 100MB
    unit: str = ""  # sizes: b, k, m, g, t


def extract_entities(text: str) -> list[Entity]:
    """Concrete values in an English request, left to right, without overlaps."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(entity: Entity) -> None:
        if free(entity.start, entity.end):
            found.append(entity)
            taken.append((entity.start, entity.end))

    for m in _QUOTED_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        add(Entity("quoted", m.group(0), inner, m.start(), m.end()))
    for m in _URL_RE.finditer(text):
        add(Entity("url", m.group(0), m.group(0).rstrip(".,;)"), m.start(), m.end()))
    for m in _USERHOST_RE.finditer(text):
        add(Entity("userhost", m.group(0), m.group(0), m.start(), m.end()))
    for m in _IP_RE.finditer(text):
        add(Entity("ip", m.group(0), m.group(0), m.start(), m.end()))
    for m in _PATH_RE.finditer(text):
        value = m.group(0).rstrip(".,;")
        if len(value) > 1 or value == "~":
            add(Entity("path", value, value, m.start(), m.start() + len(value)))
    for m in _HOST_RE.finditer(text):
        add(Entity("host", m.group(0), m.group(0), m.start(), m.end()))
    for m in _SIZE_RE.finditer(text):
        unit = _SIZE_UNITS[(m.group(2) or m.group(3)).lower()]
        add(Entity("size", m.group(0), f"{m.group(1)}{unit}", m.start(), m.end(),
                   number=m.group(1), unit=unit))
    for m in _FILE_RE.finditer(text):
        if any(ch.isalpha() for ch in m.group(1)):
            add(Entity("file", m.group(0), m.group(0), m.start(), m.end()))
    for m in _EXT_RE.finditer(text):
        add(Entity("ext", m.group(0), m.group(1).lower(), m.start(), m.end()))
    for m in re.finditer(r"[a-z0-9+]+", text, re.IGNORECASE):
        ext = _bare_extension(m.group(0).lower())
        if ext and _looks_like_ext_use(text, m.end()):
            add(Entity("ext", m.group(0), ext, m.start(), m.end()))
    for m in _NUMBER_RE.finditer(text):
        add(Entity("number", m.group(0), m.group(0), m.start(), m.end()))
    found.sort(key=lambda e: e.start)
    return found


_EXT_CONTEXT = frozenset("file files document documents image images extension extensions "
                         "archive archives video videos source sources script scripts code "
                         "photo photos picture pictures".split())
# Languages and formats named in words ("python files") stand for an extension.
NAMED_EXTENSIONS = {
    "python": "py", "javascript": "js", "typescript": "ts", "markdown": "md", "rust": "rs",
    "golang": "go", "ruby": "rb", "text": "txt", "jpeg": "jpg", "yml": "yaml", "c++": "cpp",
    "java": "java", "shell": "sh", "bash": "sh", "perl": "pl", "php": "php",
}


def _bare_extension(word: str) -> str | None:
    if word in NAMED_EXTENSIONS:
        return NAMED_EXTENSIONS[word]
    if word in KNOWN_EXTENSIONS and not word.isdigit():
        return word
    if word.endswith("s") and word[:-1] in KNOWN_EXTENSIONS:
        return word[:-1]  # "pdfs", "jpgs"
    return None


def _looks_like_ext_use(text: str, end: int) -> bool:
    """A bare 'pdf' is an extension when a file-ish noun follows it ('pdf files', 'all pdfs')."""
    if text[end:end + 1] == "/":
        return False  # "docs/", "logs/": a directory
    word = re.findall(r"[a-z0-9+]+", text[:end].lower())[-1]
    if word.endswith("s") and word[:-1] in KNOWN_EXTENSIONS and word not in KNOWN_EXTENSIONS:
        return word not in ("logs", "docs")  # more often folders than "all the .log files"
    after = text[end:].lower().split()
    return bool(after) and after[0].strip(".,;") in _EXT_CONTEXT


# -- tokenising -------------------------------------------------------------------------------

STOPWORDS = frozenset("""
a an the me my i i'm im you your please could would can will shall of for is are be been being
do does did it its this that these those there what which how want wanna need like just really
some kindly hey hi ok okay let lets give tell am was were we our us so then thing things also
here currently right now quick quickly simply basically actually help way go going gonna should
""".split())

# Words that mean the same thing in a request; keys are already stemmed.
SYNONYMS: dict[str, str] = {}


def _syn(canonical: str, *words: str) -> None:
    for word in words:
        SYNONYMS[word] = canonical


_syn("directory", "folder", "dir", "directory", "director", "directori", "subdirectory",
     "subdirectori", "subfolder", "subdir")
_syn("large", "big", "bigger", "biggest", "larg", "larger", "largest", "huge", "heavy", "heavier",
     "heaviest", "giant", "massive", "fat", "hefty")
_syn("small", "smaller", "smallest", "tiny", "little")
_syn("delete", "remove", "rm", "erase", "del", "purge", "wipe", "nuke", "get_rid")
_syn("show", "display", "print", "view", "see", "list", "output", "lst", "ls")
_syn("find", "search", "locate", "look", "seek", "where", "hunt")
_syn("modify", "modifi", "modified", "chang", "change", "edit", "updat", "update", "touch",
     "alter")
_syn("count", "many", "tally")
_syn("image", "pic", "picture", "photo", "img")
_syn("kill", "terminate", "murder")
_syn("copy", "cp", "duplicat", "clone_file")
_syn("move", "mv", "relocat")
_syn("extract", "decompress", "uncompress", "unpack", "untar", "unarchive", "inflate")
_syn("compress", "zip_up", "pack", "shrink", "squeeze")
_syn("download", "fetch", "grab", "pull_down")
_syn("newest", "recent", "latest", "newer", "fresh")
_syn("old", "older", "oldest", "stale", "ancient", "earliest")
_syn("memory", "ram", "mem")
_syn("cpu", "processor", "cpus", "core")
_syn("match", "occurrence", "occurr", "instance", "hit")
_syn("permission", "perm", "mode", "chmod", "access_right")
_syn("repository", "repo")
_syn("executable", "exe", "runnable", "binary", "binari")
_syn("server", "host", "machine", "box", "remote_host")
_syn("process", "proc", "task")
_syn("empty", "blank", "zero_byte")
_syn("content", "contain", "inside", "mention", "includ")
_syn("run", "execut", "launch", "start")
_syn("word", "term", "string", "text", "phrase", "keyword")
_syn("line", "row")
_syn("replace", "substitut", "swap")
_syn("size", "space", "usag", "usage", "storage", "consum", "occupy", "weigh")
_syn("rename", "renam")
_syn("day", "dai", "daily")
_syn("minute", "min", "mins")
_syn("hour", "hr", "hrs")
_syn("second", "sec", "secs")
_syn("top", "first", "head", "begin", "start_of")
_syn("last", "bottom", "tail", "end", "final")
_syn("ignore", "skip", "exclud", "exclude", "except", "without", "omit", "besid")
_syn("duplicate", "dupe", "dup", "twice", "repeated", "identical")
_syn("unique", "distinct", "dedup", "deduplicat")
_syn("error", "err", "failure", "fail")
_syn("password", "pass", "passwd", "pw")
_syn("current", "cwd", "pwd", "present")
_syn("recursive", "recursiv", "recurs", "subtree", "everywhere", "nested", "below", "beneath")


def _undouble(stem: str) -> str:
    """hogg -> hog, stopp -> stop (but keep fill, pass, buzz)."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


def _stem(word: str) -> str:
    """A deliberately light stemmer: plural and -ing/-ed endings only, applied to both sides."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ing") and len(word) > 5:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        return _undouble(word[:-2])
    if word.endswith("es") and word[-3] in "sxz" and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


ORDINALS = {"third": "3", "3rd": "3", "fourth": "4", "4th": "4", "fifth": "5", "5th": "5",
            "sixth": "6", "6th": "6", "seventh": "7", "7th": "7", "eighth": "8", "8th": "8",
            "ninth": "9", "9th": "9", "tenth": "10", "10th": "10", "2nd": "2", "1st": "1"}


def normalise_word(word: str) -> str:
    if word in ORDINALS:
        return ORDINALS[word]
    stem = _stem(word)
    return SYNONYMS.get(stem, SYNONYMS.get(word, stem))


_WORD_RE = re.compile(r"--?[a-z][\w-]*|[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)


# Words inside these values are the user's particulars (a file name, a quoted search string, a
# host), not what they want done: they become one class token each instead of words, so that
# "convert talk.mov to mp4" is not pulled towards every example that mentions "talk".
OPAQUE_KINDS = frozenset({"url", "ip", "userhost", "host", "file", "path", "quoted", "number",
                          "size", "ext"})


def tokenize(text: str, correct: Callable[[str], list[str]] | None = None) -> list[str]:
    """Request text -> BM25 tokens: entity classes (and extensions), then normalised words.

    `correct` may replace a word by the words to use instead (a misspelling by its fix).
    """
    lowered = text.lower().replace("\u2019", "'")
    tokens: list[str] = []
    entities = extract_entities(lowered)
    for entity in entities:
        tokens.append(f"<{entity.kind}>")
        if entity.kind == "file":
            tokens.append("<ext>")
    # Two file names say no more about the task than one.
    tokens = [t for i, t in enumerate(tokens) if not t.startswith("<") or t not in tokens[:i]]
    # ".webp" is a particular; "python files" keeps its word, which says what kind of file.
    opaque = [(e.start, e.end) for e in entities if e.kind in OPAQUE_KINDS
              and not (e.kind == "ext" and e.text[:1] not in ".*")]
    for m in _WORD_RE.finditer(lowered):
        if any(a <= m.start() < b for a, b in opaque):
            continue
        word = m.group(0)
        if word.startswith("-"):
            tokens.append(word)  # an option the user typed: keep it whole
            word = word.lstrip("-")
        word = word.replace("'", "")
        if word in STOPWORDS or not word:
            continue
        for chosen in correct(word) if correct is not None else [word]:
            if chosen not in STOPWORDS:
                tokens.append(normalise_word(chosen))
    return tokens


def words_of(text: str) -> list[str]:
    """The plain words of a request, as the speller knows them."""
    return [w.replace("'", "") for w in _WORD_RE.findall(text.lower()) if not w.startswith("-")]


# -- typo correction --------------------------------------------------------------------------


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _edit_distance_one(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] \
            and a[diffs[1]] == b[diffs[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Speller:
    """Maps an unknown or very rare query word to a frequent corpus word one edit away."""

    MIN_LENGTH = 4

    def __init__(self, document_frequency: Counter[str]) -> None:
        self.df = document_frequency
        self.index: dict[str, set[str]] = {}
        for word in document_frequency:
            if len(word) >= self.MIN_LENGTH - 1 and word.isalpha():
                for key in {word} | _deletes(word):
                    self.index.setdefault(key, set()).add(word)

    def correct(self, word: str) -> str | None:
        if len(word) < self.MIN_LENGTH - 1 or not word.isalpha():
            return None
        own = self.df.get(word, 0)
        options: set[str] = set()
        for key in {word} | _deletes(word):
            options |= self.index.get(key, set())
        best: str | None = None
        for option in sorted(options):
            if option == word or option[0] != word[0] or not _edit_distance_one(word, option):
                continue  # people rarely get the first letter wrong
            # A same-length substitution in a short word is too often another real word
            # (port/sort, tail/mail); allow it only for longer words.
            if len(option) == len(word) and len(word) < 6 and sorted(option) != sorted(word):
                continue
            if len(word) < self.MIN_LENGTH and len(option) <= len(word):
                continue  # three letters: only a dropped letter ("kil", "lst") is trusted
            if self.df[option] >= max(3, 5 * own) and (best is None or
                                                       self.df[option] > self.df[best]):
                best = option
        return best


# -- the retriever ----------------------------------------------------------------------------


def is_negated(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))
    return any(w in NEGATIONS or w.endswith("n't") for w in words)


# A task is scored by its best phrasing plus, with this weight, by all its phrasings taken
# together: a request whose words are spread over several phrasings ("heavier" in one, "files
# over" in another) still finds the task, and ties between one-phrasing flukes are broken by
# the task that matches more broadly.
TASK_WEIGHT = 1.0
# With a sentence encoder (nlsh.embeddings), a task's score adds, with this weight, its best
# phrasing's cosine similarity to the request plus CENTROID_WEIGHT times that of the mean of its
# phrasings. Lexical scores are scaled to a best of 1 first, so the weight is a plain ratio.
# Chosen on the odd-numbered tasks of `nlsh eval` (retrieved command judged by execution; the
# even-numbered ones moved the same way): see bench/eval.md.
DENSE_WEIGHT = 1.0
CENTROID_WEIGHT = 0.5
# What a phrasing in the other dialect loses in cosine similarity (cf. FOREIGN_DIALECT_FACTOR).
FOREIGN_DIALECT_PENALTY = 0.05


@dataclass
class _Index:
    entries: list[CorpusEntry]
    tokens: list[list[str]]
    bm25: Any  # over single requests
    task_bm25: Any  # over each task's requests pooled
    speller: Speller
    task_of: Any  # numpy int array: entry -> task number
    tasks: list[str]
    members: list[list[int]]  # task number -> entry numbers
    negated: Any  # numpy bool array
    history: Any  # numpy bool array
    dialect_ok: dict[str, Any]  # "gnu"/"bsd" -> numpy bool array: usable in that dialect
    vectors: Any = None  # numpy (entries, d): unit sentence vectors, when an encoder is in use
    centroids: Any = None  # numpy (tasks, d): the normalised mean of each task's vectors


@dataclass
class Retriever:
    corpus: list[CorpusEntry]
    history: list[CorpusEntry] = field(default_factory=list)
    _index: _Index | None = field(default=None, init=False, repr=False)
    _history_keys: set[tuple[str, str]] = field(default_factory=set, init=False, repr=False)
    token_cache: Path | None = field(default=None, repr=False)  # tokens of `corpus`, if cached
    # A nlsh.embeddings.SentenceEncoder: retrieval by meaning as well as by words.
    encoder: Any = field(default=None, repr=False)
    corpus_file: Path | None = field(default=None, repr=False)  # where `corpus` was read from
    _corpus_vectors: Any = field(default=None, init=False, repr=False)
    _history_vectors: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def default(cls, dense: bool = True) -> Retriever:
        """The corpus shipped with nlsh; its tokens are cached under the user cache dir. With
        `dense` and the sentence encoder installed, requests are matched by meaning too."""
        corpus_file = paths.data_file(CORPUS_FILE)
        retriever = cls(load_corpus(corpus_file), corpus_file=corpus_file)
        retriever.token_cache = _token_cache_path(corpus_file)
        if dense:
            from nlsh.embeddings import default_encoder

            retriever.encoder = default_encoder()
        return retriever

    @property
    def dense(self) -> bool:
        return self.encoder is not None

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Retriever:
        entries = [_history_entry(i, r, c, source="corpus") for i, (r, c) in enumerate(pairs)]
        return cls(entries)

    # -- history --

    def add_history(self, pairs: Sequence[tuple[str, str]]) -> None:
        """The user's accepted (request, command) pairs. Idempotent: known pairs are skipped."""
        added = False
        for request, command in pairs:
            request, command = request.strip(), command.strip()
            key = (request, command)
            if not request or not command or key in self._history_keys:
                continue
            self._history_keys.add(key)
            self.history.append(_history_entry(len(self.history), request, command))
            added = True
        if added:
            self._index = None

    # -- search --

    def search(self, request: str, k: int = 8, dialect: str = "gnu") -> list[Example]:
        """The k best examples for a request, one per task, preferring the given dialect."""
        import numpy as np

        if k <= 0 or not request.strip():
            return []
        index = self._ensure_index()
        query = self.query_tokens(request, index)
        if not query:
            return []
        wanted = _dialect_of(dialect)
        scores = np.asarray(index.bm25.get_scores(query), dtype=np.float64)
        scores = scores * np.where(index.negated != is_negated(request), NEGATION_MISMATCH_FACTOR,
                                   1.0)
        scores = scores * np.where(index.history, HISTORY_FACTOR, 1.0)
        ok = index.dialect_ok[wanted]
        ranked = np.where(ok, scores, scores * FOREIGN_DIALECT_FACTOR)
        best = np.zeros(len(index.tasks))
        np.maximum.at(best, index.task_of, ranked)
        pooled = np.asarray(index.task_bm25.get_scores(query), dtype=np.float64)
        if best.max() <= 0.0:
            return []  # not one word in common with anything: no example beats none
        combined = best / best.max()
        if pooled.max() > 0.0:
            combined = combined + TASK_WEIGHT * pooled / pooled.max()
        combined[best <= 0.0] = 0.0
        entry_score = ranked
        if index.vectors is not None:
            combined, entry_score = self._add_meaning(index, request, ok, combined, ranked)
        self._promote_near_exact_history(index, request, scores, combined)
        results: list[Example] = []
        seen_commands: set[str] = set()
        floor = -np.inf if index.vectors is not None else 0.0
        for task_number in np.argsort(-combined, kind="stable"):
            if combined[task_number] <= floor or len(results) == k:
                break
            entry = self._representative(index, int(task_number), entry_score, ok)
            if entry.command in seen_commands:
                continue
            seen_commands.add(entry.command)
            results.append(Example(
                request=entry.request, command=entry.command, programs=list(entry.programs),
                score=round(float(combined[task_number]), 4), source=entry.source,
                task=entry.task, dialect=entry.dialect,
            ))
        return results

    def query_tokens(self, request: str, index: _Index | None = None) -> list[str]:
        """Tokens of a request, with misspelt words mapped onto the corpus vocabulary."""
        index = index or self._ensure_index()
        correction = self._corrector(request, index)

        def correct(word: str) -> list[str]:
            fixed = correction(word)
            if fixed is None:
                return [word]
            # An unknown word is replaced; a rare one (a typo the corpus itself contains, or a
            # real but unusual word) is kept next to its likely correction.
            return [fixed] if index.speller.df.get(word, 0) == 0 else [word, fixed]

        return tokenize(request, correct)

    def spelled(self, request: str, index: _Index | None = None) -> str:
        """The request with each unknown or rare word replaced by a frequent one a typo away
        ("fidn files biger" -> "find files bigger"): what the sentence encoder reads."""
        index = index or self._ensure_index()
        correction = self._corrector(request, index)

        def fix(match: re.Match[str]) -> str:
            return correction(match.group(0).lower()) or match.group(0)

        return re.sub(r"[A-Za-z]+", fix, request)

    @staticmethod
    def _corrector(request: str, index: _Index) -> Callable[[str], str | None]:
        values = {e.value.lower() for e in extract_entities(request.lower())}

        def correction(word: str) -> str | None:
            if word in values or word in KNOWN_EXTENSIONS or word in STOPWORDS:
                return None
            return index.speller.correct(word)

        return correction

    # -- internals --

    def _add_meaning(self, index: _Index, request: str, ok: Any, lexical: Any,
                     ranked: Any) -> tuple[Any, Any]:
        """Task and entry scores with the request's cosine similarity mixed in."""
        import numpy as np

        query = self.encoder.encode([self.spelled(request, index)])[0]
        # einsum, not `@`: numpy's BLAS would start its own threads, which keep spinning after
        # the product and slow the model's next prefill and decode on a small machine (by
        # ~0.5 s per request on 2 cores, measured).
        cosine = np.einsum("ij,j->i", index.vectors, query)
        cosine = np.where(ok, cosine, cosine - FOREIGN_DIALECT_PENALTY)
        best = np.full(len(index.tasks), -1.0)
        np.maximum.at(best, index.task_of, cosine)
        meaning = best + CENTROID_WEIGHT * np.einsum("ij,j->i", index.centroids, query)
        tasks = lexical / max(float(lexical.max()), 1e-9) + DENSE_WEIGHT * meaning
        entries = ranked / max(float(ranked.max()), 1e-9) + DENSE_WEIGHT * cosine
        return tasks, entries

    @staticmethod
    def _representative(index: _Index, task_number: int, ranked: Any, ok: Any) -> CorpusEntry:
        """The task's best-matching phrasing, with the command for the wanted dialect."""
        members = index.members[task_number]
        best = max(members, key=lambda i: (ranked[i], -i))
        if ok[best]:
            return index.entries[best]
        usable = [i for i in members if ok[i]]
        if not usable:
            return index.entries[best]  # the task exists only in the other dialect
        wanted_request = index.entries[best].request
        same_request = [i for i in usable if index.entries[i].request == wanted_request]
        return index.entries[(same_request or usable)[0]]

    @staticmethod
    def _promote_near_exact_history(index: _Index, request: str, scores: Any,
                                    combined: Any) -> None:
        if not index.history.any():
            return
        query = set(tokenize(request))
        top = float(combined.max())
        for i in range(len(index.entries) - 1, -1, -1):
            if not index.history[i]:
                break  # history entries come last
            if scores[i] > 0.0 and _jaccard(query, set(index.tokens[i])) >= NEAR_EXACT:
                task_number = int(index.task_of[i])
                combined[task_number] = max(combined[task_number], top + 1.0)

    def _ensure_index(self) -> _Index:
        if self._index is None:
            tokens = _cached_tokens(self.corpus, self.token_cache)
            tokens += [tokenize(e.request) for e in self.history]
            self._index = _build_index([*self.corpus, *self.history], tokens)
            if self.encoder is not None:
                self._index_meaning(self._index)
        return self._index

    def _index_meaning(self, index: _Index) -> None:
        import numpy as np

        from nlsh.embeddings import corpus_embeddings

        if self._corpus_vectors is None:
            corpus_requests = [e.request for e in self.corpus]
            if self.corpus_file is not None and corpus_requests:
                self._corpus_vectors = corpus_embeddings(corpus_requests, self.corpus_file,
                                                         self.encoder)
            else:
                self._corpus_vectors = self.encoder.encode(corpus_requests)
        corpus = self._corpus_vectors
        # History grows by a pair or two between rebuilds: encode only what is new.
        fresh = list(dict.fromkeys(e.request for e in self.history
                                   if e.request not in self._history_vectors))
        self._history_vectors.update(zip(fresh, self.encoder.encode(fresh), strict=True))
        own = [self._history_vectors[e.request] for e in self.history]
        vectors = np.concatenate([corpus, *([np.stack(own)] if own else [])]).astype(np.float32)
        if len(vectors) != len(index.entries):
            return  # an empty corpus: nothing to mix in
        centroids = np.zeros((len(index.tasks), vectors.shape[1]), dtype=np.float32)
        np.add.at(centroids, index.task_of, vectors)
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True).clip(min=1e-12)
        index.vectors, index.centroids = vectors, centroids


# Tokenising the corpus is most of the cost of building the index (~0.5 s for 6,000 requests),
# so the daemon keeps the tokens in the user cache, keyed by the corpus and by this module's
# source: editing the tokeniser or the corpus invalidates the cache by itself.
def _token_cache_path(corpus_file: Path) -> Path | None:
    import hashlib

    try:
        digest = hashlib.sha256(corpus_file.read_bytes())
        digest.update(Path(__file__).read_bytes())
        return paths.cache_dir() / f"retrieval-tokens-{digest.hexdigest()[:16]}.json"
    except OSError:
        return None


def _cached_tokens(entries: list[CorpusEntry], cache: Path | None) -> list[list[str]]:
    if cache is not None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if isinstance(data, list) and len(data) == len(entries):
                return [list(map(str, doc)) for doc in data]
        except (OSError, ValueError):
            pass  # missing or damaged: rebuild below
    tokens = [tokenize(e.request) for e in entries]
    if cache is not None:
        try:
            for stale in cache.parent.glob("retrieval-tokens-*.json"):
                stale.unlink(missing_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps(tokens), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass  # a read-only cache only costs speed
    return tokens


def _build_index(entries: list[CorpusEntry], tokens: list[list[str]]) -> _Index:
    import bm25s  # a numpy/scipy stack: imported only where an index is built (the daemon)
    import numpy as np

    tasks: list[str] = []
    number_of: dict[str, int] = {}
    members: list[list[int]] = []
    for i, entry in enumerate(entries):
        if entry.task not in number_of:
            number_of[entry.task] = len(tasks)
            tasks.append(entry.task)
            members.append([])
        members[number_of[entry.task]].append(i)
    pooled: list[list[str]] = []
    for group in members:
        seen_requests: set[str] = set()
        doc: list[str] = []
        for i in group:
            if entries[i].request not in seen_requests:  # dialect twins repeat a request
                seen_requests.add(entries[i].request)
                doc.extend(tokens[i])
        pooled.append(doc)
    bm25 = bm25s.BM25()
    # bm25s cannot index an empty corpus; one empty document keeps search total.
    bm25.index(tokens or [[""]], show_progress=False)
    task_bm25 = bm25s.BM25()
    task_bm25.index(pooled or [[""]], show_progress=False)
    df: Counter[str] = Counter()
    for entry in entries:
        df.update(set(words_of(entry.request)))
    dialects = np.array([e.dialect for e in entries] or ["any"])
    return _Index(
        entries=entries, tokens=tokens, bm25=bm25, task_bm25=task_bm25,
        speller=Speller(df),
        task_of=np.array([number_of[e.task] for e in entries] or [0], dtype=np.int64),
        tasks=tasks or [""], members=members or [[]],
        negated=np.array([is_negated(e.request) for e in entries] or [False]),
        history=np.array([e.source == "history" for e in entries] or [False]),
        dialect_ok={d: (dialects == "any") | (dialects == d) for d in ("gnu", "bsd")},
    )


def _history_entry(n: int, request: str, command: str, source: str = "history") -> CorpusEntry:
    return CorpusEntry(
        id=f"{source}#{n}", task=f"{source}#{n}", request=request, command=command,
        programs=tuple(_programs(command)), dialect="any", source=source,
    )


@lru_cache(maxsize=4096)
def _programs(command: str) -> list[str]:
    from nlsh.shellparse import parse

    seen: list[str] = []
    for program in parse(command).programs:
        if program not in seen:
            seen.append(program)
    return seen


def _dialect_of(userland: str) -> str:
    userland = (userland or "gnu").lower()
    if userland in ("bsd", "darwin", "macos", "freebsd"):
        return "bsd"
    return "gnu"  # gnu, busybox and anything unknown: GNU flags are the better bet


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# -- adapting a retrieved command to the request ----------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}
_TIME_UNITS = {
    "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400,
    "week": 604800, "month": 2592000, "year": 31536000,
}
_A_UNIT_RE = re.compile(r"\b(?:a|an|one|a single)\s+(second|minute|hour|day|week|month|year)\b",
                        re.IGNORECASE)
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_UNIT_AFTER_RE = re.compile(r"\s*([a-z]+)", re.IGNORECASE)
# Characters that may stand unquoted in a command word without changing its meaning.
_SAFE_BARE = re.compile(r"[\w./:@%+,=~-]+")
_SLOT_KINDS = ("size", "ext", "number", "file", "path", "quoted", "url", "ip", "host", "userhost",
               "caps")
# An all-capitals word in a request is usually the text to look for (ERROR, TODO, DEBUG) ...
_CAPS_RE = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9_]+(?![\w.-])")
# ... unless it is one of these.
_NOT_SEARCH_TERMS = frozenset("""
CSV TSV JSON YAML XML PDF PNG JPG JPEG GIF HTML CSS URL URI IP SSH DNS CPU RAM GB MB KB TB OK
UTC GMT HTTP HTTPS API OS ID UID GID PID TCP UDP USB SSL TLS SQL AWS CLI GUI MAC UUID UTF ASCII
""".split())


_HALF_HOUR_RE = re.compile(r"\bhalf (?:an )?hour\b", re.IGNORECASE)
_COUPLE_RE = re.compile(r"\ba couple of\b", re.IGNORECASE)
# "between 1 and 5 kilobytes": the unit belongs to both numbers.
_UNIT_RANGE_RE = re.compile(
    rf"\b(\d+(?:\.\d+)?)(\s*(?:and|to|-)\s*)(\d+(?:\.\d+)?)\s?({_UNIT_ALTERNATION})\b",
    re.IGNORECASE)


def _normalise_request(text: str) -> str:
    """'a week' -> '1 week', 'five lines' -> '5 lines': numbers become digits before matching."""
    text = _HALF_HOUR_RE.sub("30 minutes", text)
    text = _COUPLE_RE.sub("2", text)
    text = _A_UNIT_RE.sub(lambda m: f"1 {m.group(1)}", text)
    text = _NUMBER_WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1).lower()]), text)
    return _UNIT_RANGE_RE.sub(lambda m: f"{m.group(1)}{m.group(4)}{m.group(2)}{m.group(3)}"
                              f"{m.group(4)}", text)


def _unit_after(text: str, end: int) -> str | None:
    m = _UNIT_AFTER_RE.match(text, end)
    if not m:
        return None
    word = _stem(m.group(1).lower())
    word = {"minute": "minute", "mins": "min", "hours": "hour", "hrs": "hr"}.get(word, word)
    return word if word in _TIME_UNITS else None


@dataclass(frozen=True)
class _Slot:
    entity: Entity
    time_unit: str | None  # "day" in "7 days"


def _slots(text: str) -> dict[str, list[_Slot]]:
    grouped: dict[str, list[_Slot]] = {kind: [] for kind in _SLOT_KINDS}
    entities = extract_entities(text)
    for entity in entities:
        unit = _unit_after(text, entity.end) if entity.kind == "number" else None
        grouped[entity.kind].append(_Slot(entity, unit))
    for m in _CAPS_RE.finditer(text):
        inside = any(e.start <= m.start() < e.end for e in entities)
        if not inside and m.group(0) not in _NOT_SEARCH_TERMS:
            grouped["caps"].append(_Slot(Entity("caps", m.group(0), m.group(0), m.start(),
                                                m.end()), None))
    return grouped


def adapt_command(example: Example, request: str) -> str:
    """Carry the request's concrete values into a retrieved command.

    Example: "files bigger than 50MB" / `find . -size +50M` with the request "files over 2GB"
    gives `find . -size +2G`. Values are paired by kind (size, extension, number, file name,
    path, quoted text, URL, IP, host, user@host, an all-capitals search word) in order of
    appearance, and only when the example and the request have the same number of values of
    that kind; a command working on `.` moves to a directory the request names ("in the logs
    folder", "under docs/") when the example names none. The command is
    returned unchanged whenever a substitution would be ambiguous, unsafe to quote, or would
    change what the command parses to.
    """
    old = _slots(_normalise_request(example.request))
    new = _slots(_normalise_request(request))
    command = example.command
    spans: list[tuple[int, int, str]] = []
    for kind in _SLOT_KINDS:
        if not old[kind] or len(old[kind]) != len(new[kind]):
            continue
        for before, after in zip(old[kind], new[kind], strict=True):
            if before.entity.value == after.entity.value:
                continue
            spans.extend(_replacements(kind, before, after, command))
    spans.extend(_here_to_directory(example.request, request, old, command))
    spans.extend(_search_word(example.request, old, new, command))
    if not spans:
        return command
    adapted = _apply(command, spans)
    if adapted is None or not _same_shape(command, adapted):
        return command
    return adapted


# "... in the logs folder", "... under docs/", "inside src": a directory the request names.
_NAMED_DIR_RE = re.compile(
    r"\b(?:in|under|inside|within|below|from|of)\s+(?:the\s+|my\s+)?([\w][\w.-]*)/?\s+"
    r"(?:folder|directory|dir)\b"
    r"|\b(?:the|my)\s+([\w][\w.-]*)\s+(?:folder|directory|dir)\b"
    r"|\b(?:in|under|inside|within|below|from)\s+([\w][\w.-]*)/(?=[\s,.?!]|$)",
    re.IGNORECASE)
_NOT_DIRECTORY_NAMES = frozenset("this that current same the a my every each any".split())


def _named_directory(text: str) -> str | None:
    names = {next(g for g in m.groups() if g) for m in _NAMED_DIR_RE.finditer(text)}
    names -= _NOT_DIRECTORY_NAMES
    return names.pop() if len(names) == 1 else None


def _here_to_directory(example_request: str, request: str, old: dict[str, list[_Slot]],
                       command: str) -> list[tuple[int, int, str]]:
    """The example works on `.`; the request names a directory: work on that directory.

    Only when the example names no directory or path itself, and the command has exactly one
    bare `.` argument (find's root, grep -r's target, du's operand, a build context).
    """
    from nlsh.shellparse import parse

    directory = _named_directory(request)
    named = _named_directory(example_request)
    if named is not None and directory is not None and named != directory:
        # Both name a directory: the example's name, wherever the command uses it, changes.
        pattern = re.compile(r"(?<![\w.-])" + re.escape(named) + r"(?![\w-])")
        return _checked(command, pattern, directory) if _SAFE_BARE.fullmatch(directory) else []
    if old["path"] or named is not None:
        return []
    if directory is None or not _SAFE_BARE.fullmatch(directory):
        return []
    dots = [w for c in parse(command).commands for w in c.args if w.text == "."]
    if len(dots) != 1:
        return []
    return [(dots[0].start, dots[0].end, directory)]


_QUOTED_LITERAL_RE = re.compile(r"'([^'\\]+)'|\"([^\"\\$`]+)\"")


def _search_word(example_request: str, old: dict[str, list[_Slot]],
                 new: dict[str, list[_Slot]], command: str) -> list[tuple[int, int, str]]:
    """The request names one thing to look for ('warning', ERROR); the example named its own
    as a plain word ("search build.txt for main"), which the command quotes ('main'): put
    the request's in its place. Only when exactly one quoted literal of the command is a
    word of the example's request."""
    wanted = new["quoted"] + new["caps"]
    if len(wanted) != 1 or old["quoted"] or old["caps"]:
        return []
    words = {w.lower() for w in re.findall(r"[\w.-]+", example_request)} - STOPWORDS
    literals = [m for m in _QUOTED_LITERAL_RE.finditer(command)
                if (m.group(1) or m.group(2)).lower() in words]
    if len(literals) != 1:
        return []
    value = wanted[0].entity.value
    if "'" in value or "\\" in value:
        return []
    literal = literals[0]
    group = 1 if literal.group(1) is not None else 2
    if group == 2 and any(ch in value for ch in '"$`'):
        return []
    return [(literal.start(group), literal.end(group), value)]


def _replacements(kind: str, before: _Slot, after: _Slot, command: str) -> list[
        tuple[int, int, str]]:
    if kind == "size":
        return _size_replacements(before.entity, after.entity, command)
    if kind == "ext":
        pattern = re.compile(r"(?<=\.)" + re.escape(before.entity.value) + r"(?![\w])",
                             re.IGNORECASE)
        return _checked(command, pattern, after.entity.value)
    if kind == "number":
        value = _convert_number(before, after)
        if value is None:
            return []
        # "42p" (a sed address) and "HEAD~3" count; "10M" (a size) and "1.5" do not.
        pattern = re.compile(r"(?<![\w.])" + re.escape(before.entity.value)
                             + r"(?![\d.])(?![kKmMgGtTc]\b)")
        hits = list(pattern.finditer(command))
        if len(hits) > 1 and len(before.entity.value) < 2:
            return []  # a lone digit that appears twice: cannot tell which one is the count
        return _checked(command, pattern, value)
    pattern = re.compile(r"(?<![\w.-])" + re.escape(before.entity.value) + r"(?![\w-])")
    return _checked(command, pattern, after.entity.value)


def _convert_number(before: _Slot, after: _Slot) -> str | None:
    number = after.entity.value
    if before.time_unit and after.time_unit and before.time_unit != after.time_unit:
        seconds = int(number) * _TIME_UNITS[after.time_unit]
        unit = _TIME_UNITS[before.time_unit]
        if seconds % unit:
            return None  # "3 hours" cannot be written in whole days
        return str(seconds // unit)
    if bool(before.time_unit) != bool(after.time_unit):
        return None  # "10 lines" vs "10 days": different quantities
    return number


_SIZE_FACTORS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def _size_replacements(before: Entity, after: Entity, command: str) -> list[
        tuple[int, int, str]]:
    pattern = re.compile(
        r"(?<![\w.])" + re.escape(before.number) + r"([kKmMgGtTc]|[kKmMgGtT]i?[bB])(?![\w.])"
    )
    spans: list[tuple[int, int, str]] = []
    number, unit = after.number, after.unit
    if "." in number:  # find -size and friends take whole numbers: 1.5G -> 1536M
        smaller = {"t": "g", "g": "m", "m": "k", "k": "b"}.get(unit)
        if smaller is None:
            return []
        number = str(round(float(number) * _SIZE_FACTORS[unit] / _SIZE_FACTORS[smaller]))
        unit = smaller
    for m in pattern.finditer(command):
        style = m.group(1)
        if _FIND_SIZE_BEFORE.search(command, 0, m.start()) and len(style) == 1:
            style = "find"
        spans.append((m.start(), m.end(), number + _render_unit(unit, style)))
    return spans


# `find -size` wants k, M, G, c exactly (K is an error); other tools take K or KB.
_FIND_SIZE_BEFORE = re.compile(r"-size [+-]?$")


def _render_unit(unit: str, style: str) -> str:
    """Write a unit the way the command already writes units (find: k M G c; others: K, MB)."""
    if style == "find":
        return {"b": "c", "k": "k"}.get(unit, unit.upper())
    if unit == "b":
        return "c" if style in ("c", "k", "K", "M", "G", "T") else "B"
    if len(style) > 1:
        return unit.upper() + style[1:]
    return unit if unit == "k" and style == "k" else unit.upper()


def _checked(command: str, pattern: re.Pattern[str], value: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for m in pattern.finditer(command):
        if not _quotable(command, m.start(), value):
            return []
        spans.append((m.start(), m.end(), value))
    return spans


def _quotable(command: str, position: int, value: str) -> bool:
    """Can `value` stand at `position` without changing the command's quoting?"""
    from nlsh.shellparse import parse

    for simple in parse(command).commands:
        targets = [r.target for r in simple.redirects if r.target is not None]
        for word in (*simple.args, *targets):
            if word.start <= position < word.end:
                if word.text.startswith("'"):
                    return "'" not in value
                if word.text.startswith('"'):
                    return not any(ch in value for ch in '"$`\\!')
                return _SAFE_BARE.fullmatch(value) is not None
    return False  # not inside an argument (a program name, an operator): leave it alone


def _apply(command: str, spans: list[tuple[int, int, str]]) -> str | None:
    spans = sorted(set(spans))
    for (_, end_a, _), (start_b, _, _) in itertools.pairwise(spans):
        if start_b < end_a:
            return None  # two values claim the same text
    out = command
    for start, end, value in reversed(spans):
        out = out[:start] + value + out[end:]
    return out


def _same_shape(original: str, adapted: str) -> bool:
    from nlsh.shellparse import parse

    before, after = parse(original), parse(adapted)
    return not after.has_error and before.programs == after.programs
