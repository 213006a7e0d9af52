"""Nothing runs without passing the gate: proven statically over the source and dynamically."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nlsh import gate
from nlsh.execute import run_approved
from nlsh.records import Level, Risk

PACKAGE = Path(__file__).resolve().parent.parent / "nlsh"

SPAWNERS = {
    ("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "call"),
    ("subprocess", "check_call"), ("subprocess", "check_output"), ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"), ("os", "system"), ("os", "popen"), ("pty", "spawn"),
    ("os", "execv"), ("os", "execvp"), ("os", "execve"), ("os", "execvpe"), ("os", "execl"),
    ("os", "execlp"), ("os", "posix_spawn"), ("os", "posix_spawnp"), ("os", "spawnv"),
}


def _spawn_sites() -> dict[str, set[str]]:
    """module path -> names of functions that start a process."""
    sites: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name)
                        and (node.func.value.id, node.func.attr) in SPAWNERS):
                    rel = str(path.relative_to(PACKAGE.parent))
                    sites.setdefault(rel, set()).add(func.name)
    return sites


# Every place that may start a process, and why it is not a way around the gate.
REVIEWED_SPAWN_SITES = {
    "nlsh/execute.py": "runs an Approval (the gate's output) in the user's shell",
    "nlsh/context.py": "fixed probes: the shell's version, `git status --porcelain`",
    "nlsh/clipboard.py": "pipes text into a clipboard program; never runs it",
    "nlsh/explain/": "man pages and `--help` of documented programs; never the command",
    "nlsh/sandbox": "the preview: runs inside a namespace sandbox on a throwaway overlay",
    "nlsh/daemon/": "starts the nlsh model daemon itself",
    "nlsh/safety/": "reads the file system only",
    "nlsh/evaluation/": "runs model output only inside the sandbox, for `nlsh eval`",
    "nlsh/backends/": "no process: only listed if a backend needs one",
    "nlsh/fixes.py": "git's own list of subcommands (`git --list-cmds`), for typo fixes",
    "nlsh/models/sources.py": "the user's pip downloads the mirror's wheels; never runs them",
    "nlsh/validation.py": "fish/zsh parse a candidate without executing it (-n/--no-execute)",
}


def test_every_process_spawn_site_is_reviewed() -> None:
    unreviewed = {
        module: funcs for module, funcs in _spawn_sites().items()
        if not any(module.startswith(prefix) for prefix in REVIEWED_SPAWN_SITES)
    }
    assert unreviewed == {}, "a new way to start processes must be reviewed against the gate"


EFFECTORS = {"run_approved", "apply_previewed"}  # the two ways a command's effects land


def test_effects_land_only_with_an_approval_from_the_gate() -> None:
    callers = 0
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            from_gate = {
                target.id
                for node in ast.walk(func) if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call) and _called_name(node.value) == "confirm"
                for target in node.targets if isinstance(target, ast.Name)
            }
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and _called_name(node) in EFFECTORS:
                    callers += 1
                    arg = node.args[0]
                    assert isinstance(arg, ast.Name) and arg.id in from_gate, (
                        f"{path.name}:{node.lineno} runs something not approved by gate.confirm")
    assert callers >= 3  # one-shot run, interactive run, applying a preview


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def test_an_approval_cannot_be_forged() -> None:
    with pytest.raises(PermissionError):
        gate.Approval(command="rm -rf ~", risk=Risk(Level.SAFE), _token=object())
    with pytest.raises(TypeError):
        run_approved("echo hi")  # type: ignore[arg-type]


class Script:
    """A user at the keyboard, answering each question in turn."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.asked.append(prompt)
        return self.answers.pop(0)


def test_safe_runs_without_a_second_question(tmp_path: Path) -> None:
    ask = Script()
    approval = gate.confirm("ls", ask, cwd=str(tmp_path))
    assert approval is not None and ask.asked == []


@pytest.mark.parametrize(("answer", "runs"), [("y", True), ("yes", True), ("", False),
                                              ("n", False)])
def test_caution_needs_y(tmp_path: Path, answer: str, runs: bool) -> None:
    approval = gate.confirm("mkdir newdir", Script(answer), cwd=str(tmp_path))
    assert (approval is not None) == runs


@pytest.mark.parametrize(("answer", "runs"), [("yes", True), ("y", False), ("YES!", False),
                                              ("", False)])
def test_dangerous_needs_the_word_yes(tmp_path: Path, answer: str, runs: bool) -> None:
    (tmp_path / "repo").mkdir()
    shown: list[Risk] = []
    approval = gate.confirm("git reset --hard HEAD~3", Script(answer), cwd=str(tmp_path),
                            show=shown.append)
    assert (approval is not None) == runs
    assert shown and shown[0].level is Level.DANGEROUS and shown[0].reasons


def test_blocked_cannot_be_approved_and_nothing_runs(tmp_path: Path) -> None:
    with pytest.raises(gate.Blocked) as blocked:
        gate.confirm("rm -rf / --no-preserve-root", Script("yes"), cwd=str(tmp_path))
    assert blocked.value.risk.level is Level.BLOCKED


def test_approved_command_runs_in_the_users_shell(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELL", "/bin/bash")
    approval = gate.confirm("mkdir made && echo $BASH_VERSION > made/v", Script("y"),
                            cwd=str(tmp_path))
    assert approval is not None
    result = run_approved(approval, cwd=str(tmp_path))
    assert result.exit_status == 0 and (tmp_path / "made" / "v").read_text().strip()
    failing = gate.confirm("exit 3", Script("y"), cwd=str(tmp_path))
    assert failing is not None and run_approved(failing, cwd=str(tmp_path)).exit_status == 3


def test_an_edited_command_is_assessed_anew(tmp_path: Path) -> None:
    """Editing `ls` into `rm -rf ~` must not inherit `ls`'s safe level."""
    with pytest.raises(gate.Blocked):
        gate.confirm("rm -rf ~", Script("yes"), cwd=str(tmp_path))
