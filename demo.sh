#!/usr/bin/env bash
# Faultline demo: starts the payment and order samples on 127.0.0.1, hangs payment
# (SIGSTOP: it keeps its sockets and answers nothing, like a long GC pause), releases
# it, and prints second by second what the order service sees of its payment peer.
# Stops everything it started on exit or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

ORDER_PORT="${ORDER_PORT:-8080}"
PAYMENT_PORT="${PAYMENT_PORT:-8081}"
HEALTHY_SECONDS="${HEALTHY_SECONDS:-8}"
HANG_SECONDS="${HANG_SECONDS:-10}"
RECOVERY_SECONDS="${RECOVERY_SECONDS:-8}"
LOGS=.demo
mkdir -p "$LOGS"

for tool in java curl; do
	command -v "$tool" >/dev/null || { echo "demo: '$tool' is needed on the PATH" >&2; exit 1; }
done

echo "Building the samples (first run downloads Maven and dependencies)..."
./mvnw -q -B -DskipTests -pl sample-payment-service,sample-order-service -am package

pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill -CONT "$pid" 2>/dev/null || true
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -jar sample-payment-service/target/sample-payment-service-*.jar \
	--server.port="$PAYMENT_PORT" >"$LOGS/payment.log" 2>&1 &
payment_pid=$!
pids+=("$payment_pid")
java -jar sample-order-service/target/sample-order-service-*.jar \
	--server.port="$ORDER_PORT" \
	--faultline.peers.payment-service.instances[0]="http://127.0.0.1:$PAYMENT_PORT" >"$LOGS/order.log" 2>&1 &
pids+=("$!")

peer_url="http://127.0.0.1:$ORDER_PORT/actuator/health/peers/payment-service"
echo "Waiting for both services (logs in $LOGS/)..."
for _ in $(seq 1 120); do
	curl -sf "$peer_url" 2>/dev/null | grep -q '"status":"UP"' && break
	sleep 0.5
done

field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2" | tr -d '"'; }

show() {
	local body
	body=$(curl -s --max-time 1 "$peer_url" || true)
	printf '%5ss  %-10s  payment-service %-9s  phi %8s  silent %6s ms  heartbeats %s\n' \
		"$1" "$2" "$(field status "$body")" "$(field phi "$body")" "$(field sinceLastHeartbeatMs "$body")" \
		"$(field active "$body")"
}

echo
echo "  time  phase       what order-service sees of payment (threshold 8)"
t=0
for _ in $(seq 1 "$HEALTHY_SECONDS"); do show $((t++)) healthy; sleep 1; done
kill -STOP "$payment_pid"
echo "------ payment hangs (SIGSTOP) ------"
for _ in $(seq 1 "$HANG_SECONDS"); do show $((t++)) hung; sleep 1; done
kill -CONT "$payment_pid"
echo "------ payment released (SIGCONT) ------"
for _ in $(seq 1 "$RECOVERY_SECONDS"); do show $((t++)) recovered; sleep 1; done
echo
echo "Order service log lines about the peer:"
grep -E "suspected|available again" "$LOGS/order.log" | sed 's/^.*\] //' || true
