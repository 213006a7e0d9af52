"""Case table for `kubernetes` (issue 16 item 4): namespace, --all, storage and cluster-level
deletes through kubectl / oc, Helm uninstalls."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
Check = Callable[[str, str, Level, str], None]

FAMILY = "kubernetes"

CASES: list[tuple[str, Level, str]] = [
    ("kubectl delete ns prod", D, "namespace `prod` and everything in it"),
    ("kubectl delete namespace staging", D, "namespace `staging`"),
    ("kubectl delete namespace/qa", D, "namespace `qa`"),
    ("oc delete project demo", D, "namespace `demo`"),
    ("kubectl delete pods --all", D, "deletes all pods in the namespace"),
    ("kubectl -n prod delete deploy,svc --all", D, "deletes all deploy, svc"),
    ("kubectl delete all --all -n prod", D, "deletes all resources"),
    ("kubectl delete pods --all --all-namespaces", D, "in every namespace"),
    ("kubectl delete pvc data-db-0", D, "pvc objects"),
    ("kubectl delete pv pv-001", D, "stored data"),
    ("kubectl delete crd widgets.example.com", D, "crd objects"),
    ("kubectl delete secret app-creds", D, "secret objects"),
    ("kubectl delete statefulset postgres", D, "statefulset objects"),
    ("kubectl delete node worker-3", D, "node objects"),
    ("kubectl delete -R -f k8s/", D, "a whole directory of manifests"),
    ("kubectl scale deploy --all --replicas=0", D, "scales every workload"),
    ("helm uninstall web", D, "the Helm release `web`"),
    ("helm -n prod delete api", D, "Helm release `api`"),
    ("sudo kubectl delete ns kube-system", D, "namespace `kube-system`"),
    # look-alikes and narrower deletions
    ("kubectl delete pod web-1", C, "deletes Kubernetes resources"),
    ("kubectl delete deployment api -n prod", C, "deletes Kubernetes resources"),
    ("kubectl drain worker-3 --ignore-daemonsets", C, "evicts every pod"),
    ("kubectl scale deploy api --replicas=0", C, "scales a workload to zero"),
    ("kubectl delete ns prod --dry-run=client", C, ""),
    ("kubectl get ns", S, ""),
    ("kubectl get pods --all-namespaces", S, ""),
    ("kubectl describe ns prod", S, ""),
    ("kubectl logs web-1", S, ""),
    ("helm list -A", C, ""),
    ("helm uninstall web --dry-run", C, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check(FAMILY, command, level, fragment)

