"""The little language the corpus is written in.

A task is one thing a user wants done. It has one command per dialect (with `{slot}`s), several
English phrasings (terse, verbose, question, sloppy) and a list of parameter sets that fill the
slots. `expand` turns a task into (request, command, dialect) rows deterministically; the typo
variant is derived from one phrasing with a seeded, hash-based choice so the output never changes
between runs or machines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Params = dict[str, str]


@dataclass
class Task:
    key: str
    commands: dict[str, str]  # dialect ("any" | "gnu" | "bsd") -> command template
    phrasings: list[str]
    params: list[Params] = field(default_factory=lambda: [{}])
    typo: bool = True  # derive one misspelt phrasing

    def __post_init__(self) -> None:
        if not self.phrasings:
            raise ValueError(f"{self.key}: no phrasings")
        if not self.params:
            self.params = [{}]
        unknown = set(self.commands) - {"any", "gnu", "bsd"}
        if unknown:
            raise ValueError(f"{self.key}: unknown dialects {unknown}")
        if "any" in self.commands and len(self.commands) > 1:
            raise ValueError(f"{self.key}: 'any' cannot be combined with dialect variants")


REGISTRY: list[Task] = []


def T(
    key: str,
    command: str | dict[str, str],
    phrasings: str | Sequence[str],
    params: Sequence[Params] | None = None,
    *,
    typo: bool = True,
) -> Task:
    """Register a task. `phrasings` may be one string with one phrasing per line."""
    if isinstance(phrasings, str):
        lines = [line.strip() for line in phrasings.strip().splitlines()]
        phrasings = [line for line in lines if line and not line.startswith("#")]
    commands = {"any": command} if isinstance(command, str) else dict(command)
    task = Task(key, commands, list(phrasings), [dict(p) for p in (params or [{}])], typo)
    REGISTRY.append(task)
    return task


def P(slot_names: str, *rows: str) -> list[Params]:
    """Parameter sets from a compact table: P("size fsize", "100MB 100M", "1GB 1G").

    Values are separated by ' ; ' when an inner one contains spaces: P("a b", "x y ; z");
    otherwise by white space, the last slot taking the rest of the row.
    """
    names = slot_names.split()
    out: list[Params] = []
    for row in rows:
        if len(names) == 1:
            values = [row]
        else:
            # The last slot takes the rest of the row, so it may contain spaces.
            values = row.split(" ; ") if " ; " in row else row.split(None, len(names) - 1)
        if len(values) != len(names):
            raise ValueError(f"row {row!r} does not fit slots {names}")
        out.append(dict(zip(names, values, strict=True)))
    return out


def cross(*tables: Sequence[Params], limit: int | None = None) -> list[Params]:
    """Combine parameter tables by walking them in step (not a full product), cycling shorter ones.

    Walking in step gives varied combinations without the blow-up of a product.
    """
    length = max(len(t) for t in tables)
    if limit is not None:
        length = min(length, limit)
    out: list[Params] = []
    for i in range(length):
        merged: Params = {}
        for table in tables:
            merged.update(table[i % len(table)])
        out.append(merged)
    return out


# -- expansion --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    task: str
    request: str
    command: str
    dialect: str


def _stable_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def expand(task: Task) -> list[Row]:
    """Each phrasing once; extra parameter sets cycle through phrasings, at most 2x phrasings."""
    n_phr = len(task.phrasings)
    n_par = len(task.params)
    total = max(n_phr, min(n_par, 2 * n_phr))
    offset = _stable_int(task.key) % n_par
    combos: list[tuple[str, Params]] = []
    for i in range(total):
        combos.append((task.phrasings[i % n_phr], task.params[(i + offset) % n_par]))
    if task.typo:
        phr_i = _stable_int(task.key + "/typo") % n_phr
        par_i = (phr_i + offset + 1) % n_par
        combos.append((typo_variant(task.phrasings[phr_i], task.key), task.params[par_i]))
    rows: list[Row] = []
    seen: set[tuple[str, str, str]] = set()
    for phrasing, params in combos:
        request = _fill(phrasing, params, task.key)
        for dialect, template in task.commands.items():
            command = _fill(template, params, task.key)
            ident = (request, command, dialect)
            if ident not in seen:
                seen.add(ident)
                rows.append(Row(task.key, request, command, dialect))
    return rows


def _fill(template: str, params: Params, key: str) -> str:
    # Commands use braces themselves (awk '{print $1}', find -exec {} +, ${var}); slots are
    # therefore written {name} with an identifier that exists in params, nothing else is touched.
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "{":
            close = template.find("}", i)
            name = template[i + 1 : close] if close > 0 else ""
            if name in params:
                out.append(params[name])
                i = close + 1
                continue
        out.append(ch)
        i += 1
    text = "".join(out)
    return text


# -- typos ------------------------------------------------------------------------------------

# Misspellings people really type in a hurry; the fallback swaps two inner letters.
COMMON_TYPOS: dict[str, tuple[str, ...]] = {
    "files": ("filez", "fiels", "flies"),
    "file": ("fiel", "flie"),
    "directory": ("dirctory", "directroy", "direcotry"),
    "directories": ("directorys", "dirs", "directores"),
    "folder": ("foler", "fodler"),
    "folders": ("foldres", "floders"),
    "find": ("fnd", "fidn"),
    "delete": ("delte", "dleete"),
    "remove": ("rmeove", "remvoe"),
    "search": ("serach", "seach"),
    "show": ("shwo", "sho"),
    "list": ("lsit", "lst"),
    "compress": ("compres", "comress"),
    "process": ("proccess", "procces"),
    "processes": ("proccesses", "processs"),
    "running": ("runing", "runnign"),
    "branch": ("brnach", "branh"),
    "commit": ("comit", "commti"),
    "container": ("contianer", "containr"),
    "containers": ("contianers", "conatiners"),
    "recursively": ("recursivly", "recusively"),
    "everything": ("everythign", "evrything"),
    "permissions": ("permisions", "premissions"),
    "password": ("pasword", "passwrod"),
    "download": ("donwload", "dowload"),
    "install": ("instal", "isntall"),
    "between": ("betwen", "bewteen"),
    "lines": ("lnies", "liens"),
    "line": ("lien", "lin"),
    "number": ("numbr", "nubmer"),
    "replace": ("replcae", "repalce"),
    "occurrences": ("occurences", "occurrances"),
    "changes": ("chnages", "changs"),
    "modified": ("modifed", "modfied"),
    "size": ("szie", "siez"),
    "larger": ("larger", "largr"),
    "bigger": ("biger", "bigegr"),
    "count": ("cuont", "coutn"),
    "words": ("wrods", "words"),
    "current": ("curent", "currnet"),
    "with": ("wiht", "wth"),
    "the": ("teh", "th"),
    "that": ("taht", "tht"),
    "than": ("then", "thna"),
    "all": ("al", "alll"),
    "extract": ("extarct", "exract"),
    "archive": ("archvie", "arcive"),
    "image": ("imgae", "imag"),
    "images": ("imgaes", "imags"),
    "memory": ("memroy", "memry"),
    "disk": ("dsik", "disc"),
    "usage": ("useage", "usgae"),
    "network": ("netwrok", "newtork"),
    "server": ("sever", "servr"),
    "service": ("serivce", "servcie"),
    "status": ("staus", "stauts"),
    "version": ("verison", "vesion"),
    "package": ("pakage", "packge"),
    "packages": ("pakages", "packges"),
    "environment": ("enviroment", "envrionment"),
    "variable": ("varible", "variabel"),
    "history": ("histroy", "hsitory"),
    "contents": ("contnets", "contens"),
    "containing": ("containg", "contaning"),
    "recent": ("recnet", "recen"),
    "previous": ("previos", "prevous"),
    "remote": ("remtoe", "remot"),
    "repository": ("repositry", "repo"),
    "message": ("mesage", "messgae"),
    "database": ("databse", "dtabase"),
    "listening": ("listning", "listenning"),
    "executable": ("exectuable", "executible"),
    "owner": ("ownr", "onwer"),
    "hidden": ("hiden", "hideen"),
    "empty": ("emtpy", "empy"),
    "older": ("oldre", "olde"),
    "today": ("todya", "tday"),
    "yesterday": ("yesterdy", "yestrday"),
    "minutes": ("mintues", "minuts"),
    "days": ("dyas", "dasy"),
    "duplicate": ("duplicat", "dublicate"),
    "unique": ("uniqe", "unqiue"),
    "sort": ("srot", "sotr"),
    "column": ("colum", "coloumn"),
    "first": ("frist", "fisrt"),
    "last": ("lsat", "las"),
    "copy": ("cpy", "coppy"),
    "move": ("mvoe", "moev"),
    "rename": ("renmae", "rname"),
    "create": ("craete", "creat"),
    "kill": ("kil", "klil"),
    "port": ("prot", "pot"),
    "address": ("adress", "addres"),
    "public": ("pubic", "publc"),
    "private": ("privte", "pirvate"),
    "certificate": ("certifcate", "certficate"),
    "key": ("kye", "ky"),
    "json": ("jsno", "josn"),
    "python": ("pyhton", "pyton"),
    "docker": ("dokcer", "docekr"),
    "git": ("gti", "igt"),
}


def typo_variant(phrasing: str, key: str) -> str:
    """A sloppily typed version of a phrasing: lower case, one or two misspelt words."""
    words = phrasing.lower().rstrip("?.!").split()
    candidates = [
        i for i, w in enumerate(words)
        if "{" not in w and w.isalpha() and (w in COMMON_TYPOS or len(w) >= 5)
    ]
    if not candidates:
        return phrasing.lower().rstrip("?.!")
    seed = _stable_int(key + phrasing)
    n_typos = 1 + (seed % 2 if len(candidates) > 2 else 0)
    chosen = sorted({candidates[(seed >> (8 * j)) % len(candidates)] for j in range(n_typos)})
    for j, idx in enumerate(chosen):
        word = words[idx]
        pick = (seed >> (16 + 4 * j)) & 0xF
        if word in COMMON_TYPOS:
            options = COMMON_TYPOS[word]
            words[idx] = options[pick % len(options)]
        else:
            pos = 1 + pick % (len(word) - 3)  # swap two inner letters, keep first and last
            words[idx] = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    return " ".join(words)


def unique_keys(tasks: Iterable[Task]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.key in seen:
            raise ValueError(f"duplicate task key {task.key}")
        seen.add(task.key)
