"""Destroying cloud resources, databases and clusters.

Dangerous: `terraform destroy` / `apply -destroy` / `state rm`, `pulumi destroy`, SQL that drops or
empties data (`DROP DATABASE|TABLE|SCHEMA`, `TRUNCATE`, `DELETE`/`UPDATE` without `WHERE`) given to
`psql -c`, `mysql -e`, `sqlite3 db "..."`, or piped / here-doc'ed in, `dropdb`, `redis-cli
flushall`, `mongosh --eval 'db.dropDatabase()'`, `kubectl delete ns|namespace|--all|all`,
`aws s3 rm --recursive`, `aws s3 rb --force`, `aws ... delete-*/terminate-*`, `gcloud ... delete`,
`az ... delete`, `docker system prune -a`, `docker volume rm|prune`, `docker rm -f $(...)`,
`helm uninstall|delete`, `gsutil rm -r`.
Caution: narrower deletions (`kubectl delete pod x`, `docker rmi`, `docker system prune`).
"""

from __future__ import annotations

import re

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, has_long, has_short_flag, option_values
from nlsh.safety.rules.common import operands, quote, subcommand

RULE = "cloud_destruction"

SQL_CLIENTS = {
    "psql": ("-c", "--command"), "mysql": ("-e", "--execute"), "mariadb": ("-e", "--execute"),
    "sqlite3": (), "duckdb": ("-c",), "clickhouse-client": ("-q", "--query"),
    "cockroach": ("-e", "--execute"), "sqlcmd": ("-Q", "-q"), "mycli": ("-e", "--execute"),
    "pgcli": (), "snowsql": ("-q", "--query"), "bq": ("query",), "cqlsh": ("-e", "--execute"),
}
# Patterns over SQL text (not shell): statements that destroy data.
_SQL_DESTRUCTIVE = (
    (re.compile(r"\bdrop\s+(database|schema)\b", re.I), "drops a whole database"),
    (re.compile(r"\bdrop\s+(table|view|index|user|role|collection)\b", re.I), "drops a table"),
    (re.compile(r"\btruncate\b(\s+table)?\s+\w", re.I), "empties a table (TRUNCATE)"),
    (re.compile(r"\bdelete\s+from\s+[\w.\"`]+\s*(;|$)", re.I),
     "deletes every row of a table (DELETE without WHERE)"),
    (re.compile(r"\bupdate\s+[\w.\"`]+\s+set\b(?![^;]*\bwhere\b)", re.I),
     "changes every row of a table (UPDATE without WHERE)"),
    (re.compile(r"\balter\s+table\b[^;]*\bdrop\b", re.I), "drops columns from a table"),
    (re.compile(r"dropDatabase\(\)|\.drop\(\)|deleteMany\(\s*\{\s*\}\s*\)"),
     "drops a MongoDB database or collection"),
    (re.compile(r"\bflushall\b|\bflushdb\b", re.I), "wipes every key in Redis"),
)


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None:
        return []
    handler = _HANDLERS.get(prog)
    findings = handler(inv, ctx) if handler else []
    if prog in SQL_CLIENTS or prog in ("mongo", "mongosh", "redis-cli"):
        findings += _sql(inv, ctx)
    return findings


def _f(level: Level, reason: str) -> list[Finding]:
    return [Finding(level, reason, RULE)]


def sql_problems(text: str) -> list[str]:
    return [reason for pattern, reason in _SQL_DESTRUCTIVE if pattern.search(text)]


def _sql(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program or ""
    texts: list[str] = []
    for opt in SQL_CLIENTS.get(prog, ()):
        values = option_values(inv.args, "", opt) if opt.startswith("--") else option_values(
            inv.args, opt)
        texts += [w.unquoted for w in values]
    if prog in ("sqlite3", "duckdb", "pgcli"):
        texts += [w.unquoted for w in operands(inv.args)[1:]]
    if prog in ("mongo", "mongosh"):
        texts += [w.unquoted for w in option_values(inv.args, "", "--eval")]
    if prog == "redis-cli":
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
    found: list[Finding] = []
    for text in texts:
        for reason in sql_problems(text):
            found += _f(Level.DANGEROUS, f"{reason} ({prog})")
    return found


def _terraform(inv: Invocation, ctx: Context) -> list[Finding]:
    verb, rest = subcommand(inv.args)
    argv = [w.unquoted for w in rest]
    if verb == "destroy" or (verb in ("apply", "plan") and "-destroy" in argv and verb == "apply"):
        auto = " without asking" if "-auto-approve" in argv else ""
        return _f(Level.DANGEROUS, f"destroys all the infrastructure this configuration "
                                   f"manages{auto}")
    if verb == "state" and argv[:1] == ["rm"]:
        return _f(Level.DANGEROUS, "removes resources from Terraform state (they become "
                                   "unmanaged)")
    if verb == "apply" and "-auto-approve" in argv:
        return _f(Level.CAUTION, "changes infrastructure without asking first")
    return []


def _pulumi(inv: Invocation, ctx: Context) -> list[Finding]:
    verb, rest = subcommand(inv.args)
    if verb == "destroy":
        return _f(Level.DANGEROUS, "destroys every resource in the Pulumi stack")
    if verb == "stack" and rest[:1] and rest[0].unquoted == "rm":
        return _f(Level.DANGEROUS, "deletes a Pulumi stack")
    return []


def _kubectl(inv: Invocation, ctx: Context) -> list[Finding]:
    verb, rest = subcommand(inv.args, "nlcsf", frozenset({
        "--namespace", "--context", "--cluster", "--kubeconfig", "--server", "--selector",
        "--filename", "--user"}))
    if verb not in ("delete", "drain", "replace", "cordon"):
        return []
    argv = [w.unquoted for w in rest]
    if verb == "drain":
        return _f(Level.CAUTION, "evicts every pod from a node")
    if verb != "delete":
        return []
    kinds = [a for a in argv if not a.startswith("-")]
    if any(k in ("ns", "namespace", "namespaces") or k.startswith(("ns/", "namespace/"))
           for k in kinds):
        return _f(Level.DANGEROUS, "deletes a Kubernetes namespace and everything in it")
    if "--all" in argv or "-A" in argv or "--all-namespaces" in argv or "all" in kinds:
        return _f(Level.DANGEROUS, "deletes every matching resource in the cluster (--all)")
    if any(k in ("pv", "pvc", "persistentvolume", "persistentvolumeclaim", "crd", "node",
                 "nodes") or k.startswith(("pv/", "pvc/")) for k in kinds):
        return _f(Level.DANGEROUS, "deletes Kubernetes storage or cluster-level resources")
    return _f(Level.CAUTION, "deletes Kubernetes resources")


def _aws(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = [a for a in inv.argv if not a.startswith("--profile") and not a.startswith(
        "--region")]
    positional = [a for a in argv if not a.startswith("-")]
    if positional[:2] == ["s3", "rm"] and ("--recursive" in argv):
        return _f(Level.DANGEROUS, "deletes every object under an S3 prefix (--recursive)")
    if positional[:2] == ["s3", "rm"]:
        return _f(Level.CAUTION, "deletes an S3 object")
    if positional[:2] == ["s3", "rb"]:
        level = Level.DANGEROUS if "--force" in argv else Level.CAUTION
        return _f(level, "deletes an S3 bucket" + (" and everything in it" if "--force" in argv
                                                   else ""))
    if positional[:2] == ["s3", "sync"] and "--delete" in argv:
        return _f(Level.DANGEROUS, "sync --delete removes files missing from the source")
    if len(positional) >= 2 and positional[1].startswith(("delete-", "terminate-", "remove-",
                                                          "deregister-", "purge-")):
        return _f(Level.DANGEROUS, f"{positional[1]}: permanently removes AWS resources")
    return []


def _gcloud(inv: Invocation, ctx: Context) -> list[Finding]:
    positional = [a for a in inv.argv if not a.startswith("-")]
    if "delete" in positional or "destroy" in positional:
        return _f(Level.DANGEROUS, "deletes Google Cloud resources (" +
                  " ".join(positional[:positional.index(
                      "delete" if "delete" in positional else "destroy") + 1]) + ")")
    return []


def _az(inv: Invocation, ctx: Context) -> list[Finding]:
    positional = [a for a in inv.argv if not a.startswith("-")]
    if "delete" in positional or "purge" in positional:
        what = " ".join(positional[:3])
        level = Level.DANGEROUS
        return _f(level, f"deletes Azure resources ({what})")
    return []


def _docker(inv: Invocation, ctx: Context) -> list[Finding]:
    verb, rest = subcommand(inv.args, "HHc", frozenset({"--host", "--context", "--config"}))
    argv = [w.unquoted for w in rest]
    if verb in ("system", "builder", "image", "container", "network", "volume") and argv[:1] == [
            "prune"]:
        wide = has_short_flag(rest, "a") or has_long(rest, "--all")
        if verb == "volume":
            return _f(Level.DANGEROUS, "deletes every unused Docker volume and its data")
        if verb == "system" and (wide or has_long(rest, "--volumes")):
            return _f(Level.DANGEROUS, "deletes all unused Docker images, containers, networks"
                      + (" and volumes" if has_long(rest, "--volumes") else ""))
        return _f(Level.CAUTION, f"removes unused Docker {verb if verb != 'system' else 'data'}")
    if verb == "volume" and argv[:1] in (["rm"], ["remove"]):
        return _f(Level.DANGEROUS, "deletes Docker volumes and the data in them")
    if verb in ("rm", "rmi") or (verb in ("container", "image") and argv[:1] == ["rm"]):
        if any(w.has_expansion for w in rest):
            return _f(Level.DANGEROUS, f"docker {verb} on a list computed at run time "
                                       "(often every container or image)")
        kind = "images" if "rmi" in (verb, *argv[:1]) or verb == "image" else "containers"
        return _f(Level.CAUTION, f"removes Docker {kind}")
    if verb == "compose" and argv[:1] == ["down"] and any(a in ("-v", "--volumes")
                                                          for a in argv):
        return _f(Level.DANGEROUS, "stops the services and deletes their volumes (data)")
    return []


def _compose(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    if "down" in argv and any(a in ("-v", "--volumes") for a in argv):
        return _f(Level.DANGEROUS, "stops the services and deletes their volumes (data)")
    if "rm" in argv and any(a in ("-v", "--volumes") for a in argv):
        return _f(Level.DANGEROUS, "removes containers with their volumes (data)")
    return []


def _helm(inv: Invocation, ctx: Context) -> list[Finding]:
    verb, rest = subcommand(inv.args, "n", frozenset({"--namespace", "--kube-context"}))
    if verb in ("uninstall", "delete", "del", "un"):
        names = [w.unquoted for w in operands(rest)]
        return _f(Level.DANGEROUS, "uninstalls the Helm release " +
                  (", ".join(quote(n) for n in names[:3]) or "") +
                  " and deletes its Kubernetes resources")
    return []


def _gsutil(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    positional = [a for a in argv if not a.startswith("-")]
    if positional[:1] == ["rm"] and (has_short_flag(inv.args, "r") or has_short_flag(
            inv.args, "R") or any("**" in a or a.endswith("/*") for a in positional)):
        return _f(Level.DANGEROUS, "deletes every object under a Cloud Storage path")
    if positional[:1] == ["rb"]:
        return _f(Level.DANGEROUS, "deletes a Cloud Storage bucket")
    if positional[:1] == ["rm"]:
        return _f(Level.CAUTION, "deletes Cloud Storage objects")
    return []


def _db_tools(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog == "dropdb":
        return _f(Level.DANGEROUS, "drops a PostgreSQL database")
    if prog == "mysqladmin" and any(a in ("drop",) for a in inv.argv):
        return _f(Level.DANGEROUS, "drops a MySQL database")
    if prog == "dropuser":
        return _f(Level.DANGEROUS, "drops a database user")
    return []


_HANDLERS = {
    "terraform": _terraform, "tofu": _terraform, "terragrunt": _terraform, "pulumi": _pulumi,
    "kubectl": _kubectl, "oc": _kubectl, "aws": _aws, "gcloud": _gcloud, "az": _az,
    "docker": _docker, "podman": _docker, "helm": _helm, "gsutil": _gsutil, "dropdb": _db_tools,
    "mysqladmin": _db_tools, "dropuser": _db_tools, "docker-compose": _compose,
    "podman-compose": _compose,
}
