"""Permissions with named files and modes: chmod, and questions about who may do what."""

from devset_tasks._dsl import t

CATEGORY = "perms"
E = "ignore"

TASKS = [
    t("perm.exec-tools", "make every script in /opt/tools/bin executable",
      "chmod +x /opt/tools/bin/*", stdout=E, wrong=["chmod 644 /opt/tools/bin/*"]),
    t("perm.exec-deploy", "make ~/projects/shop/deploy.sh executable for me only (u+x)",
      "chmod u+x ~/projects/shop/deploy.sh", stdout=E,
      wrong=["chmod 777 ~/projects/shop/deploy.sh"]),
    t("perm.env-600", "the .env in /srv/app/config should only be readable and writable by "
      "its owner", "chmod 600 /srv/app/config/.env", stdout=E,
      wrong=["chmod 644 /srv/app/config/.env", "chmod 700 /srv/app/config/.env"]),
    t("perm.env-shop", "lock down ~/projects/shop/.env to mode 600",
      "chmod 600 ~/projects/shop/.env", stdout=E),
    t("perm.no-exec-tools", "remove execute permission from report.py in /opt/tools/bin",
      "chmod a-x /opt/tools/bin/report.py 2>/dev/null; true", stdout=E),
    t("perm.readonly-invoices", "make the 2024 invoices in ~/documents/invoices read-only "
      "for everyone", "chmod a-w ~/documents/invoices/invoice-2024-*.pdf", stdout=E),
    t("perm.dirs-755", "set every directory under ~/projects/shop to 755, leave files alone",
      "find ~/projects/shop -type d -exec chmod 755 {} +", stdout=E,
      wrong=["chmod -R 755 ~/projects/shop"]),
    t("perm.files-644", "set all regular files in /srv/app/config to 644",
      "find /srv/app/config -type f -exec chmod 644 {} +", stdout=E),
    t("perm.list-exec", "which scripts in /opt/tools/bin can I run? names only",
      "find /opt/tools/bin -type f -perm -u+x -printf '%f\\n'", stdout="paths"),
    t("perm.show-mode", "show the permissions of /srv/app/config/.env in octal",
      "stat -c %a /srv/app/config/.env", stdout="number"),
    t("perm.world-readable-env", "is any .env file under /srv or ~/projects readable by "
      "others? list those", "find /srv ~/projects -name .env -perm -o+r", stdout="paths"),
    t("perm.group-write", "give the group write access to /srv/app/data/users.csv",
      "chmod g+w /srv/app/data/users.csv", stdout=E),
    t("perm.recursive-logs", "make everything in /srv/app/logs readable by others "
      "(recursively)", "chmod -R o+r /srv/app/logs", stdout=E),
    t("perm.exec-sh-only", "chmod +x only the .sh files in /opt/tools/bin",
      "chmod +x /opt/tools/bin/*.sh", stdout=E, wrong=["chmod +x /opt/tools/bin/*"]),
]
