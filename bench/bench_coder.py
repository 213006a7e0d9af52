"""The code model (a K-quant GGUF such as Qwen2.5-Coder-1.5B-Instruct Q4_K_M) on the CPU.

    python bench/bench_coder.py --gguf /work/coder/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        [--profiles native,avx2] [--runs 6] [--samples 4] [--convert] [--out FILE.json]

For each CPU profile, in a child process (the profile must be set before torch loads):
- native: this CPU as it is;
- avx2:   a laptop without native bf16, reproduced with ATEN_CPU_CAPABILITY=avx2,
          ONEDNN_MAX_CPU_ISA=AVX2 and NLSH_CPU_BF16=0 (nlsh's engine choice sees no bf16:
          fp32 between the int4 products);
- avx2-bf16: the same, with bf16 between the products (NLSH_CPU_BF16=1), to compare.

It reports:
- with --convert (first profile only): the one-time conversion in a fresh cache: seconds,
  peak RSS of the converting process, and the size of the converted cache;
- the load of the converted model (seconds, RSS);
- warm end-to-end `Pipeline.run` (prompt, greedy + `--samples` samples, scoring, ranking,
  trials) on fixed requests: p50 wall seconds, p50 CPU seconds of the process, each stage's
  p50, and the prompt length in tokens.

On a shared machine wall-clock figures mostly measure the other jobs: the CPU seconds (one
torch thread) are the better estimate of a quiet machine's wall time. The load average is
recorded next to every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REQUESTS = [
    "find files larger than 100MB here",
    "count the lines in every python file",
    "list the csv files sorted by size",
    "compress the logs folder into logs.tar.gz",
    "replace foo with bar in all markdown files",
    "show disk usage of each folder here",
    "delete empty directories under this one",
    "show the 5 most recently modified files",
]
PROFILES = {
    "native": {},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "NLSH_CPU_BF16": "0"},
    # The same emulated laptop, but bf16 between the int4 products (to compare the choice).
    "avx2-bf16": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2",
                  "NLSH_CPU_BF16": "1"},
}


def _load() -> float:
    return os.getloadavg()[0]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def convert(gguf: Path) -> dict[str, Any]:
    from nlsh.backends import embedded

    started = time.monotonic()
    load = _load()
    directory = embedded.ensure_converted(gguf, gguf.name.removesuffix(".gguf"))
    return {"convert_s": round(time.monotonic() - started, 1), "convert_peak_rss_mb":
            round(_peak_mb()), "cache_mb": round(_dir_mb(directory)), "load_average": load,
            "cache_dir": directory.name}


def run_requests(gguf: Path, runs: int, samples: int) -> dict[str, Any]:
    import torch

    from nlsh.config import Settings
    from nlsh.context import gather_context
    from nlsh.pipeline import Pipeline, SuggestRequest

    started = time.monotonic()
    settings = Settings(model=str(gguf), samples=samples, adapter="none")
    pipeline = Pipeline(settings)
    backend: Any = pipeline.backend
    load_s = time.monotonic() - started
    context = gather_context(REPO)
    warm = SuggestRequest(request="list the files here", context=context)
    pipeline.run(warm)  # fills the prefix cache and the retriever
    walls, cpus, stages, answers, prompt_tokens = [], [], {}, [], []
    loads = []
    for i in range(runs):
        req = SuggestRequest(request=REQUESTS[i % len(REQUESTS)], context=context)
        messages = pipeline._messages(req, pipeline._examples(req))
        prompt_tokens.append(len(backend.encode_prompt(messages)))
        loads.append(_load())
        cpu = time.process_time()
        wall = time.perf_counter()
        result = pipeline.run(req)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        for name, value in result.suggestion.timings.items():
            stages.setdefault(name, []).append(value)
        greedy = next((s.command for s in result.samples if s.greedy), None)
        answers.append({"request": req.request, "greedy": greedy,
                        "top": [c.command for c in result.suggestion.candidates[:3]]})
    return {
        "engine": backend.describe().get("engine"), "threads": torch.get_num_threads(),
        "load_s": round(load_s, 1), "rss_mb": round(_rss_mb()), "peak_rss_mb": round(_peak_mb()),
        "warm_p50_s": round(statistics.median(walls), 2),
        "warm_cpu_p50_s": round(statistics.median(cpus), 2),
        "wall_s": [round(w, 2) for w in walls], "cpu_s": [round(c, 2) for c in cpus],
        "stages_p50_s": {k: round(statistics.median(v), 2) for k, v in stages.items()},
        "prompt_tokens_max": max(prompt_tokens), "prompt_tokens_p50": statistics.median(
            prompt_tokens), "load_average": [round(x, 1) for x in loads], "answers": answers,
    }


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO))
    out: dict[str, Any] = {"profile": args.profile}
    gguf = Path(args.gguf)
    if args.convert:
        out.update(convert(gguf))
    out.update(run_requests(gguf, args.runs, args.samples))
    print("RESULT " + json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--profiles", default="native,avx2")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--threads", default="1", help="OMP_NUM_THREADS for the runs")
    parser.add_argument("--convert", action="store_true",
                        help="convert in a fresh cache first (minutes)")
    parser.add_argument("--cache", help="XDG_CACHE_HOME to use (default: a fresh temporary "
                        "one with --convert, else the user's)")
    parser.add_argument("--out")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    cache = args.cache or (tempfile.mkdtemp(prefix="nlsh-coder-") if args.convert else None)
    results = []
    for index, profile in enumerate(args.profiles.split(",")):
        env = {**os.environ, **PROFILES[profile], "PYTHONPATH": str(REPO),
               "OMP_NUM_THREADS": args.threads}
        if cache:
            env["XDG_CACHE_HOME"] = cache
        argv = [sys.executable, __file__, "--child", "--profile", profile, "--gguf", args.gguf,
                "--runs", str(args.runs), "--samples", str(args.samples)]
        if args.convert and index == 0:
            argv.append("--convert")
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=7200)
        lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"bench: the {profile} run failed: {done.stderr.strip()[-800:]}")
        result = json.loads(lines[-1].removeprefix("RESULT "))
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "answers"}), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps({"cpus": os.cpu_count(), "results": results},
                                             indent=2) + "\n")


if __name__ == "__main__":
    main()
