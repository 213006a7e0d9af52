"""Destroying data in databases, through their command-line clients.

Dangerous: SQL that drops or empties data (`DROP DATABASE|SCHEMA|TABLE|KEYSPACE|...`,
`TRUNCATE`, `DELETE`/`UPDATE` without `WHERE`, `ALTER TABLE ... DROP`) given to `psql -c`,
`mysql -e`, `sqlite3 db "..."`, `clickhouse-client -q`, `cqlsh -e`, ... or piped, here-doc'ed or
here-string'ed in; MongoDB shells evaluating `dropDatabase()`, `.drop()`, `deleteMany({})`,
`remove({})`; `redis-cli FLUSHALL|FLUSHDB` (also `-n 2 flushdb`, and `redis-cli` fed those
words); `dropdb`, `dropuser`, `mysqladmin drop`, `influx bucket|org delete`.
The same statements in a script the client runs from disk (`psql -f x.sql`, `mysql db < x.sql`,
`mongosh x.js`) are found by reading it, when it is a small file.
Caution: deleting single Redis keys (`redis-cli DEL k`), `mongo --eval` with `deleteOne`.
Reading (`SELECT`, `SHOW`, `GET`, `find()`) adds nothing.
"""

from __future__ import annotations

import os
import re

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, option_values
from nlsh.safety.rules.common import operands, quote

RULE = "databases"
MAX_SCRIPT = 1_000_000  # bytes of a script file read to look for destructive statements

SQL_CLIENTS = {
    "psql": ("-c", "--command"), "mysql": ("-e", "--execute"), "mariadb": ("-e", "--execute"),
    "sqlite3": (), "duckdb": ("-c",), "clickhouse-client": ("-q", "--query"),
    "clickhouse": ("-q", "--query"),
    "cockroach": ("-e", "--execute"), "sqlcmd": ("-Q", "-q"), "mycli": ("-e", "--execute"),
    "pgcli": (), "snowsql": ("-q", "--query"), "bq": ("query",), "cqlsh": ("-e", "--execute"),
    "usql": ("-c", "--command"), "trino": ("--execute",), "presto": ("--execute",),
}
MONGO_SHELLS = frozenset({"mongo", "mongosh"})
REDIS_CLIENTS = frozenset({"redis-cli", "valkey-cli", "keydb-cli"})
# Patterns over SQL / JavaScript text (not shell): statements that destroy data.
_DESTRUCTIVE = (
    (re.compile(r"\bdrop\s+(database|schema|keyspace)\b", re.I), "drops a whole database"),
    (re.compile(r"\bdrop\s+(table|view|index|user|role|collection|materialized\s+view)\b",
                re.I), "drops a table"),
    (re.compile(r"\btruncate\b(\s+table)?\s+\w", re.I), "empties a table (TRUNCATE)"),
    (re.compile(r"\bdelete\s+from\s+[\w.\"`\[\]]+\s*(;|$)", re.I),
     "deletes every row of a table (DELETE without WHERE)"),
    (re.compile(r"\bupdate\s+[\w.\"`]+\s+set\b(?![^;]*\bwhere\b)", re.I),
     "changes every row of a table (UPDATE without WHERE)"),
    (re.compile(r"\balter\s+table\b[^;]*\bdrop\b", re.I), "drops columns from a table"),
    (re.compile(r"dropDatabase\(\s*\)"), "drops a whole MongoDB database"),
    (re.compile(r"\.drop\(\s*\)"), "drops a MongoDB collection"),
    (re.compile(r"deleteMany\(\s*(\{\s*\})?\s*\)|\.remove\(\s*\{\s*\}\s*\)"),
     "deletes every document in a MongoDB collection"),
    (re.compile(r"\bflushall\b|\bflushdb\b", re.I), "wipes every key in Redis"),
)


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None:
        return []
    if prog in ("dropdb", "dropuser", "mysqladmin", "influx"):
        return _admin_tools(inv)
    if prog in SQL_CLIENTS or prog in MONGO_SHELLS or prog in REDIS_CLIENTS:
        found = [Finding(Level.DANGEROUS, f"{reason} ({prog})", RULE)
                 for text in _texts(inv, ctx) for reason in problems(text)]
        for name, text in _script_files(inv, ctx):
            found += [Finding(Level.DANGEROUS, f"{reason} ({prog}, from {quote(name)})", RULE)
                      for reason in problems(text)]
        if not found and prog in REDIS_CLIENTS:
            found = _redis_keys(inv)
        return _unique(found)
    return []


def problems(text: str) -> list[str]:
    """What a piece of SQL / Mongo / Redis text destroys, one phrase each."""
    return [reason for pattern, reason in _DESTRUCTIVE if pattern.search(text)]


def _texts(inv: Invocation, ctx: Context) -> list[str]:
    """Every piece of text the client would execute: options, operands, stdin."""
    prog = inv.program or ""
    texts: list[str] = []
    for opt in SQL_CLIENTS.get(prog, ()):
        values = option_values(inv.args, "", opt) if opt.startswith("--") else option_values(
            inv.args, opt)
        texts += [w.unquoted for w in values]
    if prog in ("sqlite3", "duckdb", "pgcli"):
        texts += [w.unquoted for w in operands(inv.args)[1:]]
    if prog in MONGO_SHELLS:
        texts += [w.unquoted for w in option_values(inv.args, "", "--eval")]
    if prog in REDIS_CLIENTS:
        texts.append(" ".join(inv.argv))
    if prog == "bq":
        texts += inv.argv[1:]
    for r in inv.redirects:
        if r.operator == "<<<" and r.target is not None:
            texts.append(r.target.unquoted)
        elif r.heredoc:
            texts.append(r.heredoc)
    for source in ctx.upstream(inv):
        if source.program in ("echo", "printf"):
            texts += source.argv
        texts += [r.heredoc for r in source.redirects if r.heredoc]
    return texts


def _script_files(inv: Invocation, ctx: Context) -> list[tuple[str, str]]:
    """Scripts the client runs from disk (`psql -f x.sql`, `mysql db < x.sql`, `mongosh x.js`):
    read when they are small regular files, as typed and as they are now."""
    prog = inv.program or ""
    words = option_values(inv.args, "-f", "--file") if prog in ("psql", "usql", "cockroach") \
        else []
    words += [r.target for r in inv.redirects if r.operator == "<" and r.target is not None]
    if prog in MONGO_SHELLS:
        words += [w for w in operands(inv.args, "uph", frozenset({
            "--eval", "--username", "--password", "--host", "--port", "--file"}))
            if w.unquoted.endswith(".js")]
    found: list[tuple[str, str]] = []
    for word in words:
        target = ctx.target(word)
        if target.path is None:
            continue
        try:
            if not os.path.isfile(target.path) or os.path.getsize(target.path) > MAX_SCRIPT:
                continue
            with open(target.path, encoding="utf-8", errors="replace") as handle:
                found.append((word.text, handle.read()))
        except OSError:
            continue
    return found


def _redis_keys(inv: Invocation) -> list[Finding]:
    words = [a.lower() for a in inv.argv if not a.startswith("-")]
    if any(w in ("del", "unlink") for w in words):
        return [Finding(Level.CAUTION, "deletes Redis keys", RULE)]
    return []


def _admin_tools(inv: Invocation) -> list[Finding]:
    prog = inv.program
    argv = inv.argv
    if prog == "dropdb":
        return [Finding(Level.DANGEROUS, "drops a PostgreSQL database", RULE)]
    if prog == "dropuser":
        return [Finding(Level.DANGEROUS, "drops a database user", RULE)]
    if prog == "mysqladmin" and "drop" in argv:
        return [Finding(Level.DANGEROUS, "drops a MySQL database", RULE)]
    if prog == "influx" and "delete" in argv and any(a in argv for a in ("bucket", "org")):
        return [Finding(Level.DANGEROUS, "deletes an InfluxDB bucket or organisation and its "
                                         "data", RULE)]
    return []


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    kept = []
    for f in findings:
        if f.reason not in seen:
            seen.add(f.reason)
            kept.append(f)
    return kept
