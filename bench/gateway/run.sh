#!/usr/bin/env bash
# Gateway benchmark: the same wrk load against a loopback backend directly, through nginx as a plain reverse proxy,
# and through our gateway (two header filters, lb:// resolved through a Eureka /apps document). Prints rps, p50/p99
# and the ratios. Bounded: about a minute. Needs wrk and nginx (apt-get install wrk nginx-light).
# BENCH_GATEWAY_ENV="KEY=value ..." adds environment variables to the gateway process (runtime knobs to compare).
# Each target's run also reports the CPU time the proxy and the backend spent per request (from /proc).
# BENCH_PROFILE=1 then samples the gateway under the same load with perf (apt-get install linux-perf) and prints where
# its CPU time goes by component (kernel, Kestrel, YARP, HttpClient, GC, the gateway's own code ...): profile.py.
set -euo pipefail

ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing wrk and nginx-light..." >&2
    (apt-get install -y -q wrk nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk nginx-light >/dev/null 2>&1; }) || true
  fi
fi
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench gateway: '$tool' not found; install it with: apt-get install -y wrk nginx-light" >&2
    exit 2
  fi
done

WORK="$(mktemp -d /tmp/gateway-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BACKEND_PORT=$(free_port); NGINX_PORT=$(free_port); GATEWAY_PORT=$(free_port)

# One nginx process serves the backend (a small fixed answer), the Eureka /apps document for lb://, and the
# reverse proxy under test; the proxy keeps upstream connections alive as YARP does.
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
chmod -R 777 "$WORK/nginx"
cat > "$WORK/apps.json" <<JSON
{"applications":{"versions__delta":"1","apps__hashcode":"UP_1_","application":[{"name":"BENCH-BACKEND","instance":[
{"instanceId":"bench-1","hostName":"127.0.0.1","app":"BENCH-BACKEND","ipAddr":"127.0.0.1","status":"UP",
"port":{"\$":$BACKEND_PORT,"@enabled":"true"},"securePort":{"\$":443,"@enabled":"false"},"metadata":{}}]}]}}
JSON
chmod 644 "$WORK/apps.json"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location = /eureka/apps { default_type application/json; alias $WORK/apps.json; }
    location = /eureka/apps/ { rewrite ^ /eureka/apps last; }
    location = /eureka/apps/delta { return 404; }
    location / { default_type text/plain; return 200 "hello from the backend\n"; }
  }
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

cat > "$WORK/application.yml" <<YAML
spring:
  cloud:
    gateway:
      routes:
        - id: bench
          uri: lb://bench-backend
          predicates:
            - Path=/**
          filters:
            - AddRequestHeader=X-Bench-Request, 1
            - AddResponseHeader=X-Bench-Response, 1
YAML

echo "building the gateway (Release)..." >&2
dotnet build "$ROOT/gateway/Platform.Gateway.csproj" -c Release -o "$WORK/gw" -v q -nologo >/dev/null
# The access log is one line per request; nginx's is off too, so both are measured without it.
env ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT" \
  Gateway__RoutesFile="$WORK/application.yml" \
  Gateway__Discovery__EurekaUrl="http://127.0.0.1:$BACKEND_PORT/eureka" \
  Gateway__Admin__Token="bench-$RANDOM$RANDOM" \
  Kafka__BootstrapServers="" PLATFORM_KAFKA_BOOTSTRAP="" \
  Logging__LogLevel__Default=Warning \
  "Logging__LogLevel__Platform.Gateway.AccessLog=Warning" \
  DOTNET_PerfMapEnabled="$([ -n "${BENCH_PROFILE:-}" ] && echo 1 || echo 0)" \
  DOTNET_EnableWriteXorExecute="$([ -n "${BENCH_PROFILE:-}" ] && echo 0 || echo 1)" \
  DOTNET_gcServer="${BENCH_GC_SERVER:-1}" DOTNET_gcConcurrent="${BENCH_GC_CONCURRENT:-1}" \
  ${BENCH_GATEWAY_ENV:-} \
  ReverseProxy__Routes__raw__ClusterId=raw ReverseProxy__Routes__raw__Match__Path=/yarp-only \
  ReverseProxy__Clusters__raw__Destinations__d1__Address="http://127.0.0.1:$BACKEND_PORT/" \
  dotnet "$WORK/gw/Platform.Gateway.dll" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)

wait_for() {
  for _ in $(seq 1 100); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = "200" ]; then return 0; fi
    sleep 0.2
  done
  echo "bench gateway: $1 did not answer 200; gateway log:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1
}
wait_for "http://127.0.0.1:$BACKEND_PORT/"
wait_for "http://127.0.0.1:$NGINX_PORT/"
wait_for "http://127.0.0.1:$GATEWAY_PORT/"
if [ "$(curl -s -D - -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/" | grep -ci '^x-bench-response: 1')" != "1" ]; then
  echo "bench gateway: the gateway answer lacks the AddResponseHeader filter's header" >&2; exit 1
fi

# Latency in wrk's --latency table is printed as e.g. 512.00us / 1.23ms / 1.10s; normalise to ms.
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'; }

# CPU time (user + system, clock ticks) of a process and its threads, and of nginx's workers together.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
nginx_ticks() {
  local total=0 pid
  for pid in $(pgrep -f "nginx: worker process" || true); do total=$((total + $(ticks "$pid"))); done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

declare -A RPS P50 P99 REQS CPU_NGINX CPU_GATEWAY
run() {
  local name=$1 url=$2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$url" >/dev/null 2>&1 || true   # warm-up (JIT, connection pools)
  local n0 g0; n0=$(nginx_ticks); g0=$(ticks "$GATEWAY_PID")
  local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  CPU_NGINX[$name]=$(( $(nginx_ticks) - n0 )); CPU_GATEWAY[$name]=$(( $(ticks "$GATEWAY_PID") - g0 ))
  REQS[$name]=$(echo "$out" | awk '/requests in/ {print $1}')
  RPS[$name]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  P50[$name]=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
  P99[$name]=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
}

# .NET's tiered JIT and PGO need a while under load before the code is final; without this the first target
# measured in the gateway process pays for it (gateway and plain YARP share Kestrel's and YARP's code).
echo "warming up the gateway process..." >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d8s "http://127.0.0.1:$GATEWAY_PORT/" >/dev/null 2>&1 || true
wrk -t"$THREADS" -c"$CONNECTIONS" -d4s "http://127.0.0.1:$GATEWAY_PORT/yarp-only" >/dev/null 2>&1 || true

run direct  "http://127.0.0.1:$BACKEND_PORT/"
run nginx   "http://127.0.0.1:$NGINX_PORT/"
run gateway "http://127.0.0.1:$GATEWAY_PORT/"
# The same process's plain YARP route (ReverseProxy section, no predicates or filters, static destination): what
# the gateway layer costs on top of YARP.
run yarp    "http://127.0.0.1:$GATEWAY_PORT/yarp-only"

echo
echo "gateway benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-10s %12s %10s %10s\n" target rps p50_ms p99_ms
for n in direct nginx gateway yarp; do printf "%-10s %12s %10s %10s\n" "$n" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}"; done
awk -v y="${RPS[yarp]}" -v g="${RPS[gateway]}" -v n="${RPS[nginx]}" -v d="${RPS[direct]}" -v gp="${P99[gateway]}" -v np="${P99[nginx]}" -v dp="${P99[direct]}" 'BEGIN {
  printf "gateway/nginx throughput: %.2fx\n", g / n
  printf "gateway/direct throughput: %.2fx (nginx/direct: %.2fx)\n", g / d, n / d
  printf "gateway/plain YARP throughput: %.2fx (YARP/nginx: %.2fx)\n", g / y, y / n
  printf "p99 added over direct: gateway %+.3f ms, nginx %+.3f ms\n", gp - dp, np - dp
}'

# CPU per request: nginx's workers serve both the backend and the nginx proxy, so the proxy's share is what they
# spent beyond the backend's cost per request measured in the direct run.
echo
echo "CPU per request (user + system, microseconds):"
GATEWAY_US=$(awk -v hz="$HZ" -v r="${REQS[gateway]}" -v g="${CPU_GATEWAY[gateway]}" 'BEGIN { printf "%.1f", g * 1e6 / hz / r }')
awk -v hz="$HZ" \
  -v rd="${REQS[direct]}" -v nd="${CPU_NGINX[direct]}" \
  -v rn="${REQS[nginx]}" -v nn="${CPU_NGINX[nginx]}" \
  -v rg="${REQS[gateway]}" -v ng="${CPU_NGINX[gateway]}" -v gg="${CPU_GATEWAY[gateway]}" \
  -v ry="${REQS[yarp]}" -v gy="${CPU_GATEWAY[yarp]}" 'BEGIN {
  us = 1e6 / hz; backend = nd * us / rd
  printf "  backend (nginx, direct run)       %8.1f\n", backend
  printf "  nginx reverse proxy               %8.1f\n", nn * us / rn - backend
  printf "  gateway process (gateway route)   %8.1f   (backend alongside: %.1f)\n", gg * us / rg, ng * us / rg
  printf "  gateway process (plain YARP)      %8.1f\n", gy * us / ry
}'

if [ -n "${BENCH_PROFILE:-}" ]; then
  if ! command -v perf >/dev/null; then echo "bench gateway: BENCH_PROFILE needs perf (apt-get install linux-perf)" >&2; exit 2; fi
  echo
  echo "profiling the gateway process under the same load (perf, 999 Hz, ${DURATION})..." >&2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$GATEWAY_PORT/" >/dev/null 2>&1 &
  WRK_PID=$!
  sleep 1
  perf record -F 999 -g -p "$GATEWAY_PID" -o "$WORK/perf.data" -- sleep "$(( ${DURATION%s} - 2 ))" >/dev/null 2>&1
  wait "$WRK_PID" || true
  perf script -i "$WORK/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null | tee "${BENCH_PROFILE_SAMPLES:-/dev/null}" | BENCH_US_PER_REQUEST="$GATEWAY_US" python3 "$(dirname "$0")/profile.py"
fi
