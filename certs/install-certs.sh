#!/usr/bin/env bash
# Mints a private CA and a serving certificate for meshguard's webhook Service, stores the pair in the TLS
# Secret meshguard-tls, and puts the CA into both webhook configurations' caBundle.
#
#   certs/install-certs.sh [namespace]               apply to the cluster of the current kubectl context
#   certs/install-certs.sh --render DIR [namespace]  write the objects to DIR instead (no cluster needed)
#
# The namespace defaults to meshguard. MESHGUARD_CERTS_RENDER=DIR works like --render DIR.
# Needs openssl and kubectl only. Run it again to rotate: a new CA and serving pair are minted, and the
# caBundle keeps the previous CA next to the new one, so the API server trusts the pods both before and
# after they reload the renewed Secret (quarkus.tls.reload-period). The CA's private key is never stored.
#
# Before it writes anything it checks its own output: the caBundle as rendered must verify the serving
# certificate (openssl verify), and the certificate must carry both Service DNS names.
#
# Order on a fresh cluster: certs/install-certs.sh meshguard && kubectl apply -k k8s/
# The webhook configurations are then created here, with the caBundle, by "kubectl create" (not apply), so a
# later "kubectl apply -k k8s/" leaves the caBundle alone: it is in no applied configuration.
set -euo pipefail

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

render_dir="${MESHGUARD_CERTS_RENDER:-}"
namespace=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --render) [[ $# -ge 2 ]] || usage; render_dir="$2"; shift 2 ;;
    --render=*) render_dir="${1#--render=}"; shift ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [[ -z "$namespace" ]] || usage; namespace="$1"; shift ;;
  esac
done
namespace="${namespace:-meshguard}"
service=meshguard
secret=meshguard-tls
ca_days="${MESHGUARD_CA_DAYS:-3650}"
cert_days="${MESHGUARD_CERT_DAYS:-397}"

for tool in openssl kubectl base64; do
  command -v "$tool" >/dev/null || { echo "install-certs.sh needs $tool on PATH" >&2; exit 1; }
done
manifests="$(cd "$(dirname "$0")/../k8s/base" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- mint ------------------------------------------------------------------------------------------
dns1="$service.$namespace.svc"
dns2="$service.$namespace.svc.cluster.local"
openssl req -x509 -newkey rsa:2048 -nodes -days "$ca_days" -sha256 \
  -subj "/CN=meshguard-ca-$(date -u +%Y%m%d%H%M%S)" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=$dns1" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
cat > "$work/serving.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:$dns1,DNS:$dns2
EOF
openssl x509 -req -sha256 -days "$cert_days" -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -set_serial "0x$(openssl rand -hex 16)" -extfile "$work/serving.ext" -out "$work/tls.crt" 2>/dev/null
rm -f "$work/ca.key" "$work/tls.csr"

# --- caBundle: the new CA, plus the CA the cluster trusts today while it is still valid ----------------
cp "$work/ca.crt" "$work/bundle.pem"
if [[ -z "$render_dir" ]]; then
  current="$(kubectl get validatingwebhookconfiguration meshguard \
    -o jsonpath='{.webhooks[0].clientConfig.caBundle}' 2>/dev/null || true)"
  if [[ -n "$current" ]] && echo "$current" | base64 -d > "$work/previous.pem" 2>/dev/null \
      && openssl x509 -in "$work/previous.pem" -out "$work/previous-ca.pem" 2>/dev/null \
      && openssl x509 -in "$work/previous-ca.pem" -noout -checkend 0 >/dev/null 2>&1; then
    cat "$work/previous-ca.pem" >> "$work/bundle.pem"
    echo "caBundle keeps the previous CA ($(openssl x509 -in "$work/previous-ca.pem" -noout -subject)) next to the new one"
  fi
fi
ca_bundle="$(base64 < "$work/bundle.pem" | tr -d '\n')"

# --- render ----------------------------------------------------------------------------------------
out="$work/out"
mkdir -p "$out"
kubectl create secret tls "$secret" --namespace "$namespace" --cert "$work/tls.crt" --key "$work/tls.key" \
  --dry-run=client -o yaml > "$out/secret-meshguard-tls.yaml"
render_webhook() { # $1: manifest file in k8s/base, $2: output file
  local names count patch i
  names="$(kubectl patch --local -f "$manifests/$1" --type=json -p '[]' \
    -o jsonpath='{range .webhooks[*]}{.name}{"\n"}{end}')"
  count="$(grep -c . <<< "$names")"
  patch="["
  for ((i = 0; i < count; i++)); do
    [[ $i -eq 0 ]] || patch+=","
    patch+="{\"op\":\"add\",\"path\":\"/webhooks/$i/clientConfig/caBundle\",\"value\":\"$ca_bundle\"}"
    patch+=",{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig/service/namespace\",\"value\":\"$namespace\"}"
  done
  patch+="]"
  kubectl patch --local -f "$manifests/$1" --type=json -p "$patch" -o yaml > "$out/$2"
}
render_webhook validating-webhook.yaml validatingwebhookconfiguration-meshguard.yaml
render_webhook mutating-webhook.yaml mutatingwebhookconfiguration-meshguard.yaml
cp "$work/ca.crt" "$out/ca.crt"

# --- self-check: what was rendered must work together ------------------------------------------------
for file in validatingwebhookconfiguration-meshguard.yaml mutatingwebhookconfiguration-meshguard.yaml; do
  for bundle in $(kubectl patch --local -f "$out/$file" --type=json -p '[]' \
      -o jsonpath='{range .webhooks[*]}{.clientConfig.caBundle}{"\n"}{end}'); do
    echo "$bundle" | base64 -d > "$work/check-ca.pem"
    openssl verify -CAfile "$work/check-ca.pem" -purpose sslserver "$work/tls.crt" >/dev/null \
      || { echo "self-check failed: the caBundle in $file does not verify the serving certificate" >&2; exit 1; }
  done
done
sans="$(openssl x509 -in "$work/tls.crt" -noout -ext subjectAltName)"
for name in "$dns1" "$dns2"; do
  grep -q "DNS:$name\(,\|$\)" <<< "$sans" \
    || { echo "self-check failed: the serving certificate lacks the SAN $name" >&2; exit 1; }
done

# --- write or apply --------------------------------------------------------------------------------
if [[ -n "$render_dir" ]]; then
  mkdir -p "$render_dir"
  cp "$out"/* "$render_dir"/
  chmod 600 "$render_dir/secret-meshguard-tls.yaml"
  echo "wrote $(cd "$render_dir" && ls | tr '\n' ' ')to $render_dir (namespace $namespace; self-check passed)"
  exit 0
fi

kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
kubectl apply -f "$out/secret-meshguard-tls.yaml"
for kind in validatingwebhookconfiguration mutatingwebhookconfiguration; do
  file="$out/$kind-meshguard.yaml"
  if kubectl get "$kind" meshguard >/dev/null 2>&1; then
    count="$(kubectl get "$kind" meshguard -o jsonpath='{range .webhooks[*]}{.name}{"\n"}{end}' | grep -c .)"
    patch="["
    for ((i = 0; i < count; i++)); do
      [[ $i -eq 0 ]] || patch+=","
      patch+="{\"op\":\"add\",\"path\":\"/webhooks/$i/clientConfig/caBundle\",\"value\":\"$ca_bundle\"}"
    done
    patch+="]"
    kubectl patch "$kind" meshguard --type=json -p "$patch"
  else
    kubectl create -f "$file"
  fi
done
echo "meshguard-tls in namespace $namespace and the caBundle of both webhook configurations are in place."
echo "Running pods pick the new certificate up within quarkus.tls.reload-period (1m) once the kubelet has synced the Secret."
