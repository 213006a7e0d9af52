"""Fine-tuning the embedded model on our corpus (Codex-S style), as a low-rank adapter.

Each training example is exactly what the pipeline would send for a corpus request: the
system message for a plausible directory, the retrieved examples as earlier turns, then the
request; the target is the corpus command. So the model learns the answer format and, above
all, to adapt a retrieved example to the request's own values.

Retrieval runs as it would for a user, with the example's own entry left out. For half the
examples its whole task is left out as well (the model must compose the answer, not copy a
rephrasing); for the other half another phrasing of the same task, usually with different
values, may be among the examples, and the model learns to carry the request's values over.

`scripts/finetune.py` is the command line; the shipped adapter is two runs of it (its
docstring), the second continuing the first with another seed.
"""

from __future__ import annotations

import math
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nlsh import prompting
from nlsh.records import Message, ShellContext

FILLER_NAMES = (
    "README.md", "notes.txt", "src", "docs", "build", "data", "Makefile", "main.py",
    "config.yaml", "report.pdf", "photos", "backup.tar.gz", "package.json", "logs",
    "todo.txt", "scripts", "setup.py", "index.html", "music", "Downloads", "tests",
    "requirements.txt", "app.log", "styles.css", "server.js", "Dockerfile", "images",
)
_FILE_WORD = re.compile(r"(?<![\w*/-])[\w][\w.-]*\.[A-Za-z0-9]{1,5}(?![\w*])")
_DIRECTORIES = ("/home/alex/project", "/home/sam", "/srv/www", "/home/kim/work/site",
                "/var/tmp/scratch", "/home/jo/Documents", "/Users/lee/code")
DISTROS = {"gnu": ("Linux", "Debian GNU/Linux 12"), "bsd": ("Darwin", "macOS 14")}


def corpus_sha256() -> str:
    """The digest of the shipped corpus (recorded in the adapter it trained)."""
    from nlsh.embeddings import corpus_digest
    from nlsh.paths import data_file
    from nlsh.retrieval import CORPUS_FILE

    return corpus_digest(data_file(CORPUS_FILE))


@dataclass
class TrainingExample:
    entry_id: str
    messages: list[Message]
    completion: str


def synthetic_context(command: str, dialect: str, rng: random.Random) -> ShellContext:
    """A directory like one the request might be asked in: the files the command names, and
    a few unrelated ones (or nothing, now and then)."""
    userland = "bsd" if dialect == "bsd" else "gnu"
    os_name, distro = DISTROS[userland]
    named = [m for m in _FILE_WORD.findall(command) if not m[0].isdigit()]
    listing: list[str] = []
    if rng.random() > 0.15:
        listing = rng.sample(FILLER_NAMES, rng.randint(2, 9))
        listing.extend(name for name in named if name not in listing)
        rng.shuffle(listing)
    cwd = rng.choice(_DIRECTORIES)
    if userland == "bsd":
        cwd = "/Users/" + cwd.split("/", 3)[-1]
    return ShellContext(os_name=os_name, userland=userland, distro=distro,
                        shell=rng.choice(("bash", "zsh")), shell_version=None, cwd=cwd,
                        listing=listing)


def build_examples(entries: Sequence[Any], retriever: Any, *, examples: int = 4,
                   hard_fraction: float = 0.5, seed: int = 0,
                   progress: Callable[[int, int], None] | None = None) -> list[TrainingExample]:
    """One training example per corpus entry (see the module docstring)."""
    from nlsh.pipeline import SuggestRequest

    rng = random.Random(seed)
    by_task: dict[str, list[Any]] = {}
    for known in retriever.corpus:
        by_task.setdefault(known.task, []).append(known)
    built: list[TrainingExample] = []
    for number, entry in enumerate(entries):
        context = synthetic_context(entry.command, entry.dialect, rng)
        found = retriever.search(entry.request, k=examples + 4, dialect=context.userland)
        hard = rng.random() < hard_fraction
        kept = []
        for example in found:
            if example.task == entry.task:
                if hard:
                    continue
                # Retrieval shows a task by its closest phrasing, here the entry itself: show
                # a sibling instead, as a user's request would meet one.
                example = _sibling(example, entry, by_task.get(entry.task, []), rng)
                if example is None:
                    continue
            kept.append(example)
        request = SuggestRequest(entry.request, context)
        messages = prompting.build_messages(request, kept[:examples])
        built.append(TrainingExample(entry.id, messages, entry.command))
        if progress is not None:
            progress(number + 1, len(entries))
    return built


def _sibling(example: Any, entry: Any, task_entries: Sequence[Any], rng: random.Random
             ) -> Any | None:
    """`example` if it is not `entry`'s own phrasing, else another entry of the same task."""
    from dataclasses import replace

    if example.request != entry.request:
        return example
    others = [e for e in task_entries if e.request != entry.request
              and e.command != entry.command] or \
        [e for e in task_entries if e.request != entry.request]
    if not others:
        return None
    other = rng.choice(others)
    return replace(example, request=other.request, command=other.command)


@dataclass
class EncodedExample:
    ids: list[int]
    labels: list[int]  # -100 where no loss is taken (the prompt)


def encode(example: TrainingExample, tokenizer: Any, end_token: str = "<|im_end|>"
           ) -> EncodedExample:
    """Prompt tokens as the backend renders them, then the answer and its end token."""
    chat = [{"role": m.role, "content": m.content} for m in example.messages]
    prompt_text = tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    prompt = list(tokenizer(prompt_text + prompting.ANSWER_PREFIX,
                            add_special_tokens=False)["input_ids"])
    answer = list(tokenizer(example.completion + end_token, add_special_tokens=False)["input_ids"])
    return EncodedExample(prompt + answer, [-100] * len(prompt) + answer)


@dataclass
class TrainingPlan:
    rank: int = 8
    alpha: float = 16.0
    learning_rate: float = 1e-3
    batch_size: int = 8
    epochs: float = 1.0  # every corpus entry once: 777 steps
    warmup_steps: int = 20
    max_tokens: int = 512  # longer examples are skipped (none are, with 4 examples)
    seed: int = 0


def learning_rate_at(step: int, total: int, plan: TrainingPlan) -> float:
    """Linear warm-up, then cosine decay to a tenth."""
    if step < plan.warmup_steps:
        return plan.learning_rate * (step + 1) / plan.warmup_steps
    done = (step - plan.warmup_steps) / max(1, total - plan.warmup_steps)
    return plan.learning_rate * (0.1 + 0.45 * (1 + math.cos(math.pi * min(1.0, done))))


def batches(encoded: Sequence[EncodedExample], plan: TrainingPlan) -> list[list[int]]:
    """Indices per step, shuffled, grouped by similar length (less padding)."""
    rng = random.Random(plan.seed)
    order = [i for i, e in enumerate(encoded) if len(e.ids) <= plan.max_tokens]
    total = max(1, round(len(order) * plan.epochs))
    chosen: list[int] = []
    while len(chosen) < total:
        rng.shuffle(order)
        chosen.extend(order[: total - len(chosen)])
    groups = [chosen[i:i + plan.batch_size * 16] for i in range(0, len(chosen),
                                                                  plan.batch_size * 16)]
    steps: list[list[int]] = []
    for group in groups:
        group.sort(key=lambda i: len(encoded[i].ids))
        steps.extend(group[i:i + plan.batch_size] for i in range(0, len(group), plan.batch_size))
    rng.shuffle(steps)
    return steps


def collate(items: Sequence[EncodedExample], pad_id: int) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(e.ids) for e in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    labels = torch.full((len(items), width), -100, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for row, item in enumerate(items):
        ids[row, : len(item.ids)] = torch.tensor(item.ids)
        labels[row, : len(item.labels)] = torch.tensor(item.labels)
        mask[row, : len(item.ids)] = 1
    return ids, labels, mask


def train(model: Any, encoded: Sequence[EncodedExample], plan: TrainingPlan, *, pad_id: int,
          log: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True)
          ) -> list[float]:
    """Train the adapter `attach` put on `model`; returns the loss of each step."""
    import torch

    torch.manual_seed(plan.seed)
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise ValueError("nothing to train: attach an adapter first")
    optimizer = torch.optim.AdamW(trainable, lr=plan.learning_rate, weight_decay=0.0)
    steps = batches(encoded, plan)
    device = next(model.parameters()).device
    losses: list[float] = []
    started = time.monotonic()
    model.train()
    for step, indices in enumerate(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(step, len(steps), plan)
        ids, labels, mask = (t.to(device) for t in collate([encoded[i] for i in indices], pad_id))
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        losses.append(loss.item())
        if step % 10 == 0 or step == len(steps) - 1:
            recent = losses[-10:]
            elapsed = time.monotonic() - started
            left = elapsed / (step + 1) * (len(steps) - step - 1)
            log(f"step {step + 1}/{len(steps)}  loss {sum(recent) / len(recent):.3f}  "
                f"{elapsed:.0f} s, about {left:.0f} s left")
    model.eval()
    return losses
