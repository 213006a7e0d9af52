"""Archives and compression with named paths: tar, gzip, zip, unzip."""

from devset_tasks._dsl import t

CATEGORY = "archive"
E = "ignore"

TASKS = [
    t("arc.tar-invoices", "pack ~/documents/invoices into invoices.tar.gz in my home folder",
      "tar -czf ~/invoices.tar.gz -C ~/documents invoices", stdout=E,
      wrong=["zip -r ~/invoices.tar.gz ~/documents/invoices"]),
    t("arc.tar-config", "make a gzipped tarball of /srv/app/config at "
      "/var/backups/config.tar.gz", "tar -czf /var/backups/config.tar.gz -C /srv/app config",
      stdout=E),
    t("arc.extract-fonts", "extract ~/downloads/fonts-extra.tar.gz into ~/downloads",
      "tar -xzf ~/downloads/fonts-extra.tar.gz -C ~/downloads", stdout=E,
      wrong=["gunzip ~/downloads/fonts-extra.tar.gz", "tar -tzf ~/downloads/fonts-extra.tar.gz"]),
    t("arc.extract-fonts-tmp", "unpack fonts-extra.tar.gz from downloads into ~/tmp",
      "tar -xzf ~/downloads/fonts-extra.tar.gz -C ~/tmp", stdout=E),
    t("arc.list-fonts", "what's inside ~/downloads/fonts-extra.tar.gz? list it without "
      "extracting", "tar -tzf ~/downloads/fonts-extra.tar.gz", stdout="paths",
      wrong=["tar -xzf ~/downloads/fonts-extra.tar.gz"]),
    t("arc.count-fonts", "how many files are in the archive ~/downloads/fonts-extra.tar.gz",
      "tar -tzf ~/downloads/fonts-extra.tar.gz | wc -l", stdout="number"),
    t("arc.gzip-log", "compress /srv/app/logs/app.log.1 with gzip", "gzip /srv/app/logs/app.log.1",
      stdout=E, wrong=["gzip -k /srv/app/logs/app.log.1"]),
    t("arc.gzip-keep", "gzip /srv/app/logs/access.log but keep the original too",
      "gzip -k /srv/app/logs/access.log", stdout=E, wrong=["gzip /srv/app/logs/access.log"]),
    t("arc.gunzip-dump", "decompress the newest db dump in /var/backups, keep the .gz",
      "gunzip -k \"$(ls /var/backups/db-*.sql.gz | sort | tail -n 1)\"", stdout=E),
    t("arc.zcat-dump", "show what's in the oldest db dump in /var/backups without "
      "unpacking it", "zcat \"$(ls /var/backups/db-*.sql.gz | sort | head -n 1)\""),
    t("arc.zip-notes", "zip my notes folder (~/notes) into ~/notes.zip",
      "cd ~ && zip -qr notes.zip notes", stdout=E),
    t("arc.zip-md", "put all the markdown files from ~/notes in a zip called "
      "~/tmp/meetings.zip, no folder paths inside",
      "zip -qj ~/tmp/meetings.zip ~/notes/*.md", stdout=E),
    t("arc.tar-logs-old", "archive the logs in /srv/app/logs older than 7 days into "
      "/var/backups/old-logs.tar.gz and then delete them, top level of logs only",
      "cd /srv/app/logs && find . -maxdepth 1 -type f -mtime +7 -printf '%P\\n' > /tmp/l && "
      "tar -czf /var/backups/old-logs.tar.gz -T /tmp/l && xargs rm -f < /tmp/l", stdout=E,
      wrong=["cd /srv/app/logs && find . -maxdepth 1 -type f -mtime +7 -printf '%P\\n' > "
             "/tmp/l && tar -czf /var/backups/old-logs.tar.gz -T /tmp/l"]),
    t("arc.tar-photos-month", "tar up ~/photos/2023 into ~/photos-2023.tar (no compression)",
      "tar -cf ~/photos-2023.tar -C ~/photos 2023", stdout=E, timeout_s=20),
    t("arc.tar-src", "create shop-src.tar.gz in ~/tmp containing the src folder of "
      "~/projects/shop", "tar -czf ~/tmp/shop-src.tar.gz -C ~/projects/shop src", stdout=E),
    t("arc.tar-src-nopyc", "archive ~/projects/shop/src as ~/tmp/src.tgz but leave out the "
      "__pycache__ folders", "tar -czf ~/tmp/src.tgz --exclude=__pycache__ -C ~/projects/shop src",
      stdout=E, wrong=["tar -czf ~/tmp/src.tgz -C ~/projects/shop src"]),
    t("arc.extract-one", "pull just fonts/LICENSE out of ~/downloads/fonts-extra.tar.gz "
      "into ~/tmp (it might not be in there)",
      "tar -xzf ~/downloads/fonts-extra.tar.gz -C ~/tmp fonts/LICENSE 2>/dev/null; true",
      stdout=E),
    t("arc.gzip-all-exports", "gzip every csv in /srv/app/data/exports",
      "gzip /srv/app/data/exports/*.csv", stdout=E),
    t("arc.bzip-report", "compress ~/documents/report.csv with bzip2, keeping the original",
      "bzip2 -k ~/documents/report.csv", stdout=E),
    t("arc.xz-users", "xz-compress /srv/app/data/users.csv",
      "xz /srv/app/data/users.csv", stdout=E),
    t("arc.tar-releases", "back up /srv/app/releases to /mnt/usb/backup/releases.tar.gz",
      "tar -czf /mnt/usb/backup/releases.tar.gz -C /srv/app releases", stdout=E),
    t("arc.unzip-list", "make a zip of ~/documents/contracts called contracts.zip in ~/tmp, "
      "then list what's in it", "cd ~/documents && zip -qr ~/tmp/contracts.zip contracts && "
      "unzip -Z1 ~/tmp/contracts.zip", stdout="paths"),
    t("arc.targz-notes-date", "archive ~/notes as ~/tmp/notes-2024-06-30.tar.gz",
      "tar -czf ~/tmp/notes-2024-06-30.tar.gz -C ~ notes", stdout=E),
    t("arc.extract-to-new", "extract ~/downloads/fonts-extra.tar.gz into a new folder "
      "~/fonts", "mkdir -p ~/fonts && tar -xzf ~/downloads/fonts-extra.tar.gz -C ~/fonts",
      stdout=E),
    t("arc.gz-size", "how big is /srv/app/logs/access.log once gzipped? number of bytes",
      "gzip -c /srv/app/logs/access.log | wc -c", stdout="number",
      notes="gzip is deterministic for the same input and options"),
]
