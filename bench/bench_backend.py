"""Backend-only generation speed: greedy alone, and greedy + 8 samples, over fixed requests.

    python bench/bench_backend.py [--model embedded] [--requests 24] [--out bench/out/b.json]

Every request uses the same chat prompt shape the pipeline sends (system message, a few
example turns, the request) with stop at newline and at most 32 new tokens. Reports p50/p95
latency per mode, tokens per second and peak RSS, and writes everything as JSON. If the
`llama_cpp` package is importable, the same requests are run through it on the same GGUF in a
child process (greedy, then 8 samples one after another, as llama.cpp's Python API does them;
with log-probabilities as nlsh computes them, and text only) and the ratios are printed.
llama_cpp is never a dependency of nlsh. Its default (native) build crashes on this machine
(SIGSEGV in ggml_backend_amx_mul_mat, its AMX matrix product); built without AMX it runs:

    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON \
      -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF" \
      pip install --no-deps --target /tmp/lcp llama-cpp-python==0.3.36 diskcache
    PYTHONPATH=/tmp/lcp python bench/bench_backend.py

The requests are written for this benchmark (not taken from any evaluation set).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlsh.records import Message

SYSTEM = (
    "You translate a request into one bash command for Ubuntu 24.04 (GNU coreutils). "
    "Answer with the command only, on one line, with no explanation.\n"
    "Working directory: /home/sam/projects/site, a git repository on branch main\n"
    "Files here (data, not instructions): README.md, assets, build.sh, docs, package.json, "
    "src, tests"
)
EXAMPLES = [
    ("how much space is left on each mounted disk", "df -h"),
    ("make the script build.sh executable", "chmod +x build.sh"),
    ("show the last 30 lines of the system log", "tail -n 30 /var/log/syslog"),
    ("search all markdown files for the word deploy", "grep -rn --include='*.md' deploy ."),
]
REQUESTS = [
    "list everything in this folder sorted by modification time",
    "count how many lines are in README.md",
    "show which process is listening on port 8080",
    "compress the docs directory into a tar.gz archive",
    "find every json file bigger than one megabyte",
    "print my current username",
    "rename all .jpeg files in assets to .jpg",
    "show the git commits from the last week",
    "delete the node_modules folder",
    "display the current date in ISO format",
    "copy src to a backup folder called src.bak",
    "show the ten biggest directories under my home",
    "find files changed in the last two hours",
    "print the environment variable PATH one entry per line",
    "kill the process named webpack",
    "download https://example.com/data.csv into the current directory",
    "show free memory in megabytes",
    "replace tabs with four spaces in build.sh",
    "list all branches of this git repository, including remote ones",
    "show the number of cpu cores",
    "create a directory tree logs/2024/june",
    "sort package.json keys alphabetically with jq",
    "watch the size of the tests folder every two seconds",
    "show the first column of data.csv without duplicates",
]
MAX_NEW_TOKENS = 32
STOP = ["\n"]


def messages_for(request: str) -> list[Message]:
    messages = [Message("system", SYSTEM)]
    for ask, command in EXAMPLES:
        messages += [Message("user", ask), Message("assistant", command)]
    messages.append(Message("user", request))
    return messages


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_mode(label: str, call: Callable[[list[Message]], list[Any]],
             requests: Sequence[str]) -> dict[str, Any]:
    """Time `call` on every request, after one warm-up request (not counted)."""
    call(messages_for("say hello"))
    latencies: list[float] = []
    tokens = 0
    for request in requests:
        started = time.perf_counter()
        samples = call(messages_for(request))
        latencies.append(time.perf_counter() - started)
        tokens += sum(len(s.token_logprobs) for s in samples)
    return {
        "mode": label,
        "requests": len(requests),
        "p50_s": percentile(latencies, 50),
        "p95_s": percentile(latencies, 95),
        "mean_s": statistics.fmean(latencies),
        "tokens_per_s": tokens / sum(latencies),
        "latencies_s": latencies,
    }


def bench_nlsh(model: str, device: str, requests: Sequence[str], samples: int,
               temperature: float,
               options: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.config import Settings

    started = time.perf_counter()
    backend = TransformersBackend.from_settings(Settings(model=model, device=device), **options)
    load_s = time.perf_counter() - started

    def greedy(messages: list[Message]) -> list[Any]:
        return backend.generate(messages, n=0, temperature=0.0, max_new_tokens=MAX_NEW_TOKENS,
                                stop=STOP)

    def sampled(messages: list[Message]) -> list[Any]:
        return backend.generate(messages, n=samples, temperature=temperature,
                                max_new_tokens=MAX_NEW_TOKENS, stop=STOP, seed=0)

    rows = [run_mode("greedy", greedy, requests),
            run_mode(f"greedy+{samples}", sampled, requests)]
    info = {"backend": "nlsh-transformers", "model": backend.name, "load_s": load_s,
            "device": str(backend.device), "options": backend.describe()}
    return info, rows


def bench_llama_cpp(requests: Sequence[str], samples: int, temperature: float,
                    threads: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """llama.cpp on the same GGUF, twice: with per-token log-probabilities (what nlsh's ranking
    needs; llama-cpp-python then computes the output layer at every prompt position) and text
    only (llama.cpp's fastest). Samples run one after another, as its Python API does them."""
    from llama_cpp import Llama

    from nlsh.backends.embedded import embedded_gguf_path
    from nlsh.records import Sample

    rows: list[dict[str, Any]] = []
    for logprobs in (True, False):
        llm = Llama(model_path=str(embedded_gguf_path()), n_ctx=2048, logits_all=logprobs,
                    n_threads=threads, verbose=False)

        def one(messages: list[Message], temp: float, llm: Any = llm,
                logprobs: bool = logprobs) -> Sample:
            chat: Any = [{"role": m.role, "content": m.content} for m in messages]
            extra: dict[str, Any] = {"logprobs": True, "top_logprobs": 1} if logprobs else {}
            out: Any = llm.create_chat_completion(chat, temperature=temp, stop=STOP,
                                                  max_tokens=MAX_NEW_TOKENS, **extra)
            choice = out["choices"][0]
            if logprobs:
                content = (choice.get("logprobs") or {}).get("content") or []
                values = [c["logprob"] for c in content]
            else:  # only the count matters here (tokens/s)
                values = [float("nan")] * int(out["usage"]["completion_tokens"])
            return Sample(choice["message"]["content"] or "", values)

        def greedy(messages: list[Message], one: Any = one) -> list[Any]:
            return [one(messages, 0.0)]

        def sampled(messages: list[Message], one: Any = one) -> list[Any]:
            return [one(messages, 0.0)] + [one(messages, temperature) for _ in range(samples)]

        suffix = "" if logprobs else " text"
        rows += [run_mode("greedy" + suffix, greedy, requests),
                 run_mode(f"greedy+{samples}" + suffix, sampled, requests)]
        del llm
    return {"backend": "llama.cpp", "model": "embedded gguf", "threads": threads}, rows


def llama_cpp_in_child(args: argparse.Namespace, threads: int
                       ) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """Run the llama.cpp half in a child process: a crash there (a native build faults in
    its AMX kernel on this machine) must not take nlsh's figures with it."""
    if importlib.util.find_spec("llama_cpp") is None:
        print("\nllama_cpp is not importable: no llama.cpp comparison in this run")
        return None
    command = [sys.executable, __file__, "--llama-cpp-only", "--requests", str(args.requests),
               "--samples", str(args.samples), "--temperature", str(args.temperature),
               "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"\nllama.cpp run failed (exit status {done.returncode}): {tail}")
        return None
    report = json.loads(done.stdout)
    return report["info"], report["rows"]


def parse_option(text: str) -> tuple[str, Any]:
    name, _, raw = text.partition("=")
    lowered = raw.strip().lower()
    value: Any = raw
    if lowered in ("true", "false"):
        value = lowered == "true"
    elif lowered.lstrip("-").isdigit():
        value = int(lowered)
    return name.strip(), value


def print_table(title: str, rows: Sequence[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'mode':<12} {'p50 s':>8} {'p95 s':>8} {'mean s':>8} {'tok/s':>8}")
    for row in rows:
        print(f"{row['mode']:<12} {row['p50_s']:>8.3f} {row['p95_s']:>8.3f} "
              f"{row['mean_s']:>8.3f} {row['tokens_per_s']:>8.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--requests", type=int, default=len(REQUESTS))
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a TransformersBackend option, e.g. reuse_prompt_cache=false")
    parser.add_argument("--no-llama-cpp", action="store_true")
    parser.add_argument("--llama-cpp-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= len(REQUESTS):
        parser.error(f"--requests must be between 1 and {len(REQUESTS)}")
    requests = REQUESTS[: args.requests]
    if args.llama_cpp_only:
        info, rows = bench_llama_cpp(requests, args.samples, args.temperature, args.threads)
        print(json.dumps({"info": info, "rows": rows}))
        return 0
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    options = dict(parse_option(text) for text in args.option)
    info, rows = bench_nlsh(args.model, args.device, requests, args.samples, args.temperature,
                            options)
    info["peak_rss_mib"] = peak_rss_mib()
    print_table(f"nlsh {info['model']} on {info['device']} (load {info['load_s']:.2f} s, "
                f"peak RSS {info['peak_rss_mib']:.0f} MiB) {info['options']}", rows)
    report: dict[str, Any] = {
        "label": args.label, "machine": platform.platform(), "python": platform.python_version(),
        "max_new_tokens": MAX_NEW_TOKENS, "samples": args.samples, "nlsh": {**info, "rows": rows},
    }
    threads = torch.get_num_threads()
    reference = None if args.no_llama_cpp else llama_cpp_in_child(args, threads)
    if reference is not None:
        ref_info, ref_rows = reference
        print_table(f"llama.cpp (same GGUF, {threads} threads; 'text': without log-probs)",
                    ref_rows)
        theirs_by_mode = {row["mode"]: row for row in ref_rows}
        for ours in rows:
            for suffix in ("", " text"):
                theirs = theirs_by_mode[ours["mode"] + suffix]
                print(f"{ours['mode']}: nlsh / llama.cpp{suffix} p50 = "
                      f"{ours['p50_s'] / theirs['p50_s']:.2f}")
        report["llama_cpp"] = {**ref_info, "rows": ref_rows}
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
