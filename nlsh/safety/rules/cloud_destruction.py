"""Destroying cloud resources: Terraform / Pulumi stacks, AWS, Google Cloud, Azure, object
storage, and Docker data.

Dangerous: `terraform destroy` / `apply -destroy` / `state rm`, `pulumi destroy`,
`aws s3 rm --recursive`, `aws s3 rb --force`, `aws s3 sync --delete`, `aws ... delete-*`,
`terminate-*`, `remove-*`, `deregister-*`, `purge-*`, `schedule-key-deletion`,
`gcloud ... delete`, `gcloud storage rm -r`, `az ... delete|purge|delete-batch`, `gsutil rm -r`,
`gsutil rb`, the same in `doctl`, `hcloud`, `linode-cli`, `scw`, `ibmcloud`, `oci` (a `delete`
verb), `docker system prune -a`, `docker volume rm|prune`, `docker rm -f $(...)`,
`docker compose down -v`.
Caution: narrower deletions (`aws s3 rm s3://b/one-key`, `docker rmi`, `docker system prune`).
Kubernetes is the `kubernetes` family's, databases `databases`', secrets `secrets_managers`'.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation, has_long, has_short_flag
from nlsh.safety.rules.common import subcommand

RULE = "cloud_destruction"


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    prog = inv.program
    if prog is None:
        return []
    handler = _HANDLERS.get(prog)
    return handler(inv, ctx) if handler else []


def _f(level: Level, reason: str) -> list[Finding]:
    return [Finding(level, reason, RULE)]


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


# Services whose deletions are the `secrets_managers` family's.
SECRET_SERVICES = frozenset({"secretsmanager", "ssm", "kms"})
_AWS_DESTROYING = ("delete-", "terminate-", "remove-", "deregister-", "purge-", "batch-delete-",
                   "schedule-key-deletion", "reset-db-", "disable-key")
# Global options that take a value, so that their values are not read as commands.
_AWS_WITH_VALUE = frozenset({"--profile", "--region", "--output", "--endpoint-url", "--query",
                             "--color", "--ca-bundle", "--cli-read-timeout",
                             "--cli-connect-timeout", "--cli-binary-format"})
_GCLOUD_WITH_VALUE = frozenset({"--project", "--zone", "--region", "--format", "--account",
                                "--configuration", "--filter", "--verbosity", "--location",
                                "--impersonate-service-account", "--billing-project"})
_AZ_WITH_VALUE = frozenset({"--subscription", "--output", "-o", "--query", "--name", "-n",
                            "--resource-group", "-g", "--ids", "--location", "-l"})


def positionals(argv: list[str], with_value: frozenset[str]) -> list[str]:
    """Words that are not options nor option values: the command path (`ec2 terminate-...`)
    and operands."""
    found: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = "=" not in a and a in with_value
            continue
        found.append(a)
    return found


def _aws(inv: Invocation, ctx: Context) -> list[Finding]:
    argv = inv.argv
    words = positionals(argv, _AWS_WITH_VALUE)
    service, op = [*words, "", ""][:2]
    if service in SECRET_SERVICES:
        return []
    if service == "s3":
        return _aws_s3(op, argv)
    if op.startswith(_AWS_DESTROYING):
        return _f(Level.DANGEROUS, f"aws {service} {op}: permanently removes AWS resources")
    return []


def _aws_s3(op: str, argv: list[str]) -> list[Finding]:
    recursive = "--recursive" in argv
    if op == "rm" and recursive:
        return _f(Level.DANGEROUS, "deletes every object under an S3 prefix (--recursive)")
    if op == "rm":
        return _f(Level.CAUTION, "deletes an S3 object")
    if op == "rb":
        level = Level.DANGEROUS if "--force" in argv else Level.CAUTION
        return _f(level, "deletes an S3 bucket" + (" and everything in it" if "--force" in argv
                                                   else ""))
    if op == "sync" and "--delete" in argv:
        return _f(Level.DANGEROUS, "sync --delete removes files missing from the source")
    if op == "mv" and recursive:
        return _f(Level.CAUTION, "moves every object under an S3 prefix")
    return []


def _gcloud(inv: Invocation, ctx: Context) -> list[Finding]:
    words = positionals(inv.argv, _GCLOUD_WITH_VALUE)
    if words[:1] == ["secrets"] or words[:2] == ["kms", "keys"]:
        return []
    quiet = " without asking" if any(a in ("-q", "--quiet") for a in inv.argv) else ""
    if words[:2] == ["storage", "rm"]:
        if has_short_flag(inv.args, "r") or has_long(inv.args, "--recursive") or any(
                "**" in w or w.endswith("/*") for w in words):
            return _f(Level.DANGEROUS, "deletes every object under a Cloud Storage path")
        return _f(Level.CAUTION, "deletes Cloud Storage objects")
    for verb in ("delete", "destroy", "purge"):
        if verb in words:
            path = " ".join(words[:words.index(verb) + 1])
            return _f(Level.DANGEROUS, f"deletes Google Cloud resources ({path}){quiet}")
    return []


def _az(inv: Invocation, ctx: Context) -> list[Finding]:
    words = positionals(inv.argv, _AZ_WITH_VALUE)
    if words[:1] == ["keyvault"]:
        return []
    for verb in ("delete", "purge", "delete-batch"):
        if verb in words:
            path = " ".join(words[:words.index(verb) + 1])
            return _f(Level.DANGEROUS, f"deletes Azure resources ({path})")
    return []


def _other_cloud(inv: Invocation, ctx: Context) -> list[Finding]:
    """doctl, hcloud, linode-cli, scw, ibmcloud, oci: a `delete` verb somewhere in the path."""
    words = [a for a in inv.argv if not a.startswith("-")]
    verb = next((w for w in words if w in ("delete", "rm", "destroy", "terminate")), None)
    if verb is None:
        return []
    path = " ".join(words[:words.index(verb) + 1])
    return _f(Level.DANGEROUS, f"deletes cloud resources ({inv.program} {path})")


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


_HANDLERS = {
    "terraform": _terraform, "tofu": _terraform, "terragrunt": _terraform, "pulumi": _pulumi,
    "aws": _aws, "gcloud": _gcloud, "az": _az, "docker": _docker, "podman": _docker,
    "gsutil": _gsutil, "docker-compose": _compose, "podman-compose": _compose,
    "doctl": _other_cloud, "hcloud": _other_cloud, "linode-cli": _other_cloud,
    "scw": _other_cloud, "ibmcloud": _other_cloud, "oci": _other_cloud,
}
