"""What a rule reports: a level, a sentence for the user, and what it would touch on disk."""

from __future__ import annotations

from dataclasses import dataclass

from nlsh.records import Level


@dataclass(frozen=True)
class Touch:
    """A path a command would delete, move, overwrite or re-permission (for the blast radius).

    `path` is absolute and may still contain glob characters (`/home/ana/*`) when `glob` is set;
    the blast-radius walk expands it the way the shell would.
    """

    path: str
    action: str  # "delete", "move", "overwrite", "permissions"
    recursive: bool = False
    glob: bool = False
    follow_top_symlink: bool = False  # `rm -rf link/` follows the link; `rm -rf link` does not
    # For `find DIR -name x -delete`: the tests that narrow what is touched.
    find_filters: tuple[tuple[str, str], ...] = ()
    find_upper_bound: bool = False  # find tests we cannot evaluate: counts are upper bounds
    find_root_text: str = ""  # the start directory as typed (`.`), for -path patterns
    found_by_find: bool = False  # what `find` visits under `path` (even with no tests)
    # `rsync --delete SRC/ DEST/`: only what under `path` has no counterpart under `kept_by`.
    kept_by: str = ""
    to: str = ""  # where a move takes it


@dataclass(frozen=True)
class Finding:
    level: Level
    reason: str  # one short sentence a user understands
    rule: str  # the rule family that found it, e.g. "recursive_delete"
    touches: tuple[Touch, ...] = ()
