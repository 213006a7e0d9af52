"""Sample file contents shared by several tasks (all invented for nlsh)."""

ACCESS_LOG = """\
192.168.1.10 - - [10/Mar/2024:09:15:02 +0000] "GET /index.html HTTP/1.1" 200 5120
10.0.0.5 - - [10/Mar/2024:09:15:07 +0000] "GET /about.html HTTP/1.1" 200 2048
192.168.1.10 - - [10/Mar/2024:09:16:11 +0000] "POST /login HTTP/1.1" 302 512
172.16.0.3 - - [10/Mar/2024:09:17:45 +0000] "GET /missing.png HTTP/1.1" 404 128
10.0.0.5 - - [10/Mar/2024:09:18:20 +0000] "GET /index.html HTTP/1.1" 200 5120
192.168.1.10 - - [10/Mar/2024:09:19:33 +0000] "GET /api/items HTTP/1.1" 500 64
203.0.113.7 - - [10/Mar/2024:09:20:01 +0000] "GET /index.html HTTP/1.1" 200 5120
172.16.0.3 - - [10/Mar/2024:09:21:12 +0000] "GET /old-page HTTP/1.1" 404 128
192.168.1.10 - - [10/Mar/2024:09:22:40 +0000] "GET /api/items HTTP/1.1" 200 8192
10.0.0.5 - - [10/Mar/2024:09:23:05 +0000] "DELETE /api/items/7 HTTP/1.1" 403 96
"""

APP_LOG = """\
2024-03-10 08:00:01 INFO  server started on port 8080
2024-03-10 08:00:05 DEBUG loading config from /etc/app.conf
2024-03-10 08:01:12 WARN  disk usage at 85%
2024-03-10 08:02:30 ERROR database connection refused
2024-03-10 08:02:31 INFO  retrying database connection
2024-03-10 08:02:35 ERROR database connection refused
2024-03-10 08:03:00 INFO  database connected
2024-03-10 08:10:44 WARN  slow query took 2300 ms
2024-03-10 08:15:00 ERROR payment service timeout
2024-03-10 08:20:00 INFO  shutting down
"""

STAFF_CSV = """\
name,department,salary,city
alice,engineering,85000,berlin
bob,marketing,62000,paris
carol,engineering,92000,berlin
dave,sales,55000,madrid
erin,marketing,70000,berlin
frank,sales,58000,paris
"""

FRUIT = """\
banana
apple
cherry
apple
banana
apple
date
"""

PY_MAIN = """\
import os
import sys

from util import helper


def main():
    # TODO: parse command-line options
    print(helper(sys.argv))


if __name__ == "__main__":
    main()
"""

PY_UTIL = """\
def helper(args):
    # TODO handle an empty list
    return len(args)


def unused():
    return os.getcwd()
"""

HOSTS = """\
# static entries
127.0.0.1   localhost
10.1.1.20   db-primary
10.1.1.21   db-replica
# 10.1.1.30 cache-old
10.1.1.40   web-01
"""

ENV_FILE = """\
APP_ENV=staging
DB_HOST=10.1.1.20
DB_PORT=5432
DEBUG=true
API_URL=http://staging.example.com/api
"""
