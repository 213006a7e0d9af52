"""Looking through wrappers: which programs would really run."""

from __future__ import annotations

import shlex

import pytest

from nlsh.safety.invocations import expand
from nlsh.shellparse import parse


def _runs(source: str) -> list[tuple[str | None, str | None, str | None]]:
    """(program, privileged-by, via) for every invocation, wrappers looked through."""
    return [(i.program, i.privileged, i.via) for i in expand(parse(source))]


@pytest.mark.parametrize(("source", "expected"), [
    ("sudo -u root -E rm -rf x", [("rm", "sudo", None)]),
    ("sudo FOO=1 rm x", [("rm", "sudo", None)]),
    ("doas -u bob rm x", [("rm", "doas", None)]),
    ("pkexec --user root rm x", [("rm", "pkexec", None)]),
    ("env -i -u HOME FOO=1 BAR=2 rm x", [("rm", None, None)]),
    ("nohup nice -n 5 timeout -s KILL 10 time -p command rm x", [("rm", None, None)]),
    ("exec -a name rm x", [("rm", None, None)]),
    ("stdbuf -oL ionice -c 3 taskset 0x1 rm x", [("rm", None, None)]),
    ("busybox rm x", [("rm", None, None)]),
    ("xargs -0 -n1 -I{} rm {}", [("xargs", None, None), ("rm", None, "xargs")]),
    ("find . -name x -exec rm -f {} \\; -execdir cat {} +",
     [("find", None, None), ("rm", None, "find -exec"), ("cat", None, "find -execdir")]),
    ("bash -c 'ls; rm x'",
     [("bash", None, None), ("ls", None, "bash -c"), ("rm", None, "bash -c")]),
    ("sudo sh -lc 'rm x'", [("sh", "sudo", None), ("rm", "sudo", "sh -c")]),
    ("su -c 'rm x' root", [("su", "su", None), ("rm", "su", "su -c")]),
    ("eval 'rm x'", [("eval", None, None), ("rm", None, "eval")]),
    ("echo 'rm x' | sh", [("echo", None, None), ("sh", None, None), ("rm", None, "piped into sh")]),
    ("sh <<< 'rm x'", [("sh", None, None), ("rm", None, "piped into sh")]),
    ("watch -n 1 'rm x'", [("watch", None, None), ("rm", None, "watch")]),
    ("env -S 'rm x'", [("env", None, None), ("rm", None, "env -S")]),
    ("command -v rm", [("command", None, None)]),
    ("python3 -m pip uninstall x", [("pip", None, None)]),
    ("x=rm; $x -rf y", [("rm", None, None)]),
    ("$(echo rm) y", [("rm", None, None), ("echo", None, None)]),
    ("$CMD y", [(None, None, None)]),
])
def test_unwrapping(source: str, expected: list[tuple[str | None, str | None, str | None]]) -> None:
    assert _runs(source) == expected


def test_inner_arguments_and_flags() -> None:
    (rm,) = expand(parse("sudo -u root nice -n 3 rm -rf /tmp/x"))
    assert rm.argv == ["-rf", "/tmp/x"]
    assert rm.wrappers == ("sudo", "nice")
    assert expand(parse("sudo -i"))[0].root_shell
    assert expand(parse("curl x | bash"))[1].reads_stdin_code
    assert expand(parse("bash ./install.sh"))[0].script_args
    assert expand(parse("python3 -c 'print(1)'"))[0].code_words[0].unquoted == "print(1)"


def test_find_scope() -> None:
    find, rm = expand(parse("find /a /b -maxdepth 2 -name '*.o' -exec rm {} +"))
    assert find.find_scope is not None and rm.find_scope == find.find_scope
    assert [w.unquoted for w in find.find_scope.roots] == ["/a", "/b"]
    assert ("-name", "*.o") in find.find_scope.filters
    assert find.find_scope.narrowed and find.find_scope.evaluable
    assert rm.placeholder == "{}"


def test_cd_changes_the_directory_of_later_commands() -> None:
    ls, _, rm, _, rm2 = expand(parse("ls; cd /srv && rm x; cd $D; rm y"))
    assert (ls.cwd, rm.cwd, rm2.cwd) == (None, "/srv", "")


def test_nesting_is_bounded() -> None:
    source = "rm x"
    for _ in range(12):
        source = "bash -c " + shlex.quote(source)
    found = expand(parse(source))
    assert any(i.nesting_exceeded for i in found)
    assert len(found) < 50


def test_remote_commands_are_parsed_and_marked() -> None:
    found = expand(parse("ssh -p 2222 web1 'cd app && rm -rf build'"))
    rm = next(i for i in found if i.program == "rm")
    assert rm.remote == "web1" and rm.cwd == "" and rm.via == "ssh web1"
    (_, inner) = expand(parse("docker exec -it db rm -rf /data"))
    assert inner.program == "rm" and inner.remote == "container db"
    (_, inner) = expand(parse("kubectl exec -n prod web -- rm x"))
    assert inner.program == "rm" and inner.remote == "a pod"


@pytest.mark.parametrize(("source", "program", "argv"), [
    ("python3 -c \"import os; os.system('rm -rf ~')\"", "rm", ["-rf", "~"]),
    ("python3 -c 'import shutil; shutil.rmtree(\"/srv\")'", "rm", ["-rf", "/srv"]),
    ("python3 -c 'import subprocess as s; s.run([\"git\", \"clean\", \"-fdx\"])'", "git",
     ["clean", "-fdx"]),
    ("python3 -c 'import os; os.chmod(\"x\", 0o755)'", "chmod", ["755", "x"]),
    ("perl -e 'system(\"rm -rf /\")'", "rm", ["-rf", "/"]),
    ("ruby -e 'puts `id`'", "id", []),
    ("node -e \"require('child_process').execSync('reboot')\"", "reboot", []),
])
def test_shell_inside_other_languages(source: str, program: str, argv: list[str]) -> None:
    inner = [i for i in expand(parse(source)) if i.depth == 1]
    assert [(i.program, i.argv) for i in inner] == [(program, argv)]


def test_python_syntax_errors_give_nothing_embedded() -> None:
    assert [i.program for i in expand(parse("python3 -c 'os.system(\"rm -rf /\"'"))] == [
        "python3"]
