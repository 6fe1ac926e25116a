#!/usr/bin/env bash
# Installs the system services the e2e tier runs for real (Debian/Ubuntu): nginx, HAProxy (and
# socat, which the haproxy router uses to reach the admin socket over ssh), Prometheus, sshd and
# the PostgreSQL client tools (pg_dump), alembic. Idempotent; skips what is already there.
set -euo pipefail
# squawk (npm squawk-cli, a native binary), the peer the migration lint is compared with. Not a
# devDependency: this registry has only its linux-x64 build, so its lockfile entries break `npm ci`.
if [ ! -x "$(dirname "$0")/../node_modules/.bin/squawk" ]; then
  (cd "$(dirname "$0")/.." && npm install --no-save --no-audit --no-fund squawk-cli@2.66.0 >/dev/null)
  echo "installed: squawk-cli 2.66.0 (npm, not saved)"
fi

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v socat >/dev/null || need+=(socat)
command -v prometheus >/dev/null || need+=(prometheus)
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v pg_dump >/dev/null || need+=(postgresql-client)
# alembic (python3-alembic, sqlalchemy): a team's own migration tool, run by deploy.yml in command mode.
command -v alembic >/dev/null || need+=(alembic)
if [ ${#need[@]} -eq 0 ]; then
  echo "e2e services already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps the packages from starting their own daemons; tests start their own copies.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
echo "installed: ${need[*]}"

