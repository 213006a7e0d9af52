# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Networking: ssh, scp, rsync, curl, wget, ip, ss, dig, ping, nc, openssl s_client, servers."""

from ._dsl import P, T, cross
from ._pools import API_URLS, DIRS, DOMAINS, HOSTS, IFACES, KEYNAMES, PORTS, URLS, USERHOSTS

# -- ssh ----------------------------------------------------------------------------------------

T("ssh.connect", "ssh {user}@{host}", """
ssh into {host} as {user}
connect to {user}@{host}
log in to {host} with user {user}
open a remote shell on {host} as {user}
""", USERHOSTS)

T("ssh.port", "ssh -p {port} {user}@{host}", """
ssh to {host} on port {port} as {user}
connect to {user}@{host} using port {port}
""", cross(USERHOSTS, P("port", "2222", "2200", "22022", "8022")))

T("ssh.key", "ssh -i ~/.ssh/{keyfile} {user}@{host}", """
ssh into {host} as {user} with the key {keyfile}
connect to {user}@{host} using ~/.ssh/{keyfile}
""", cross(USERHOSTS, KEYNAMES))

T("ssh.run_cmd", "ssh {user}@{host} '{cmd}'", """
run {cmd} on {host}
execute {cmd} remotely on {user}@{host}
check {cmd} on the server {host} over ssh
""", cross(USERHOSTS, P("cmd", "df -h", "uptime", "sudo systemctl restart nginx", "free -h",
                         "tail -n 50 /var/log/syslog", "docker ps")))

T("ssh.tunnel_local", "ssh -N -L {lport}:localhost:{rport} {user}@{host}", """
forward local port {lport} to port {rport} on {host}
ssh tunnel so localhost:{lport} reaches {host}:{rport}
access the remote port {rport} on {host} through local port {lport}
""", cross(USERHOSTS, P("lport rport", "5432 5432", "8080 80", "3307 3306", "9000 8080",
                        "6380 6379")))

T("ssh.tunnel_remote", "ssh -N -R {rport}:localhost:{lport} {user}@{host}", """
reverse tunnel: expose my local port {lport} as port {rport} on {host}
make my localhost:{lport} reachable from {host}:{rport}
""", cross(USERHOSTS, P("lport rport", "3000 8080", "8000 9000", "22 2222")))

T("ssh.socks", "ssh -N -D {port} {user}@{host}", """
create a socks proxy on port {port} through {host}
dynamic port forwarding via {user}@{host}
""", cross(USERHOSTS, P("port", "1080", "9050", "8888")))

T("ssh.jump", "ssh -J {juser}@{jump} {user}@{host}", """
ssh to {host} through the bastion {jump}
connect to {user}@{host} via jump host {jump}
""", P("juser jump user host", "admin bastion.example.com ubuntu 10.0.1.20",
       "deploy jump.internal root db01.internal", "alice gw.example.org alice 192.168.10.5"))

T("ssh.keygen", "ssh-keygen -t ed25519 -C '{email}'", """
generate a new ssh key
create an ed25519 ssh key for {email}
make a new ssh keypair
""", P("email", "me@example.com", "alice@example.org", "dev@company.com", "bob@example.net"))

T("ssh.keygen_rsa", "ssh-keygen -t rsa -b 4096 -f ~/.ssh/{keyfile}", """
generate a 4096 bit rsa key named {keyfile}
create an RSA ssh key at ~/.ssh/{keyfile}
""", KEYNAMES)

T("ssh.copy_id", "ssh-copy-id {user}@{host}", """
copy my ssh key to {host}
set up passwordless login to {user}@{host}
install my public key on {host}
""", USERHOSTS)

T("ssh.pubkey", "cat ~/.ssh/id_ed25519.pub", """
show my public ssh key
print my ssh public key so I can add it to github
""")

T("ssh.fingerprint", "ssh-keygen -lf ~/.ssh/{keyfile}.pub", """
fingerprint of my ssh key {keyfile}
show the fingerprint of ~/.ssh/{keyfile}.pub
""", KEYNAMES)

T("ssh.remove_known", "ssh-keygen -R {host}", """
remove {host} from known_hosts
fix the host key changed warning for {host}
forget the old key of {host}
""", P("host", "192.168.1.10", "server.example.com", "10.0.0.5", "raspberrypi.local",
       "db01.internal"))

T("ssh.agent_add", "eval \"$(ssh-agent -s)\" && ssh-add ~/.ssh/{keyfile}", """
start ssh-agent and add my key {keyfile}
load {keyfile} into the ssh agent
""", KEYNAMES)

T("ssh.agent_list", "ssh-add -l", """
list keys loaded in ssh-agent
which keys does the agent have
""")

T("ssh.test_github", "ssh -T git@github.com", """
test my ssh connection to github
check that github accepts my ssh key
""")

T("ssh.verbose", "ssh -v {user}@{host}", """
debug my ssh connection to {host}
verbose ssh to {user}@{host} to see why it fails
""", USERHOSTS)

# -- copying over the network -------------------------------------------------------------------

T("scp.upload", "scp {file} {user}@{host}:{dest}", """
copy {file} to {host}
upload {file} to {user}@{host} into {dest}
scp {file} to the server {host}
send {file} to {dest} on {host}
""", cross(P("file", "backup.tar.gz", "report.pdf", "config.yaml", "app.jar", "data.csv"),
           USERHOSTS, P("dest", "/tmp/", "~/", "/srv/app/", "/var/www/", "/home/ubuntu/")))

T("scp.download", "scp {user}@{host}:{path} .", """
download {path} from {host}
copy {path} from {user}@{host} to here
fetch the remote file {path} from {host}
""", cross(USERHOSTS, P("path", "/var/log/syslog", "~/backup.tar.gz", "/etc/nginx/nginx.conf",
                        "/srv/app/app.log", "/tmp/dump.sql")))

T("scp.dir", "scp -r {dir} {user}@{host}:{dest}", """
copy the folder {dir} to {host}
upload the directory {dir} recursively to {user}@{host}
""", cross(DIRS, USERHOSTS, P("dest", "~/", "/tmp/", "/srv/")))

T("scp.port", "scp -P {port} {file} {user}@{host}:{dest}", """
scp {file} to {host} on port {port}
copy {file} to {user}@{host} using ssh port {port}
""", cross(P("file", "backup.tar.gz", "report.pdf", "data.csv"), USERHOSTS,
           P("port", "2222", "2200", "22022"), P("dest", "~/", "/tmp/")))

T("rsync.local", "rsync -av {src}/ {dst}/", """
sync {src} to {dst}
copy {src} into {dst} with rsync keeping permissions
mirror the folder {src} to {dst}
""", P("src dst", "src backup/src", "photos /mnt/usb/photos", "project /tmp/project",
       "docs docs_copy", "data /media/backup/data"))

T("rsync.remote", "rsync -avz {dir}/ {user}@{host}:{dest}/", """
rsync {dir} to {host}
upload {dir} to {user}@{host}:{dest} with rsync
sync my {dir} folder to the server {host}
""", cross(DIRS, USERHOSTS, P("dest", "/srv/app", "~/backup", "/var/www/site", "/data")))

T("rsync.pull", "rsync -avz {user}@{host}:{path}/ {dir}/", """
download {path} from {host} with rsync
pull {path} from {user}@{host} into {dir}
""", cross(USERHOSTS, P("path dir", "/var/www ; site", "/srv/backups ; backups",
                         "~/photos ; photos", "/var/log ; remote-logs")))

T("rsync.delete", "rsync -av --delete {src}/ {dst}/", """
make {dst} an exact mirror of {src}, deleting extra files
sync {src} to {dst} and remove files that no longer exist in {src}
""", P("src dst", "src backup/src", "photos /mnt/usb/photos", "site /var/www/site",
       "music /media/player/music"))

T("rsync.dry", "rsync -avn --delete {src}/ {dst}/", """
preview what rsync would change between {src} and {dst}
dry run of syncing {src} to {dst}
""", P("src dst", "src backup/src", "photos /mnt/usb/photos", "site /var/www/site"))

T("rsync.exclude", "rsync -av --exclude='{pat}' {src}/ {dst}/", """
sync {src} to {dst} but skip {pat}
rsync {src} into {dst} excluding {pat}
""", P("src dst pat", "project /tmp/project node_modules", "src backup/src *.pyc",
       "site deploy/site .git", "home /mnt/backup/home .cache"))

T("rsync.progress", "rsync -ah --progress {src} {dst}", """
copy {src} to {dst} with a progress bar
copy a big file {src} to {dst} and show progress
""", P("src dst", "image.iso /mnt/usb/", "backup.tar.gz /media/backup/", "video.mp4 ~/Videos/"))

T("rsync.resume", "rsync -ah --partial --progress {src} {user}@{host}:{dest}", """
upload {src} to {host} and resume if the connection drops
resumable transfer of {src} to {user}@{host}
""", cross(P("src", "image.iso", "backup.tar.gz", "dataset.zip"), USERHOSTS, P("dest", "~/", "/tmp/")))

T("rsync.ssh_port", "rsync -avz -e 'ssh -p {port}' {dir}/ {user}@{host}:{dest}/", """
rsync {dir} to {host} over ssh port {port}
sync {dir} to {user}@{host} using a custom ssh port {port}
""", cross(DIRS, USERHOSTS, P("port", "2222", "2200"), P("dest", "~/backup", "/srv/data")))

# -- http ---------------------------------------------------------------------------------------

T("curl.get", "curl {url}", """
fetch {url}
get {url} with curl
show the response from {url}
""", API_URLS)

T("curl.download", "curl -LO {url}", """
download {url}
save {url} to the current directory
curl download {url} keeping its file name
grab the file at {url}
""", URLS)

T("curl.download_as", "curl -L -o {out} {url}", """
download {url} and save it as {out}
fetch {url} into the file {out}
""", cross(URLS, P("out", "file.tar.gz", "data.json", "tool.zip", "setup.sh", "latest.iso")))

T("curl.headers", "curl -I {url}", """
show the http headers of {url}
only the response headers from {url}
check the status code and headers of {url}
""", API_URLS + P("url", "https://example.com", "https://github.com"))

T("curl.status_code", "curl -s -o /dev/null -w '%{http_code}\\n' {url}", """
just the http status code of {url}
is {url} returning 200
check the response code for {url}
""", API_URLS + P("url", "https://example.com"))

T("curl.post_json", "curl -X POST -H 'Content-Type: application/json' -d '{body}' {url}", """
send a POST with JSON {body} to {url}
post json data to {url}
make a POST request to {url} with body {body}
""", cross(P("body", "{\"name\": \"alice\"}", "{\"id\": 1}", "{\"user\": \"bob\", \"age\": 30}",
             "{\"query\": \"test\"}"), API_URLS))

T("curl.post_form", "curl -X POST -d '{data}' {url}", """
submit form data {data} to {url}
post {data} as a form to {url}
""", cross(P("data", "name=alice&age=30", "user=bob&pass=secret", "q=test", "email=me@example.com"),
           API_URLS))

T("curl.auth_bearer", "curl -H \"Authorization: Bearer $TOKEN\" {url}", """
call {url} with a bearer token
GET {url} using the token in $TOKEN
authenticated request to {url}
""", API_URLS)

T("curl.basic_auth", "curl -u {user}:{pw} {url}", """
request {url} with basic auth user {user}
curl {url} with username {user} and password {pw}
""", cross(P("user pw", "admin secret", "alice hunter2", "api s3cr3t"), API_URLS))

T("curl.upload_file", "curl -F 'file=@{file}' {url}", """
upload {file} to {url} as a multipart form
post the file {file} to {url}
""", cross(P("file", "report.pdf", "photo.jpg", "data.csv", "notes.txt"),
           P("url", "https://api.example.com/upload", "http://localhost:8080/upload",
             "https://httpbin.org/post")))

T("curl.put", "curl -X PUT -H 'Content-Type: application/json' -d '{body}' {url}", """
send a PUT request to {url} with {body}
update the resource at {url} with json {body}
""", cross(P("body", "{\"status\": \"done\"}", "{\"name\": \"bob\"}", "{\"enabled\": true}"),
           API_URLS))

T("curl.delete", "curl -X DELETE {url}", """
send a DELETE request to {url}
delete the resource at {url} via http
""", P("url", "https://api.example.com/users/42", "http://localhost:8080/items/7",
       "https://api.example.com/orders/1001"))

T("curl.follow_verbose", "curl -vL {url}", """
debug the request to {url} verbosely, following redirects
see the full http conversation with {url}
""", API_URLS + P("url", "http://example.com"))

T("curl.timing", "curl -s -o /dev/null -w 'dns %{time_namelookup}s connect %{time_connect}s total %{time_total}s\\n' {url}", """
how long does {url} take to respond
measure the response time of {url}
time the request to {url}
""", API_URLS + P("url", "https://example.com"))

T("curl.json_pretty", "curl -s {url} | jq .", """
fetch json from {url} and pretty print it
get {url} and format the JSON output
""", API_URLS)

T("curl.resume", "curl -C - -LO {url}", """
resume the interrupted download of {url}
continue downloading {url} where it stopped
""", URLS)

T("curl.pipe_sh_safe", "curl -fsSL {url} -o install.sh && less install.sh", """
download the install script {url} and read it before running
fetch the installer from {url} to inspect it first
""", P("url", "https://example.com/install.sh", "https://get.example.org/setup.sh",
       "https://downloads.example.com/install.sh"))

T("curl.public_ip", "curl -s https://ifconfig.me", """
what is my public ip
show my external IP address
""")

T("curl.weather", "curl wttr.in/{city}", """
weather in {city}
what's the weather forecast for {city}
""", P("city", "London", "Berlin", "Tokyo", "Paris", "NewYork"))

T("wget.download", "wget {url}", """
download {url} with wget
wget {url}
""", URLS)

T("wget.continue", "wget -c {url}", """
resume downloading {url} with wget
continue a partial wget download of {url}
""", URLS)

T("wget.mirror", "wget --mirror --convert-links --page-requisites --no-parent {url}", """
mirror the website {url} for offline viewing
download an entire site {url}
""", P("url", "https://example.com/docs/", "https://example.org/manual/", "https://example.com/"))

T("wget.list", "wget -i {file}", """
download every url listed in {file}
fetch all links from the file {file}
""", P("file", "urls.txt", "links.txt", "downloads.txt"))

T("wget.output", "wget -O {out} {url}", """
wget {url} and save as {out}
download {url} to {out}
""", cross(URLS, P("out", "file.tar.gz", "latest.zip", "data.json", "setup.sh")))

# -- interfaces, routes, sockets ----------------------------------------------------------------

T("ip.addr", {"gnu": "ip addr show", "bsd": "ifconfig"}, """
show my ip addresses
list network interfaces and their addresses
what ip does this machine have
""")

T("ip.addr_iface", {"gnu": "ip addr show {iface}", "bsd": "ifconfig {iface}"}, """
ip address of {iface}
show the interface {iface}
""", IFACES)

T("ip.brief", {"gnu": "ip -br addr", "bsd": "ifconfig | grep 'inet '"}, """
short list of interfaces and ips
brief overview of network addresses
""")

T("ip.route", {"gnu": "ip route", "bsd": "netstat -rn"}, """
show the routing table
list network routes
""")

T("ip.gateway", {"gnu": "ip route | grep default", "bsd": "route -n get default"}, """
what is my default gateway
show the router ip
""")

T("ip.link_up", {"gnu": "sudo ip link set {iface} up", "bsd": "sudo ifconfig {iface} up"}, """
bring {iface} up
enable the network interface {iface}
""", IFACES)

T("ip.link_down", {"gnu": "sudo ip link set {iface} down", "bsd": "sudo ifconfig {iface} down"}, """
take {iface} down
disable the interface {iface}
""", IFACES)

T("ip.neigh", {"gnu": "ip neigh", "bsd": "arp -a"}, """
show the arp table
which devices are on my local network
list neighbours with mac addresses
""")

T("ip.mac", {"gnu": "ip link show {iface}", "bsd": "ifconfig {iface} | grep ether"}, """
mac address of {iface}
hardware address of the {iface} card
""", IFACES)

T("ss.listening", {"gnu": "ss -tlnp", "bsd": "lsof -iTCP -sTCP:LISTEN -n -P"}, """
which ports are listening
show open ports
list listening tcp sockets with their processes
what services are listening on this machine
""")

T("ss.port", {"gnu": "ss -tlnp | grep ':{port}'", "bsd": "lsof -nP -iTCP:{port} -sTCP:LISTEN"}, """
what is listening on port {port}
which process is using port {port}
is anything running on port {port}
who owns port {port}
""", PORTS)

T("lsof.port", "lsof -i :{port}", """
lsof for port {port}
show connections on port {port} with lsof
""", PORTS)

T("ss.established", {"gnu": "ss -tn state established", "bsd": "netstat -an | grep ESTABLISHED"}, """
show established connections
list active tcp connections
""")

T("ss.udp", {"gnu": "ss -ulnp", "bsd": "lsof -iUDP -n -P"}, """
list listening udp ports
which udp sockets are open
""")

T("ss.summary", {"gnu": "ss -s", "bsd": "netstat -s | head -n 40"}, """
socket statistics summary
how many connections are open
""")

T("netstat.listening", "netstat -tulpn", """
netstat listening ports
show listening ports with netstat
""")

T("wifi.list", {"gnu": "nmcli device wifi list", "bsd": "networksetup -listpreferredwirelessnetworks en0"}, """
list wifi networks
scan for wireless networks
""")

T("wifi.connect", {"gnu": "nmcli device wifi connect '{ssid}' password '{pw}'",
                   "bsd": "networksetup -setairportnetwork en0 '{ssid}' '{pw}'"}, """
connect to the wifi {ssid}
join wireless network {ssid} with password {pw}
""", P("ssid pw", "HomeNet hunter22", "Office-5G s3cretpass", "CafeGuest welcome123"))

# -- dns / reachability -------------------------------------------------------------------------

T("dig.a", "dig +short {domain}", """
ip address of {domain}
resolve {domain}
dns lookup for {domain}
what does {domain} resolve to
""", DOMAINS)

T("dig.mx", "dig +short MX {domain}", """
mail servers for {domain}
MX records of {domain}
""", DOMAINS)

T("dig.txt", "dig +short TXT {domain}", """
TXT records of {domain}
show the spf record of {domain}
""", DOMAINS)

T("dig.ns", "dig +short NS {domain}", """
name servers of {domain}
which dns servers are authoritative for {domain}
""", DOMAINS)

T("dig.server", "dig @{dns} {domain}", """
resolve {domain} using the dns server {dns}
query {dns} for {domain}
""", cross(P("dns", "8.8.8.8", "1.1.1.1", "9.9.9.9", "192.168.1.1"), DOMAINS))

T("dig.reverse", "dig -x {ip} +short", """
reverse dns of {ip}
what hostname belongs to {ip}
""", P("ip", "8.8.8.8", "1.1.1.1", "140.82.112.3", "93.184.216.34"))

T("nslookup.domain", "nslookup {domain}", """
nslookup {domain}
look up {domain} with nslookup
""", DOMAINS)

T("host.domain", "host {domain}", """
quick dns lookup of {domain} with host
""", DOMAINS)

T("dns.flush", {"gnu": "sudo resolvectl flush-caches",
                "bsd": "sudo dscacheutil -flushcache && sudo killall -HUP mDNSResponder"}, """
flush the dns cache
clear cached dns entries
""")

T("ping.count", "ping -c {n} {host}", """
ping {host} {n} times
check if {host} is reachable
is {host} up
test connectivity to {host}
""", cross(P("n", "4", "5", "3", "10"), HOSTS))

T("ping.interval", "ping -c {n} -i {i} {host}", """
ping {host} every {i} seconds, {n} times
""", cross(P("n i", "10 0.5", "5 2", "20 1"), HOSTS))

T("traceroute.host", "traceroute {host}", """
trace the route to {host}
which hops does traffic to {host} take
traceroute {host}
""", HOSTS)

T("mtr.host", "mtr -rw -c {n} {host}", """
network path report to {host} with packet loss
mtr report for {host}
""", cross(P("n", "10", "20", "50"), HOSTS))

T("nc.port_check", "nc -zv {host} {port}", """
is port {port} open on {host}
check whether {host}:{port} accepts connections
test tcp connection to {host} port {port}
""", cross(HOSTS, PORTS))

T("nc.scan_range", "nc -zv {host} {a}-{b}", """
scan ports {a} to {b} on {host}
which ports between {a} and {b} are open on {host}
""", cross(HOSTS, P("a b", "20 25", "80 90", "8000 8100", "1 1024")))

T("nc.listen", "nc -l {port}", """
listen on port {port} with netcat
open a tcp listener on {port}
""", PORTS)

T("nc.send_file", {"gnu": "nc -N {host} {port} < {file}", "bsd": "nc {host} {port} < {file}"}, """
send {file} to {host} on port {port} with netcat
pipe {file} over the network to {host}:{port}
""", cross(HOSTS, PORTS, P("file", "backup.tar.gz", "data.csv", "notes.txt")))

T("nmap.ports", "nmap -p {ports} {host}", """
scan ports {ports} on {host}
nmap {host} for ports {ports}
""", cross(P("ports", "22,80,443", "1-1000", "3306,5432", "8080"), HOSTS))

T("nmap.hosts", "nmap -sn {net}", """
find live hosts on {net}
which devices are up on my network {net}
ping sweep {net}
""", P("net", "192.168.1.0/24", "10.0.0.0/24", "192.168.0.0/24", "172.16.0.0/24"))

T("whois.domain", "whois {domain}", """
who owns {domain}
whois lookup for {domain}
when does {domain} expire
""", DOMAINS)

# -- tls ----------------------------------------------------------------------------------------

T("openssl.cert_remote", "openssl s_client -connect {domain}:443 -servername {domain} </dev/null 2>/dev/null | openssl x509 -noout -dates", """
when does the ssl certificate of {domain} expire
check the tls cert dates for {domain}
ssl expiry of {domain}
""", DOMAINS)

T("openssl.cert_chain", "openssl s_client -connect {domain}:443 -servername {domain} -showcerts </dev/null", """
show the full certificate chain of {domain}
dump the tls certificates that {domain} presents
""", DOMAINS)

# -- local servers ------------------------------------------------------------------------------

T("http.server", "python3 -m http.server {port}", """
serve this directory over http on port {port}
start a simple web server here
share the current folder on port {port}
quick static file server on {port}
""", P("port", "8000", "8080", "3000", "9000", "5500"))

T("http.server_bind", "python3 -m http.server {port} --bind 127.0.0.1", """
serve files here only on localhost port {port}
local-only http server on {port}
""", P("port", "8000", "8080", "9000"))

T("http.server_dir", "python3 -m http.server {port} --directory {dir}", """
serve the {dir} folder on port {port}
start a web server for {dir}
""", cross(P("port", "8000", "8080", "3000"), P("dir", "build", "dist", "public", "docs", "site")))

T("http.php_server", "php -S localhost:{port}", """
start the php built-in server on port {port}
serve this php project locally
""", P("port", "8000", "8080"))

T("npx.serve", "npx serve -l {port} {dir}", """
serve {dir} with npx serve on port {port}
static server for {dir} using node
""", cross(P("port", "3000", "5000", "8080"), P("dir", "build", "dist", "public")))
