#!/usr/bin/env bash
# Follows the README's quick start locally: starts meshguard standalone with the README's run
# command, posts the seed 001 pair with the README's curl lines, and checks one allow then a denial
# that names the first entry as the winner.
set -euo pipefail
cd "$(dirname "$0")/../../.."
log=$(mktemp)
certs/dev-cert.sh
mvn -B -q package -DskipTests
java -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  curl -sfk https://localhost:8443/q/health/ready >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "meshguard exited"; exit 1; }
  sleep 0.5
done

post() {
  curl -sk -H 'Content-Type: application/json' --data @"src/test/resources/reviews/$1.json" https://localhost:8443/validate
}
first=$(post seed001-hwcloud-create)
second=$(post seed001-github-create)
echo "hwcloud: $first"
echo "github:  $second"
grep -q '"allowed":true' <<<"$first" || { echo "FAIL: hwcloud was not allowed"; exit 1; }
grep -q '"warnings":\["spec.ports\[0\]: IST0134 ServiceEntryAddressesRequired' <<<"$first" || { echo "FAIL: hwcloud got no IST0134 warning"; exit 1; }
grep -q '"allowed":false' <<<"$second" || { echo "FAIL: github was not denied"; exit 1; }
grep -q "ns2/hwcloud's host www.huaweicloud.com keeps the listener" <<<"$second" || { echo "FAIL: the denial does not name hwcloud as the winner"; exit 1; }

# docs/companions.md: the seed 000 entry posted to /mutate records its SNI VirtualService ...
mutated=$(curl -sk -H 'Content-Type: application/json' \
  --data @src/test/resources/reviews/mutate/seed000-codecommit-create.json https://localhost:8443/mutate)
echo "codecommit /mutate: $mutated"
patch=$(sed -E 's/.*"patch":"([^"]*)".*/\1/' <<<"$mutated" | base64 -d)
grep -q 'VirtualService/external-svc-codecommit-sni' <<<"$patch" || { echo "FAIL: /mutate did not record the plan"; exit 1; }
# ... and the documented offline command prints the companions.
plan=$(bin/meshguard plan src/test/resources/plan/entries.yaml)
grep -q '^  name: external-svc-codecommit-sni$' <<<"$plan" || { echo "FAIL: meshguard plan printed no SNI VirtualService"; exit 1; }
echo "quick start OK"
