"""Case table for `databases` (issue 16 item 4): DROP, TRUNCATE and unbounded DELETE through
psql, mysql, sqlite3, cqlsh and friends; MongoDB drops; Redis FLUSHALL / FLUSHDB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nlsh.records import Level
from nlsh.safety import assess

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
Check = Callable[[str, str, Level, str], None]

FAMILY = "databases"

CASES: list[tuple[str, Level, str]] = [
    ("psql -c 'DROP TABLE users'", D, "drops a table (psql)"),
    ("psql -h db -U app -d shop -c \"TRUNCATE orders\"", D, "TRUNCATE"),
    ("psql --command='drop schema public cascade' shop", D, "drops a whole database"),
    ("echo 'DROP DATABASE shop;' | psql", D, "drops a whole database"),
    ("psql shop <<< 'delete from sessions;'", D, "DELETE without WHERE"),
    ("mysql -u root -e 'DROP DATABASE shop'", D, "drops a whole database (mysql)"),
    ("mysql -uroot -p shop -e 'truncate table carts'", D, "TRUNCATE"),
    ("mariadb -e 'UPDATE users SET admin = 1'", D, "UPDATE without WHERE"),
    ("sqlite3 app.db 'DROP TABLE logs'", D, "drops a table (sqlite3)"),
    ("cqlsh -e 'DROP KEYSPACE metrics'", D, "drops a whole database"),
    ("clickhouse-client --query 'DROP TABLE events'", D, "drops a table"),
    ("mongosh shop --eval 'db.dropDatabase()'", D, "drops a whole MongoDB database"),
    ("mongo shop --eval 'db.users.drop()'", D, "drops a MongoDB collection"),
    ("mongosh --eval 'db.sessions.deleteMany({})'", D, "every document"),
    ("mongo shop --eval 'db.users.remove({})'", D, "every document"),
    ("redis-cli FLUSHALL", D, "wipes every key in Redis"),
    ("redis-cli -h cache -n 2 flushdb", D, "wipes every key"),
    ("echo FLUSHALL | redis-cli", D, "wipes every key"),
    ("dropdb prod", D, "drops a PostgreSQL database"),
    ("mysqladmin -u root drop shop", D, "drops a MySQL database"),
    ("influx bucket delete --name metrics", D, "InfluxDB bucket"),
    ("ssh db1 \"psql -c 'DROP TABLE users'\"", D, "on db1: drops a table"),
    # look-alikes
    ("redis-cli DEL session:42", C, "deletes Redis keys"),
    ("psql -c 'SELECT 1'", C, ""),
    ("psql -c 'DELETE FROM sessions WHERE expires < now()'", C, ""),
    ("mysql -e 'SHOW DATABASES'", C, ""),
    ("sqlite3 app.db 'SELECT count(*) FROM users'", C, ""),
    ("mongosh shop --eval 'db.users.find()'", C, ""),
    ("mongosh shop --eval 'db.users.deleteOne({_id: 1})'", C, ""),
    ("redis-cli GET user:1", C, ""),
    ("grep -ri 'drop table' migrations/", S, ""),
    ("echo 'DROP TABLE users'", S, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check(FAMILY, command, level, fragment)



def test_scripts_run_from_disk_are_read(tmp_path: Path) -> None:
    """`psql -f reset.sql` / `mysql db < reset.sql`: what the file says is what runs."""
    (tmp_path / "reset.sql").write_text("BEGIN;\nDROP TABLE users;\nCOMMIT;\n")
    (tmp_path / "report.sql").write_text("SELECT count(*) FROM users;\n")
    for command in ("psql -f reset.sql app", "mysql shop < reset.sql",
                    "psql app --file=reset.sql"):
        risk = assess(command, cwd=str(tmp_path), home=str(tmp_path))
        assert risk.level == D, (command, risk.reasons)
        assert any("from `reset.sql`" in r for r in risk.reasons), risk.reasons
    for command in ("psql -f report.sql app", "mysql shop < report.sql",
                    "psql -f missing.sql app"):
        assert assess(command, cwd=str(tmp_path), home=str(tmp_path)).level == C, command
