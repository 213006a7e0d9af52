"""Side by side: several `nlsh eval` reports (models, or techniques on and off).

    nlsh eval --baseline --out bench/out/eval-baseline.json
    nlsh eval --without retrieval --out bench/out/eval-no-retrieval.json
    nlsh eval --out bench/out/eval-full.json
    python bench/eval_compare.py bench/out/eval-baseline.json bench/out/eval-no-retrieval.json \\
        bench/out/eval-full.json [--chart bench/out/eval-compare.png]

Prints a Markdown table (one row per report: model, techniques off, the headline figures,
latency) for the project note, and optionally a grouped bar chart. Reports over different
task selections are flagged: their figures are not comparable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

COLUMNS = ("top-1", "success@shown", "random pick", "pass@1", "pass@3", "pass@8")


def label(report: dict[str, Any]) -> str:
    off = [name for name, state in report.get("techniques", {}).items() if state == "off"]
    return f"{report['model']}" + (f" without {', '.join(off)}" if off else "")


def figures(report: dict[str, Any]) -> dict[str, float | None]:
    s = report["summary"]
    return {
        "top-1": s["top1"],
        "success@shown": s["success_at_shown"],
        "random pick": s["random_pick"],
        "pass@1": s["pass_at"].get("1"),
        "pass@3": s["pass_at"].get("3"),
        "pass@8": s["pass_at"].get("8"),
    }


def table(reports: list[dict[str, Any]]) -> str:
    head = ["run", "tasks", *COLUMNS, "p50 s", "p95 s"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for report in reports:
        values = figures(report)
        cells = [label(report), str(report["summary"]["tasks"])]
        cells += ["n/a" if values[c] is None else f"{values[c]:.1%}" for c in COLUMNS]
        s = report["summary"]
        cells += [f"{s['latency_p50_s'] or 0:.2f}", f"{s['latency_p95_s'] or 0:.2f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def chart(reports: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(reports)
    for index, report in enumerate(reports):
        values = figures(report)
        xs = [i + index * width for i in range(len(COLUMNS))]
        axes.bar(xs, [(values[c] or 0) * 100 for c in COLUMNS], width, label=label(report))
    axes.set_xticks([i + 0.4 - width / 2 for i in range(len(COLUMNS))])
    axes.set_xticklabels(COLUMNS)
    axes.set_ylabel("% of tasks")
    axes.set_ylim(0, 100)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> int:
    parser = argparse.ArgumentParser(description="Compare nlsh eval reports.")
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--chart", type=Path)
    args = parser.parse_args()
    reports = []
    for path in args.reports:
        try:
            reports.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            print(f"eval_compare: cannot read {path}: {exc}", file=sys.stderr)
            return 2
    selections = {json.dumps(r.get("selection", {}).get("patterns")) + str(r["summary"]["tasks"])
                  for r in reports}
    if len(selections) > 1:
        print("eval_compare: warning: the reports cover different task selections",
              file=sys.stderr)
    print(table(reports))
    if args.chart:
        chart(reports, args.chart)
        print(f"chart: {args.chart}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
