"""Destroying Kubernetes workloads and their data: `kubectl` / `oc` / `helm`.

Dangerous: deleting a namespace or project (`kubectl delete ns prod`, `namespace/prod`,
`oc delete project x`) — everything in it goes; deleting with `--all`, `-A`/`--all-namespaces`,
the `all` kind or a selector that matches everything; deleting storage and cluster-level kinds
(persistent volumes and claims, CRDs — which take every custom resource with them —, nodes,
secrets, statefulsets); `helm uninstall`; `kubectl delete -f DIR` over a whole directory of
manifests (`-R`); scaling everything to zero (`kubectl scale --all --replicas=0`).
Caution: deleting named resources (`kubectl delete pod web-1`), `drain`, `cordon`, scaling one
deployment to zero. A `--dry-run` changes nothing.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.rules.common import operands, quote, subcommand
from nlsh.shellparse import Word

RULE = "kubernetes"

_GLOBAL_WITH_VALUE = frozenset({
    "--namespace", "--context", "--cluster", "--kubeconfig", "--server", "--selector",
    "--filename", "--user", "--token", "--as", "--request-timeout", "--field-selector",
    "--output", "--timeout", "--grace-period", "--cascade", "--wait"})
_NAMESPACE_KINDS = frozenset({"ns", "namespace", "namespaces", "project", "projects"})
_DATA_KINDS = frozenset({
    "pv", "pvc", "persistentvolume", "persistentvolumes", "persistentvolumeclaim",
    "persistentvolumeclaims", "crd", "crds", "customresourcedefinition",
    "customresourcedefinitions", "node", "nodes", "no", "secret", "secrets",
    "statefulset", "statefulsets", "sts", "storageclass", "storageclasses", "sc"})


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    if inv.program in ("kubectl", "oc", "k3s", "microk8s.kubectl", "kubecolor"):
        return _kubectl(inv.args)
    if inv.program == "helm":
        return _helm(inv.args)
    return []


def _f(level: Level, reason: str) -> list[Finding]:
    return [Finding(level, reason, RULE)]


def _kubectl(args: tuple[Word, ...]) -> list[Finding]:
    verb, rest = subcommand(args, "nlcsfo", _GLOBAL_WITH_VALUE)
    argv = [w.unquoted for w in rest]
    if any(a.startswith("--dry-run") and a not in ("--dry-run=none",) for a in argv):
        return []
    if verb == "drain":
        return _f(Level.CAUTION, "evicts every pod from a node")
    if verb == "cordon":
        return _f(Level.CAUTION, "stops new pods being scheduled on a node")
    if verb == "scale":
        return _scale(argv)
    if verb != "delete":
        return []
    kinds = _kinds(rest)
    everywhere = any(a in ("-A", "--all-namespaces") or a.startswith("--all-namespaces=true")
                     for a in argv)
    if any(k in _NAMESPACE_KINDS for k in kinds):
        names = _names(rest) or ["every namespace" if "--all" in argv else ""]
        shown = ", ".join(quote(n) for n in names[:3] if n) or "a namespace"
        return _f(Level.DANGEROUS, f"deletes the Kubernetes namespace {shown} and everything "
                                   "in it")
    if "--all" in argv or "all" in kinds or everywhere or _selects_everything(argv):
        what = "resources" if "all" in kinds or not kinds else ", ".join(kinds[:3])
        where = "in every namespace" if everywhere else "in the namespace"
        return _f(Level.DANGEROUS, f"deletes all {what} {where}")
    data = [k for k in kinds if k in _DATA_KINDS]
    if data:
        return _f(Level.DANGEROUS, f"deletes Kubernetes {data[0]} objects: stored data or "
                                   "cluster-wide state goes with them")
    files = [a for a in argv if a in ("-f", "--filename") or a.startswith("--filename=")]
    if files and any(a in ("-R", "--recursive") for a in argv):
        return _f(Level.DANGEROUS, "deletes everything defined in a whole directory of "
                                   "manifests")
    return _f(Level.CAUTION, "deletes Kubernetes resources")


def _kinds(rest: list[Word]) -> list[str]:
    """`pods`, `deploy,svc` and `ns/prod` style operands -> lower-case kind names."""
    words = [w.unquoted for w in operands(rest, "nlcsfo", _GLOBAL_WITH_VALUE)]
    if not words:
        return []
    kinds: list[str] = []
    first = words[0]
    if "/" in first:
        kinds += [w.split("/", 1)[0].lower() for w in words if "/" in w]
    else:
        kinds += [k.lower() for k in first.split(",") if k]
    return [k.split(".", 1)[0] for k in kinds]


def _names(rest: list[Word]) -> list[str]:
    words = [w.unquoted for w in operands(rest, "nlcsfo", _GLOBAL_WITH_VALUE)]
    if words and "/" in words[0]:
        return [w.split("/", 1)[1] for w in words if "/" in w]
    return words[1:]


def _selects_everything(argv: list[str]) -> bool:
    """`-l 'app'`-style selectors are narrow; an empty `--field-selector=` is not."""
    return any(a in ("--selector=", "--field-selector=") for a in argv)


def _scale(argv: list[str]) -> list[Finding]:
    zero = any(a in ("--replicas=0",) for a in argv) or (
        "--replicas" in argv and argv[argv.index("--replicas") + 1:][:1] == ["0"])
    if not zero:
        return []
    if "--all" in argv:
        return _f(Level.DANGEROUS, "scales every workload in the namespace to zero (an outage)")
    return _f(Level.CAUTION, "scales a workload to zero replicas")


def _helm(args: tuple[Word, ...]) -> list[Finding]:
    verb, rest = subcommand(args, "n", frozenset({"--namespace", "--kube-context",
                                                  "--kubeconfig"}))
    if verb in ("uninstall", "delete", "del", "un"):
        if any(w.unquoted == "--dry-run" for w in rest):
            return []
        names = [w.unquoted for w in operands(rest, "n", frozenset({
            "--namespace", "--kube-context", "--timeout", "--cascade"}))]
        shown = ", ".join(quote(n) for n in names[:3]) or "a release"
        return _f(Level.DANGEROUS, f"uninstalls the Helm release {shown} and deletes its "
                                   "Kubernetes resources")
    return []
