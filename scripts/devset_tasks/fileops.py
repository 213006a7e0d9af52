"""Copying, moving, renaming, deleting and making files and folders: judged by the effect."""

from devset_tasks._dsl import t

CATEGORY = "fileops"
E = "ignore"  # these requests ask for an effect, not an answer

TASKS = [
    t("ops.rm-rotated", "delete the rotated logs in /srv/app/logs (app.log.1, app.log.2.gz "
      "and so on) but keep app.log", "rm -f /srv/app/logs/app.log.*", stdout=E,
      wrong=["rm -f /srv/app/logs/app.log*", "find /srv/app/logs -name 'app.log.*'"]),
    t("ops.rm-gz-logs", "remove all .gz files from /srv/app/logs",
      "find /srv/app/logs -name '*.gz' -delete", stdout=E,
      wrong=["find /srv/app/logs ! -name '*.gz' -delete", "find /srv/app/logs -name '*.gz'"]),
    t("ops.rm-old-backups", "delete database dumps in /var/backups older than 14 days",
      "find /var/backups -name 'db-*.sql.gz' -mtime +14 -delete", stdout=E,
      wrong=["find /var/backups -name 'db-*.sql.gz' -mtime +14",
             "find /var/backups -name 'db-*.sql.gz' -mtime -14 -delete"]),
    t("ops.rm-pycache", "clean out all __pycache__ folders in ~/projects/shop",
      "find ~/projects/shop -type d -name __pycache__ -prune -exec rm -rf {} +", stdout=E,
      wrong=["find ~/projects/shop -name '*.pyc' -delete"]),
    t("ops.rm-build", "remove the build directory of ~/projects/shop",
      "rm -rf ~/projects/shop/build", stdout=E),
    t("ops.rm-tmp-home", "delete every .tmp file under my home folder",
      "find ~ -type f -name '*.tmp' -delete", stdout=E),
    t("ops.rm-dupes", "get rid of the \"(1)\" duplicate downloads in ~/downloads",
      "rm -f ~/downloads/*'(1)'*", stdout=E),
    t("ops.rm-config-backups", "delete the *.bak, *.orig and *~ backup files in "
      "/srv/app/config", "rm -f /srv/app/config/*.bak /srv/app/config/*.orig "
      "/srv/app/config/*~", stdout=E),
    t("ops.rm-empty-releases", "remove empty release folders from /srv/app/releases",
      "find /srv/app/releases -mindepth 1 -type d -empty -delete", stdout=E,
      wrong=["rm -rf /srv/app/releases/*"]),
    t("ops.rm-exe", "delete setup.exe from downloads", "rm -f ~/downloads/setup.exe", stdout=E),
    t("ops.rm-old-logs-30", "remove logs in /srv/app/logs that haven't changed for more "
      "than 30 days, subfolders too", "find /srv/app/logs -type f -mtime +30 -delete",
      stdout=E, wrong=["find /srv/app/logs -type f -mtime +30"]),
    t("ops.cp-report", "make a copy of ~/documents/report.csv called report-backup.csv in "
      "the same folder", "cp ~/documents/report.csv ~/documents/report-backup.csv", stdout=E,
      wrong=["mv ~/documents/report.csv ~/documents/report-backup.csv",
             "ln -s ~/documents/report-backup.csv ~/documents/report.csv"]),
    t("ops.cp-conf-bak", "back up /srv/app/config/app.conf to app.conf.bak next to it",
      "cp /srv/app/config/app.conf /srv/app/config/app.conf.bak", stdout=E),
    t("ops.cp-invoices-usb", "copy all 2024 invoices from ~/documents/invoices to the usb "
      "stick's backup folder /mnt/usb/backup",
      "cp ~/documents/invoices/invoice-2024-*.pdf /mnt/usb/backup/", stdout=E,
      wrong=["mv ~/documents/invoices/invoice-2024-*.pdf /mnt/usb/backup/"]),
    t("ops.cp-dcim", "copy the photos from the camera card (/mnt/usb/DCIM/100CANON) into "
      "~/photos/inbox", "cp /mnt/usb/DCIM/100CANON/*.JPG ~/photos/inbox/", stdout=E),
    t("ops.cp-r-config", "copy the whole /srv/app/config directory to ~/tmp/config-copy",
      "cp -r /srv/app/config ~/tmp/config-copy", stdout=E),
    t("ops.mv-inbox", "move everything from ~/photos/inbox into ~/photos/2024",
      "mv ~/photos/inbox/* ~/photos/2024/", stdout=E,
      wrong=["cp ~/photos/inbox/* ~/photos/2024/"]),
    t("ops.mv-pdfs", "move the pdfs in ~/downloads to ~/documents",
      "mv ~/downloads/*.pdf ~/documents/", stdout=E),
    t("ops.mv-rename-cv", "rename ~/documents/cv.md to resume.md",
      "mv ~/documents/cv.md ~/documents/resume.md", stdout=E,
      wrong=["cp ~/documents/cv.md ~/documents/resume.md"]),
    t("ops.mv-old-logs", "move the logs older than 7 days from /srv/app/logs (top level only) "
      "into /srv/app/logs/old", "find /srv/app/logs -maxdepth 1 -type f -mtime +7 "
      "-exec mv -t /srv/app/logs/old {} +", stdout=E),
    t("ops.mkdir-year", "create folders 01 to 12 inside ~/photos/2025",
      "mkdir -p ~/photos/2025/{01,02,03,04,05,06,07,08,09,10,11,12}", stdout=E,
      wrong=["mkdir -p ~/photos/2025/{1..12}"]),
    t("ops.mkdir-release", "make a new release folder /srv/app/releases/2024-07-01",
      "mkdir /srv/app/releases/2024-07-01", stdout=E),
    t("ops.mkdir-nested", "create ~/projects/shop/docs/api (with parents)",
      "mkdir -p ~/projects/shop/docs/api", stdout=E),
    t("ops.touch-gitkeep", "put an empty .gitkeep file in every empty release folder of "
      "/srv/app/releases", "find /srv/app/releases -mindepth 1 -type d -empty "
      "-exec touch {}/.gitkeep \\;", stdout=E),
    t("ops.rename-ext", "rename every .JPG file in /mnt/usb/DCIM/100CANON to lowercase .jpg",
      "cd /mnt/usb/DCIM/100CANON && for f in *.JPG; do mv -- \"$f\" \"${f%.JPG}.jpg\"; done",
      stdout=E),
    t("ops.rename-prefix", "add the prefix 2024- to every file name in ~/notes that starts "
      "with meeting", "cd ~/notes && for f in meeting-*; do mv -- \"$f\" \"2024-$f\"; done",
      stdout=E),
    t("ops.ln-current", "point a symlink /srv/app/current at the release "
      "/srv/app/releases/2024-06-30 (the folder may not exist yet, that's fine)",
      "ln -s /srv/app/releases/2024-06-30 /srv/app/current", stdout=E,
      wrong=["ln -s /srv/app/current /srv/app/releases/2024-06-30"]),
    t("ops.append-todo", "add 'call the plumber' as a new open item ([ ] ...) at the end of "
      "~/notes/todo.txt", "echo '[ ] call the plumber' >> ~/notes/todo.txt", stdout=E,
      wrong=["echo '[ ] call the plumber' > ~/notes/todo.txt"]),
    t("ops.write-errors", "save the ERROR lines of /srv/app/logs/app.log to ~/errors.txt",
      "grep ERROR /srv/app/logs/app.log > ~/errors.txt", stdout=E),
    t("ops.split-users", "put the German users (country DE) from /srv/app/data/users.csv into "
      "~/tmp/de.csv, header included",
      "awk -F, 'NR == 1 || $4 == \"DE\"' /srv/app/data/users.csv > ~/tmp/de.csv", stdout=E),
    t("ops.sed-port", "change port = <whatever> to port = 8443 in /srv/app/config/app.conf",
      "sed -i 's/^port = .*/port = 8443/' /srv/app/config/app.conf", stdout=E,
      wrong=["sed 's/^port = .*/port = 8443/' /srv/app/config/app.conf"]),
    t("ops.sed-loglevel", "set log_level to debug in /srv/app/config/app.conf",
      "sed -i 's/^log_level = .*/log_level = debug/' /srv/app/config/app.conf", stdout=E),
    t("ops.sed-debug-off", "turn DEBUG off (DEBUG=0) in ~/projects/shop/.env",
      "sed -i 's/^DEBUG=.*/DEBUG=0/' ~/projects/shop/.env", stdout=E),
    t("ops.tick-todo", "mark 'pay rent' as done in ~/notes/todo.txt ([ ] becomes [x])",
      "sed -i 's/^\\[ \\] pay rent$/[x] pay rent/' ~/notes/todo.txt", stdout=E),
    t("ops.dos2unix", "strip trailing spaces from every line of ~/notes/todo.txt, in place",
      "sed -i 's/[[:space:]]*$//' ~/notes/todo.txt", stdout=E),
    t("ops.truncate-log", "empty /srv/app/logs/app.log without deleting it",
      "truncate -s 0 /srv/app/logs/app.log", stdout=E,
      wrong=["rm /srv/app/logs/app.log"]),
    t("ops.cp-today-photos", "copy the photos taken today (in ~/photos/inbox) to "
      "/mnt/usb/backup", "find ~/photos/inbox -type f -newermt today -exec cp -t "
      "/mnt/usb/backup {} +", stdout=E),
    t("ops.mv-whl", "move all the .whl files from ~/projects/shop/build/lib to ~/tmp",
      "mv ~/projects/shop/build/lib/*.whl ~/tmp/", stdout=E),
    t("ops.sort-deps-inplace", "sort ~/projects/shop/requirements.txt in place",
      "sort -o ~/projects/shop/requirements.txt ~/projects/shop/requirements.txt", stdout=E,
      wrong=["sort ~/projects/shop/requirements.txt"]),
    t("ops.add-dep", "append requests==2.32.0 to ~/projects/shop/requirements.txt",
      "echo 'requests==2.32.0' >> ~/projects/shop/requirements.txt", stdout=E),
    t("ops.rm-deps-line", "remove the gunicorn line from ~/projects/shop/requirements.txt",
      "sed -i '/^gunicorn/d' ~/projects/shop/requirements.txt", stdout=E),
]
