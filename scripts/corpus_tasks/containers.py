# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""docker, docker compose, and a little kubectl."""

from ._dsl import P, T, cross
from ._pools import CONTAINERS, IMAGES

T("docker.ps", "docker ps", """
list running containers
which docker containers are running
show active containers
""")

T("docker.ps_all", "docker ps -a", """
list all containers including stopped ones
show every docker container
""")

T("docker.ps_names", "docker ps --format '{{.Names}}\\t{{.Status}}\\t{{.Ports}}'", """
running containers with just name, status and ports
compact table of containers and their ports
""")

T("docker.images", "docker images", """
list docker images
which images do I have locally
""")

T("docker.pull", "docker pull {image}", """
pull the {image} image
download the docker image {image}
""", IMAGES)

T("docker.run_it", "docker run -it --rm {image} {sh}", """
start an interactive {image} container
open a shell in a throwaway {image} container
run {image} interactively and remove it afterwards
""", P("image sh", "ubuntu:22.04 bash", "alpine sh", "python:3.12-slim bash", "node:20 bash",
       "busybox sh", "debian:12 bash"))

T("docker.run_detached_port", "docker run -d --name {ctr} -p {hport}:{cport} {image}", """
run {image} in the background as {ctr} mapping port {hport} to {cport}
start a detached {image} container named {ctr} on port {hport}
launch {image} and expose port {cport} as {hport}
""", P("ctr hport cport image", "web 8080 80 nginx", "cache 6379 6379 redis",
       "site 8000 80 httpd", "proxy 80 80 nginx", "api 3000 3000 node:20"))

T("docker.run_env", "docker run -d --name {ctr} -e {var}={value} -p {port}:{port} {image}", """
run {image} with the environment variable {var}={value}
start {image} as {ctr} setting {var} to {value}
""", P("ctr var value port image", "db POSTGRES_PASSWORD secret 5432 postgres:16",
       "mysql MYSQL_ROOT_PASSWORD secret 3306 mysql:8", "app NODE_ENV production 3000 node:20"))

T("docker.run_volume", "docker run -d --name {ctr} -v \"$(pwd)\":{mount} -p {port}:80 {image}", """
run {image} with the current directory mounted at {mount}
serve this folder with {image} on port {port}
mount the current dir into a {image} container
""", P("ctr mount port image", "site /usr/share/nginx/html 8080 nginx",
       "web /usr/local/apache2/htdocs 8000 httpd", "docs /usr/share/nginx/html 9000 nginx"))

T("docker.run_cmd", "docker run --rm {image} {cmd}", """
run {cmd} in a {image} container
execute {cmd} inside a temporary {image} container
""", P("image cmd", "alpine uname -a", "python:3.12-slim python --version",
       "node:20 node -e 'console.log(1)'", "busybox date", "ubuntu:22.04 cat /etc/os-release"))

T("docker.run_restart", "docker run -d --restart unless-stopped --name {ctr} {image}", """
run {image} so it restarts automatically
start {ctr} from {image} with a restart policy
""", P("ctr image", "web nginx", "cache redis", "db postgres:16", "worker python:3.12-slim"))

T("docker.exec_shell", "docker exec -it {ctr} {sh}", """
open a shell in the container {ctr}
get into the running container {ctr}
exec into {ctr}
""", cross(CONTAINERS, P("sh", "bash", "sh")))

T("docker.exec_cmd", "docker exec {ctr} {cmd}", """
run {cmd} inside {ctr}
execute {cmd} in the running container {ctr}
""", cross(CONTAINERS, P("cmd", "ls /app", "env", "cat /etc/hosts", "ps aux", "df -h")))

T("docker.logs", "docker logs --tail {n} {ctr}", """
show the last {n} log lines of {ctr}
logs of the container {ctr}
what did {ctr} print
""", cross(CONTAINERS, P("n", "100", "50", "200", "20")))

T("docker.logs_follow", "docker logs -f {ctr}", """
follow the logs of {ctr}
tail the container {ctr} logs live
""", CONTAINERS)

T("docker.logs_since", "docker logs --since {since} {ctr}", """
logs of {ctr} from the last {since_words}
what did {ctr} log in the past {since_words}
""", cross(CONTAINERS, P("since since_words", "10m ; 10 minutes", "1h ; hour", "30m ; 30 minutes",
                          "24h ; day")))

T("docker.stop", "docker stop {ctr}", """
stop the container {ctr}
shut down {ctr}
""", CONTAINERS)

T("docker.start", "docker start {ctr}", """
start the stopped container {ctr}
bring {ctr} back up
""", CONTAINERS)

T("docker.restart", "docker restart {ctr}", """
restart the container {ctr}
reboot {ctr}
""", CONTAINERS)

T("docker.rm", "docker rm {ctr}", """
remove the container {ctr}
delete container {ctr}
""", CONTAINERS)

T("docker.rm_force", "docker rm -f {ctr}", """
force remove the running container {ctr}
kill and delete {ctr}
""", CONTAINERS)

T("docker.stop_all", "docker stop $(docker ps -q)", """
stop all running containers
shut down every docker container
""")

T("docker.rm_stopped", "docker container prune -f", """
remove all stopped containers
clean up exited containers
""")

T("docker.rmi", "docker rmi {image}", """
delete the image {image}
remove docker image {image}
""", IMAGES)

T("docker.image_prune", "docker image prune -a", """
remove unused docker images
delete images not used by any container
""")

T("docker.system_prune", "docker system prune", """
clean up docker
free disk space used by docker
remove stopped containers, unused networks and dangling images
""")

T("docker.system_df", "docker system df", """
how much disk space does docker use
docker disk usage
""")

T("docker.build", "docker build -t {tag} .", """
build a docker image tagged {tag} from this directory
docker build here as {tag}
build the Dockerfile in the current folder
""", P("tag", "myapp", "myapp:latest", "api:1.0", "web:dev", "example/app:2.1"))

T("docker.build_file", "docker build -f {dockerfile} -t {tag} .", """
build {tag} using {dockerfile}
docker build with the file {dockerfile}
""", cross(P("dockerfile", "Dockerfile.prod", "docker/Dockerfile", "Dockerfile.dev"),
           P("tag", "myapp:prod", "api:latest", "web:dev")))

T("docker.build_nocache", "docker build --no-cache -t {tag} .", """
rebuild the image {tag} without cache
docker build from scratch ignoring cached layers
""", P("tag", "myapp", "api:1.0", "web:dev"))

T("docker.tag_push", "docker tag {tag} {registry}/{tag} && docker push {registry}/{tag}", """
push {tag} to the registry {registry}
tag {tag} for {registry} and upload it
""", cross(P("tag", "myapp:1.0", "api:latest", "web:2.3"),
           P("registry", "registry.example.com", "ghcr.io/example", "docker.io/example")))

T("docker.login", "docker login {registry}", """
log in to the registry {registry}
authenticate docker with {registry}
""", P("registry", "ghcr.io", "registry.example.com", "docker.io"))

T("docker.inspect_ip", "docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' {ctr}", """
ip address of the container {ctr}
what IP does {ctr} have
""", CONTAINERS)

T("docker.inspect", "docker inspect {ctr}", """
inspect the container {ctr}
full configuration of {ctr}
""", CONTAINERS)

T("docker.stats", "docker stats --no-stream", """
cpu and memory usage of containers
how much resources are my containers using
""")

T("docker.top", "docker top {ctr}", """
processes running inside {ctr}
what is running in the container {ctr}
""", CONTAINERS)

T("docker.cp_out", "docker cp {ctr}:{path} .", """
copy {path} out of the container {ctr}
get the file {path} from {ctr}
""", cross(CONTAINERS, P("path", "/app/app.log", "/etc/nginx/nginx.conf", "/tmp/dump.sql",
                         "/var/log/app.log")))

T("docker.cp_in", "docker cp {file} {ctr}:{path}", """
copy {file} into the container {ctr} at {path}
put {file} inside {ctr}
""", cross(P("file", "config.yaml", "dump.sql", "nginx.conf", "script.sh"), CONTAINERS,
           P("path", "/tmp/", "/app/", "/etc/app/")))

T("docker.volumes", "docker volume ls", """
list docker volumes
which volumes exist
""")

T("docker.volume_prune", "docker volume prune", """
remove unused docker volumes
delete dangling volumes
""")

T("docker.networks", "docker network ls", """
list docker networks
show docker networks
""")

T("docker.network_create", "docker network create {net}", """
create a docker network called {net}
make a new network {net} for containers
""", P("net", "backend", "mynet", "app-net", "frontend"))

T("docker.save", "docker save -o {file} {image}", """
save the image {image} to a tar file {file}
export docker image {image} as {file}
""", P("image file", "myapp:1.0 myapp.tar", "nginx nginx.tar", "api:latest api.tar"))

T("docker.load", "docker load -i {file}", """
load a docker image from {file}
import the image tarball {file}
""", P("file", "myapp.tar", "nginx.tar", "api.tar"))

T("docker.history", "docker history {image}", """
layers of the image {image}
show how {image} was built
""", IMAGES)

T("docker.env", "docker exec {ctr} env", """
environment variables of the container {ctr}
""", CONTAINERS)

T("docker.port", "docker port {ctr}", """
which ports does {ctr} publish
port mappings of {ctr}
""", CONTAINERS)

T("compose.up", "docker compose up -d", """
start the compose stack in the background
docker compose up detached
bring up all services
""")

T("compose.up_build", "docker compose up -d --build", """
rebuild and start the compose services
docker compose up with a fresh build
""")

T("compose.down", "docker compose down", """
stop the compose stack
tear down the docker compose services
""")

T("compose.down_volumes", "docker compose down -v", """
stop compose and delete its volumes
tear everything down including data volumes
""")

T("compose.logs", "docker compose logs -f {svc}", """
follow the logs of the {svc} service in compose
compose logs for {svc}
""", P("svc", "web", "db", "api", "worker", "redis"))

T("compose.ps", "docker compose ps", """
status of compose services
which compose containers are running
""")

T("compose.exec", "docker compose exec {svc} {sh}", """
shell into the compose service {svc}
exec into {svc} with docker compose
""", cross(P("svc", "web", "db", "api", "worker"), P("sh", "bash", "sh")))

T("compose.restart", "docker compose restart {svc}", """
restart the {svc} service in compose
""", P("svc", "web", "db", "api", "worker", "nginx"))

T("compose.pull", "docker compose pull", """
pull the latest images for the compose stack
update compose images
""")

T("compose.config", "docker compose config", """
validate the compose file
show the resolved docker compose configuration
""")

T("kubectl.pods", "kubectl get pods", """
list pods
show kubernetes pods
""")

T("kubectl.pods_ns", "kubectl get pods -n {ns}", """
pods in the {ns} namespace
list pods of namespace {ns}
""", P("ns", "kube-system", "production", "staging", "monitoring", "default"))

T("kubectl.pods_all", "kubectl get pods -A", """
pods in all namespaces
every pod in the cluster
""")

T("kubectl.logs", "kubectl logs -f {pod}", """
follow the logs of the pod {pod}
logs of {pod}
""", P("pod", "web-7d9f8b6c4-x2k9p", "api-0", "worker-5c6d7f8-abcde", "db-0"))

T("kubectl.describe", "kubectl describe pod {pod}", """
describe the pod {pod}
why is {pod} not starting
""", P("pod", "web-7d9f8b6c4-x2k9p", "api-0", "worker-5c6d7f8-abcde"))

T("kubectl.exec", "kubectl exec -it {pod} -- sh", """
shell into the pod {pod}
exec into kubernetes pod {pod}
""", P("pod", "web-7d9f8b6c4-x2k9p", "api-0", "db-0"))

T("kubectl.apply", "kubectl apply -f {file}", """
apply {file} to the cluster
deploy {file} with kubectl
""", P("file", "deployment.yaml", "k8s/", "service.yaml", "manifest.yml"))

T("kubectl.scale", "kubectl scale deployment {dep} --replicas={n}", """
scale {dep} to {n} replicas
run {n} copies of the deployment {dep}
""", cross(P("dep", "web", "api", "worker"), P("n", "3", "0", "5", "1")))

T("kubectl.rollout_restart", "kubectl rollout restart deployment {dep}", """
restart the deployment {dep}
redeploy {dep} pods
""", P("dep", "web", "api", "worker", "frontend"))

T("kubectl.port_forward", "kubectl port-forward svc/{svc} {lport}:{rport}", """
forward local port {lport} to the service {svc} port {rport}
access {svc} on localhost:{lport}
""", P("svc lport rport", "web 8080 80", "db 5432 5432", "grafana 3000 3000", "api 9000 8080"))

T("kubectl.contexts", "kubectl config get-contexts", """
list kubernetes contexts
which clusters can kubectl talk to
""")

T("kubectl.use_context", "kubectl config use-context {ctx}", """
switch kubectl to the {ctx} context
use cluster {ctx}
""", P("ctx", "production", "staging", "minikube", "kind-dev", "docker-desktop"))
