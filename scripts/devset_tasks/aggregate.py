"""Several steps at once: group, count, sort, sum, take the top N."""

from devset_tasks._dsl import t

CATEGORY = "aggregate"
ACCESS = "/srv/app/logs/access.log"

TASKS = [
    t("agg.top-ips", f"top 3 client IPs by number of requests in {ACCESS}, with counts, "
      "busiest first", f"awk '{{print $1}}' {ACCESS} | sort | uniq -c | sort -rn | head -n 3",
      stdout="unordered", notes="unordered: equal counts may come in any order",
      wrong=[f"awk '{{print $1}}' {ACCESS} | sort | uniq -c | sort -n | head -n 3"]),
    t("agg.status-counts", f"count requests per HTTP status code in {ACCESS}",
      f"awk '{{print $9}}' {ACCESS} | sort | uniq -c", stdout="unordered"),
    t("agg.top-paths", "which 5 URLs are requested most often in the access log at "
      f"{ACCESS}? show counts, most first",
      f"awk '{{print $7}}' {ACCESS} | sort | uniq -c | sort -rn | head -n 5", stdout="unordered"),
    t("agg.404-paths", f"list the distinct paths that returned 404 in {ACCESS}",
      f"awk '$9 == 404 {{print $7}}' {ACCESS} | sort -u", stdout="unordered"),
    t("agg.bytes-total", f"total bytes sent according to {ACCESS} (last column)",
      f"awk '{{s += $10}} END {{print s}}' {ACCESS}", stdout="number"),
    t("agg.levels", "count app.log lines per log level (INFO, WARN, ...) in /srv/app/logs",
      "awk '{print $3}' /srv/app/logs/app.log | sort | uniq -c", stdout="unordered"),
    t("agg.components-errors", "which components logged errors in /srv/app/logs/app.log and "
      "how many each", "grep ERROR /srv/app/logs/app.log | awk '{print $4}' | sort | uniq -c",
      stdout="unordered"),
    t("agg.units-per-region", "sum the units column per region in ~/documents/report.csv",
      "tail -n +2 ~/documents/report.csv | "
      "awk -F, '{u[$2] += $4} END {for (r in u) print r, u[r]}'",
      stdout="unordered"),
    t("agg.units-total", "total units sold in documents/report.csv",
      "awk -F, 'NR > 1 {s += $4} END {print s}' documents/report.csv", stdout="number",
      wrong=["awk -F, '{s += $5} END {print s}' documents/report.csv"]),
    t("agg.product-top", "which product sold the most units in ~/documents/report.csv? "
      "just the name",
      "awk -F, 'NR > 1 {u[$3] += $4} END {for (p in u) print u[p], p}' ~/documents/report.csv "
      "| sort -rn | head -n 1 | awk '{print $2}'"),
    t("agg.revenue", "total revenue in ~/documents/report.csv (units times price), two decimals",
      "awk -F, 'NR > 1 {s += $4 * $5} END {printf \"%.2f\\n\", s}' ~/documents/report.csv",
      stdout="number"),
    t("agg.countries", "how many users per country in /srv/app/data/users.csv, most first",
      "tail -n +2 /srv/app/data/users.csv | cut -d, -f4 | sort | uniq -c | sort -k1,1nr -k2",
      notes="ties broken by country name"),
    t("agg.domains", "list the email domains used in /srv/app/data/users.csv, each once",
      "tail -n +2 /srv/app/data/users.csv | cut -d, -f3 | cut -d@ -f2 | sort -u",
      stdout="unordered"),
    t("agg.orders-total", "sum the totals of all orders in /srv/app/data/orders.json",
      "jq '[.[].total] | add' /srv/app/data/orders.json", stdout="number"),
    t("agg.orders-status", "count orders by status in /srv/app/data/orders.json",
      "jq -r '.[].status' /srv/app/data/orders.json | sort | uniq -c", stdout="unordered"),
    t("agg.biggest-logs", "the 3 biggest files in /srv/app/logs, largest first, just names",
      "ls -S /srv/app/logs | head -n 3", wrong=["ls -Sr /srv/app/logs | head -n 3"]),
    t("agg.ext-photos", "count my photos by file extension (~/photos)",
      "find ~/photos -type f | sed 's/.*\\.//' | sort | uniq -c", stdout="unordered"),
    t("agg.photos-per-month-2024", "how many files in each month folder of ~/photos/2024",
      "cd ~/photos/2024 && for d in */; do echo \"${d%/} $(ls \"$d\" | wc -l)\"; done",
      stdout="unordered"),
    t("agg.clients", "list the clients I invoiced (the 'for X' in ~/documents/invoices/*.pdf), "
      "each once", "grep -ho 'for [a-z]*' ~/documents/invoices/*.pdf | cut -d' ' -f2 | sort -u",
      stdout="unordered"),
    t("agg.invoice-sum", "add up the Total amounts of the 2024 invoices in "
      "~/documents/invoices", "cat ~/documents/invoices/invoice-2024-*.pdf | "
      "awk '/^Total:/ {s += $2} END {print s}'", stdout="number"),
    t("agg.syslog-units", "which services appear in /var/log/syslog and how often",
      "awk '{print $5}' /var/log/syslog | cut -d[ -f1 | sort | uniq -c", stdout="unordered"),
    t("agg.authors", "commits per author in ~/code/api, most active first",
      "git -C ~/code/api shortlog -sn --all", notes="shortlog sorts ties by name"),
    t("agg.largest-downloads", "show the 2 largest files in ~/downloads with their sizes in "
      "bytes, biggest first",
      "find ~/downloads -maxdepth 1 -type f -printf '%s %f\\n' | sort -rn | head -n 2"),
    t("agg.hour-requests", f"requests per hour in {ACCESS}",
      f"awk '{{print substr($4, 14, 2)}}' {ACCESS} | sort | uniq -c", stdout="unordered"),
    t("agg.ip-errors", f"which IPs got 5xx errors in {ACCESS}? each IP once",
      f"awk '$9 >= 500 {{print $1}}' {ACCESS} | sort -u", stdout="unordered"),
    t("agg.max-price", "highest price in ~/documents/report.csv",
      "tail -n +2 ~/documents/report.csv | cut -d, -f5 | sort -n | tail -n 1", stdout="number"),
    t("agg.signups-month", "count signups per month in /srv/app/data/users.csv (signup column "
      "is YYYY-MM-DD)", "tail -n +2 /srv/app/data/users.csv | cut -d, -f5 | cut -c1-7 | "
      "sort | uniq -c", stdout="unordered"),
    t("agg.words-todo", "most common word in ~/notes/todo.txt? ignore the [ ] and [x] marks",
      "sed 's/^\\[.\\] //' ~/notes/todo.txt | tr ' ' '\\n' | sort | uniq -c | sort -rn | "
      "head -n 1 | awk '{print $2}'", notes="ties: sort picks the last alphabetically"),
]
