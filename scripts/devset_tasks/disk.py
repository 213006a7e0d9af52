"""Sizes and space: du, ls -S, find -size with named places and units."""

from devset_tasks._dsl import t

CATEGORY = "disk"

TASKS = [
    t("disk.shop-size", "how much space does ~/projects/shop take? bytes, apparent size",
      "du -sb ~/projects/shop | cut -f1", stdout="number"),
    t("disk.logs-size", "total apparent size of /srv/app/logs in bytes",
      "du -sb /srv/app/logs | cut -f1", stdout="number"),
    t("disk.biggest-download", "what's the single biggest file in ~/downloads",
      "ls -S ~/downloads | head -n 1", stdout="paths"),
    t("disk.largest-5-photos", "the 5 largest photos in ~/photos/2024 (any month), biggest "
      "first, with sizes in bytes",
      "find ~/photos/2024 -type f -printf '%s %P\\n' | sort -rn | head -n 5"),
    t("disk.smallest-logs", "list /srv/app/logs from smallest to largest file",
      "ls -Sr /srv/app/logs", wrong=["ls -S /srv/app/logs"]),
    t("disk.size-report", "size in bytes of ~/documents/report.csv",
      "stat -c %s ~/documents/report.csv", stdout="number"),
    t("disk.over-100m-srv", "anything over 100 MB anywhere under /srv?",
      "find /srv -type f -size +100M", stdout="paths"),
    t("disk.total-mov", "total size in bytes of the .mov videos in ~/photos/2024",
      "find ~/photos/2024 -name '*.mov' -printf '%s\\n' | awk '{s += $1} END {print s}'",
      stdout="number"),
    t("disk.dir-sizes-home", "apparent size in bytes of each folder directly in ~/documents",
      "du -sb ~/documents/*/ | sed 's|/$||'", stdout="paths"),
    t("disk.count-big-worker", "how many worker logs in /srv/app/logs are bigger than 50M",
      "find /srv/app/logs -name '*.log' -size +50M | wc -l", stdout="number"),
    t("disk.backups-total", "how many bytes do the db dumps in /var/backups take together",
      "cat /var/backups/db-*.sql.gz | wc -c", stdout="number"),
    t("disk.sort-dumps-size", "list the db dumps in /var/backups by size, largest first",
      "ls -S /var/backups/db-*.sql.gz", stdout="exact",
      notes="dumps differ in size by their day number's digits"),
    t("disk.newest-dump", "which db dump in /var/backups is the most recent? by time",
      "ls -t /var/backups/db-*.sql.gz | head -n 1", stdout="paths",
      wrong=["ls -tr /var/backups/db-*.sql.gz | head -n 1"]),
    t("disk.oldest-invoice", "the oldest file (by modification time) in ~/documents/invoices, "
      "ignoring the 2023 folder",
      "ls -tr ~/documents/invoices/*.pdf | head -n 1", stdout="paths"),
    t("disk.recent-5", "5 most recently modified files in /srv/app/logs",
      "ls -t /srv/app/logs | head -n 5"),
]
