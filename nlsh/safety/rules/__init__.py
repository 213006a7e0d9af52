"""One module per rule family. Each has a docstring saying what it catches and at which level,
and a `check(invocation, ctx) -> list[Finding]`; a module may also offer
`check_command(ctx) -> list[Finding]` for checks on the whole command line.
"""

from __future__ import annotations

from types import ModuleType

from nlsh.safety.rules import (
    baseline,
    cloud_destruction,
    databases,
    fork_bomb,
    git_history,
    interpreter_deletes,
    kubernetes,
    moves_and_syncs,
    obfuscation,
    package_removal,
    permissions,
    privilege,
    process_control,
    raw_disk,
    recursive_delete,
    remote_exec,
    resource_exhaustion,
    secret_exfiltration,
    secrets_managers,
    security_settings,
    sensitive_files,
)

RULES: tuple[ModuleType, ...] = (
    baseline,
    obfuscation,
    recursive_delete,
    moves_and_syncs,
    raw_disk,
    permissions,
    fork_bomb,
    resource_exhaustion,
    interpreter_deletes,
    remote_exec,
    privilege,
    sensitive_files,
    git_history,
    process_control,
    secret_exfiltration,
    package_removal,
    cloud_destruction,
    kubernetes,
    databases,
    secrets_managers,
    security_settings,
)

__all__ = ["RULES"]
