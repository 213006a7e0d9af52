"""JSON files with named fields: jq queries and edits."""

from devset_tasks._dsl import t

CATEGORY = "json"
ORDERS = "/srv/app/data/orders.json"
SETTINGS = "~/.config/shop/settings.json"

TASKS = [
    t("json.order-ids", f"print the id of every order in {ORDERS}", f"jq '.[].id' {ORDERS}"),
    t("json.pending", f"pending orders in {ORDERS}, compact, one per line",
      f"jq -c '.[] | select(.status == \"pending\")' {ORDERS}"),
    t("json.big-orders", f"ids of orders in {ORDERS} with a total above 100",
      f"jq '.[] | select(.total > 100) | .id' {ORDERS}",
      wrong=[f"jq '.[] | select(.total < 100) | .id' {ORDERS}"]),
    t("json.max-total", f"the largest order total in {ORDERS}",
      f"jq 'map(.total) | max' {ORDERS}", stdout="number"),
    t("json.user-orders", f"how many orders did user 3 place? ({ORDERS})",
      f"jq '[.[] | select(.user == 3)] | length' {ORDERS}", stdout="number"),
    t("json.to-csv", f"turn {ORDERS} into csv lines id,status,total (no header)",
      f"jq -r '.[] | [.id, .status, .total] | @csv' {ORDERS}"),
    t("json.sorted", f"orders in {ORDERS} sorted by total, biggest first, as id and total",
      f"jq -r 'sort_by(-.total) | .[] | \"\\(.id) \\(.total)\"' {ORDERS}"),
    t("json.theme", f"what theme is set in {SETTINGS}", f"jq -r .theme {SETTINGS}"),
    t("json.set-port", f"set port to 9090 in {SETTINGS}",
      f"tmp=$(mktemp) && jq '.port = 9090' {SETTINGS} > \"$tmp\" && cat \"$tmp\" > {SETTINGS}",
      stdout="ignore", wrong=[f"jq '.port = 9090' {SETTINGS}"]),
    t("json.keys", f"list the keys in {SETTINGS}", f"jq -r 'keys[]' {SETTINGS}",
      stdout="unordered"),
    t("json.debug", f"is debug on in {SETTINGS}? print true or false",
      f"jq .debug {SETTINGS}"),
    t("json.statuses", f"distinct order statuses in {ORDERS}",
      f"jq -r '.[].status' {ORDERS} | sort -u", stdout="unordered"),
]
