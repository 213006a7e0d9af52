"""JSON with jq."""

import json

from ._dsl import F, T, file_is, fixture, out_lines, out_number, out_re, out_set, unchanged

PACKAGE = json.dumps({
    "name": "web-shop",
    "version": "2.4.1",
    "scripts": {"build": "vite build", "test": "vitest", "lint": "eslint src"},
    "dependencies": {"react": "^18.2.0", "zustand": "^4.5.0"},
    "devDependencies": {"vite": "^5.1.0", "vitest": "^1.3.0", "eslint": "^8.57.0"},
}, indent=2) + "\n"

USERS = json.dumps([
    {"id": 1, "name": "ann", "email": "ann@example.com", "active": True, "age": 34,
     "roles": ["admin", "dev"]},
    {"id": 2, "name": "ben", "email": "ben@example.com", "active": False, "age": 27,
     "roles": ["dev"]},
    {"id": 3, "name": "cara", "email": "cara@example.com", "active": True, "age": 41,
     "roles": ["ops"]},
    {"id": 4, "name": "dev", "email": "dev@example.com", "active": True, "age": 19,
     "roles": []},
], indent=2) + "\n"

EVENTS = "".join(json.dumps(e) + "\n" for e in [
    {"ts": "2024-03-10T08:00:00Z", "type": "login", "user": "ann"},
    {"ts": "2024-03-10T08:05:00Z", "type": "purchase", "user": "ann", "amount": 30.5},
    {"ts": "2024-03-10T09:12:00Z", "type": "login", "user": "ben"},
    {"ts": "2024-03-10T09:30:00Z", "type": "purchase", "user": "cara", "amount": 12.0},
    {"ts": "2024-03-10T10:00:00Z", "type": "logout", "user": "ann"},
])

T("jq.field.version",
  "what version is set in package.json?",
  "jq -r .version package.json",
  [out_re(r"\A\"?2\.4\.1\"?\s*\Z")],
  fixture(F("package.json", PACKAGE)),
  wrong=["jq -r .name package.json"])

T("jq.keys.scripts",
  "list the names of the npm scripts defined in package.json",
  "jq -r '.scripts | keys[]' package.json",
  [out_set("build", "test", "lint")],
  fixture(F("package.json", PACKAGE)),
  wrong=["jq -r '.scripts[]' package.json"])

T("jq.array.names",
  "print the name of every user in users.json, one per line, without quotes",
  "jq -r '.[].name' users.json",
  [out_lines("ann", "ben", "cara", "dev")],
  fixture(F("users.json", USERS)),
  wrong=["jq '.[].name' users.json", "jq -r '.[].email' users.json"])

T("jq.filter.active",
  "show the emails of the active users in users.json",
  "jq -r '.[] | select(.active) | .email' users.json",
  [out_set("ann@example.com", "cara@example.com", "dev@example.com")],
  fixture(F("users.json", USERS)),
  wrong=["jq -r '.[].email' users.json"])

T("jq.length",
  "how many users are in users.json?",
  "jq length users.json",
  [out_number(4)],
  fixture(F("users.json", USERS)),
  wrong=["wc -l < users.json"])

T("jq.filter.age",
  "which users in users.json are over 30? just their names",
  "jq -r '.[] | select(.age > 30) | .name' users.json",
  [out_set("ann", "cara")],
  fixture(F("users.json", USERS)),
  wrong=["jq -r '.[] | select(.age < 30) | .name' users.json"])

T("jq.pretty-print",
  "pretty-print compact.json so I can read it",
  "jq . compact.json",
  [out_re(r"(?m)^\s+\"b\": \[$"), out_re(r"(?m)^\s+\"a\": 1,$")],
  fixture(F("compact.json", '{"a":1,"b":[1,2,{"c":"x"}]}\n')),
  wrong=["cat compact.json"])

T("jq.minify",
  "write data.json compacted onto a single line into data.min.json",
  "jq -c . data.json > data.min.json",
  [file_is("data.min.json", "regex", r"\A\{\"a\":\s?1,\s?\"b\":\s?\[1,\s?2\]\}\n?\Z"),
   unchanged("data.json")],
  fixture(F("data.json", '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n')),
  wrong=["cp data.json data.min.json"])

T("jq.set-field",
  "bump the version in package.json to 2.5.0, saving the file",
  "jq '.version = \"2.5.0\"' package.json > package.json.tmp && mv package.json.tmp package.json",
  [file_is("package.json", "regex", r"\"version\":\s*\"2\.5\.0\""),
   file_is("package.json", "contains", ["\"react\"", "\"vitest\"", "\"web-shop\""])],
  fixture(F("package.json", PACKAGE)),
  wrong=["jq '.version = \"2.5.0\"' package.json > package.json"],
  notes="redirecting onto the input truncates it before jq reads it")

T("jq.ndjson.sum",
  "sum the amount field over all purchase events in events.ndjson",
  "jq -s 'map(select(.type == \"purchase\") | .amount) | add' events.ndjson",
  [out_number(42.5, tolerance=0.001)],
  fixture(F("events.ndjson", EVENTS)),
  wrong=["jq -s 'map(.amount) | length' events.ndjson"])

T("jq.ndjson.count-type",
  "how many login events are in events.ndjson?",
  "jq -c 'select(.type == \"login\")' events.ndjson | wc -l",
  [out_number(2)],
  fixture(F("events.ndjson", EVENTS)),
  wrong=["wc -l < events.ndjson"])

T("jq.deps.all",
  "list every dependency name in package.json, dev dependencies included",
  "jq -r '(.dependencies + .devDependencies) | keys[]' package.json",
  [out_set("react", "zustand", "vite", "vitest", "eslint")],
  fixture(F("package.json", PACKAGE)),
  wrong=["jq -r '.dependencies | keys[]' package.json"])

T("jq.to-csv",
  "turn users.json into CSV lines of id,name,email",
  "jq -r '.[] | [.id, .name, .email] | @csv' users.json",
  [out_re(r"(?m)^\"?1\"?,\"?ann\"?,\"?ann@example\.com\"?$"),
   out_re(r"(?m)^\"?4\"?,\"?dev\"?,\"?dev@example\.com\"?$")],
  fixture(F("users.json", USERS)),
  wrong=["jq -r '.[] | [.name, .email] | @csv' users.json"])

T("jq.validate",
  "is broken.json valid JSON? (use the exit status)",
  "jq empty broken.json",
  [{"check": "exit", "expect": [2, 4, 5]}],
  fixture(F("broken.json", '{"a": 1, "b": [1, 2}\n')),
  wrong=["cat broken.json"],
  notes="the file is invalid: a correct check exits non-zero (jq: 2, 4 or 5 by version)")
