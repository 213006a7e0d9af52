"""Destroying secrets and keys held by secrets managers. A deleted credential usually cannot be
read back, and a deleted encryption key makes everything it encrypted unreadable.

Dangerous: HashiCorp Vault (`vault kv delete|destroy|metadata delete`, `vault delete`,
`vault secrets disable`, `vault auth disable`, `vault lease revoke -prefix`, `vault policy
delete`, `vault operator seal`), 1Password (`op item|vault|document|user|group delete`, unless
`--archive`), Bitwarden with `--permanent`, AWS Secrets Manager / SSM Parameter Store / KMS
(`delete-secret`, `delete-parameter(s)`, `schedule-key-deletion`, `disable-key`), Google Secret
Manager and Cloud KMS (`gcloud secrets delete`, `... versions destroy`), Azure Key Vault
(`az keyvault delete|purge`, `az keyvault secret|key|certificate delete|purge`), `pass rm`,
`gpg --delete-secret-keys`, macOS `security delete-keychain|delete-*-password`, `doppler secrets
delete`.
Caution: moving to a trash or archive (`op item delete --archive`, `bw delete item`), revoking
a single token (`vault token revoke`), `gh secret delete`.
Reading (`vault kv get`, `op item get`, `get-secret-value`, `pass show`) adds nothing here.
"""

from __future__ import annotations

from nlsh.records import Level
from nlsh.safety.context import Context
from nlsh.safety.findings import Finding
from nlsh.safety.invocations import Invocation
from nlsh.safety.rules.cloud_destruction import positionals
from nlsh.safety.rules.common import quote

RULE = "secrets_managers"

_VAULT_WITH_VALUE = frozenset({"-address", "-namespace", "-mount", "-format", "-field",
                               "-versions", "-ca-cert", "-output-curl-string"})


def check(inv: Invocation, ctx: Context) -> list[Finding]:
    handler = _HANDLERS.get(inv.program or "")
    return handler(inv) if handler else []


def _f(level: Level, reason: str) -> list[Finding]:
    return [Finding(level, reason, RULE)]


def _vault(inv: Invocation) -> list[Finding]:
    words = positionals(inv.argv, _VAULT_WITH_VALUE)
    if words[:2] in (["kv", "delete"], ["kv", "destroy"]) or words[:3] == [
            "kv", "metadata", "delete"]:
        metadata = words[1] == "metadata"
        secret = words[3:4] if metadata else words[2:3]
        how = {"metadata": "every version of ", "destroy": "versions of ", "delete": ""}[words[1]]
        shown = quote(secret[0]) if secret else "a secret"
        return _f(Level.DANGEROUS, f"deletes {how}the Vault secret {shown}")
    if words[:1] == ["delete"]:
        shown = quote(words[1]) if len(words) > 1 else "a path"
        return _f(Level.DANGEROUS, f"deletes the Vault secret at {shown}")
    if words[:2] in (["secrets", "disable"], ["auth", "disable"]):
        shown = quote(words[2]) if len(words) > 2 else "a mount"
        what = "secrets engine" if words[0] == "secrets" else "auth method"
        return _f(Level.DANGEROUS, f"disables the Vault {what} {shown}, destroying everything "
                                   "stored under it")
    if words[:2] == ["lease", "revoke"] and any(a in ("-prefix", "-force") for a in inv.argv):
        return _f(Level.DANGEROUS, "revokes every Vault lease under a prefix")
    if words[:2] == ["policy", "delete"]:
        return _f(Level.DANGEROUS, "deletes a Vault policy (access that depends on it stops)")
    if words[:2] == ["operator", "seal"]:
        return _f(Level.DANGEROUS, "seals Vault: every secret is unavailable until it is "
                                   "unsealed with the key shares")
    if words[:2] == ["token", "revoke"]:
        return _f(Level.CAUTION, "revokes a Vault token")
    return []


def _op(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if len(words) >= 2 and words[1] in ("delete", "remove", "rm"):
        kind = words[0]
        name = quote(words[2]) if len(words) > 2 else f"a {kind}"
        if "--archive" in inv.argv:
            return _f(Level.CAUTION, f"moves the 1Password {kind} {name} to the archive")
        return _f(Level.DANGEROUS, f"permanently deletes the 1Password {kind} {name}")
    return []


def _bw(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:1] != ["delete"]:
        return []
    if "--permanent" in inv.argv:
        return _f(Level.DANGEROUS, "permanently deletes a Bitwarden item")
    return _f(Level.CAUTION, "moves a Bitwarden item to the trash")


def aws_secrets(inv: Invocation) -> list[Finding]:
    words = positionals(inv.argv, frozenset({"--profile", "--region", "--output",
                                             "--endpoint-url", "--query"}))
    service, op = [*words, "", ""][:2]
    if service == "secretsmanager" and op == "delete-secret":
        now = " immediately, with no recovery window" if \
            "--force-delete-without-recovery" in inv.argv else ""
        return _f(Level.DANGEROUS, f"deletes an AWS Secrets Manager secret{now}")
    if service == "ssm" and op in ("delete-parameter", "delete-parameters"):
        return _f(Level.DANGEROUS, "deletes SSM Parameter Store parameters")
    if service == "kms" and op in ("schedule-key-deletion", "disable-key", "delete-alias",
                                   "delete-imported-key-material"):
        return _f(Level.DANGEROUS, f"aws kms {op}: data encrypted with the key becomes "
                                   "unreadable")
    if service in ("secretsmanager", "ssm", "kms") and op.startswith(("delete-", "remove-")):
        return _f(Level.DANGEROUS, f"aws {service} {op}: permanently removes secrets or keys")
    return []


def _gcloud(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:1] == ["secrets"] and ("delete" in words or "destroy" in words):
        return _f(Level.DANGEROUS, "deletes a Google Secret Manager secret or its versions")
    if words[:2] == ["kms", "keys"] and ("destroy" in words or "delete" in words):
        return _f(Level.DANGEROUS, "destroys a Cloud KMS key version: data encrypted with it "
                                   "becomes unreadable")
    return []


def _az(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:1] == ["keyvault"] and any(w in ("delete", "purge") for w in words):
        what = " ".join(words[:words.index("purge" if "purge" in words else "delete") + 1])
        permanent = " permanently" if "purge" in words else ""
        return _f(Level.DANGEROUS, f"{permanent.strip() + ' ' if permanent else ''}deletes "
                                   f"Azure Key Vault data ({what})")
    return []


def _pass(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:1] in (["rm"], ["remove"], ["delete"]):
        name = quote(words[1]) if len(words) > 1 else "an entry"
        return _f(Level.DANGEROUS, f"deletes the password {name} from the password store")
    return []


def _gpg(inv: Invocation) -> list[Finding]:
    if any(a in ("--delete-secret-keys", "--delete-secret-key", "--delete-secret-and-public-key",
                 "--delete-secret-and-public-keys") for a in inv.argv):
        return _f(Level.DANGEROUS, "deletes GPG secret keys (what they encrypted or signed "
                                   "cannot be used again without a backup)")
    if any(a in ("--delete-keys", "--delete-key") for a in inv.argv):
        return _f(Level.CAUTION, "deletes GPG public keys")
    return []


def _security(inv: Invocation) -> list[Finding]:
    verb = inv.argv[0] if inv.argv else ""
    if verb in ("delete-keychain", "delete-generic-password", "delete-internet-password",
                "delete-certificate", "delete-identity"):
        return _f(Level.DANGEROUS, f"security {verb}: removes credentials from the macOS "
                                   "keychain")
    return []


def _doppler(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:1] in (["secrets"], ["projects"], ["configs"], ["environments"]) and \
            "delete" in words:
        return _f(Level.DANGEROUS, f"deletes Doppler {words[0]}")
    return []


def _gh(inv: Invocation) -> list[Finding]:
    words = [a for a in inv.argv if not a.startswith("-")]
    if words[:2] in (["secret", "delete"], ["secret", "remove"]):
        return _f(Level.CAUTION, "deletes a GitHub Actions secret")
    return []


_HANDLERS = {
    "vault": _vault, "op": _op, "bw": _bw, "aws": aws_secrets, "gcloud": _gcloud, "az": _az,
    "pass": _pass, "gopass": _pass, "gpg": _gpg, "gpg2": _gpg, "security": _security,
    "doppler": _doppler, "gh": _gh,
}
