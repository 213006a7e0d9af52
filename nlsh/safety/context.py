"""What every rule may look at besides its own invocation: the whole command, cwd and home."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlsh.safety.invocations import FindScope, Invocation, synthetic_word
from nlsh.safety.paths import Scope, Target, normalise, resolve
from nlsh.shellparse import ParsedCommand, Word, brace_alternatives


@dataclass
class Context:
    cwd: str
    home: str
    parsed: ParsedCommand
    invocations: list[Invocation] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # `DIR=/x` set on this line

    def after_cd(self, change: str | None) -> Context:
        """The context for commands that run after `cd` on the same line."""
        if change is None:
            return self
        if change == "":
            return dataclasses.replace(self, cwd="")
        if change == "~" or change.startswith("~/"):
            change = self.home + change[1:]
        return dataclasses.replace(self, cwd=normalise(change, self.cwd))

    def target(self, word: Word) -> Target:
        return resolve(word, cwd=self.cwd, home=self.home, variables=self.variables)

    def resolve_all(self, words: Sequence[Word]) -> list[Target]:
        """Each word resolved, brace expansions (`/{usr,etc}`) split into their words."""
        return [self.target(alt) for word in words for alt in brace_alternatives(word)]

    def targets(self, inv: Invocation, words: Sequence[Word]) -> list[Target]:
        """Path arguments resolved; `{}` (find -exec, xargs -I) and xargs input stand for
        the paths found."""
        found: list[Target] = []
        for word in words:
            if inv.placeholder and inv.placeholder in word.unquoted:
                found.extend(self.found_paths(inv, word))
            else:
                found.extend(self.resolve_all([word]))
        if inv.stdin_args and not inv.placeholder:
            found.extend(self.found_paths(inv, None))
        return found

    def found_paths(self, inv: Invocation, word: Word | None) -> list[Target]:
        scope = inv.find_scope or self.upstream_find(inv)
        if scope is None:
            echoed = self._echoed_paths(inv) or self._listed_paths(inv)
            if echoed:
                return echoed
            shown = word or synthetic_word("(input)")
            return [Target(shown, "paths read from its input", None, Scope.DYNAMIC,
                           found_by="input")]
        roots = scope.roots or (synthetic_word("."),)
        return [dataclasses.replace(self.target(root), narrowed=scope.narrowed, found_by="find")
                for root in roots]

    def _echoed_paths(self, inv: Invocation) -> list[Target]:
        """`echo / | xargs rm -rf`: static words echoed into xargs are its arguments."""
        if inv.via != "xargs":
            return []
        feeding = [o for o in self.upstream(inv)
                   if o.command.pipeline_position == inv.command.pipeline_position - 1]
        if len(feeding) != 1 or feeding[0].program not in ("echo", "printf"):
            return []
        words = [w for w in feeding[0].args if not w.unquoted.startswith("-")]
        if feeding[0].program == "printf" and words and "%" in words[0].unquoted:
            words = words[1:]
        if not words or not all(w.is_static or w.text.startswith(("~", "$HOME")) for w in words):
            return []
        found: list[Target] = []
        for w in words:
            pieces = w.unquoted.split()
            if len(pieces) == 1:
                found.append(self.target(w))
            else:
                found += [self.target(synthetic_word(p, w)) for p in pieces]
        return found

    def _listed_paths(self, inv: Invocation) -> list[Target]:
        """`ls | grep -v keep | xargs rm`: every entry of the listed directory but a few (only
        `grep -v` filters in between)."""
        if inv.via != "xargs":
            return []
        feeding = self.upstream(inv)
        if not feeding or feeding[0].program != "ls":
            return []
        middle = feeding[1:]
        if any(o.program not in ("grep", "egrep", "fgrep") for o in middle):
            return []
        dirs = [w for w in feeding[0].args if not w.unquoted.startswith("-")]
        if len(dirs) > 1 or any(not w.is_static for w in dirs):
            return []
        base = dirs[0].unquoted.rstrip("/") if dirs else "."
        if any(not any((a.startswith("-") and "v" in a[1:] and not a.startswith("--"))
                       or a == "--invert-match" for a in o.argv) for o in middle):
            return []  # a positive filter: which entries pass is only known at run time
        pattern = dataclasses.replace(synthetic_word(f"{base}/*", dirs[0] if dirs else None),
                                      has_glob=True)
        listed = self.target(pattern)
        return [listed]

    def upstream_find(self, inv: Invocation) -> FindScope | None:
        for other in self.upstream(inv):
            if other.program == "find" and other.find_scope is not None:
                return other.find_scope
        return None

    def pipeline(self, inv: Invocation) -> list[Invocation]:
        """The invocations in the same pipeline as `inv` (itself included), in stage order."""
        pid = inv.command.pipeline_id
        if pid is None:
            return [inv]
        peers = [o for o in self.invocations
                 if o.parsed is inv.parsed and o.command.pipeline_id == pid]
        return sorted(peers, key=lambda o: o.command.pipeline_position)

    def upstream(self, inv: Invocation) -> list[Invocation]:
        """Earlier stages of its pipeline: what feeds its stdin, directly or not."""
        position = inv.command.pipeline_position
        return [o for o in self.pipeline(inv) if o.command.pipeline_position < position]

    def downstream(self, inv: Invocation) -> list[Invocation]:
        position = inv.command.pipeline_position
        return [o for o in self.pipeline(inv) if o.command.pipeline_position > position]

    def nested(self, inv: Invocation, word: Word) -> list[Invocation]:
        """Commands run inside `$( )`, backticks or `<( )` within one of its words."""
        return [o for o in self.invocations
                if o.parsed is inv.parsed and o.command.in_substitution
                and word.start <= o.command.start < word.end and word.end > word.start]
