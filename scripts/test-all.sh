#!/usr/bin/env bash
# The whole test suite from a fresh Debian machine: the OS tools the tests drive (Ansible, its linters,
# nginx, openssl, nft, visudo, sshd and systemd-analyze that the roles check their files with; pebble and
# certbot for ACME; rsync for gitlab-ci-local; PostgreSQL, the psycopg2 its role's Ansible module needs, and
# iproute2 for the live primary and standby; cloud-init for the AWS servers' user data), the npm packages, then
# build, typecheck, lint and every test. The last line is vitest's `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

os_packages=(ansible ansible-lint yamllint nginx-light openssl nftables sudo openssh-server systemd pebble certbot rsync git postgresql python3-psycopg2 iproute2 cloud-init)
missing=()
for package in "${os_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing OS packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# sshd checks a file only when its privilege separation folder exists; systemd makes it at boot, CI has none.
[ -d /run/sshd ] || $sudo mkdir -p /run/sshd

npm ci --no-fund --no-audit
npm run typecheck
npm run lint
npx vitest run
