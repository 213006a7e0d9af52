"""`python -m nlsh.evaluation`: the eval without the main CLI (the options of `nlsh eval`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nlsh.evaluation import TECHNIQUES, cli_main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nlsh.evaluation",
        description="Execution-based benchmark: run nlsh's suggestions in sandboxed fixtures.")
    parser.add_argument("--model", help="model to evaluate (default: the configured one)")
    parser.add_argument("--samples", type=int, default=8, help="sampled answers per task (n)")
    parser.add_argument("--limit", type=int, help="only the first N tasks")
    parser.add_argument("--select", "-s", action="append", default=[], metavar="PATTERN",
                        help="task ids or program tags to run (shell pattern; repeatable)")
    parser.add_argument("--tasks", type=Path, help="a task file instead of the built-in")
    parser.add_argument("--out", type=Path, default=Path("eval-report.json"))
    parser.add_argument("--chart", type=Path, help="write a PNG chart here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    parser.add_argument("--baseline", action="store_true", help="turn all techniques off")
    parser.add_argument("--without", action="append", default=[], choices=sorted(TECHNIQUES),
                        help="turn one technique off (repeatable)")
    parser.add_argument("--shown", type=int, help="candidates counted for success@shown")
    parser.add_argument("--check-tasks", action="store_true",
                        help="no model: check references pass and wrong commands fail")
    parser.add_argument("--jobs", type=int, default=2, help="parallel runs for --check-tasks")
    parser.add_argument("--set", dest="task_set", choices=("lenient", "dev"), default="lenient",
                        help="dev: the strict dev set (judged against references)")
    parser.add_argument("--devset", dest="task_set", action="store_const", const="dev",
                        help="same as --set dev")
    parser.add_argument("--split", choices=("dev", "final", "all"), default="all",
                        help="dev-set split to run (final: never used for tuning)")
    args = parser.parse_args(argv)
    return cli_main(args.model, args.samples, args.limit, args.out, args.chart, args.tasks,
                    args.seed, args.progress, select=args.select, baseline=args.baseline,
                    without=args.without, shown=args.shown, check_tasks=args.check_tasks,
                    jobs=args.jobs, task_set=args.task_set, split=args.split)


if __name__ == "__main__":
    raise SystemExit(main())
