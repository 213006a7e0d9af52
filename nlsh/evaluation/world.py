"""The strict dev set's file systems: one invented workstation, generated afresh per seed.

A developer's machine (`/home/dev`, with photos, invoices, a Python project, a git
repository, notes and downloads) that also runs a small web application (`/srv/app` with
logs, configuration and data), keeps backups (`/var/backups`), system logs (`/var/log`), a USB
stick (`/mnt/usb`) and some tools (`/opt/tools`). Every seed draws different file names,
counts, sizes, ages and contents from the same vocabulary, so a command that hard-codes the
answer for one draw fails on another, while any command that does what was asked agrees
with the reference on all of them.

The tree is built under a host directory, one sub-directory per root in ROOTS, and the
sandbox binds each at its real path (`nlsh.sandbox.run_contained(binds=...)`). Ages are
relative to `now`, so "changed today" means the same on any day the eval runs.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from nlsh.evaluation.fixtures import _git, _git_env

HOME = "/home/dev"
ROOTS = ("/home", "/srv", "/var/log", "/var/backups", "/mnt", "/opt")
DAY = 86400.0


@dataclass
class Entry:
    path: str  # absolute, inside the sandbox
    data: bytes | None = None  # None: a directory
    age_s: float = 30 * DAY
    mode: int | None = None
    sparse: int | None = None  # a file of this many zero bytes (big, costs no disk)
    git_plan: str | None = None  # a git repository made from this plan (JSON), not a file


class _World:
    def __init__(self, seed: int, now: float) -> None:
        self.rng = random.Random(seed * 7919 + 17)
        self.now = now
        self.entries: list[Entry] = []
        local = time.localtime(now)
        # Seconds since local midnight, at least a minute: "today" must hold some files.
        self.today_s = max(60.0, local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec)

    def file(self, path: str, data: str | bytes, age_s: float | None = None,
             mode: int | None = None, sparse: int | None = None) -> None:
        raw = data.encode() if isinstance(data, str) else data
        self.entries.append(Entry(path, raw, self.age() if age_s is None else age_s, mode,
                                  sparse))

    def dir(self, path: str) -> None:
        self.entries.append(Entry(path, None))

    def age(self, kind: str = "any") -> float:
        """An age: 'today' (since midnight), 'week' (2-6 days), 'month' (10-25 days), 'old'
        (40-400 days), or 'any' of those."""
        r = self.rng
        kind = r.choice(["today", "week", "month", "old", "old"]) if kind == "any" else kind
        if kind == "today":
            return r.uniform(0.05, 0.9) * self.today_s
        if kind == "week":
            return r.uniform(2.2, 6.5) * DAY
        if kind == "month":
            return r.uniform(10.5, 25.5) * DAY
        return r.uniform(40.5, 400.5) * DAY

    def pick(self, pool: list[str], low: int, high: int) -> list[str]:
        return sorted(self.rng.sample(pool, self.rng.randint(low, min(high, len(pool)))))


def generate(seed: int, now: float) -> list[Entry]:
    """Every file and directory of the world for this seed."""
    w = _World(seed, now)
    for part in (_photos, _documents, _project, _notes, _downloads, _music, _dotfiles,
                 _srv_logs, _srv_config, _srv_data, _var, _usb, _tools):
        part(w)
    return w.entries


# -- /home/dev -----------------------------------------------------------------------------

def _photos(w: _World) -> None:
    r = w.rng
    base = f"{HOME}/photos"
    for year in ("2023", "2024"):
        for month in w.pick([f"{m:02d}" for m in range(1, 13)], 2, 4):
            for _ in range(r.randint(1, 4)):
                number = r.randint(1000, 9999)
                ext = r.choice(["jpg", "jpg", "jpg", "JPG", "png", "heic"])
                name = f"{base}/{year}/{month}/IMG_{number}.{ext}"
                size = r.choice([r.randint(20_000, 400_000), r.randint(1_100_000, 4_000_000)])
                w.file(name, b"", sparse=size, age_s=w.age("old"))
    for name in w.pick(["beach", "birthday", "hike", "wedding", "snow", "garden"], 1, 3):
        w.file(f"{base}/2024/{name}.mov", b"", sparse=r.randint(5_000_000, 30_000_000),
               age_s=w.age())
    for _ in range(r.randint(1, 3)):
        w.file(f"{base}/inbox/IMG_{r.randint(1000, 9999)}.jpg", b"",
               sparse=r.randint(50_000, 900_000), age_s=w.age("today"))


CLIENTS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"]


def _documents(w: _World) -> None:
    r = w.rng
    base = f"{HOME}/documents"
    for number in sorted(r.sample(range(1, 80), r.randint(4, 9))):
        client = r.choice(CLIENTS)
        amount = r.randint(90, 9000)
        month = r.randint(1, 12)
        body = f"%PDF-1.4\n% invoice {number:03d} for {client}\nTotal: {amount} EUR\n%%EOF\n"
        w.file(f"{base}/invoices/invoice-2024-{number:03d}.pdf", body,
               age_s=w.age(r.choice(["today", "week", "month", "old"])) if month else 0)
    for number in sorted(r.sample(range(1, 60), r.randint(1, 3))):
        w.file(f"{base}/invoices/2023/invoice-2023-{number:03d}.pdf",
               f"%PDF-1.4\nTotal: {r.randint(90, 9000)} EUR\n", age_s=w.age("old"))
    regions = ["north", "south", "east", "west"]
    products = ["widget", "gadget", "gizmo", "doohickey", "sprocket"]
    rows = ["date,region,product,units,price"]
    for _ in range(r.randint(8, 16)):
        price = f"{r.randint(3, 99)}.{r.randint(0, 99):02d}"
        rows.append(f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d},{r.choice(regions)},"
                    f"{r.choice(products)},{r.randint(1, 60)},{price}")
    w.file(f"{base}/report.csv", "\n".join(rows) + "\n", age_s=w.age("week"))
    for name in w.pick(["lease", "nda-acme", "nda-globex", "employment", "insurance"], 2, 4):
        w.file(f"{base}/contracts/{name}.docx", b"PK\x03\x04 docx " + name.encode(),
               age_s=w.age("old"))
    w.file(f"{base}/contracts/draft.docx.tmp", "unsaved\n", age_s=w.age())
    jobs = r.sample(["Backend developer at Hooli", "Intern at Initech", "Data engineer",
                     "Site reliability engineer at Globex"], r.randint(1, 3))
    w.file(f"{base}/cv.md", "# Curriculum vitae\n\n## Experience\n"
           + "".join(f"- {job}\n" for job in jobs), age_s=w.age("month"))


_FUNCS = ["load_cart", "apply_discount", "checkout", "send_receipt", "parse_order",
          "refund", "validate_card", "ship", "restock", "tax_for"]


def _project(w: _World) -> None:
    r = w.rng
    base = f"{HOME}/projects/shop"
    modules = w.pick(["cart", "orders", "payments", "shipping", "users", "inventory",
                      "discounts"], 3, 6)
    for module in modules:
        lines = [f'"""The {module} module."""', "import logging", ""]
        for func in r.sample(_FUNCS, r.randint(2, 4)):
            lines.append(f"def {func}(item):")
            if r.random() < 0.4:
                lines.append(f"    # TODO: handle {r.choice(['refunds', 'errors', 'zero'])}")
            if r.random() < 0.25:
                lines.append("    # FIXME: slow on big carts")
            lines.append(f"    logging.info('{func} %s', item)")
            lines.append("    return item")
            lines.append("")
        w.file(f"{base}/src/shop/{module}.py", "\n".join(lines) + "\n", age_s=w.age())
        if r.random() < 0.6:
            w.file(f"{base}/tests/test_{module}.py",
                   f"from shop import {module}\n\n\ndef test_{module}():\n    assert True\n",
                   age_s=w.age())
        w.file(f"{base}/src/shop/__pycache__/{module}.cpython-311.pyc", b"\x00pyc" * 40,
               age_s=w.age("today"))
    w.file(f"{base}/src/shop/__init__.py", "", age_s=w.age("old"))
    w.file(f"{base}/README.md", "# shop\n\nA small web shop.\n\n## Install\n\npip install -e .\n",
           age_s=w.age("month"))
    deps = w.pick(["flask==3.0.2", "requests==2.31.0", "sqlalchemy==2.0.25", "pydantic==2.6.1",
                   "gunicorn==21.2.0", "redis==5.0.1"], 2, 5)
    r.shuffle(deps)  # kept in the order they were added, not sorted
    w.file(f"{base}/requirements.txt", "\n".join(deps) + "\n", age_s=w.age())
    w.file(f"{base}/.env", f"SECRET_KEY={r.getrandbits(64):x}\nDEBUG={r.choice([0, 1])}\n",
           age_s=w.age())
    for n in range(r.randint(1, 3)):
        w.file(f"{base}/build/lib/shop-{n}.whl", b"", sparse=r.randint(10_000, 90_000),
               age_s=w.age())
    w.file(f"{base}/deploy.sh", "#!/bin/sh\nrsync -a build/ server:/srv/app/\n",
           mode=r.choice([0o644, 0o755]), age_s=w.age())
    _git_repo(w)


def _notes(w: _World) -> None:
    r = w.rng
    base = f"{HOME}/notes"
    for day in sorted(r.sample(range(1, 29), r.randint(3, 6))):
        month = r.choice(["03", "04", "05"])
        items = [f"- {r.choice(['alice', 'bob', 'carol', 'dave'])} to "
                 f"{r.choice(['fix the build', 'call the bank', 'review PR', 'update docs'])}"
                 for _ in range(r.randint(1, 4))]
        w.file(f"{base}/meeting-2024-{month}-{day:02d}.md",
               "# Meeting\n\n" + "\n".join(items) + "\n", age_s=w.age())
    todos = [f"[{r.choice([' ', 'x'])}] {t}" for t in
             r.sample(["renew passport", "pay rent", "backup laptop", "book dentist",
                       "fix bike", "water plants", "call mum"], r.randint(3, 6))]
    w.file(f"{base}/todo.txt", "\n".join(todos) + "\n", age_s=w.age("today"))


def _downloads(w: _World) -> None:
    r = w.rng
    base = f"{HOME}/downloads"
    names = w.pick(["ubuntu-24.04.iso", "vscode.deb", "slides.pdf", "slides (1).pdf",
                    "dataset.zip", "fonts.tar.gz", "setup.exe", "paper.pdf", "paper (1).pdf",
                    "song.mp3", "wallpaper.png"], 4, 9)
    for name in names:
        size = 700_000_000 if name.endswith(".iso") else r.randint(5_000, 2_500_000)
        w.file(f"{base}/{name}", b"", sparse=size, age_s=w.age())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for member in w.pick(["fonts/mono.ttf", "fonts/sans.ttf", "fonts/serif.ttf",
                              "fonts/LICENSE"], 2, 4):
            payload = f"font {member}\n".encode()
            info = tarfile.TarInfo(member)
            info.size = len(payload)
            info.mtime = int(w.now - 5 * DAY)
            tar.addfile(info, io.BytesIO(payload))
    w.file(f"{base}/fonts-extra.tar.gz", buffer.getvalue(), age_s=w.age("week"))


def _music(w: _World) -> None:
    r = w.rng
    for artist in w.pick(["Nina Simone", "Miles Davis", "Bjork", "Radiohead", "Daft Punk"], 2, 3):
        album = r.choice(["Live", "Greatest Hits", "Demos", "First Album"])
        for track in range(1, r.randint(3, 6)):
            w.file(f"{HOME}/music/{artist}/{album}/{track:02d} - track {track}.mp3", b"",
                   sparse=r.randint(2_000_000, 9_000_000), age_s=w.age("old"))


def _dotfiles(w: _World) -> None:
    r = w.rng
    aliases = r.sample(["alias ll='ls -l'", "alias gs='git status'", "alias ..='cd ..'",
                        "alias k=kubectl"], r.randint(1, 3))
    w.file(f"{HOME}/.bashrc", "export EDITOR=vim\n" + "\n".join(aliases) + "\n",
           age_s=w.age("old"))
    w.file(f"{HOME}/.config/shop/settings.json",
           json.dumps({"theme": r.choice(["dark", "light"]), "port": r.choice([8000, 8080, 5000]),
                       "debug": r.random() < 0.5}, indent=2) + "\n", age_s=w.age())
    w.dir(f"{HOME}/tmp")


# -- the git repository ---------------------------------------------------------------------

_AUTHORS = [("Alice Martin", "alice@example.com"), ("Bob Chen", "bob@example.com"),
            ("Carol Diaz", "carol@example.com")]


def _git_repo(w: _World) -> None:
    """~/code/api: recorded as a plan; `build_world` makes the repository (cached)."""
    r = w.rng
    plan = []
    files = ["app.py", "db.py", "auth.py", "README.md", "config.yaml"]
    for index in range(r.randint(5, 9)):
        author = r.choice(_AUTHORS)
        name = r.choice(files)
        verb = r.choice(["Add", "Fix", "Refactor", "Update", "Remove"])
        message = f"{verb} {name.split('.')[0]} {r.choice(['logic', 'tests', 'docs', 'typo'])}"
        plan.append({"author": author, "file": name, "line": f"# change {index}\n",
                     "message": message, "day": 3 + index * r.randint(1, 4)})
    branches = w.pick(["feature/login", "feature/search", "fix/timeout", "fix/typo",
                       "release/1.2", "experiment/cache"], 2, 4)
    merged = [b for b in branches if r.random() < 0.5]
    dirty = r.random() < 0.7
    dirty_readme = r.random() < 0.5
    head = r.choice(["main", "main", branches[0]])
    untracked = w.pick(["notes.txt", "debug.log", "scratch.py", "out.json"], 0, 2)
    w.entries.append(Entry(f"{HOME}/code/api", git_plan=json.dumps({
        "plan": plan, "branches": branches, "merged": merged, "dirty": dirty,
        "untracked": untracked, "dirty_readme": dirty_readme, "head": head,
        "tag": r.choice(["v1.0.0", "v1.1.0", "v0.9.0"]),
    })))


_git_cache: dict[str, Path] = {}
_git_lock = threading.Lock()
_git_home: list[tempfile.TemporaryDirectory[str]] = []


def _git_template(plan_text: str, now: float) -> Path:
    with _git_lock:
        if plan_text not in _git_cache:
            if not _git_home:
                _git_home.append(tempfile.TemporaryDirectory(prefix="nlsh-devset-git-"))
            repo = Path(_git_home[0].name) / str(len(_git_cache))
            _build_git(json.loads(plan_text), repo, now)
            _git_cache[plan_text] = repo
        return _git_cache[plan_text]


def _build_git(plan: dict, repo: Path, now: float) -> None:
    repo.mkdir(parents=True)
    start = now - 120 * DAY

    def env(author: list[str], day: float) -> dict[str, str]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(start + day * DAY))
        return _git_env(author[0], author[1], stamp)

    first = plan["plan"][0]
    _git(repo, env(first["author"], 0), "init", "-q", "-b", "main")
    _git(repo, env(first["author"], 0), "config", "user.name", "Dev")
    _git(repo, env(first["author"], 0), "config", "user.email", "dev@example.com")
    for name in ("app.py", "db.py", "auth.py", "README.md", "config.yaml"):
        (repo / name).write_text(f"# {name}\n", encoding="utf-8")
    _git(repo, env(first["author"], 0), "add", "-A")
    _git(repo, env(first["author"], 0), "commit", "-q", "-m", "Initial commit")
    for step in plan["plan"]:
        target = repo / step["file"]
        with target.open("a", encoding="utf-8") as out:
            out.write(step["line"])
        _git(repo, env(step["author"], step["day"]), "add", "-A")
        _git(repo, env(step["author"], step["day"]), "commit", "-q", "-m", step["message"])
    last = plan["plan"][-1]
    _git(repo, env(last["author"], last["day"]), "tag", plan["tag"], "HEAD~2")
    day = last["day"] + 1
    for branch in plan["branches"]:
        e = env(last["author"], day)
        _git(repo, e, "checkout", "-q", "-b", branch, "main")
        (repo / f"{branch.split('/')[-1]}.py").write_text(f"# {branch}\n", encoding="utf-8")
        _git(repo, e, "add", "-A")
        _git(repo, e, "commit", "-q", "-m", f"Work on {branch}")
        day += 1
    _git(repo, env(last["author"], day), "checkout", "-q", "main")
    for branch in plan["merged"]:
        _git(repo, env(last["author"], day), "merge", "-q", "--no-ff", "-m",
             f"Merge {branch}", branch)
        day += 1
    if plan["head"] != "main":
        _git(repo, env(last["author"], day), "checkout", "-q", plan["head"])
    for name, wanted in (("app.py", plan["dirty"]), ("README.md", plan["dirty_readme"])):
        if wanted:
            with (repo / name).open("a", encoding="utf-8") as out:
                out.write("# work in progress\n")
    for name in plan["untracked"]:
        (repo / name).write_text("scratch\n", encoding="utf-8")


# -- /srv/app --------------------------------------------------------------------------------

_PATHS = ["/", "/login", "/cart", "/api/orders", "/api/users", "/static/app.js", "/checkout",
          "/health"]
_IPS = ["10.0.0.5", "10.0.0.7", "192.168.1.20", "203.0.113.9", "198.51.100.23", "172.16.4.2",
        "10.0.0.12", "192.168.1.33"]


def _srv_logs(w: _World) -> None:
    r = w.rng
    base = "/srv/app/logs"
    start = w.now - 2 * DAY
    lines = []
    clients = r.sample(_IPS, r.randint(3, len(_IPS)))
    for i in range(r.randint(25, 60)):
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(start + i * 600))
        status = r.choice([200, 200, 200, 200, 301, 404, 404, 500, 502])
        lines.append(f'{r.choice(clients)} - - [{stamp}] "{r.choice(["GET", "GET", "POST"])} '
                     f'{r.choice(_PATHS)} HTTP/1.1" {status} {r.randint(120, 9000)}')
    w.file(f"{base}/access.log", "\n".join(lines) + "\n", age_s=w.age("today"))
    app = []
    for i in range(r.randint(20, 45)):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + i * 900))
        level = r.choice(["INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"])
        what = r.choice(["user login", "payment failed", "cache miss", "timeout talking to db",
                         "order created", "disk almost full", "retrying job after error"])
        app.append(f"{stamp} {level} [{r.choice(['web', 'worker', 'cron'])}] {what} "
                   f"id={r.randint(100, 999)}")
    w.file(f"{base}/app.log", "\n".join(app) + "\n", age_s=w.age("today"))
    for n in range(1, r.randint(3, 5)):
        text = "\n".join(f"2024-01-0{n} 00:00:0{k} INFO rotated line {k}" for k in range(3))
        if n == 1:
            w.file(f"{base}/app.log.{n}", text + "\n", age_s=n * DAY + 3600)
        else:
            w.file(f"{base}/app.log.{n}.gz", gzip.compress(text.encode() + b"\n", mtime=0),
                   age_s=n * 7 * DAY)
    for worker in w.pick(["worker-1", "worker-2", "worker-3", "cron", "mailer"], 1, 4):
        size = r.choice([r.randint(100, 4000), r.randint(60_000_000, 150_000_000)])
        w.file(f"{base}/{worker}.log", b"", sparse=size, age_s=w.age())
    w.file(f"{base}/old/2023-12.log", "archived\n", age_s=w.age("old"))


def _srv_config(w: _World) -> None:
    r = w.rng
    base = "/srv/app/config"
    port = r.choice([8000, 8080, 9000, 3000])
    w.file(f"{base}/app.conf", f"# main settings\nport = {port}\nworkers = {r.randint(2, 16)}\n"
           f"log_level = {r.choice(['info', 'debug', 'warning'])}\n"
           f"db_host = {r.choice(['db.internal', 'localhost', '10.0.0.12'])}\n", age_s=w.age())
    w.file(f"{base}/database.yml", f"production:\n  host: db.internal\n  port: 5432\n"
           f"  pool: {r.randint(5, 30)}\n", age_s=w.age())
    w.file(f"{base}/.env", f"API_TOKEN={r.getrandbits(48):x}\nPORT={port}\n", age_s=w.age(),
           mode=r.choice([0o644, 0o600, 0o664]))
    for name in w.pick(["nginx.conf.bak", "app.conf.orig", "old.yml~"], 0, 2):
        w.file(f"{base}/{name}", "backup copy\n", age_s=w.age("old"))
    for day in sorted(r.sample(range(1, 28), r.randint(2, 5))):
        w.dir(f"/srv/app/releases/2024-06-{day:02d}")
        if r.random() < 0.7:  # a failed deploy leaves an empty release
            w.file(f"/srv/app/releases/2024-06-{day:02d}/VERSION", f"1.{day}.0\n",
                   age_s=w.age())
    if r.random() < 0.5:
        for n in range(r.randint(1, 4)):
            w.file(f"/srv/app/cache/page-{n}.html", "<html></html>\n", age_s=w.age("week"))


def _srv_data(w: _World) -> None:
    r = w.rng
    base = "/srv/app/data"
    users = ["id,name,email,country,signup"]
    for uid in range(1, r.randint(8, 18)):
        first = r.choice(["ana", "ben", "cho", "dev", "eli", "fay", "gus", "hal"])
        domain = r.choice(["mail.com", "corp.io", "post.de", "web.fr"])
        country = r.choice(["DE", "FR", "US", "JP", "BR"])
        users.append(f"{uid},{first}{uid},{first}{uid}@{domain},{country},"
                     f"2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}")
    w.file(f"{base}/users.csv", "\n".join(users) + "\n", age_s=w.age("week"))
    orders = [{"id": 1000 + i, "user": r.randint(1, 7),
               "status": r.choice(["paid", "paid", "shipped", "cancelled", "pending"]),
               "total": round(r.uniform(5, 400), 2)} for i in range(r.randint(4, 10))]
    w.file(f"{base}/orders.json", json.dumps(orders, indent=2) + "\n", age_s=w.age("today"))
    for day in sorted(r.sample(range(1, 29), r.randint(2, 5))):
        w.file(f"{base}/exports/export-2024-05-{day:02d}.csv", "id,total\n1,9.99\n",
               age_s=w.age())


# -- elsewhere -----------------------------------------------------------------------------

def _var(w: _World) -> None:
    r = w.rng
    for day in sorted(r.sample(range(1, 29), r.randint(3, 7))):
        name = f"/var/backups/db-2024-05-{day:02d}.sql.gz"
        w.file(name, gzip.compress(f"-- dump {day}\nCREATE TABLE t (id int);\n".encode(),
                                   mtime=0), age_s=(29 - day) * DAY + 7200)
    w.file("/var/backups/home-dev.tar.gz", b"", sparse=r.randint(1_000_000, 9_000_000),
           age_s=w.age("month"))
    syslog = []
    for i in range(r.randint(15, 30)):
        stamp = time.strftime("%b %d %H:%M:%S", time.gmtime(w.now - DAY + i * 1200))
        unit = r.choice(["sshd", "cron", "kernel", "systemd", "nginx"])
        what = r.choice(["Accepted publickey for dev", "Failed password for root",
                         "Started session", "Out of memory: killed process",
                         "reloading configuration"])
        syslog.append(f"{stamp} web01 {unit}[{r.randint(100, 9999)}]: {what}")
    w.file("/var/log/syslog", "\n".join(syslog) + "\n", age_s=w.age("today"))
    w.file("/var/log/nginx/error.log", "".join(
        f"2024/06/0{k} 10:00:00 [error] upstream timed out\n" for k in range(1, r.randint(2, 6))),
        age_s=w.age("week"))


def _usb(w: _World) -> None:
    r = w.rng
    for _ in range(r.randint(2, 6)):
        w.file(f"/mnt/usb/DCIM/100CANON/IMG_{r.randint(1000, 9999)}.JPG", b"",
               sparse=r.randint(800_000, 3_000_000), age_s=w.age("week"))
    w.dir("/mnt/usb/backup")
    if r.random() < 0.5:
        w.file("/mnt/usb/backup/last-run.txt", "ok\n", age_s=w.age("month"))
    w.dir("/mnt/usb/music")


def _tools(w: _World) -> None:
    r = w.rng
    for name in w.pick(["cleanup.sh", "rotate.sh", "deploy.sh", "healthcheck.sh",
                        "report.py"], 2, 5):
        w.file(f"/opt/tools/bin/{name}", f"#!/bin/sh\necho {name}\n",
               mode=0o755 if r.random() < 0.5 else 0o644, age_s=w.age())


# -- building --------------------------------------------------------------------------------

def host_root(holder: Path, root: str) -> Path:
    return holder / root.strip("/").replace("/", "_")


def root_of(path: str) -> str:
    for root in sorted(ROOTS, key=len, reverse=True):
        if path == root or path.startswith(root + "/"):
            return root
    raise ValueError(f"{path} is under none of the world's roots")


def build_world(seed: int, holder: Path, now: float) -> dict[str, str]:
    """Write the world for `seed` under `holder`; returns the binds {inside: host dir}."""
    binds = {}
    for root in ROOTS:
        place = host_root(holder, root)
        place.mkdir(parents=True, exist_ok=True)
        binds[root] = str(place)
    dirs: list[tuple[Path, float]] = []
    for entry in generate(seed, now):
        root = root_of(entry.path)
        target = host_root(holder, root) / entry.path[len(root):].lstrip("/")
        if entry.git_plan is not None:
            shutil.copytree(_git_template(entry.git_plan, now), target, symlinks=True)
            continue
        if entry.data is None:
            target.mkdir(parents=True, exist_ok=True)
            dirs.append((target, entry.age_s))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            out.write(entry.data)
            if entry.sparse:
                out.truncate(entry.sparse)
        if entry.mode is not None:
            target.chmod(entry.mode)
        when = now - entry.age_s
        os.utime(target, (when, when))
    return binds
