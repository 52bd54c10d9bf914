#!/usr/bin/env bash
# Writes a self-signed development certificate for localhost to certs/dev/ unless one is already there.
# Standalone runs read it from there (meshguard.tls.cert-file / meshguard.tls.key-file).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/dev"
if [[ -s "$dir/tls.crt" && -s "$dir/tls.key" ]]; then
  exit 0
fi
command -v openssl >/dev/null || { echo "certs/dev-cert.sh needs openssl (apt-get install -y openssl)" >&2; exit 1; }
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
chmod 600 "$dir/tls.key"
echo "wrote a self-signed certificate for localhost to $dir"
