"""Writing an eval's results: the JSON report and a PNG chart (matplotlib, Agg backend)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

MIN_TASKS_PER_PROGRAM = 3  # programs with fewer tasks are left off the chart (not the JSON)
MAX_PROGRAMS = 40


def write_json(report: dict[str, Any], path: Path) -> None:
    """Write atomically: a half-written report after an interrupted run would mislead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=1, ensure_ascii=False)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def overall_bars(summary: dict[str, Any], shown: int) -> list[tuple[str, float]]:
    """(label, value) for the headline figures that are defined."""
    bars: list[tuple[str, float | None]] = [
        ("top-1", summary.get("top1")),
        (f"success@{shown}", summary.get("success_at_shown")),
        ("oracle", summary.get("oracle")),  # some ranked candidate passed
    ]
    bars += [(f"pass@{k}", v) for k, v in summary.get("pass_at", {}).items()]
    bars += [("random pick", summary.get("random_pick")), ("greedy", summary.get("greedy"))]
    return [(label, float(value)) for label, value in bars if value is not None]


def chart_programs(by_program: dict[str, Any], most: int = MAX_PROGRAMS
                   ) -> list[tuple[str, dict[str, Any]]]:
    """The programs worth a bar: those with a few tasks (all of them on a small run), the
    most used first, at most `most`."""
    ordered = sorted(by_program.items(), key=lambda item: (-item[1]["tasks"], item[0]))
    frequent = [item for item in ordered if item[1]["tasks"] >= MIN_TASKS_PER_PROGRAM]
    return (frequent if len(frequent) >= 2 else ordered)[:most]


def write_chart(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = int(report.get("settings", {}).get("shown", 3))
    bars = overall_bars(report["summary"], shown)
    # The dev set's bottom panel: its categories (each with a dev and a final split).
    groups = report.get("by_category") or report["by_program"]
    programs = chart_programs(groups)
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(max(9.0, 0.55 * len(programs) + 2), 8.5),
        gridspec_kw={"height_ratios": [1, 1.2]})
    labels = [label for label, _ in bars]
    values = [value * 100 for _, value in bars]
    colours = ["#3b6ea5" if not label.startswith(("random", "greedy")) else "#9aa5b1"
               for label in labels]
    drawn = top.bar(labels, values, color=colours)
    top.bar_label(drawn, fmt="%.1f", padding=2, fontsize=8)
    top.set_ylim(0, 105)
    top.set_ylabel("% of tasks")
    summary = report["summary"]
    techniques = ", ".join(f"{k} {v.split()[0]}" for k, v in report.get("techniques", {}).items())
    top.set_title(f"nlsh eval - {report['model']} - {summary['tasks']} tasks, "
                  f"n={report['settings'].get('samples')} samples\n{techniques}", fontsize=10)
    names = [f"{name}\n({s['tasks']})" for name, s in programs]
    positions = range(len(programs))
    width = 0.4
    top1 = [s["top1"] * 100 for _, s in programs]
    best = [(s["pass_at"].get("8") or s["pass_at"].get("3") or s["pass_at"].get("1") or 0) * 100
            for _, s in programs]
    bottom.bar([p - width / 2 for p in positions], top1, width, label="top-1", color="#3b6ea5")
    bottom.bar([p + width / 2 for p in positions], best, width, label="pass@8 (or largest k)",
               color="#e0a33b")
    bottom.set_xticks(list(positions))
    bottom.set_xticklabels(names, rotation=60, ha="right", fontsize=7)
    bottom.set_ylim(0, 105)
    bottom.set_ylabel("% of tasks")
    least = min((s["tasks"] for _, s in programs), default=0)
    bottom.set_title("by category (strict: the same output and effect as the reference on "
                     "every world)" if "by_category" in report else
                     f"by program (tasks using it; programs with {least}+ tasks)", fontsize=10)
    bottom.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
