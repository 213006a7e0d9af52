"""From raw model answers to ranked, checked candidates.

extract (whatever the model wrote) -> dedupe (normalized form) -> validate (parse, programs
exist, flags exist, dialect) -> risk -> rank (validity first, then keeping to the request's
intent and values (`nlsh.fidelity`), then mean log-probability).
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nlsh import fidelity, shellparse
from nlsh.records import Candidate, Level, Sample, ShellContext
from nlsh.validation import SHELL_WORDS, Validation, validate
from nlsh.values import coverage, request_values

# -- extraction --------------------------------------------------------------------------------

_THINK = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n?(.*?)(```|$)", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_LINE_PREFIXES = re.compile(
    r"^\s*(?:(?:[-*•]|\d+[.)])\s+)?(?:(?:command|answer|bash|shell|sh|zsh|run|output)\s*:\s*)?"
    r"(?:\$|❯|%|>>>|#(?=\s*sudo\b))?\s*",
    re.I,
)
PROSE_STARTERS = frozenset(
    "a an the this that these those to you your it its here there sure ok okay yes no i we "
    "use using run running try note in for if then when with as and or but please certainly "
    "of alternatively explanation example assuming replace where which what how let's lets ".split()
)


def extract_command(text: str) -> str | None:
    """The one command in a model answer: fences, prose, prompts and <think> blocks removed."""
    text = _THINK.sub("", text.replace("\r\n", "\n")).strip()
    if not text:
        return None
    for block in _fenced_blocks(text):
        found = _first_command_line(block.splitlines())
        if found:
            return found
    for span in _INLINE.findall(text):
        found = _as_command(span)
        if found and _looks_like_command(found, strict=True):
            return found
    return _first_command_line(text.splitlines())


def _fenced_blocks(text: str) -> list[str]:
    return [m.group(2) for m in _FENCE.finditer(text) if m.group(2).strip()]


def _first_command_line(lines: Sequence[str]) -> str | None:
    for line in _join_continuations(lines):
        for attempt in (line, _after_colon(line)):
            found = _as_command(attempt) if attempt else None
            if found and _looks_like_command(found, strict=False):
                return found
    return None


def _after_colon(line: str) -> str | None:
    """`To do this, type: sort -u names` -> `sort -u names`."""
    head, sep, tail = line.partition(": ")
    return tail if sep and " " in head.strip() else None


def _join_continuations(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    buffer = ""
    for raw in lines:
        line = raw.rstrip()
        if line.endswith("\\") and not line.endswith("\\\\"):
            buffer += line[:-1].rstrip() + " "
            continue
        out.append(buffer + line.strip() if buffer else line)
        buffer = ""
    if buffer:
        out.append(buffer.strip())
    return out


def _as_command(line: str) -> str | None:
    if line.lstrip().startswith("```"):
        return None
    line = _LINE_PREFIXES.sub("", line, count=1).strip()
    line = line.strip("`").strip()
    if not line or line.startswith("#") or line.startswith("```"):
        return None
    return _trim_trailing_prose(line)


def _trim_trailing_prose(line: str) -> str:
    """`ls -la. This lists files` -> `ls -la`; keeps the line if it already parses cleanly."""
    parsed = shellparse.parse(line)
    if not parsed.has_error and not _ends_in_prose(line):
        return _strip_comment(line, parsed)
    for cut in re.finditer(r"(?<=\S)(?:\.|:)\s+(?=[A-Z])|\s+(?=\((?:this|which|it)\b)", line):
        head = line[: cut.start()].rstrip()
        if head and not shellparse.parse(head).has_error:
            return head
    return line.rstrip(".") if line.endswith(".") and not line.endswith("..") else line


def _ends_in_prose(line: str) -> bool:
    return bool(re.search(r"\.\s+[A-Z][a-z]+\s+\w+", line))


def _strip_comment(line: str, parsed: shellparse.ParsedCommand) -> str:
    root = parsed.root
    if root is None:
        return line
    comments = [c for c in root.children if c.type == "comment"]
    if not comments:
        return line
    data = line.encode("utf-8", "surrogateescape")
    return data[: comments[0].start_byte].decode("utf-8", "surrogateescape").rstrip() or line


def _looks_like_command(line: str, *, strict: bool) -> bool:
    words = line.split()
    if not words:
        return False
    first = words[0]
    lowered = first.lower().rstrip(",:")
    if lowered in PROSE_STARTERS and not shutil.which(lowered) and not (
        lowered in SHELL_WORDS and not shellparse.parse(line).has_error
    ):
        return False
    if first.endswith(":") or first.endswith(","):
        return False
    if not re.match(r"^[\w./~$\\'\"(\[{:!-]", first):
        return False
    if first[0].isupper() and not shutil.which(first) and first not in SHELL_WORDS:
        return False
    parsed = shellparse.parse(line)
    if not parsed.commands and not parsed.constructs:
        return False
    if strict:
        program = parsed.commands[0].program if parsed.commands else None
        if not program:
            return False
        return program in SHELL_WORDS or shutil.which(program) is not None
    return not (len(words) >= 6 and _stopword_ratio(words) > 0.25)


STOPWORDS = frozenset("the a an to of and is are this that will you it for with in on be can "
                      "your which would should".split())


def _stopword_ratio(words: Sequence[str]) -> float:
    return sum(1 for w in words if w.lower().strip(",.") in STOPWORDS) / len(words)


# -- normalization and pooling -----------------------------------------------------------------


def normalize(command: str) -> str:
    """One spelling per command: whitespace between tokens collapsed, trailing `;` dropped."""
    parsed = shellparse.parse(command)
    root = parsed.root
    if root is None or parsed.has_error:
        return " ".join(command.split())
    tokens: list[str] = []
    _leaf_texts(root, tokens)
    while tokens and tokens[-1] == ";":
        tokens.pop()
    return " ".join(tokens)


_ATOMIC = frozenset({"word", "string", "raw_string", "ansi_c_string", "number", "comment",
                     "heredoc_body", "regex", "extglob_pattern"})


def _leaf_texts(node: object, out: list[str]) -> None:
    kind = getattr(node, "type", "")
    children = getattr(node, "children", [])
    if kind in _ATOMIC or not children:
        text = (getattr(node, "text", b"") or b"").decode("utf-8", "surrogateescape")
        if text and kind != "comment":
            out.append(text)
        return
    if kind == "concatenation":
        out.append("".join((getattr(c, "text", b"") or b"").decode() for c in children))
        return
    for child in children:
        _leaf_texts(child, out)


@dataclass
class PoolEntry:
    command: str
    logprobs: list[float]  # of the best-scoring sample that produced it
    origins: list[str] = field(default_factory=list)
    votes: int = 0
    retrieval_rank: int | None = None

    @property
    def mean_logprob(self) -> float:
        return sum(self.logprobs) / len(self.logprobs) if self.logprobs else -math.inf


@dataclass
class Pool:
    """Distinct commands by normalized form, keeping the best log-probability of each."""

    entries: dict[str, PoolEntry] = field(default_factory=dict)

    @property
    def commands(self) -> set[str]:
        return {e.command for e in self.entries.values()}

    def add(self, command: str, logprobs: list[float], origin: str) -> None:
        key = normalize(command)
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = PoolEntry(command, list(logprobs), [origin], 1)
            return
        entry.votes += 1
        if origin not in entry.origins:
            entry.origins.append(origin)
        if _mean(logprobs) > entry.mean_logprob:
            entry.logprobs = list(logprobs)

    def add_scored(self, commands: Sequence[str], scored: Sequence[Sample], origin: str) -> None:
        for command, sample in zip(commands, scored, strict=True):
            key = normalize(command)
            if key in self.entries:
                if origin not in self.entries[key].origins:
                    self.entries[key].origins.append(origin)
                continue
            self.entries[key] = PoolEntry(command, list(sample.token_logprobs), [origin], 0)

    def mark_retrieved(self, commands: Sequence[str]) -> None:
        """Commands adapted from retrieved examples, best first: those already in the pool
        (the model wrote them too) record their retrieval rank."""
        for rank, command in enumerate(commands, start=1):
            entry = self.entries.get(normalize(command))
            if entry is not None and entry.retrieval_rank is None:
                entry.retrieval_rank = rank
                if "retrieved" not in entry.origins:
                    entry.origins.append("retrieved")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else -math.inf


def pool_from_samples(samples: Iterable[Sample], dialect: str = "gnu") -> Pool:
    del dialect  # the dialect is checked in `validate`, against the real machine
    pool = Pool()
    for sample in samples:
        command = extract_command(sample.text)
        if command:
            pool.add(command, sample.token_logprobs, "greedy" if sample.greedy else "sample")
    return pool


# -- ranking -----------------------------------------------------------------------------------

INVALID_PENALTY = 100.0
# Ranking score = mean log-probability + RETRIEVAL_BONUS / retrieval rank
#                 + VALUE_WEIGHT * share of the request's values the command uses.
# Each weight was fitted on the odd half of `nlsh eval`'s tasks and checked on the even half
# (bench/eval.md). The retrieval bonus took even-half top-1 from 24.0% (log-probability alone)
# to 36.4%. The value term, added once retrieval matched by meaning, took odd-half top-1 from
# 41.7% to 43.3% and the even half's from 37.2% to 45.5%; any weight from 3 up does the same
# (coverage then decides before the model does), 1-2 do less.
RETRIEVAL_BONUS = 1.2
VALUE_WEIGHT = 4.0
# A right answer whose program is not installed is still shown (marked "needs cpio ...") in
# its place among the runnable ones; at an equal score, what runs here now goes first.
NEEDS_PENALTY = 0.1

# With a code model (`trust_model`), a retrieved command the model did not write itself gets
# no retrieval bonus; one that carries values the request never named (another file, another
# size) is an example's leftover and loses this much more.
FOREIGN_VALUE_PENALTY = 2.0


def rank(pool: Pool, context: ShellContext, *, request: str = "",
         checking: bool = True, checked: dict[str, Validation] | None = None,
         trust_model: bool = False) -> list[Candidate]:
    """Validate and rank: usable ones first (valid, or valid but for a program to install),
    then by `standing` (intent kept, values kept), each group by `ranking_score`.

    Invalid candidates are returned only when no usable one exists. `checking=False` skips
    validation (every candidate counts as valid): only for measuring what validation buys.
    `checked` keeps validations across calls for one request (the pipeline ranks twice).
    `trust_model`: the model is a code model, trusted over retrieved commands with foreign
    values (see FOREIGN_VALUE_PENALTY).
    """
    ranked: list[Candidate] = []
    wanted = request_values(request)
    unscored = _typical_logprob(pool)
    for entry in pool.entries.values():
        check = checked.get(entry.command) if checked is not None else None
        if check is None:
            check = validate(entry.command, context, request) if checking else \
                Validation(True, [])
            if checked is not None:
                checked[entry.command] = check
        mean = entry.mean_logprob
        used = coverage(wanted, entry.command)
        retrieval_rank = entry.retrieval_rank
        distrust = 0.0
        if trust_model and not written_by_model(entry):
            # Retrieval grounds a code model's answers; it does not outvote them.
            retrieval_rank = None
            if foreign_values(entry.command, request):
                distrust = FOREIGN_VALUE_PENALTY
        score = ranking_score(mean if entry.logprobs else unscored, retrieval_rank,
                              used) - distrust
        penalty = 0.0 if check.valid else NEEDS_PENALTY if check.only_needs else INVALID_PENALTY
        candidate = Candidate(
            command=entry.command,
            score=score - penalty,
            mean_logprob=mean,
            valid=check.valid,
            problems=list(check.problems),
            origins=entry.origins,
            votes=entry.votes,
            retrieval_rank=entry.retrieval_rank,
            value_coverage=used,
            needs=list(check.needs) if check.only_needs else [],
        )
        _mark_fit(candidate, request, context)
        ranked.append(candidate)
    ranked.sort(key=lambda c: (usable(c), *(-k for k in standing(c)), c.score), reverse=True)
    if any(usable(c) for c in ranked):
        ranked = [c for c in ranked if usable(c)]
    kept = [c for c in ranked if not _unfaithful_adaptation(c)]
    return kept if kept else ranked


def _unfaithful_adaptation(candidate: Candidate) -> bool:
    """A retrieved example the model did not also write, still carrying its own host,
    container, path or time span after adaptation: dropped (kept only if nothing else is)."""
    return candidate.origins == ["retrieved"] and bool(candidate.values_foreign)


def usable(candidate: Candidate) -> bool:
    """Valid, or valid but for programs a package provides (shown as "needs cpio ...")."""
    return candidate.valid or (bool(candidate.needs) and candidate.trial != "failed")


def standing(candidate: Candidate) -> tuple[int, int]:
    """(intent, values), 0 best: a command that does the opposite of the request, or that
    changes things when the user asked to look, or that leaves the asked action out, ranks
    below every one that keeps to the request; then one that leaves out or invents values."""
    intent = 2 if candidate.opposite else int(candidate.beyond_request or candidate.misses_action)
    values = int(bool(candidate.values_missing or candidate.values_foreign))
    return intent, values


def _mark_fit(candidate: Candidate, request: str, context: ShellContext) -> None:
    fit = fidelity.judge(candidate.command, request, context)
    candidate.values_missing = fit.values_missing
    candidate.values_foreign = fit.values_foreign
    candidate.beyond_request = fit.beyond_request
    candidate.opposite = fit.opposite
    candidate.misses_action = fit.misses_action or bool(fit.wrong_kind)  # "finds ... only"
    candidate.marks = fit.marks + [p for p in candidate.problems if p.startswith("needs ")
                                   and candidate.needs]


def order_after_trials(ranked: Sequence[Candidate]) -> list[Candidate]:
    """After the sandbox trials: a candidate that failed its trial goes below the others of
    its standing, but not below those of a worse standing, and not below one that was
    simply never tried for being further down (trials compare outcomes; not being tried is
    no outcome). Invalid ones stay last."""
    return sorted(ranked, key=lambda c: (
        not (usable(c) or c.trial == "failed"), standing(c), c.trial == "failed"))


def written_by_model(entry: PoolEntry) -> bool:
    return any(origin in ("greedy", "sample") for origin in entry.origins)


def foreign_values(command: str, request: str) -> bool:
    """Whether `command` uses a value (a name, a number) that the request does not name."""
    return any(not value.used_by(request) for value in request_values(command))


def _typical_logprob(pool: Pool) -> float:
    """What an unscored command (a retrieved one, from a server that cannot score) counts as:
    the median of the scored ones, so that retrieval and the request's values rank it."""
    means = sorted(e.mean_logprob for e in pool.entries.values() if e.logprobs)
    return means[len(means) // 2] if means else -math.inf


def ranking_score(mean_logprob: float, retrieval_rank: int | None,
                  value_coverage: float = 1.0) -> float:
    """The model's mean token log-probability, raised for commands adapted from the most
    similar corpus examples (the tiny model's probabilities alone pick a working command
    less often than they pick a similar example's) and for using the values the user named."""
    bonus = RETRIEVAL_BONUS / retrieval_rank if retrieval_rank else 0.0
    return mean_logprob + bonus + VALUE_WEIGHT * value_coverage


def annotate(candidates: Sequence[Candidate], context: ShellContext) -> None:
    """Attach risk (with blast radius) and the grounded one-line explanation to what is shown."""
    from nlsh.explain import one_line
    from nlsh.safety import assess

    for candidate in candidates:
        # Read-only commands need no disk walk; only what may change files gets a blast radius.
        risk = assess(candidate.command, cwd=context.cwd, blast_radius=False)
        if risk.level is not Level.SAFE:
            risk = assess(candidate.command, cwd=context.cwd)
        candidate.risk = risk
        candidate.explanation = one_line(candidate.command)
