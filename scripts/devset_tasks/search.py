"""Searching text in named files and trees: grep with patterns, context, file names."""

from devset_tasks._dsl import t

CATEGORY = "search"
APP = "/srv/app/logs/app.log"

TASKS = [
    t("search.errors", f"show the ERROR lines from {APP}", f"grep ERROR {APP}",
      wrong=[f"grep -i error {APP}", f"grep -v ERROR {APP}"]),
    t("search.errors-last5", f"last 5 errors in {APP}", f"grep ERROR {APP} | tail -n 5",
      wrong=[f"grep ERROR {APP} | head -n 5", f"tail -n 5 {APP}"]),
    t("search.errors-first3", f"first three ERROR entries of {APP}",
      f"grep -m 3 ERROR {APP}"),
    t("search.payment-failed", f"find 'payment failed' messages in {APP} with line numbers",
      f"grep -n 'payment failed' {APP}"),
    t("search.not-info", f"everything in {APP} except INFO and DEBUG lines",
      f"grep -v -e ' INFO ' -e ' DEBUG ' {APP}"),
    t("search.cron-warn", f"WARN or ERROR lines from the cron component in {APP}",
      f"grep -E '(WARN|ERROR) \\[cron\\]' {APP}"),
    t("search.timeout-context", f"show each 'timeout talking to db' line in {APP} with the "
      "line before it", f"grep -B 1 'timeout talking to db' {APP}"),
    t("search.ip-requests", "all requests from 203.0.113.9 in /srv/app/logs/access.log",
      "grep '^203\\.0\\.113\\.9 ' /srv/app/logs/access.log"),
    t("search.login-404", "404s on /login in /srv/app/logs/access.log",
      "awk '$7 == \"/login\" && $9 == 404' /srv/app/logs/access.log"),
    t("search.api-posts", "POST requests to anything under /api/ in /srv/app/logs/access.log",
      "grep '\"POST /api/' /srv/app/logs/access.log"),
    t("search.todo-files", "which files in ~/projects/shop have a TODO? just the file names",
      "grep -rl TODO ~/projects/shop", stdout="paths",
      wrong=["grep -r TODO ~/projects/shop"]),
    t("search.todo-lines", "list TODO comments in ~/projects/shop/src with file and line "
      "number", "grep -rn TODO ~/projects/shop/src", stdout="unordered"),
    t("search.fixme-py", "grep for FIXME in the .py files of ~/projects/shop, recursive",
      "grep -r --include='*.py' FIXME ~/projects/shop", stdout="unordered"),
    t("search.no-tests", "which modules in ~/projects/shop/src/shop have no test file in "
      "~/projects/shop/tests? print module names",
      "cd ~/projects/shop && for f in src/shop/*.py; do m=$(basename \"$f\" .py); "
      "[ \"$m\" = __init__ ] && continue; [ -e \"tests/test_$m.py\" ] || echo \"$m\"; done",
      stdout="unordered"),
    t("search.def-checkout", "where is checkout defined in ~/projects/shop/src?",
      "grep -rn 'def checkout' ~/projects/shop/src", stdout="unordered"),
    t("search.uses-logging", "python files under ~/projects/shop/src that import logging",
      "grep -rl '^import logging' ~/projects/shop/src --include='*.py'", stdout="paths"),
    t("search.secret", "is DEBUG turned on in ~/projects/shop/.env? show the line",
      "grep '^DEBUG' ~/projects/shop/.env"),
    t("search.port-conf", "what port is configured in /srv/app/config/app.conf",
      "grep '^port' /srv/app/config/app.conf"),
    t("search.conf-no-comments", "show /srv/app/config/app.conf without the comment lines",
      "grep -v '^#' /srv/app/config/app.conf", wrong=["cat /srv/app/config/app.conf"]),
    t("search.failed-root", "failed root logins in /var/log/syslog",
      "grep 'Failed password for root' /var/log/syslog"),
    t("search.oom", "any out of memory kills in /var/log/syslog? show them",
      "grep -i 'out of memory' /var/log/syslog"),
    t("search.syslog-nginx-count-cron", "lines from cron or sshd in /var/log/syslog",
      "grep -E ' (cron|sshd)\\[' /var/log/syslog"),
    t("search.invoice-amount", "which invoice in ~/documents/invoices has a total over "
      "5000 EUR? file names only",
      "grep -l '^Total:' ~/documents/invoices/*.pdf | while read -r f; do "
      "awk '/^Total:/ && $2 > 5000 {print FILENAME}' \"$f\"; done", stdout="paths"),
    t("search.meeting-alice", "which meeting notes in ~/notes mention alice",
      "grep -l alice ~/notes/meeting-*.md", stdout="paths"),
    t("search.alice-tasks", "what does alice have to do according to my meeting notes "
      "(~/notes/*.md)? just the lines", "grep -h alice ~/notes/*.md", stdout="unordered"),
    t("search.bashrc-alias", "show the aliases defined in ~/.bashrc",
      "grep '^alias' ~/.bashrc"),
    t("search.email-gmail", "users with a corp.io email in /srv/app/data/users.csv",
      "grep '@corp\\.io' /srv/app/data/users.csv"),
    t("search.word-count-files", "in /var/log/syslog show only lines that contain "
      "'session', ignoring case", "grep -i session /var/log/syslog"),
    t("search.context-oom", "show 2 lines after every 'Failed password' in /var/log/syslog",
      "grep -A 2 'Failed password' /var/log/syslog"),
    t("search.gz-log", "search the compressed rotated logs /srv/app/logs/*.gz for "
      "'rotated line 2'", "zgrep -h 'rotated line 2' /srv/app/logs/*.gz", stdout="unordered"),
    t("search.flask", "does ~/projects/shop/requirements.txt pin flask? print the line if so",
      "grep -i '^flask' ~/projects/shop/requirements.txt; true"),
    t("search.cancelled", "orders with status cancelled in /srv/app/data/orders.json, "
      "print their ids", "jq '.[] | select(.status == \"cancelled\") | .id' "
      "/srv/app/data/orders.json"),
]
