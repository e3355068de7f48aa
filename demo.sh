#!/usr/bin/env bash
# Faultline demo: starts the sample payment and order services on 127.0.0.1, sends a
# steady trickle of orders, hangs payment for a while (it accepts connections and answers
# nothing, through its fault endpoint), releases it, and prints second by second what a
# person wants to see: orders accepted and their status, payment's phi, the payment
# circuit, delivery still answering, and the recovery catching up.
# Stops everything it started on exit or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

ORDER_PORT="${ORDER_PORT:-8080}"
PAYMENT_PORT="${PAYMENT_PORT:-8081}"
PAYMENT_MANAGEMENT_PORT="${PAYMENT_MANAGEMENT_PORT:-9081}"
HEALTHY_SECONDS="${HEALTHY_SECONDS:-8}"
HANG_SECONDS="${HANG_SECONDS:-12}"
RECOVERY_SECONDS="${RECOVERY_SECONDS:-14}"
DEMO=.demo
TOKEN="demo-$RANDOM$RANDOM"
# BOOT=4 runs the order service built on Spring Boot 4 (the same sources, the Boot 4 starter).
BOOT="${BOOT:-3}"
case "$BOOT" in
	3) ORDER_MODULE=sample-order-service ORDER_JAR=sample-order-service/target/sample-order-service-0.1.0-SNAPSHOT.jar ;;
	4) ORDER_MODULE=boot4/sample-order-service ORDER_JAR=boot4/sample-order-service/target/sample-order-service-boot4-0.1.0-SNAPSHOT.jar ;;
	*) echo "demo: BOOT must be 3 or 4 (was $BOOT)" >&2; exit 1 ;;
esac

for tool in java curl; do
	command -v "$tool" >/dev/null || { echo "demo: '$tool' is needed on the PATH" >&2; exit 1; }
done
for port in "$ORDER_PORT" "$PAYMENT_PORT" "$PAYMENT_MANAGEMENT_PORT"; do
	if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
		echo "demo: port $port on 127.0.0.1 is taken; set ORDER_PORT, PAYMENT_PORT or PAYMENT_MANAGEMENT_PORT" >&2
		exit 1
	fi
done

echo "Building the samples (the first run downloads Maven and the dependencies)..."
./mvnw -q -B -DskipTests -pl "sample-payment-service,$ORDER_MODULE" -am package

rm -rf "$DEMO"
mkdir -p "$DEMO/data"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -jar sample-payment-service/target/sample-payment-service-0.1.0-SNAPSHOT.jar \
	--server.port="$PAYMENT_PORT" --management.server.port="$PAYMENT_MANAGEMENT_PORT" \
	--payment.data-dir="$PWD/$DEMO/data/payment" --payment.faults.token="$TOKEN" >"$DEMO/payment.log" 2>&1 &
pids+=("$!")
java -jar "$ORDER_JAR" \
	--server.port="$ORDER_PORT" --orders.data-dir="$PWD/$DEMO/data/order" \
	--faultline.peers.payment-service.instances[0]="http://127.0.0.1:$PAYMENT_PORT" >"$DEMO/order.log" 2>&1 &
pids+=("$!")

order="http://127.0.0.1:$ORDER_PORT"
faults="http://127.0.0.1:$PAYMENT_MANAGEMENT_PORT/actuator/faults"
echo "Waiting for both services (logs in $DEMO/)..."
for _ in $(seq 1 240); do
	curl -sf --max-time 1 "$order/actuator/health/peers/payment-service" 2>/dev/null | grep -q '"status":"UP"' && break
	sleep 0.5
done
curl -sf --max-time 1 "$order/actuator/health/peers/payment-service" | grep -q '"status":"UP"' \
	|| { echo "demo: the services did not start; see $DEMO/*.log" >&2; exit 1; }

fault() {
	curl -s -o /dev/null --max-time 2 -X POST -H "X-Fault-Token: $TOKEN" -H 'Content-Type: application/json' \
		-d "$1" "$faults"
}

# An order every half second from one of sixteen customers, whatever the answers: each line is
# "code seconds".
: >"$DEMO/orders.log"
(
	while true; do
		curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' -X POST "$order/orders" \
			-H 'Content-Type: application/json' \
			-d "{\"customer\":\"customer-$((RANDOM % 16))\",\"amount\":42.50,\"currency\":\"EUR\",\"postcode\":\"1011 AB\"}" >>"$DEMO/orders.log" &
		sleep 0.5
	done
) &
pids+=("$!")

count() {
	curl -s --max-time 1 "$order/orders?status=$1" | grep -o '"id"' | wc -l | tr -d ' '
}
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2" | head -1 | tr -d '"'; }

show() {
	local peer faultline circuit slots sent ok bad slowest
	peer=$(curl -s --max-time 1 "$order/actuator/health/peers/payment-service" || true)
	faultline=$(curl -s --max-time 1 "$order/actuator/faultline" || true)
	circuit=$(sed -n 's/.*"payment":{[^{}]*"pool":{[^}]*},"concurrencyLimit":\(null\|{[^}]*}\),"circuitBreaker":{"state":"\([A-Z_]*\)".*/\2/p' <<<"$faultline")
	slots=$(curl -s -o /dev/null --max-time 5 -w '%{time_total}' "$order/delivery/slots?postcode=1011" || echo "-")
	sent=$(wc -l <"$DEMO/orders.log" | tr -d ' ')
	ok=$(grep -c '^201 ' "$DEMO/orders.log" || true)
	bad=$(grep -c '^5' "$DEMO/orders.log" || true)
	slowest=$(awk '{ if ($2 > m) m = $2 } END { printf "%.2f", m }' "$DEMO/orders.log")
	printf '%4ss %-9s | orders %3s sent %3s accepted %s 5xx, slowest %5ss | pending %3s scheduled %3s | payment %-9s phi %8s circuit %-9s | delivery %5ss\n' \
		"$1" "$2" "$sent" "$ok" "$bad" "$slowest" "$(count PAYMENT_PENDING)" "$(count DELIVERY_SCHEDULED)" \
		"$(field status "$peer")" "$(field phi "$peer")" "${circuit:--}" "$slots"
}

echo
echo "Watch it live in a browser: $order/actuator/faultlinedashboard"
echo
t=0
for _ in $(seq 1 "$HEALTHY_SECONDS"); do show $((t++)) healthy; sleep 1; done
fault '{"hang":true}'
echo "------ payment hangs: it accepts connections and answers nothing ------"
for _ in $(seq 1 "$HANG_SECONDS"); do show $((t++)) hung; sleep 1; done
fault '{"hang":false}'
echo "------ payment released ------"
for _ in $(seq 1 "$RECOVERY_SECONDS"); do show $((t++)) recovered; sleep 1; done

kill "${pids[2]}" 2>/dev/null || true
echo "------ no more orders; waiting for the recovery to finish ------"
for _ in $(seq 1 30); do
	[ "$(count PAYMENT_PENDING)" = "0" ] && [ "$(count DELIVERY_DEFERRED)" = "0" ] && break
	show $((t++)) catch-up
	sleep 1
done
sleep 1
accepted=$(grep -c '^201 ' "$DEMO/orders.log" || true)
payments=$(curl -s --max-time 2 "http://127.0.0.1:$PAYMENT_PORT/payments/count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
echo
echo "Orders accepted: $accepted, answered 5xx: $(grep -c '^5' "$DEMO/orders.log" || true)," \
	"still waiting for payment: $(count PAYMENT_PENDING), payments made: ${payments:-?}."
echo "From the order service's log:"
grep -E "suspected|available again|Opened the circuit|half-open|Recovery charged" "$DEMO/order.log" \
	| sed 's/^.*\] [^ ]* *: //' | head -20 || true
