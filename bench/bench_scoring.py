"""Scoring retrieved commands against generating: the packed forward against the padded batch.

    python bench/bench_scoring.py [--requests 6] [--profile native|avx2] [--out bench/out/s.json]

For each fixed request (bench_backend's prompt shape), generates greedy + 8 samples, then
scores 8 commands as the pipeline scores retrieved ones: once with the packed forward
(`FastEngine.forward_packed`: the continuations packed into one sequence after the cached
prompt, logits only where read) and once with the padded batch it replaced (the prompt's
key/values copied per row, every position padded to the longest row, logits for every
position). Reports p50 seconds and the ratio of scoring to generation. --profile avx2 must
be given as environment variables before torch starts, so this script re-runs itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_backend import EXAMPLES, REQUESTS, SYSTEM
from nlsh.records import Message

PROFILES = {"native": {}, "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2",
                                   "NLSH_CPU_BF16": "0"}}
COMMANDS = ["ls -lt", "wc -l README.md", "ss -ltnp | grep 8080", "tar czf docs.tar.gz docs",
            "find . -name '*.json' -size +1M", "whoami", "du -sh * | sort -h | tail",
            "git log --since='1 week ago' --oneline"]


class Padded:
    """The engine without its packed forward: the backend then scores the padded way."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        if name == "forward_packed":
            raise AttributeError(name)
        return getattr(self._engine, name)


def messages(request: str) -> list[Message]:
    out = [Message("system", SYSTEM)]
    for question, answer in EXAMPLES:
        out += [Message("user", question), Message("assistant", answer)]
    return [*out, Message("user", request)]


def run(requests: int) -> dict[str, Any]:
    from nlsh.backends.transformers_local import TransformersBackend
    from nlsh.config import load_settings

    backend = TransformersBackend.from_settings(load_settings({}))
    packed_engine = backend.engine
    times: dict[str, list[float]] = {"generate": [], "packed": [], "padded": []}
    for request in REQUESTS[:requests]:
        chat = messages(request)
        started = time.perf_counter()
        backend.generate(chat, n=8, temperature=0.5, max_new_tokens=32, stop=["\n"])
        times["generate"].append(time.perf_counter() - started)
        for name, engine in (("packed", packed_engine), ("padded", Padded(packed_engine))):
            backend.engine = engine
            started = time.perf_counter()
            backend.score(chat, COMMANDS)
            times[name].append(time.perf_counter() - started)
        backend.engine = packed_engine
    p50 = {name: statistics.median(values) for name, values in times.items()}
    return {"engine": backend.describe(), "p50_s": p50, "runs": times,
            "packed_share_of_generate": p50["packed"] / p50["generate"],
            "padded_share_of_generate": p50["padded"] / p50["generate"],
            "load_average": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="native")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:
        argv = [sys.executable, __file__, "--child", "--requests", str(args.requests)]
        done = subprocess.run(argv, env={**os.environ, **PROFILES[args.profile]},
                              capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr[-2000:], file=sys.stderr)
            return done.returncode
        result = {"profile": args.profile, **json.loads(done.stdout)}
        p50 = result["p50_s"]
        print(f"profile {args.profile}, engine {result['engine']['engine']}")
        print(f"generate greedy+8 p50 {p50['generate']:.3f} s; scoring 8 commands: packed "
              f"{p50['packed']:.3f} s ({result['packed_share_of_generate']:.0%} of generate), "
              f"padded {p50['padded']:.3f} s ({result['padded_share_of_generate']:.0%})")
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(result, indent=2) + "\n")
        return 0
    print(json.dumps(run(args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
