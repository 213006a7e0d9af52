"""The eval's task file: it loads, its fixtures build, every reference passes its own checks
and every listed wrong command fails them (all run contained), alternative correct commands
pass too, and no request is a near-duplicate of a corpus request."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from nlsh.evaluation.execution import judge_command
from nlsh.evaluation.fixtures import build_fixture
from nlsh.evaluation.selfcheck import check_tasks
from nlsh.evaluation.similarity import EDIT_LIMIT, JACCARD_LIMIT, nearest
from nlsh.evaluation.tasks import Task, load_tasks
from nlsh.sandbox import namespace_problem

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "nlsh" / "data" / "corpus.jsonl"


NAMESPACE_PROBLEM = namespace_problem()
needs_sandbox = pytest.mark.skipif(
    NAMESPACE_PROBLEM is not None,
    reason=f"eval commands only ever run contained; no sandbox here: {NAMESPACE_PROBLEM}")


@pytest.fixture(scope="module")
def tasks() -> list[Task]:
    return load_tasks().tasks


@pytest.fixture(scope="module")
def runner():
    from nlsh.evaluation.execution import contained_runner

    return contained_runner()


def by_id(tasks: list[Task], ident: str) -> Task:
    return next(t for t in tasks if t.id == ident)


def test_at_least_200_tasks_over_25_programs(tasks: list[Task]) -> None:
    assert len(tasks) >= 200
    assert len({t.id for t in tasks}) == len(tasks)
    programs = {p for t in tasks for p in t.programs}
    assert len(programs) >= 25, sorted(programs)
    for family in ("find", "grep", "sed", "awk", "sort", "uniq", "cut", "wc", "head", "tail",
                   "tar", "gzip", "zip", "du", "ls", "mkdir", "cp", "mv", "rm", "ln", "chmod",
                   "git", "jq", "date", "xargs"):
        assert family in programs, family
    print(f"\n{len(tasks)} tasks, {len(programs)} programs")


def test_the_task_file_is_generated_from_its_source() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import make_eval_tasks
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert make_eval_tasks.build() == (REPO / "nlsh" / "data" / "eval_tasks.jsonl").read_text(), \
        "nlsh/data/eval_tasks.jsonl is stale: run scripts/make_eval_tasks.py"


def test_program_tags_come_from_the_reference(tasks: list[Task]) -> None:
    from nlsh.shellparse import parse

    for task in tasks:
        commands = parse(task.reference).commands
        words = {c.program for c in commands} | {w for c in commands for w in c.argv}
        for program in task.programs:
            assert program in words, (task.id, program)


def test_every_fixture_builds_as_specified(tasks: list[Task], tmp_path: Path) -> None:
    now = time.time()
    for index, task in enumerate(tasks):
        root = tmp_path / str(index)
        root.mkdir()
        build_fixture(task.fixture, root, now=now)
        for spec in task.fixture.files:
            path = root / spec.path
            assert path.read_bytes() == spec.data, (task.id, spec.path)
            if spec.mode is not None:
                assert stat.S_IMODE(path.stat().st_mode) == spec.mode, (task.id, spec.path)
            if spec.age_s is not None:
                assert abs(path.stat().st_mtime - (now - spec.age_s)) < 1, (task.id, spec.path)
            if spec.mtime is not None:
                assert abs(path.stat().st_mtime - spec.mtime) < 1, (task.id, spec.path)
        for spec in task.fixture.dirs:
            assert (root / spec.path).is_dir(), (task.id, spec.path)
        for link, target in task.fixture.symlinks.items():
            assert os.readlink(root / link) == target, (task.id, link)
        if task.fixture.git is not None:
            assert (root / task.fixture.git.subdir / ".git" / "HEAD").is_file(), task.id
        for path in root.rglob("*"):  # let pytest clean up even after mode 000 fixtures
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)


@needs_sandbox
def test_every_reference_passes_and_every_wrong_command_fails(tasks: list[Task], runner) -> None:
    started = time.perf_counter()
    checks = check_tasks(tasks, runner, jobs=2)
    elapsed = time.perf_counter() - started
    problems = [p for c in checks for p in c.problems]
    wrong = sum(len(c.wrong) for c in checks)
    print(f"\n{len(checks)} references and {wrong} wrong commands judged, contained, "
          f"in {elapsed:.1f}s")
    assert not problems, "\n".join(problems)
    assert wrong >= len(tasks), "most tasks should list a plausible wrong command"
    assert all(c.reference.exit_code is not None for c in checks)


# Other correct commands for a sample of tasks: the checks judge effects, not spelling.
ALTERNATIVES = {
    "find.name.txt-recursive": ["find -type f -name '*.txt' -printf '%P\\n'",
                                "find \"$PWD\" -name '*.txt' -type f",
                                "find . -name '*.txt' | sort"],
    "find.size.over-1m": ["find . -type f -size +1000k", "find . -size +1048576c -type f"],
    "find.mtime.last-3-days": ["find . -type f -newermt '3 days ago'",
                               "find . -type f -mmin -4320"],
    "find.type.dirs": ["find . -type d", "find . -type d -printf '%P\\n'"],
    "find.hidden.top": ["find . -maxdepth 1 -name '.*'", "ls -A | grep '^\\.'"],
    "grep.count.error": ["grep ERROR app.log | wc -l", "awk '/ERROR/ {n++} END {print n}' app.log"],
    "grep.recursive.todo-files": ["grep -rl --include='*' TODO", "grep -lr TODO ./src ./docs"],
    "wc.lines.one-file": ["wc -l server.log", "awk 'END {print NR}' server.log"],
    "awk.sum.column": ["tail -n +2 staff.csv | cut -d, -f3 | paste -sd+ | bc"],
    "awk.group.sum": ["awk -F, 'NR>1 {a[$2]+=$3} END {for (k in a) printf \"%s\\t%d\\n\", k, a[k]}'"
                      " staff.csv"],
    "awk.count.status": ["cut -d' ' -f9 access.log | sort | uniq -c | sort -rn"],
    "sort.unique.lines": ["sort fruit.txt | uniq"],
    "head.nth-line": ["head -n 5 queue.txt | tail -n 1", "awk 'NR == 5' queue.txt"],
    "tar.create.gz": ["tar czf site.tar.gz site/", "tar -C site -czf site.tar.gz ."],
    "zip.create.recursive": ["cd docs && zip -qr ../docs.zip ."],
    "gzip.keep-original": ["gzip -c dump.sql > dump.sql.gz"],
    "mv.ext-bulk": ["for f in *.jpeg; do mv \"$f\" \"$(basename \"$f\" .jpeg).jpg\"; done"],
    "chmod.exec-user": ["chmod u+x backup.sh", "chmod 755 backup.sh"],
    "truncate.empty-log": ["> server.log", ": > server.log", "truncate --size=0 server.log"],
    "ln.symlink-replace": ["ln -sfT v2 current", "rm current && ln -s v2 current"],
    "git.branch.create-switch": ["git checkout -b fix/header"],
    "git.restore.file": ["git restore app.py"],
    "git.commit.all": ["git add . && git commit -m 'update docs'"],
    "jq.array.names": ["jq -r '.[] | .name' users.json", "jq -r 'map(.name)[]' users.json"],
    "date.add-days": ["date -d '2024-01-15 90 days' +%Y-%m-%d",
                      "date -d '2024-01-15 +90 days' +%F"],
    "date.weekday": ["date -d 2024-02-29 +%a", "date --date='29 Feb 2024' '+%A'"],
    "stat.size.bytes": ["wc -c < report.pdf", "du -b report.pdf", "ls -l report.pdf"],
    "du.total.assets": ["du -s assets", "du -sk assets", "du -sb assets"],
    "sed.replace.in-place": ["perl -pi -e 's/localhost/db.internal/g' config.ini"],
    "sed.number-lines": ["cat -n todo.txt", "awk '{print NR \": \" $0}' todo.txt"],
    "xargs.from-list": ["while IFS= read -r f; do rm -f -- \"$f\"; done < to-delete.txt"],
}


@needs_sandbox
def test_other_correct_commands_pass_too(tasks: list[Task], runner) -> None:
    failures = []
    for ident, commands in ALTERNATIVES.items():
        task = by_id(tasks, ident)
        for command in commands:
            verdict = judge_command(task, command, runner)
            if not verdict.passed:
                failures.append(f"{ident}: `{command}`: {'; '.join(verdict.reasons)}")
    assert not failures, "\n".join(failures)


@needs_sandbox
def test_a_command_cannot_pass_by_escaping_the_fixture(tasks: list[Task], runner) -> None:
    task = by_id(tasks, "sed.replace.in-place")
    # The expected content, written outside the fixture and linked in: checks must not follow.
    verdict = judge_command(
        task, "printf '[db]\\nhost = db.internal\\nreplica = db.internal:5433\\n[cache]\\n"
              "host = db.internal\\n' > /tmp/x.ini && rm config.ini && ln -s /tmp/x.ini config.ini",
        runner)
    assert not verdict.passed
    assert any("outside" in reason for reason in verdict.reasons), verdict.reasons


def test_no_eval_request_is_a_near_duplicate_of_a_corpus_request(tasks: list[Task]) -> None:
    assert CORPUS.is_file(), f"the corpus {CORPUS} is missing: disjointness cannot be checked"
    corpus = [json.loads(line)["request"] for line in CORPUS.read_text().splitlines()
              if line.strip()]
    assert corpus, "the corpus is empty"
    matches = nearest([t.request for t in tasks], corpus, floor=EDIT_LIMIT - 0.15)
    worst_jaccard = max(matches, key=lambda m: m.jaccard)
    worst_edit = max(matches, key=lambda m: m.edit)
    print(f"\nagainst {len(corpus)} corpus requests: max token Jaccard {worst_jaccard.jaccard:.2f} "
          f"({worst_jaccard.request!r} ~ {worst_jaccard.jaccard_with!r}); max edit similarity "
          f"{worst_edit.edit:.2f} ({worst_edit.request!r} ~ {worst_edit.edit_with!r})")
    duplicates = [f"{m.request!r}: Jaccard {m.jaccard:.2f} with {m.jaccard_with!r}, edit "
                  f"{m.edit:.2f} with {m.edit_with!r}" for m in matches if m.duplicate]
    assert not duplicates, (f"eval requests too close to the corpus (Jaccard >= {JACCARD_LIMIT} "
                            f"or edit >= {EDIT_LIMIT}):\n" + "\n".join(duplicates))
