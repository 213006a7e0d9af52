"""End-to-end latency of the client, the daemon and the shell key binding.

    python bench/bench_latency.py [--runs 10] [--model embedded] [--out bench/results/latency.json]

Measures, with the real embedded model (or --model) in an isolated home (temporary XDG dirs, so
the user's own daemon and history are untouched):

- `nlsh --help`                          start-up of the CLI (target <= 0.15 s)
- helper import                          `python -m nlsh.daemon.widget` imports only (no request)
- client + ping                          a new client process, connect, ping the warm daemon
- cold `nlsh suggest --json`             daemon not running: start, load, first answer (<= 8 s)
- warm `nlsh suggest --json`             daemon running, 8 samples + greedy (p50 <= 1.0 s)
- warm key-binding helper                what Ctrl-G runs, end to end (<= 1.2 s)
- Ctrl-G in zsh (tmux)                   key press to candidate on screen, when tmux and zsh exist
- daemon RSS                             after the warm runs (<= 1.5 GB)

It prints a table and writes JSON. Wall-clock figures depend on the machine and its load:
the JSON records the CPU count and load average next to them, the engine the daemon chose,
and the p50 of each stage the daemon reports (first greedy answer, generation, scoring,
checks, trials; samples drawn per request).

    --profile avx2    reproduce a CPU without AVX-512 and without native bf16 on any x86
                      machine (ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 NLSH_CPU_BF16=0)
    --warm-only       only the warm requests (and their stages): the figures issue 15 asks for
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REQUESTS = [
    "find files larger than 100MB here",
    "count the lines in every python file",
    "show the ten most recent git commits",
    "list the csv files sorted by size",
    "compress the logs folder into a tarball",
    "show which process listens on port 8080",
    "replace foo with bar in all markdown files",
    "show disk usage of each folder here",
    "delete empty directories under this one",
    "print the current date in ISO format",
]
TARGETS = {"help_s": 0.15, "cold_suggest_s": 8.0, "warm_suggest_p50_s": 1.0,
           "first_answer_p50_s": 0.5, "widget_p50_s": 1.2, "zsh_key_p50_s": 1.2,
           "daemon_rss_gb": 1.5}
PROFILES = {
    "native": {},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "NLSH_CPU_BF16": "0"},
}


Done = subprocess.CompletedProcess[bytes]


def timed(argv: Sequence[str], env: dict[str, str], cwd: Path,
          extra_env: dict[str, str] | None = None) -> tuple[float, Done]:
    started = time.perf_counter()
    done = subprocess.run(list(argv), env={**env, **(extra_env or {})}, cwd=cwd,
                          capture_output=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv[:4])} failed: "
                         f"{done.stderr.decode(errors='replace').strip()[-500:]}")
    return elapsed, done


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p90": p90, "min": ordered[0],
            "max": ordered[-1], "n": len(ordered)}


def isolated_env(root: Path, model: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLSH_")}
    for var, name in (("XDG_RUNTIME_DIR", "run"), ("XDG_STATE_HOME", "state"),
                      ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        path = root / name
        path.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(path)
    env["PYTHONPATH"] = str(REPO)
    env["NLSH_MODEL"] = model
    env["NLSH_CONFIG"] = str(root / "config" / "config.toml")
    env["NLSH_SAMPLES"] = "8"
    env["SHELL"] = shutil.which("zsh") or shutil.which("bash") or "/bin/sh"
    return env


def resolve_model(model: str) -> str:
    """'embedded' -> its converted checkpoint in the user cache (converting once if needed),
    so the cold-start figure is the daemon's, not the one-time conversion's."""
    if model != "embedded":
        return model
    sys.path.insert(0, str(REPO))
    from nlsh.backends import embedded

    return str(embedded.ensure_converted(embedded.embedded_gguf_path(), embedded.EMBEDDED_NAME))


def nlsh(*args: str) -> list[str]:
    return [sys.executable, "-m", "nlsh", *args]


def stop_daemon(env: dict[str, str], cwd: Path) -> None:
    subprocess.run(nlsh("daemon", "stop"), env=env, cwd=cwd, capture_output=True, timeout=60)


def daemon_status(env: dict[str, str], cwd: Path) -> dict[str, object]:
    done = subprocess.run(nlsh("daemon", "status", "--json"), env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=60)
    return dict(json.loads(done.stdout)) if done.stdout.strip() else {}


def bench_help(env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    timed(nlsh("--help"), env, cwd)  # warm the page cache
    return [timed(nlsh("--help"), env, cwd)[0] for _ in range(runs)]


def bench_helper_import(env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    argv = [sys.executable, "-c", "import nlsh.daemon.widget, nlsh.context, nlsh.daemon.client"]
    return [timed(argv, env, cwd)[0] for _ in range(runs)]


def bench_cold(env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    out = []
    for i in range(runs):
        stop_daemon(env, cwd)
        out.append(timed(nlsh("suggest", "--json", REQUESTS[i % len(REQUESTS)]), env, cwd)[0])
    return out


def bench_warm(env: dict[str, str], cwd: Path, runs: int,
               stages: dict[str, list[float]]) -> list[float]:
    timed(nlsh("suggest", "--json", "warm up"), env, cwd)
    out = []
    for i in range(runs):
        elapsed, done = timed(nlsh("suggest", "--json", REQUESTS[i % len(REQUESTS)]), env, cwd)
        out.append(elapsed)
        for key, value in json.loads(done.stdout)["timings"].items():
            stages.setdefault(key, []).append(float(value))
    return out


PING = ("from nlsh.config import load_settings; from nlsh.daemon.client import call; "
        "call(load_settings(), 'ping', {})")


def bench_ping(env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    """A new client process asking the warm daemon for nothing: the fixed cost of a request."""
    return [timed([sys.executable, "-c", PING], env, cwd)[0] for _ in range(runs)]


def bench_widget(env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    argv = [sys.executable, "-m", "nlsh.daemon.widget", "--shell", "zsh"]
    return [timed(argv, env, cwd, {"NLSH_WIDGET_BUFFER": REQUESTS[i % len(REQUESTS)]})[0]
            for i in range(runs)]


def bench_zsh_key(env: dict[str, str], cwd: Path, root: Path, runs: int) -> list[float] | None:
    """Key press to candidate on the screen, in a real zsh under tmux (polled every 50 ms)."""
    if not (shutil.which("tmux") and shutil.which("zsh")):
        return None
    init = subprocess.run(nlsh("init", "zsh"), env=env, cwd=cwd, capture_output=True,
                          text=True, check=True).stdout
    rc = root / "bench.zsh"
    rc.write_text("PS1='P> '\n" + init)
    sock = str(root / "tmux.sock")

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", *args], env=env,
                              capture_output=True, text=True, timeout=30).stdout

    tmux("new-session", "-d", "-x", "200", "-y", "50", "-c", str(cwd), "zsh", "-f")
    try:
        tmux("send-keys", "-l", f"source {rc}")
        tmux("send-keys", "Enter")
        wait(lambda: "P>" in tmux("capture-pane", "-p"))
        out = []
        for i in range(runs):
            tmux("send-keys", "C-u")
            request = REQUESTS[i % len(REQUESTS)]
            tmux("send-keys", "-l", request)
            wait(lambda: request in tmux("capture-pane", "-p"))  # noqa: B023
            tmux("send-keys", "C-l")
            wait(lambda: "nlsh 1/" not in tmux("capture-pane", "-p"))
            started = time.perf_counter()
            tmux("send-keys", "C-g")
            wait(lambda: answered(tmux("capture-pane", "-p")), poll_s=0.05)
            out.append(time.perf_counter() - started)
        return out
    finally:
        tmux("kill-server")


def answered(screen: str) -> bool:
    """The widget's note ("nlsh 1/3 [safe] …") or its one-line message is on the screen (not
    the "thinking…" line it shows while waiting)."""
    return any(line.startswith("nlsh 1/") or
               (line.startswith("nlsh: ") and not line.startswith(("nlsh: thinking",
                                                                    "nlsh: starting")))
               for line in screen.splitlines())


def wait(predicate: Callable[[], bool], poll_s: float = 0.05, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll_s)
    raise SystemExit("bench: gave up waiting for the shell")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latency.json")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="native")
    parser.add_argument("--warm-only", action="store_true")
    args = parser.parse_args(argv)

    model = resolve_model(args.model)
    root = Path(tempfile.mkdtemp(prefix="nlsh-bench-"))
    cwd = root / "work"
    cwd.mkdir()
    for name in ("notes.txt", "report.csv", "main.py", "logs"):
        (cwd / name).write_text(name + "\n")
    env = {**isolated_env(root, model), **PROFILES[args.profile]}
    results: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(),
                    "python": sys.version.split()[0]},
        "profile": args.profile, "model": args.model, "runs": args.runs, "targets": TARGETS,
    }
    stages: dict[str, list[float]] = {}
    try:
        rows = []
        if not args.warm_only:
            rows += [
                ("nlsh --help", "help_s", summary(bench_help(env, cwd, args.runs))),
                ("helper imports (no request)", "helper_import_s",
                 summary(bench_helper_import(env, cwd, args.runs))),
                ("cold nlsh suggest --json", "cold_suggest_s",
                 summary(bench_cold(env, cwd, args.cold_runs))),
            ]
        rows.append(("warm nlsh suggest --json (8 samples)", "warm_suggest_s",
                     summary(bench_warm(env, cwd, args.runs, stages))))
        labels = {"total_s": "  of which in the daemon", "first_answer_s": "  first greedy answer",
                  "generate_s": "  generate (all samples)", "score_s": "  score retrieved",
                  "check_s": "  checks", "trial_s": "  trials (after scoring)",
                  "samples": "  samples drawn (count)"}
        rows += [(label, f"stage_{key}", summary(stages[key]))
                 for key, label in labels.items() if stages.get(key)]
        if not args.warm_only:
            rows += [
                ("client process + ping round trip", "ping_s",
                 summary(bench_ping(env, cwd, args.runs))),
                ("warm key-binding helper (zsh)", "widget_s",
                 summary(bench_widget(env, cwd, args.runs))),
            ]
            zsh_key = bench_zsh_key(env, cwd, root, args.runs)
            if zsh_key:
                rows.append(("Ctrl-G in zsh, key to screen", "zsh_key_s", summary(zsh_key)))
        status = daemon_status(env, cwd)
        results["engine"] = status.get("engine")
        rss_gb = float(status.get("rss_bytes", 0)) / (1 << 30)  # type: ignore[arg-type]
    finally:
        stop_daemon(env, cwd)
        shutil.rmtree(root, ignore_errors=True)

    print(f"{'measure':<40}{'p50':>9}{'p90':>9}{'min':>9}{'max':>9}{'n':>5}")
    for label, key, stats in rows:
        results[key] = stats
        print(f"{label:<40}{stats['p50']:>8.3f}s{stats['p90']:>8.3f}s{stats['min']:>8.3f}s"
              f"{stats['max']:>8.3f}s{int(stats['n']):>5}")
    results["daemon_rss_gb"] = round(rss_gb, 3)
    results["daemon_load_s"] = status.get("load_s")
    print(f"{'daemon RSS after the runs':<40}{rss_gb:>8.2f} GB")
    print(f"{'daemon model load':<40}{status.get('load_s')} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
