"""Blast radius on a real temporary tree: what a command would touch, counted without running it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nlsh.records import Level, Risk
from nlsh.safety import assess
from nlsh.safety.blast_radius import describe, human_size, measure
from nlsh.safety.findings import Touch

# The tree every test starts from: path -> size in bytes (directories end with "/").
TREE = {
    "home/proj/a.txt": 10,
    "home/proj/b.bin": 1000,
    "home/proj/.hidden": 5,
    "home/proj/.cache/c.dat": 7,
    "home/proj/sub/c.txt": 20,
    "home/proj/sub/deep/d.txt": 30,
    "home/proj/repo/f.py": 40,
    "home/proj/repo/.git/HEAD": 23,
    "home/proj/repo/.git/config": 50,
    "home/proj/vendor/lib/.git/HEAD": 23,
    "home/notes.md": 100,
    "home/other/x.txt": 300,
    "outside/big1.bin": 4000,
    "outside/big2.bin": 4000,
}


def _sizes(prefix: str, *, hidden_top: bool = True) -> tuple[int, int]:
    """Files and bytes under `prefix` in TREE (optionally skipping hidden top-level entries)."""
    files = size = 0
    for path, length in TREE.items():
        if not path.startswith(prefix):
            continue
        first = path[len(prefix):].split("/", 1)[0]
        if not hidden_top and first.startswith("."):
            continue
        files += 1
        size += length
    return files, size


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel, size in TREE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    # A link out of the tree: must be counted as one entry, never followed.
    os.symlink(tmp_path / "outside", tmp_path / "home/proj/link-out")
    return tmp_path


def _risk(command: str, tree: Path, cwd: str = "home/proj") -> Risk:
    return assess(command, cwd=str(tree / cwd), home=str(tree / "home"))


def test_glob_star_skips_hidden_files_and_does_not_follow_links(tree: Path) -> None:
    risk = _risk("rm -rf ./*", tree)
    files, size = _sizes("home/proj/", hidden_top=False)
    radius = risk.blast_radius
    assert radius is not None
    assert radius.files == files + 1  # + the symlink itself
    assert radius.bytes == size  # the link's target (8 kB outside) is not counted
    assert radius.git_repositories == 2  # repo/.git and vendor/lib/.git
    assert not radius.includes_home and not radius.outside_cwd and not radius.truncated
    assert risk.level == Level.DANGEROUS
    assert risk.reasons[0].startswith(f"deletes {files + 1} files")
    assert "including 2 git repositories" in risk.reasons[0]


def test_dot_includes_hidden_files(tree: Path) -> None:
    radius = _risk("rm -rf .", tree).blast_radius
    files, size = _sizes("home/proj/")
    assert radius is not None
    assert (radius.files, radius.bytes) == (files + 1, size)


def test_home_detection(tree: Path) -> None:
    risk = _risk("rm -rf ~", tree)
    assert risk.level == Level.BLOCKED
    assert risk.blast_radius is not None
    assert risk.blast_radius.includes_home
    files, size = _sizes("home/")
    assert (risk.blast_radius.files, risk.blast_radius.bytes) == (files + 1, size)
    assert "your home directory" in risk.reasons[0]


def test_outside_cwd_detection(tree: Path) -> None:
    risk = _risk("rm -rf ../other", tree)
    radius = risk.blast_radius
    assert radius is not None and radius.outside_cwd and not radius.includes_home
    assert (radius.files, radius.bytes) == _sizes("home/other/")
    assert "outside the current directory" in risk.reasons[0]


def test_truncating_redirect_onto_existing_file(tree: Path) -> None:
    risk = _risk("echo hi > a.txt", tree)
    assert risk.level == Level.CAUTION
    assert risk.blast_radius is not None
    assert (risk.blast_radius.files, risk.blast_radius.bytes) == (1, TREE["home/proj/a.txt"])
    assert risk.reasons[0] == "overwrites ~/proj/a.txt (10 bytes)"


def test_redirect_to_a_new_file_has_no_blast_radius(tree: Path) -> None:
    risk = _risk("echo hi > new.txt", tree)
    assert risk.level == Level.CAUTION
    assert risk.blast_radius is None


def test_appending_redirect_is_not_an_overwrite(tree: Path) -> None:
    assert _risk("echo hi >> a.txt", tree).blast_radius is None


def test_copy_onto_existing_file(tree: Path) -> None:
    radius = _risk("cp b.bin a.txt", tree).blast_radius
    assert radius is not None and (radius.files, radius.bytes) == (1, TREE["home/proj/a.txt"])


def test_move_counts_what_moves_and_what_it_replaces(tree: Path) -> None:
    radius = _risk("mv sub a.txt ../other/", tree).blast_radius
    assert radius is not None
    moved = _sizes("home/proj/sub/")
    assert radius.files == moved[0] + 1
    assert radius.bytes == moved[1] + TREE["home/proj/a.txt"]


def test_recursive_chmod(tree: Path) -> None:
    risk = _risk("chmod -R 777 sub", tree)
    radius = risk.blast_radius
    assert radius is not None and (radius.files, radius.bytes) == _sizes("home/proj/sub/")
    assert risk.reasons[0].startswith("changes permissions of 2 files")


def test_find_delete_counts_matches(tree: Path) -> None:
    risk = _risk("find . -name '*.txt' -delete", tree)
    txt = [p for p in TREE if p.startswith("home/proj/") and p.endswith(".txt")]
    assert risk.blast_radius is not None
    assert risk.blast_radius.files == len(txt)
    assert risk.blast_radius.bytes == sum(TREE[p] for p in txt)
    assert risk.level == Level.CAUTION


def test_find_path_filter_uses_the_root_as_typed(tree: Path) -> None:
    radius = _risk("find . -path './sub/*' -type f -delete", tree).blast_radius
    assert radius is not None and (radius.files, radius.bytes) == _sizes("home/proj/sub/")


def test_find_with_unevaluated_tests_is_an_upper_bound(tree: Path) -> None:
    risk = _risk("find . -newer a.txt -delete", tree)
    assert risk.reasons[0].startswith("deletes up to ")
    files, size = _sizes("home/proj/")
    assert risk.blast_radius is not None
    assert (risk.blast_radius.files, risk.blast_radius.bytes) == (files + 1, size)


def test_find_exec_rm_on_directories_counts_their_contents(tree: Path) -> None:
    radius = _risk("find . -name sub -type d -exec rm -rf {} +", tree).blast_radius
    assert radius is not None and (radius.files, radius.bytes) == _sizes("home/proj/sub/")


def test_rm_on_a_symlink_counts_only_the_link(tree: Path) -> None:
    radius = _risk("rm -rf link-out", tree).blast_radius
    assert radius is not None and (radius.files, radius.bytes) == (1, 0)
    assert not radius.outside_cwd


def test_trailing_slash_follows_the_link_top_level(tree: Path) -> None:
    """GNU rm deletes the contents of the directory a `link/` argument points to."""
    radius = _risk("rm -rf link-out/", tree).blast_radius
    assert radius is not None and (radius.files, radius.bytes) == _sizes("outside/")


def test_walk_is_bounded(tree: Path) -> None:
    result = measure([Touch(str(tree), "delete", recursive=True)], cwd=str(tree),
                     home=str(tree / "home"), max_entries=5)
    assert result.radius.truncated
    assert result.radius.files <= 5
    text = describe(result, home=str(tree / "home"))
    assert text is not None and "at least" in text


def test_missing_targets_give_no_blast_radius(tree: Path) -> None:
    risk = _risk("rm -rf does-not-exist", tree)
    assert risk.level == Level.CAUTION
    assert risk.blast_radius is None


def test_blast_radius_can_be_switched_off(tree: Path) -> None:
    risk = assess("rm -rf ./*", cwd=str(tree / "home/proj"), home=str(tree / "home"),
                  blast_radius=False)
    assert risk.blast_radius is None and risk.level == Level.DANGEROUS


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 kB"),
    (3_200_000_000, "3.2 GB"), (1_500_000, "1.5 MB"),
])
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text
