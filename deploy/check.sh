#!/usr/bin/env bash
# Check the shipped deployment files the way the server will read them (docs/deploy.md):
#   - systemd-analyze verify on sidekel-web.service and sidekel-worker.service: any complaint
#     (an unknown key, a bad value) fails, not only the ones that make it exit non-zero;
#   - nginx -t on nginx-sidekel.conf, included in a minimal nginx.conf under a scratch prefix,
#     with a self-signed certificate made here in place of the certbot one.
# Needs systemd (systemd-analyze), nginx and openssl; run by .ci/run and by
# sidekel/core/tests/test_deploy_files.py. Usage: deploy/check.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== systemd-analyze verify"
# ExecStart must name an executable file: the venv's sidekel is not installed here, so the check
# reads copies whose ExecStart points to a stand-in script. Nothing else is changed.
mkdir -p "$scratch/units" "$scratch/bin"
printf '#!/bin/sh\nexit 0\n' > "$scratch/bin/sidekel"
chmod +x "$scratch/bin/sidekel"
for unit in sidekel-web.service sidekel-worker.service; do
    sed "s#/opt/sidekel/venv/bin/sidekel#$scratch/bin/sidekel#g" "$here/$unit" > "$scratch/units/$unit"
done
if ! out="$(systemd-analyze verify "$scratch/units/sidekel-web.service" "$scratch/units/sidekel-worker.service" 2>&1)"; then
    echo "$out"; echo "systemd-analyze verify failed"; exit 1
fi
if [ -n "$out" ]; then
    echo "$out"; echo "systemd-analyze verify complained about the unit files"; exit 1
fi
for unit in sidekel-web.service sidekel-worker.service; do
    grep -q '^EnvironmentFile=/etc/sidekel/sidekel.env$' "$here/$unit" || { echo "$unit: no EnvironmentFile"; exit 1; }
    grep -q '^Restart=always$' "$here/$unit" || { echo "$unit: no Restart=always"; exit 1; }
    grep -q '^User=sidekel$' "$here/$unit" || { echo "$unit: not run as the sidekel user"; exit 1; }
done
echo "ok: both units"

echo "== nginx -t"
mkdir -p "$scratch/nginx/logs" "$scratch/nginx/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sidekel.example.go.id" \
    -keyout "$scratch/nginx/tls/privkey.pem" -out "$scratch/nginx/tls/fullchain.pem" 2>/dev/null
sed "s#/etc/letsencrypt/live/sidekel.example.go.id#$scratch/nginx/tls#g" "$here/nginx-sidekel.conf" > "$scratch/nginx/sidekel.conf"
cat > "$scratch/nginx/nginx.conf" <<CONF
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $scratch/nginx/body;
    proxy_temp_path $scratch/nginx/proxy;
    fastcgi_temp_path $scratch/nginx/fastcgi;
    uwsgi_temp_path $scratch/nginx/uwsgi;
    scgi_temp_path $scratch/nginx/scgi;
    include $scratch/nginx/sidekel.conf;
}
CONF
if ! out="$(nginx -t -q -p "$scratch/nginx" -c "$scratch/nginx/nginx.conf" 2>&1)" || [ -n "$out" ]; then
    echo "$out"; echo "nginx -t failed"; exit 1
fi
echo "ok: nginx-sidekel.conf"
