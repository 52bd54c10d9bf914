#!/usr/bin/env bash
# meshguard load harness: see bench/README.md. Not part of CI.
#
#   bench/run.sh [--sizes "1000 10000 100000"] [--duration 10] [--rounds 3] [--rate 1000] [--paced-duration 30]
#                [--connections 16] [--threads 2] [--ready-runs 5] [--jvm-opts "..."] [--out target/bench-results]
#                [--no-appcds]
#
# For each N: generates N entries (deterministic, seed 1) and 1,000 review bodies, starts meshguard standalone
# with the entries preloaded, then IN THE SAME SERVER alternates wrk runs against POST /validate and the
# bench-only POST /bench/echo (ratio = validate/echo, per round, median reported), then drives /validate at a
# paced ~RATE reviews/s and reports p50/p99. Also: RSS after preload and after the load, and the time from
# `java` start to /q/health/ready with an empty index (median of --ready-runs starts).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sizes="1000 10000 100000"
duration=10
rounds=3
rate=1000
paced_duration=30
paced_rounds=3
connections=16
threads=2
ready_runs=5
out="$root/target/bench-results"
# JVM flags: the image's and the Deployment's (JvmFlagsTest), justified in BENCHMARKS.md. Override with --jvm-opts or
# MESHGUARD_JVM_OPTS.
jvm_opts=${MESHGUARD_JVM_OPTS:-"-XX:+UseSerialGC -Xmx144m -Xmn24m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Dkeystore.pkcs12.keyPbeIterationCount=1 -Djdk.tls.server.cipherSuites=TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}
# glibc keeps one malloc arena per core otherwise: tens of MiB of RSS that the JVM does not use.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
paced_connections=20
appcds=1

while (($#)); do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --paced-duration) paced_duration=$2; shift 2 ;;
    --paced-rounds) paced_rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --ready-runs) ready_runs=$2; shift 2 ;;
    --jvm-opts) jvm_opts=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-appcds) appcds=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in java mvn wrk curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (Debian: apt-get install -y wrk curl openssl python3; JDK 17, Maven)" >&2; exit 1; }
done

mkdir -p "$out"
log="$out/run.log"
: >"$log"
say() { echo "$*" | tee -a "$log"; }
port=${MESHGUARD_BENCH_PORT:-8543}
base="https://localhost:$port"
jar="$root/target/bench/quarkus-app/quarkus-run.jar"

say "== meshguard bench $(date -u +%FT%TZ) on $(nproc) cores, $(uname -r); java: $(java -version 2>&1 | head -1)"
say "== load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
# The machine's load during the run: the 1-minute load average every 5 s, summarised per N in the table.
loadlog="$out/loadavg.tsv"
: >"$loadlog"
( while sleep 5; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)" >>"$loadlog"; done ) &
sampler_pid=$!
load_between() { # $1 $2: epoch seconds; prints "mean/max" of the 1-minute load average between them
  awk -v a="$1" -v b="$2" '$1>=a && $1<=b {s+=$2; n++; if ($2>m) m=$2} END {if (n) printf "%.1f/%.1f", s/n, m; else print "-"}' "$loadlog"
}
say "== JVM flags: $jvm_opts (MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX)"
certs/dev-cert.sh >/dev/null
say "== building with -Pbench (the /bench/echo ceiling endpoint is in this build only)"
mvn -B -q -Pbench package -DskipTests >>"$log" 2>&1

server_pid=""
cds_opts=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; kill "$sampler_pid" 2>/dev/null || true' EXIT

# Starts meshguard in the background; sets server_pid, and ready_ms to the milliseconds from launch to ready.
start_server() { # $1: preload dir or "", $2: server log
  local preload=$1 slog=$2 extra=()
  [[ -n "$preload" ]] && extra=(-Dmeshguard.standalone.preload-dir="$preload")
  if curl -sk -o /dev/null "$base/"; then
    echo "something already listens on port $port; set MESHGUARD_BENCH_PORT" >&2; exit 1
  fi
  local t0; t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java $jvm_opts $cds_opts -Dquarkus.http.ssl-port="$port" -Dmeshguard.mode=standalone "${extra[@]}" -jar "$jar" >"$slog" 2>&1 &
  server_pid=$!
  until curl -sfk -o /dev/null "$base/q/health/ready"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$slog" >&2; echo "meshguard exited" >&2; exit 1; }
    sleep 0.01
  done
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

cpu_ticks() { awk '{print $14+$15}' "/proc/$server_pid/stat"; }
clk_tck=$(getconf CLK_TCK)

rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status"; }

median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.3f}")' "$@"; }

field() { sed -n "s/.*RESULT.* $1=\([^ ]*\).*/\1/p" | tail -1; }

run_wrk() { # $1 path, $2 seconds, $3 connections, $4 threads, [$5 pace ms]; prints the RESULT line
  PACE_MS=${5:-0} BODIES="$bodies" wrk -t"$4" -c"$3" -d"$2"s --latency -s bench/reviews.lua "$base" -- "$1" 2>&1 \
    | tee -a "$log" | grep '^RESULT'
}

# --- AppCDS: one training start writes a class-data archive for these exact flags; every start then maps it ---
if ((appcds)); then
  jsa="$out/meshguard.jsa"
  rm -f "$jsa"
  cds_opts="-XX:ArchiveClassesAtExit=$jsa"
  start_server "" "$out/appcds-training.log"
  curl -sk -H 'Content-Type: application/json' --data @src/test/resources/reviews/seed001-github-create.json \
    "$base/validate" >/dev/null
  stop_server
  if [[ -s "$jsa" ]]; then
    cds_opts="-XX:SharedArchiveFile=$jsa"
    say "== AppCDS archive: $jsa ($(du -h "$jsa" | cut -f1)); starts use $cds_opts"
  else
    cds_opts=""
    say "== AppCDS archive not written; starting without it"
  fi
fi

# --- ready time, empty index ---------------------------------------------------------------------------
say "== ready time with an empty index ($ready_runs starts)"
ready_times=()
for r in $(seq 1 "$ready_runs"); do
  start_server "" "$out/ready-$r.log"
  ready_times+=("$ready_ms")
  say "   start $r: ready after $ready_ms ms ($(grep -o 'started in [0-9.]*s' "$out/ready-$r.log" || true)); RSS $(rss_mib) MiB"
  stop_server
done
ready_median=$(median "${ready_times[@]}")
say "   median: $ready_median ms"

summary="$out/summary.tsv"
printf 'N\tvalidate_rps\techo_rps\tratio\tratio_rounds\techo_cpu_us\tvalidate_cpu_us\tp50_ms\tp99_ms\tpaced_rps\trss_preload_mib\trss_after_mib\tpreload_ms\tready_ms\tnon2xx\tload_mean_max\n' >"$summary"
ratio_line=""
# The generated data is reused between runs while the generator is unchanged.
stamp=$(cat src/test/java/io/meshguard/load/SyntheticCluster.java src/test/java/io/meshguard/load/GenerateEntries.java | sha1sum | cut -c1-12)

for n in $sizes; do
  data="$out/data-$n"
  bodies="$data/reviews"
  say "== N=$n: generating entries and reviews"
  if [[ ! -f "$data/reviews/index.txt" || "$(cat "$data/generator" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$data"
    mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.meshguard.load.GenerateEntries \
      -Dexec.args="$n $data/entries --seed 1 --reviews 1000 $data/reviews" 2>&1 | tee -a "$log"
    echo "$stamp" >"$data/generator"
  fi
  n_started=$(date +%s)

  slog="$out/server-$n.log"
  start_server "$data/entries" "$slog"
  preload_line=$(grep -o 'preloaded .*' "$slog" | head -1 || true)
  rss_preload=$(rss_mib)
  say "   ready after $ready_ms ms; $preload_line; RSS $rss_preload MiB"

  # The mix must decide as labelled before it is worth timing.
  wrong=0
  for f in $(head -40 "$bodies/index.txt"); do
    answer=$(curl -sk -H 'Content-Type: application/json' --data-binary @"$bodies/$f" "$base/validate")
    case "$f" in
      *-denied.json) grep -q '"allowed":false' <<<"$answer" || wrong=$((wrong+1)) ;;
      *-warned.json) grep -q '"warnings"' <<<"$answer" && grep -q '"allowed":true' <<<"$answer" || wrong=$((wrong+1)) ;;
      *) grep -q '"allowed":true' <<<"$answer" || wrong=$((wrong+1)) ;;
    esac
  done
  ((wrong == 0)) || { say "   $wrong of the first 40 reviews were not answered as labelled; see $slog"; exit 1; }
  say "   the first 40 reviews decide as labelled"

  say "   warm-up: 2 x ${duration}s on each endpoint"
  for _ in 1 2; do
    run_wrk /bench/echo "$duration" "$connections" "$threads" >/dev/null
    run_wrk /validate "$duration" "$connections" "$threads" >/dev/null
  done

  v_rps=(); e_rps=(); ratios=(); e_cpu=(); v_cpu=(); non2xx=0
  for r in $(seq 1 "$rounds"); do
    c0=$(cpu_ticks); e=$(run_wrk /bench/echo "$duration" "$connections" "$threads"); c1=$(cpu_ticks)
    v=$(run_wrk /validate "$duration" "$connections" "$threads"); c2=$(cpu_ticks)
    er=$(field rps <<<"$e"); vr=$(field rps <<<"$v")
    # Server CPU per request: less sensitive than throughput to whatever else runs on the machine.
    ecpu=$(python3 -c "print(f'{($c1-$c0)*1e6/$clk_tck/max(1, $(field requests <<<"$e")):.0f}')")
    vcpu=$(python3 -c "print(f'{($c2-$c1)*1e6/$clk_tck/max(1, $(field requests <<<"$v")):.0f}')")
    e_cpu+=("$ecpu"); v_cpu+=("$vcpu")
    non2xx=$((non2xx + $(field non2xx <<<"$v") + $(field socket_errors <<<"$v")))
    e_rps+=("$er"); v_rps+=("$vr")
    ratios+=("$(python3 -c "print(f'{$vr/$er if $er > 0 else 0:.3f}')")")
    say "   round $r: echo $er/s ($ecpu us CPU/req), validate $vr/s ($vcpu us CPU/req), ratio ${ratios[-1]}"
  done

  # Calibrate: rate = connections / (pace + effective latency); measure that latency at the nominal pace first.
  pace=$(python3 -c "print($paced_connections*1000/$rate)")
  cal=$(run_wrk /validate 5 "$paced_connections" 1 "$pace")
  pace=$(python3 -c "r=$(field rps <<<"$cal"); lat=$paced_connections*1000/r-$pace if r > 0 else 0; print(max(0.5, $paced_connections*1000/$rate-lat))")
  say "   paced: $paced_connections connections, ${pace} ms between a response and the next request"
  p50s=(); p99s=(); prates=()
  for r in $(seq 1 "$paced_rounds"); do
    p=$(run_wrk /validate "$paced_duration" "$paced_connections" 1 "$pace")
    p50s+=("$(field p50_ms <<<"$p")"); p99s+=("$(field p99_ms <<<"$p")"); prates+=("$(field rps <<<"$p")")
    non2xx=$((non2xx + $(field non2xx <<<"$p") + $(field socket_errors <<<"$p")))
    say "   paced $r: $(field rps <<<"$p")/s p50 $(field p50_ms <<<"$p") ms p99 $(field p99_ms <<<"$p") ms max $(field max_ms <<<"$p") ms"
  done
  rss_after=$(rss_mib)
  stop_server

  load=$(load_between "$n_started" "$(date +%s)")
  row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$n" "$(median "${v_rps[@]}")" \
    "$(median "${e_rps[@]}")" "$(median "${ratios[@]}")" "$(IFS=,; echo "${ratios[*]}")" "$(median "${e_cpu[@]}")" \
    "$(median "${v_cpu[@]}")" "$(median "${p50s[@]}")" \
    "$(median "${p99s[@]}")" "$(median "${prates[@]}")" "$rss_preload" "$rss_after" \
    "$(grep -o '[0-9]* ms)' <<<"$preload_line" | tr -dc 0-9 || true)" "$ready_ms" "$non2xx" "$load")
  echo "$row" >>"$summary"
  say "   N=$n: $row"
  ratio_line+=" N=$n $(median "${ratios[@]}") ($(IFS=,; echo "${ratios[*]}"));"
done

say "== summary (medians; ready_ms in the rows is with the preload; empty-index ready: $ready_median ms)"
column -t -s $'\t' "$summary" | tee -a "$log"
say "== validate/echo ratio, median of $rounds rounds:${ratio_line%;}"
say "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); during the run (1-minute, mean/max): $(load_between 0 "$(date +%s)")"
