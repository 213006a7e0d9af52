"""Trees deleted by code run through an interpreter: `python -c 'shutil.rmtree(...)'`,
`ruby -e 'FileUtils.rm_rf(...)'`, `node -e 'fs.rmSync(..., {recursive: true})'`,
`perl -e 'rmtree(...)'` / `unlink glob "*"`.

When the path is written in the code (a literal, the home directory, the current directory, a
glob), `nlsh.safety.embedded` turns the call into the shell command it amounts to, and the
`recursive_delete` rule rates that like any `rm` (with its blast radius): this family adds the
reason that names the call. When the path is only known at run time (`shutil.rmtree(sys.argv[1])`,
`FileUtils.rm_rf(dir)`), a recursive deletion is dangerous, as `rm -rf $DIR` is; a single file
deletion stays at the caution every interpreter gets.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.embedded import deletions
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.programs import INTERPRETERS, SHELLS
from nlsh.safety.rules.common import quote

RULE = "interpreter_deletes"


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None or prog not in INTERPRETERS or prog in SHELLS or not inv.code_words:
        return []
    findings: list[Finding] = []
    for word in inv.code_words:
        for deletion in deletions(prog, word.unquoted):
            if deletion.snippet is not None:
                findings.append(Finding(Level.CAUTION, f"{prog} code deletes files "
                                                       f"({quote(deletion.call)})", RULE))
            elif deletion.recursive:
                findings.append(Finding(
                    Level.DANGEROUS, f"{prog} code deletes a directory tree whose path is only "
                                     f"known when it runs ({quote(deletion.call)})", RULE))
            else:
                findings.append(Finding(Level.CAUTION, f"{prog} code deletes a file whose path "
                                                       f"is only known when it runs "
                                                       f"({quote(deletion.call)})", RULE))
    return findings
