"""Pulling fields and pieces out of named files: cut, awk, sed, head, tail, sort."""

from devset_tasks._dsl import t

CATEGORY = "extract"
USERS = "/srv/app/data/users.csv"
REPORT = "~/documents/report.csv"

TASKS = [
    t("extract.emails", f"print just the email column of {USERS}, without the header",
      f"tail -n +2 {USERS} | cut -d, -f3", wrong=[f"cut -d, -f3 {USERS}"]),
    t("extract.names-sorted", f"user names from {USERS}, alphabetically",
      f"tail -n +2 {USERS} | cut -d, -f2 | sort",
      wrong=[f"tail -n +2 {USERS} | cut -d, -f2 | sort -r"]),
    t("extract.header", f"what columns does {REPORT} have? show the header line",
      f"head -n 1 {REPORT}"),
    t("extract.report-sorted-units", f"sort the rows of {REPORT} by units, highest first, "
      "keep the header out", f"tail -n +2 {REPORT} | sort -t, -k4,4nr -k1,1",
      notes="ties broken by date; the world rarely has ties",
      stdout="exact"),
    t("extract.report-by-date", f"rows of {REPORT} in date order (oldest first), no header",
      f"tail -n +2 {REPORT} | sort -t, -k1,1 -s"),
    t("extract.report-2cols", f"show only the date and product columns of {REPORT}",
      f"cut -d, -f1,3 {REPORT}"),
    t("extract.report-gizmo", f"all gizmo rows in {REPORT}", f"grep ',gizmo,' {REPORT}"),
    t("extract.last-10-app", "last 10 lines of /srv/app/logs/app.log",
      "tail -n 10 /srv/app/logs/app.log", wrong=["head -n 10 /srv/app/logs/app.log"]),
    t("extract.first-20-access", "first 20 requests in /srv/app/logs/access.log",
      "head -n 20 /srv/app/logs/access.log"),
    t("extract.lines-10-20", "print lines 10 to 20 of /srv/app/logs/app.log",
      "sed -n '10,20p' /srv/app/logs/app.log",
      wrong=["head -n 20 /srv/app/logs/app.log | tail -n 10"]),
    t("extract.ids", "extract the id= numbers from /srv/app/logs/app.log, one per line",
      "grep -o 'id=[0-9]*' /srv/app/logs/app.log | cut -d= -f2"),
    t("extract.timestamps-errors", "just the timestamps (date and time) of the ERROR lines in "
      "/srv/app/logs/app.log", "grep ERROR /srv/app/logs/app.log | cut -d' ' -f1,2"),
    t("extract.conf-values", "print the value of workers from /srv/app/config/app.conf",
      "awk -F' = ' '$1 == \"workers\" {print $2}' /srv/app/config/app.conf",
      stdout="number"),
    t("extract.db-host", "which db host does /srv/app/config/app.conf point at? just the "
      "value", "awk -F' = ' '$1 == \"db_host\" {print $2}' /srv/app/config/app.conf"),
    t("extract.pool", "what's the pool size in /srv/app/config/database.yml",
      "awk '/pool:/ {print $2}' /srv/app/config/database.yml", stdout="number"),
    t("extract.token", "show the API_TOKEN value from /srv/app/config/.env",
      "grep '^API_TOKEN=' /srv/app/config/.env | cut -d= -f2"),
    t("extract.versions", "print the version of every release in /srv/app/releases "
      "(the VERSION files)", "cat /srv/app/releases/*/VERSION", stdout="unordered"),
    t("extract.deps-names", "package names only (no versions) from "
      "~/projects/shop/requirements.txt", "cut -d= -f1 ~/projects/shop/requirements.txt"),
    t("extract.deps-sorted", "sort ~/projects/shop/requirements.txt alphabetically and show it",
      "sort ~/projects/shop/requirements.txt"),
    t("extract.open-todos", "open items in ~/notes/todo.txt without the checkbox",
      "grep '^\\[ \\]' ~/notes/todo.txt | cut -c5-"),
    t("extract.status-codes-ip", "print the IP and status code of each request in "
      "/srv/app/logs/access.log", "awk '{print $1, $9}' /srv/app/logs/access.log"),
    t("extract.urls-unique", "unique URLs requested in /srv/app/logs/access.log, sorted",
      "awk '{print $7}' /srv/app/logs/access.log | sort -u"),
    t("extract.invoice-totals", "print each 2024 invoice file in ~/documents/invoices with "
      "its total", "grep -H '^Total:' ~/documents/invoices/invoice-2024-*.pdf",
      stdout="unordered"),
    t("extract.settings-port", "what port is set in ~/.config/shop/settings.json",
      "jq .port ~/.config/shop/settings.json", stdout="number"),
    t("extract.commit-subjects", "the last 3 commit messages in ~/code/api (just the "
      "subject lines)", "git -C ~/code/api log -3 --format=%s"),
    t("extract.first-signup", f"earliest signup date in {USERS}",
      f"tail -n +2 {USERS} | cut -d, -f5 | sort | head -n 1"),
    t("extract.country-list", f"which countries do users in {USERS} come from? each once",
      f"tail -n +2 {USERS} | cut -d, -f4 | sort -u", stdout="unordered"),
    t("extract.syslog-last-hour", "show the last 3 lines of /var/log/syslog",
      "tail -n 3 /var/log/syslog"),
    t("extract.uppercase", "print ~/notes/todo.txt in upper case",
      "tr '[:lower:]' '[:upper:]' < ~/notes/todo.txt"),
    t("extract.numbered", "show ~/projects/shop/requirements.txt with line numbers",
      "cat -n ~/projects/shop/requirements.txt"),
    t("extract.reverse-lines", "print /srv/app/logs/app.log newest line first",
      "tac /srv/app/logs/app.log"),
    t("extract.gz-cat", "show the content of /srv/app/logs/app.log.2.gz",
      "zcat /srv/app/logs/app.log.2.gz"),
]
