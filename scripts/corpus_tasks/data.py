# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Structured data and bytes: jq, sqlite3, base64, checksums, openssl, random values."""

from ._dsl import P, T, cross
from ._pools import ANY_FILES, DBS, JSON_FILES, TABLES

KEYS = P("key", "name", "id", "version", "email", "status", "url")
# Files holding one JSON object, and files holding an array of objects.
JSON_OBJECTS = P("file", "package.json", "config.json", "settings.json", "manifest.json")
JSON_ARRAYS = P("file", "users.json", "data.json", "orders.json", "items.json", "response.json")

# -- jq -----------------------------------------------------------------------------------------

T("jq.pretty", "jq . {file}", """
pretty print {file}
format the json in {file}
show {file} as readable json
""", JSON_FILES)

T("jq.key", "jq '.{key}' {file}", """
get the {key} field from {file}
extract .{key} from the json in {file}
what is the {key} in {file}
""", cross(KEYS, JSON_OBJECTS))

T("jq.raw_key", "jq -r '.{key}' {file}", """
print the {key} from {file} without quotes
raw string value of {key} in {file}
""", cross(KEYS, JSON_OBJECTS))

T("jq.array_field", "jq -r '.[].{key}' {file}", """
list the {key} of every element in {file}
extract {key} from each object in the array in {file}
""", cross(KEYS, JSON_ARRAYS))

T("jq.keys", "jq 'keys' {file}", """
list the top level keys of {file}
which fields does the json in {file} have
""", JSON_OBJECTS)

T("jq.length", "jq 'length' {file}", """
how many items are in the json array in {file}
count the elements in {file}
""", JSON_ARRAYS)

T("jq.select", "jq '.[] | select(.{key} == \"{value}\")' {file}", """
objects in {file} where {key} is {value}
filter the json array in {file} for {key} equal to {value}
""", cross(P("key value", "status active", "role admin", "country US", "state open",
             "type error"), JSON_ARRAYS))

T("jq.select_gt", "jq '.[] | select(.{key} > {n})' {file}", """
entries in {file} with {key} greater than {n}
filter {file} to items whose {key} is above {n}
""", cross(P("key n", "age 30", "price 100", "count 10", "score 90", "size 1000"), JSON_ARRAYS))

T("jq.map_fields", "jq -r '.[] | [.{a}, .{b}] | @tsv' {file}", """
print {a} and {b} of every item in {file} as columns
tab separated {a} and {b} from the json array in {file}
""", cross(P("a b", "id name", "name email", "name version", "id status"), JSON_ARRAYS))

T("jq.to_csv", "jq -r '.[] | [.{a}, .{b}, .{c}] | @csv' {file} > {out}", """
convert the json array in {file} to csv with {a}, {b}, {c}
export {file} as a csv file {out}
""", P("a b c file out", "id name email users.json users.csv",
       "id status total orders.json orders.csv", "name version license deps.json deps.csv"))

T("jq.compact", "jq -c . {file}", """
minify the json in {file}
print {file} as compact one-line json
""", JSON_FILES)

T("jq.sort_keys", "jq -S . {file}", """
sort the keys of the json in {file}
pretty print {file} with keys in order
""", JSON_FILES)

T("jq.set_value", "jq '.{key} = \"{value}\"' {file} > tmp.json && mv tmp.json {file}", """
set {key} to {value} in {file}
change the {key} field of {file} to {value}
""", cross(P("key value", "version 2.0.0", "name myapp", "status done", "env production"),
           JSON_OBJECTS))

T("jq.delete_key", "jq 'del(.{key})' {file}", """
remove the {key} field from {file}
print {file} without the key {key}
""", cross(KEYS, JSON_OBJECTS))

T("jq.nested", "jq '.{a}.{b}' {file}", """
get {a}.{b} from {file}
read the nested value {b} under {a} in {file}
""", cross(P("a b", "scripts build", "dependencies react", "config port", "database host",
             "user name"), JSON_OBJECTS))

T("jq.unique", "jq -r '.[].{key}' {file} | sort -u", """
unique values of {key} in {file}
distinct {key}s in the json array {file}
""", cross(KEYS, JSON_ARRAYS))

T("jq.sum", "jq '[.[].{key}] | add' {file}", """
sum the {key} field over all items in {file}
total of {key} in {file}
""", cross(P("key", "price", "amount", "count", "size", "total"), JSON_ARRAYS))

T("jq.sort_by", "jq 'sort_by(.{key})' {file}", """
sort the json array in {file} by {key}
order the objects in {file} by their {key}
""", cross(P("key", "name", "date", "price", "age", "id"), JSON_ARRAYS))

T("jq.slurp_lines", "jq -s '.' {file}", """
combine the json lines in {file} into one array
turn a jsonl file {file} into an array
""", P("file", "events.jsonl", "logs.jsonl", "data.ndjson", "records.jsonl"))

T("jq.jsonl_field", "jq -r '.{key}' {file}", """
print the {key} of every line in the json lines file {file}
extract {key} from each record in {file}
""", cross(P("key", "message", "level", "user", "timestamp"),
           P("file", "events.jsonl", "logs.jsonl", "data.ndjson")))

T("jq.validate", "jq empty {file}", """
check that {file} is valid json
validate the json syntax of {file}
""", JSON_FILES)

T("jq.package_scripts", "jq '.scripts' package.json", """
list the npm scripts in package.json
which scripts does this node project define
""")

T("jq.package_deps", "jq -r '.dependencies | keys[]' package.json", """
list the dependencies in package.json
names of the node dependencies of this project
""")

T("jq.from_curl", "curl -s {url} | jq -r '.[].{key}'", """
fetch {url} and list the {key} of each item
get the {key}s from the api at {url}
""", cross(P("url", "https://api.example.com/users", "https://api.example.com/v1/items"), KEYS))

T("jq.env_object", "jq -n --arg name \"$USER\" '{user: $name}'", """
build a json object from a shell variable with jq
create json safely from the USER variable
""")

T("yq.read", "yq '.{key}' {file}", """
read {key} from the yaml file {file}
get the {key} value in {file}
""", cross(P("key", "version", "services", "metadata.name", "spec.replicas"),
           P("file", "config.yaml", "docker-compose.yml", "deployment.yaml")))

# -- sqlite -------------------------------------------------------------------------------------

T("sqlite.tables", "sqlite3 {db} '.tables'", """
list the tables in {db}
which tables does the sqlite database {db} have
""", DBS)

T("sqlite.schema", "sqlite3 {db} '.schema {table}'", """
show the schema of the {table} table in {db}
how is {table} defined in {db}
columns of {table} in {db}
""", cross(DBS, TABLES))

T("sqlite.query", "sqlite3 -header -column {db} 'SELECT * FROM {table} LIMIT {n};'", """
show the first {n} rows of {table} in {db}
peek at the {table} table in {db}
select * from {table} in {db}, {n} rows
""", cross(DBS, TABLES, P("n", "10", "5", "20")))

T("sqlite.count", "sqlite3 {db} 'SELECT COUNT(*) FROM {table};'", """
how many rows are in {table} in {db}
count the records of {table} in {db}
""", cross(DBS, TABLES))

T("sqlite.csv_export", "sqlite3 -header -csv {db} 'SELECT * FROM {table};' > {table}.csv", """
export the {table} table of {db} to csv
dump {table} from {db} as a csv file
""", cross(DBS, TABLES))

T("sqlite.csv_import", "sqlite3 {db} '.import --csv {file} {table}'", """
import {file} into the {table} table of {db}
load the csv {file} into sqlite {db}
""", cross(DBS, P("file table", "users.csv users", "sales.csv sales", "data.csv data")))

T("sqlite.dump", "sqlite3 {db} .dump > {out}", """
dump the sqlite database {db} to sql
back up {db} as an sql script {out}
""", cross(DBS, P("out", "backup.sql", "dump.sql", "db.sql")))

T("sqlite.open", "sqlite3 {db}", """
open the sqlite database {db}
start a sqlite shell on {db}
""", DBS)

T("sqlite.integrity", "sqlite3 {db} 'PRAGMA integrity_check;'", """
check {db} for corruption
verify the integrity of the sqlite file {db}
""", DBS)

T("sqlite.vacuum", "sqlite3 {db} 'VACUUM;'", """
shrink the sqlite database {db}
vacuum {db} to reclaim space
""", DBS)

T("psql.connect", "psql -h {host} -U {user} -d {db}", """
connect to the postgres database {db} on {host} as {user}
open psql for {db}
""", P("host user db", "localhost postgres app", "db01.internal admin sales",
       "127.0.0.1 alice analytics"))

T("psql.dump", "pg_dump -h {host} -U {user} -Fc {db} > {db}.dump", """
back up the postgres database {db}
dump {db} from {host} in custom format
""", P("host user db", "localhost postgres app", "db01.internal admin sales"))

T("psql.list_dbs", "psql -U postgres -l", """
list postgres databases
which databases exist in postgresql
""")

T("mysql.dump", "mysqldump -u {user} -p {db} > {db}.sql", """
back up the mysql database {db}
export {db} from mysql to a .sql file
""", P("user db", "root shop", "admin wordpress", "app inventory"))

T("mysql.import", "mysql -u {user} -p {db} < {file}", """
import {file} into the mysql database {db}
restore {db} from {file}
""", P("user db file", "root shop shop.sql", "admin wordpress backup.sql", "app inventory dump.sql"))

T("redis.ping", "redis-cli ping", """
is redis up
check the redis server
""")

T("redis.keys", "redis-cli --scan --pattern '{pat}'", """
list redis keys matching {pat}
find keys like {pat} in redis without blocking
""", P("pat", "user:*", "session:*", "cache:*", "*"))

# -- encoding -----------------------------------------------------------------------------------

T("base64.encode", "echo -n '{text}' | base64", """
base64 encode {text}
convert the string {text} to base64
""", P("text", "hello world", "user:password", "secret", "admin:hunter2", "nlsh"))

T("base64.decode", {"gnu": "echo '{b64}' | base64 -d", "bsd": "echo '{b64}' | base64 -D"}, """
decode the base64 string {b64}
what does {b64} decode to
base64 decode {b64}
""", P("b64", "aGVsbG8gd29ybGQ=", "dXNlcjpwYXNzd29yZA==", "c2VjcmV0", "bmxzaA=="))

T("base64.file", {"gnu": "base64 -w 0 {file}", "bsd": "base64 -i {file}"}, """
base64 encode the file {file}
convert {file} to base64 on one line
""", ANY_FILES)

T("base64.decode_file", {"gnu": "base64 -d {file} > {out}", "bsd": "base64 -D -i {file} -o {out}"}, """
decode the base64 file {file} into {out}
turn {file} back from base64 into {out}
""", P("file out", "image.b64 image.png", "data.b64 data.bin", "cert.b64 cert.der"))

T("urlencode", "python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' '{text}'", """
url encode {text}
percent-encode the string {text}
""", P("text", "hello world", "a&b=c", "name=John Doe", "100% sure"))

T("hex.encode", "echo -n '{text}' | xxd -p", """
convert {text} to hex
hex encode the string {text}
""", P("text", "hello", "abc", "nlsh", "secret"))

T("hex.decode", "echo '{hex}' | xxd -r -p", """
decode the hex string {hex}
convert hex {hex} back to text
""", P("hex", "68656c6c6f", "616263", "6e6c7368"))

# -- checksums ----------------------------------------------------------------------------------

T("sha256.file", {"gnu": "sha256sum {file}", "bsd": "shasum -a 256 {file}"}, """
sha256 checksum of {file}
compute the sha256 hash of {file}
verify the download {file} by computing its sha256
""", ANY_FILES + P("file", "ubuntu.iso", "installer.dmg", "release.zip"))

T("sha256.check", {"gnu": "sha256sum -c {sums}", "bsd": "shasum -a 256 -c {sums}"}, """
check files against the checksums in {sums}
verify the sha256 sums listed in {sums}
""", P("sums", "SHA256SUMS", "checksums.txt", "sha256sums.txt"))

T("sha256.compare", {"gnu": "echo '{hash}  {file}' | sha256sum -c",
                     "bsd": "echo '{hash}  {file}' | shasum -a 256 -c"}, """
does {file} match the sha256 {hash}
verify {file} against the published hash {hash}
""", P("hash file",
       "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 installer.bin",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 empty.txt"))

T("sha256.all", {"gnu": "sha256sum *.{ext} > SHA256SUMS", "bsd": "shasum -a 256 *.{ext} > SHA256SUMS"}, """
write sha256 checksums of all {ext} files to SHA256SUMS
create a checksum file for the .{ext} files here
""", P("ext", "iso", "zip", "tar.gz", "deb", "pdf"))

T("md5.file", {"gnu": "md5sum {file}", "bsd": "md5 {file}"}, """
md5 of {file}
md5 checksum for {file}
compute the md5 hash of {file}
""", ANY_FILES)

T("sha1.file", {"gnu": "sha1sum {file}", "bsd": "shasum {file}"}, """
sha1 hash of {file}
sha1 checksum of {file}
""", ANY_FILES)

T("sha256.string", {"gnu": "echo -n '{text}' | sha256sum", "bsd": "echo -n '{text}' | shasum -a 256"}, """
sha256 hash of the string {text}
hash {text} with sha256
""", P("text", "hello", "password123", "nlsh", "abc"))

T("cksum.dirs", {"gnu": "find {dir} -type f -exec md5sum {} + | sort -k2 > {dir}.md5",
                 "bsd": "find {dir} -type f -exec md5 -r {} + | sort -k2 > {dir}.md5"}, """
record checksums of every file under {dir}
make an md5 manifest of the {dir} folder
""", P("dir", "photos", "data", "backup", "src"))

# -- openssl ------------------------------------------------------------------------------------

T("openssl.rand_hex", "openssl rand -hex {n}", """
generate a random hex string of {n} bytes
random {n}-byte token in hex
make a secret key
""", P("n", "32", "16", "24", "64"))

T("openssl.rand_b64", "openssl rand -base64 {n}", """
generate a random password
random base64 string of {n} bytes
strong random secret
""", P("n", "32", "24", "16", "48"))

T("openssl.self_signed", "openssl req -x509 -newkey rsa:2048 -sha256 -days {days} -nodes -keyout {name}.key -out {name}.crt -subj '/CN={cn}'", """
create a self-signed certificate for {cn}
generate a self signed ssl cert valid for {days} days
make a test tls certificate and key for {cn}
""", P("days name cn", "365 server localhost", "30 test test.local", "825 dev dev.example.com",
       "3650 ca myca"))

T("openssl.csr", "openssl req -new -newkey rsa:2048 -nodes -keyout {cn}.key -out {cn}.csr -subj '/CN={cn}'", """
create a certificate signing request for {cn}
generate a CSR and private key for {cn}
""", P("cn", "example.com", "api.example.com", "www.example.org"))

T("openssl.view_cert", "openssl x509 -in {cert} -noout -text", """
show the details of the certificate {cert}
decode {cert}
what's in the cert file {cert}
""", P("cert", "server.crt", "cert.pem", "fullchain.pem", "ca.crt"))

T("openssl.cert_dates", "openssl x509 -in {cert} -noout -enddate", """
when does the certificate {cert} expire
expiry date of {cert}
""", P("cert", "server.crt", "cert.pem", "fullchain.pem"))

T("openssl.check_key", "openssl rsa -in {key} -check -noout", """
check the private key {key}
is {key} a valid RSA key
""", P("key", "server.key", "private.pem", "id_rsa"))

T("openssl.key_matches", "diff <(openssl x509 -in {cert} -noout -pubkey) <(openssl pkey -in {key} -pubout)", """
does {key} match the certificate {cert}
check that the key {key} belongs to {cert}
""", P("cert key", "server.crt server.key", "cert.pem privkey.pem"))

T("openssl.encrypt", "openssl enc -aes-256-cbc -salt -pbkdf2 -in {file} -out {file}.enc", """
encrypt {file} with a password
aes encrypt {file}
password protect the file {file}
""", ANY_FILES)

T("openssl.decrypt", "openssl enc -d -aes-256-cbc -pbkdf2 -in {file}.enc -out {file}", """
decrypt {file}.enc
decrypt the aes file {file}.enc back to {file}
""", ANY_FILES)

T("openssl.pem_to_der", "openssl x509 -in {cert} -outform der -out {out}", """
convert the pem certificate {cert} to der
turn {cert} into binary DER format
""", P("cert out", "cert.pem cert.der", "server.crt server.der"))

T("openssl.pfx", "openssl pkcs12 -export -out {out} -inkey {key} -in {cert}", """
bundle {cert} and {key} into a pfx file
create a pkcs12 file {out} from {cert} and {key}
""", P("out key cert", "bundle.pfx server.key server.crt", "cert.p12 privkey.pem cert.pem"))

T("openssl.hash_password", "openssl passwd -6 '{pw}'", """
create a sha512 password hash for {pw}
generate a shadow compatible hash of {pw}
""", P("pw", "hunter2", "s3cret", "changeme"))

T("gpg.encrypt_sym", "gpg -c {file}", """
encrypt {file} with gpg using a passphrase
symmetric gpg encryption of {file}
""", ANY_FILES)

T("gpg.decrypt", "gpg -d {file}.gpg > {file}", """
decrypt {file}.gpg
gpg decrypt {file}.gpg
""", ANY_FILES)

T("gpg.list_keys", "gpg --list-keys", """
list my gpg keys
show gpg public keys
""")

T("gpg.verify", "gpg --verify {sig} {file}", """
verify the signature {sig} of {file}
check the gpg signature on {file}
""", P("sig file", "release.tar.gz.asc release.tar.gz", "SHA256SUMS.gpg SHA256SUMS",
       "tool.zip.sig tool.zip"))

T("uuid.gen", {"gnu": "cat /proc/sys/kernel/random/uuid", "bsd": "uuidgen"}, """
generate a uuid
make a random guid
""")

T("uuidgen.any", "uuidgen", """
uuidgen
new uuid with uuidgen
""")

T("password.gen", "tr -dc 'A-Za-z0-9' < /dev/urandom | head -c {n}; echo", """
generate a random {n} character password
random alphanumeric string of length {n}
""", P("n", "16", "20", "32", "12", "24"))

T("bc.calc", "echo '{expr}' | bc -l", """
calculate {expr}
what is {expr}
compute {expr} in the shell
""", P("expr", "3.5 * 12", "2^10", "sqrt(2)", "100 / 7", "(15 + 27) * 3", "1024 * 1024"))

T("arith.shell", "echo $(({expr}))", """
integer arithmetic {expr} in bash
quick integer math {expr}
""", P("expr", "60 * 60 * 24", "1024 * 4", "17 % 5", "2 ** 16", "365 / 7"))

T("numfmt.human", {"gnu": "numfmt --to=iec {n}", "bsd": "echo {n} | awk '{split(\"B K M G T\", u); i = 1; x = $1; while (x >= 1024 && i < 5) {x /= 1024; i++} printf \"%.1f%s\\n\", x, u[i]}'"}, """
convert {n} bytes to a human readable size
how much is {n} bytes in MB or GB
""", P("n", "1048576", "5368709120", "123456789", "2048"))

T("factor.number", "factor {n}", """
prime factors of {n}
factorize {n}
""", P("n", "360", "1001", "97", "123456", "65536"))
