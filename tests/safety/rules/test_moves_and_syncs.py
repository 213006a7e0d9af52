"""Case table for `moves_and_syncs` (issue 16 item 3): whole trees moved or synced away, and the
deletions that were rated only `caution` (find -exec rm on /, `rm -rf .git`, every file but one).

The table is judged from the parse alone (no files there); the tests after it measure the blast
radius on a real tree under a fake home, as `rm`'s is measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.records import Level, Risk
from nlsh.safety import assess, findings_for

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
FAMILY = "moves_and_syncs"
CWD = "/home/ana/proj"
HOME = "/home/ana"

# (command, exact level, a fragment of the reasons; "" for look-alikes this family ignores)
CASES: list[tuple[str, Level, str]] = [
    ("rsync -a --delete empty/ ~/", D, "(your home directory)"),
    ("rsync -a --delete ~/proj/ /", D, "(the whole system)"),
    ("rsync -a --delete-after src/ /etc/", D, "(a system directory)"),
    ("rsync -avz --del mirror/ $TARGET", D, "--delete"),
    ("mv ~ /dev/null", B, "onto `/dev/null`"),
    ("mv /etc /dev/null", B, "onto `/dev/null`"),
    ("mv * /dev/null", D, "onto `/dev/null`"),
    ("mv notes.txt /dev/null", D, "which keeps nothing"),
    ("mv /etc /tmp/etc", D, "`/etc` (a system directory)"),
    ("mv ~ /tmp/old-home", D, "your entire home directory"),
    ("sudo mv /usr /usr.old", D, "(a system directory)"),
    ("mv -t /dev/null a b", D, "onto `/dev/null`"),
    # deletions that reached only caution before
    ("find / -name '*.log' -exec rm {} \\;", D, "matched under `/`"),
    ("find ~ -name '*.bak' -exec rm -f {} +", D, "matched under `~`"),
    ("rm -rf .git", D, "the repository's history"),
    ("rm -rf ../other/.git/", D, "the repository's history"),
    ("find . ! -name keep.txt -delete", D, "everything under"),
    ("find . -type f -not -name keep.txt -exec rm {} +", D, "everything under"),
    ("ls | grep -v keep.txt | xargs rm", D, "everything in the current directory"),
    ("rm !(keep.txt)", D, "except `!(keep.txt)`"),
    ("rm -rf !(src|docs)", D, "except `!(src|docs)`"),
    # look-alikes
    ("rsync -a src/ backup/", C, ""),
    ("rsync -a --delete src/ backup/", C, "is not in `src/`"),
    ("rsync -n --delete empty/ ~/", C, ""),
    ("rsync -avz --delete ./site/ web1:/var/www/", C, "on web1"),
    ("rsync -a --remove-source-files inbox/ archive/", C, "--remove-source-files"),
    ("mv a.txt b.txt", C, ""),
    ("mv build ../old-build", C, ""),
    ("mv ~/Documents ~/Docs", C, ""),
    ("find . -name '*.pyc' -exec rm {} \\;", C, ""),
    ("rm -rf .github", C, ""),
    ("ls | grep '\\.log$' | xargs rm", C, ""),
    ("ls | grep -v keep.txt", S, ""),
    ("echo 'rm !(x)'", S, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(command: str, level: Level, fragment: str) -> None:
    risk = assess(command, cwd=CWD, home=HOME, blast_radius=False)
    assert risk.level == level, risk.reasons
    if fragment:
        assert any(fragment in r for r in risk.reasons), risk.reasons
    if not fragment and level < D:
        assert not [f for f in findings_for(command, cwd=CWD, home=HOME)
                    if f.rule == FAMILY]


# -- measured on a real tree --------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fake home: 30 small files and a git repository in `proj`, an empty dir, a note."""
    root = tmp_path / "home"
    proj = root / "proj"
    (proj / "repo" / ".git").mkdir(parents=True)
    (proj / "repo" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    for i in range(30):
        (proj / f"f{i}.txt").write_text("hello\n")
    (root / "empty").mkdir()
    (root / "notes.md").write_text("# notes\n")
    return root


def _risk(command: str, home: Path, cwd: str = "proj") -> Risk:
    return assess(command, cwd=str(home / cwd), home=str(home))


def test_rsync_from_an_empty_dir_over_home_is_measured_and_blocked(home: Path) -> None:
    risk = _risk("rsync -a --delete empty/ ~/", home, cwd=".")
    assert risk.level == B
    assert risk.reasons[0].startswith("deletes 32 files")  # 30 + repo/.git/HEAD + notes.md
    assert "under ~, including 1 git repository" in risk.reasons[0]
    assert any("empties `~`" in r for r in risk.reasons)


def test_rsync_delete_counts_only_what_the_source_lacks(home: Path) -> None:
    mirror = home / "mirror"
    mirror.mkdir()
    for i in range(28):
        (mirror / f"f{i}.txt").write_text("hello\n")
    risk = _risk("rsync -a --delete mirror/ proj/", home, cwd=".")
    radius = risk.blast_radius
    assert radius is not None
    assert radius.files == 3 and radius.git_repositories == 1  # f28, f29 and repo/.git/HEAD
    assert risk.level == D  # the repository's history goes
    same = _risk("rsync -a --delete proj/ proj/", home, cwd=".")
    assert same.level == C and same.reasons[0].startswith("currently matches no files")


def test_moves_say_where_they_go_and_what_they_take(home: Path) -> None:
    risk = _risk("mv ~ /dev/null", home)
    assert risk.level == B
    assert risk.reasons[0].startswith("moves 32 files")
    assert "to /dev/null" in risk.reasons[0] and "1 git repository" in risk.reasons[0]
    everything = _risk("mv * /dev/null", home)
    assert everything.level == D
    assert everything.reasons[0].startswith("moves 31 files") and "to /dev/null" in \
        everything.reasons[0]


def test_a_move_within_the_project_stays_caution(home: Path) -> None:
    risk = _risk("mv f1.txt f1.old", home)
    assert risk.level == C
    assert risk.reasons[0].startswith("moves ~/proj/f1.txt")


def test_find_delete_without_tests_counts_the_tree(home: Path) -> None:
    """It used to say "currently matches no files" for a tree full of them."""
    risk = _risk("find . -delete", home)
    assert risk.level == D
    assert risk.reasons[0].startswith("deletes 31 files"), risk.reasons
    assert not any("matches no files" in r for r in risk.reasons)


def test_deleting_a_repository_is_dangerous_by_its_history(home: Path) -> None:
    risk = _risk("rm -rf repo", home)
    assert risk.level == D  # the rule alone says caution: a directory inside the project
    assert "1 git repository" in risk.reasons[0]
    assert _risk("rm -rf f1.txt", home).level == C


def test_every_file_but_one(home: Path) -> None:
    for command in ("rm !(f1.txt)", "find . -type f ! -name f1.txt -delete"):
        risk = _risk(command, home)
        assert risk.level >= D, command
        assert "f1.txt" not in risk.reasons[0]
    extglob = _risk("rm !(f1.txt)", home).blast_radius
    assert extglob is not None and extglob.files == 29  # the directory `repo` needs -r
    negated = _risk("find . -type f ! -name f1.txt -delete", home).blast_radius
    assert negated is not None and negated.files == 30  # 29 + repo/.git/HEAD


def test_find_path_tests_see_the_expanded_start_directory(home: Path) -> None:
    """`find ~/proj -path '/abs/home/proj/*'`: find compares -path with the start directory as
    the shell expanded it (`~` gone), so the match must not come out as "no files"."""
    command = f"find ~/proj -path '{home}/proj/f1*' -delete"
    risk = _risk(command, home)
    assert risk.reasons[0].startswith("deletes 11 files"), risk.reasons  # f1, f10..f19
    assert not any("matches no files" in r for r in risk.reasons)


def test_a_narrowed_find_in_home_does_not_claim_to_delete_home(home: Path) -> None:
    risk = _risk("find ~ -name 'f1.txt' -delete", home)
    assert risk.reasons[0].startswith("deletes 1 file (6 bytes) under ~"), risk.reasons
    assert "your home directory" not in risk.reasons[0]


def test_rsync_from_a_missing_source_is_not_measured_as_deleting_everything(home: Path) -> None:
    risk = _risk("rsync -a --delete nowhere/ proj/", home, cwd=".")
    assert risk.blast_radius is None
    assert risk.level == C and "is not in `nowhere/`" in risk.reasons[0]
