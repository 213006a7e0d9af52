"""Files whose change weakens or breaks the system, and files that hold secrets."""

from __future__ import annotations

import fnmatch
import posixpath

from nlsh.safety.paths import is_under

SHELL_STARTUP = (".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile",
                 ".zshrc", ".zshenv", ".zprofile", ".zlogin", ".zlogout", ".kshrc", ".cshrc",
                 ".tcshrc", ".mkshrc", ".config/fish/config.fish", ".inputrc")
SYSTEM_SHELL_STARTUP = ("/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zshrc",
                        "/etc/zsh/zshrc", "/etc/zsh/zshenv", "/etc/environment")

# (home-relative pattern, description). Directories cover everything inside them.
HOME_SECRETS = (
    (".ssh/id_*", "your SSH private key"),
    (".ssh/*.pem", "an SSH private key"),
    (".ssh/*_key", "an SSH private key"),
    (".ssh", "your SSH keys"),
    (".aws/credentials", "your AWS credentials"),
    (".aws", "your AWS credentials"),
    (".config/gcloud", "your Google Cloud credentials"),
    (".azure", "your Azure credentials"),
    (".kube/config", "your Kubernetes credentials"),
    (".kube", "your Kubernetes credentials"),
    (".docker/config.json", "your Docker registry credentials"),
    (".netrc", "your saved passwords (.netrc)"),
    (".git-credentials", "your saved git passwords"),
    (".pgpass", "your PostgreSQL passwords"),
    (".my.cnf", "your MySQL credentials"),
    (".npmrc", "your npm token"),
    (".pypirc", "your PyPI token"),
    (".gnupg", "your GPG keys"),
    (".password-store", "your password store"),
    (".config/gh/hosts.yml", "your GitHub token"),
    (".terraform.d/credentials.tfrc.json", "your Terraform token"),
    (".vault-token", "your Vault token"),
    (".config/rclone/rclone.conf", "your cloud storage credentials"),
    (".bash_history", "your shell history"),
    (".zsh_history", "your shell history"),
    (".local/share/keyrings", "your keyring"),
    (".mozilla/firefox", "your browser profile"),
    (".config/google-chrome", "your browser profile"),
)
SYSTEM_SECRETS = (
    ("/etc/shadow", "the system password hashes"),
    ("/etc/gshadow", "the system group password hashes"),
    ("/etc/ssh/ssh_host_*_key", "the server's SSH host key"),
    ("/etc/ssl/private", "the server's TLS private keys"),
    ("/etc/sudoers", "the sudo configuration"),
    ("/root", "root's home directory"),
)
# Secret-looking file names anywhere.
SECRET_NAMES = (
    (".env", "an environment file with secrets"),
    (".env.*", "an environment file with secrets"),
    ("*.pem", "a private key or certificate"),
    ("*.key", "a private key"),
    ("*.p12", "a private key bundle"),
    ("*.pfx", "a private key bundle"),
    ("id_rsa", "an SSH private key"),
    ("id_ed25519", "an SSH private key"),
    ("id_ecdsa", "an SSH private key"),
    ("id_dsa", "an SSH private key"),
    ("credentials", "a credentials file"),
    ("credentials.json", "a credentials file"),
    ("service-account*.json", "a cloud service-account key"),
)


def _home_relative(path: str, home: str) -> str | None:
    if home != "/" and is_under(path, home):
        return path[len(home):].lstrip("/")
    return None


def secret_kind(path: str, home: str, *, whole_trees: bool = False) -> str | None:
    """What secret a path (possibly a glob pattern) holds, or None.

    With `whole_trees`, a directory that contains the home directory counts too (for archivers
    and copiers, which take everything inside).
    """
    if whole_trees and home != "/" and is_under(home, path):
        return "your whole home directory, keys included"
    name = posixpath.basename(path)
    if name.endswith(".pub") or name == "known_hosts":
        return None
    rel = _home_relative(path, home)
    if rel is not None:
        for pattern, description in HOME_SECRETS:
            # The reverse match catches a pattern argument (`~/.ssh/*`) that covers a secret.
            if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, pattern + "/*") or (
                    rel and rel[0] not in "*?[" and fnmatch.fnmatchcase(pattern, rel)):
                if rel.startswith(".ssh/") and name in ("config", "known_hosts",
                                                        "authorized_keys"):
                    return None
                return description
    for pattern, description in SYSTEM_SECRETS:
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"):
            return description
    if path.startswith("/proc/") and path.endswith("/environ"):
        return "a process's environment variables"
    for pattern, description in SECRET_NAMES:
        if fnmatch.fnmatchcase(name, pattern):
            if name == ".env.example" or name.endswith((".sample", ".example", ".template")):
                return None
            return description
    return None


def sensitive_kind(path: str, home: str) -> str | None:
    """Why overwriting or editing a path (not reading it) is risky, or None."""
    rel = _home_relative(path, home)
    if rel is not None:
        if rel in SHELL_STARTUP:
            return "your shell startup file"
        if rel == ".ssh/authorized_keys" or rel == ".ssh/authorized_keys2":
            return "the keys allowed to log in to your account"
        if rel == ".ssh" or rel.startswith(".ssh/"):
            return "your SSH configuration"
        if rel in (".gitconfig", ".config/git/config"):
            return None
        if rel.startswith((".config/autostart/", ".config/systemd/user/")):
            return "programs started at login"
        if rel in (".xinitrc", ".xprofile", ".xsession"):
            return "your desktop startup file"
        return None
    if path in SYSTEM_SHELL_STARTUP:
        return "the system-wide shell startup file"
    if path in ("/etc/sudoers",) or path.startswith("/etc/sudoers.d"):
        return "the sudo permissions"
    if path in ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"):
        return "the system user accounts"
    if path.startswith("/etc/ssh/"):
        return "the SSH server configuration"
    if path in ("/etc/fstab", "/etc/crypttab") or path.startswith(("/boot/", "/etc/default/grub")):
        return "what the machine needs to boot"
    if path == "/boot":
        return "what the machine needs to boot"
    if path.startswith(("/etc/pam.d/", "/etc/security/")):
        return "login security settings"
    if path.startswith(("/etc/cron", "/var/spool/cron", "/etc/systemd/", "/etc/init.d/")):
        return "programs the system starts on its own"
    if path.startswith("/etc/"):
        return "system configuration"
    if path == "/proc/sysrq-trigger":
        return "the kernel's emergency controls (can reboot or crash the machine at once)"
    if path.startswith(("/proc/sys/", "/sys/")):
        return "a live kernel setting"
    if path.startswith(("/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/lib32/")):
        return "installed system files"
    if path.startswith(("/var/lib/dpkg/", "/var/lib/rpm/", "/var/lib/apt/")):
        return "the package database"
    if path.startswith("/root/"):
        return "root's files"
    return None
