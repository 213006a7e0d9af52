"""Case table for `secrets_managers` (issue 16 item 4): deleting secrets and keys in Vault,
1Password, Bitwarden, AWS / Google / Azure secret stores, pass, gpg and the macOS keychain."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level

S, C, D = Level.SAFE, Level.CAUTION, Level.DANGEROUS
Check = Callable[[str, str, Level, str], None]

CASES: list[tuple[str, Level, str]] = [
    ("vault kv delete secret/app", D, "the Vault secret `secret/app`"),
    ("vault kv destroy -versions=1,2 secret/app", D, "versions of the Vault secret"),
    ("vault kv metadata delete secret/app", D, "every version of the Vault secret"),
    ("vault delete secret/legacy", D, "`secret/legacy`"),
    ("vault secrets disable kv/", D, "destroying everything stored under it"),
    ("vault auth disable github/", D, "auth method"),
    ("vault lease revoke -prefix aws/", D, "every Vault lease"),
    ("VAULT_ADDR=https://v:8200 vault kv delete -mount=secret app", D, "Vault secret"),
    ("op item delete 'GitHub token'", D, "permanently deletes the 1Password item"),
    ("op vault delete Shared", D, "1Password vault"),
    ("op document delete passport.pdf --vault Private", D, "1Password document"),
    ("bw delete item 1234 --permanent", D, "permanently deletes a Bitwarden item"),
    ("aws secretsmanager delete-secret --secret-id prod/db "
     "--force-delete-without-recovery", D, "with no recovery window"),
    ("aws --region eu-west-1 secretsmanager delete-secret --secret-id x", D,
     "Secrets Manager secret"),
    ("aws ssm delete-parameters --names a b", D, "Parameter Store"),
    ("aws kms schedule-key-deletion --key-id k1 --pending-window-in-days 7", D,
     "becomes unreadable"),
    ("gcloud secrets delete db-password --quiet", D, "Google Secret Manager"),
    ("gcloud secrets versions destroy 3 --secret=db-password", D, "Google Secret Manager"),
    ("az keyvault secret purge --vault-name kv1 --name api-key", D, "permanently deletes"),
    ("az keyvault delete --name kv1", D, "Azure Key Vault"),
    ("pass rm -r work/", D, "from the password store"),
    ("gpg --delete-secret-keys alice@example.com", D, "GPG secret keys"),
    ("security delete-keychain login.keychain-db", D, "macOS keychain"),
    ("doppler secrets delete API_KEY", D, "Doppler secrets"),
    ("sudo vault operator seal", D, "seals Vault"),
    # look-alikes and milder operations
    ("op item delete old-login --archive", C, "to the archive"),
    ("bw delete item 1234", C, "to the trash"),
    ("vault token revoke s.abc", C, "revokes a Vault token"),
    ("gh secret delete DEPLOY_KEY", C, "GitHub Actions secret"),
    ("gpg --delete-keys bob@example.com", C, "GPG public keys"),
    ("vault kv get secret/app", C, ""),
    ("vault kv list secret/", C, ""),
    ("op item get 'GitHub token'", C, ""),
    ("aws secretsmanager list-secrets", C, ""),
    ("gcloud secrets versions access latest --secret=x", C, ""),
    ("az keyvault secret list --vault-name kv1", C, ""),
    ("pass show work/email", C, ""),
    ("gpg --list-secret-keys", C, ""),
    ("echo 'vault kv delete secret/app'", S, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check("secrets_managers", command, level, fragment)
