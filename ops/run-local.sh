#!/usr/bin/env bash
# `make run`: a private Redis and PostgreSQL in .run/, the schema, a development
# signing key, a demo business with a phone number and an owner's login; then
# frontdesk-api, two frontdesk-workers, frontdesk-web (the owner API and dashboard) and the Telnyx
# simulator, which plays one demo call to the demo business and prints the
# conversation as it happens. Runs until Ctrl-C. No Telnyx, Stripe or model account is
# needed. Logs of the services are in .run/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$PWD/.run
bin=$PWD/bin
demo_number=${FRONTDESK_DEMO_NUMBER:-+15550100001}

ops/services.sh stop "$state/services" 2>/dev/null || true
rm -rf "$state/services" "$state/logs"
mkdir -p "$state/logs"
ops/services.sh start "$state/services" >/dev/null
pids=()
names=()
logs=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ops/services.sh stop "$state/services"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# Starts one part in the background, its stderr in its log.
start_part() {
  local name=$1 log=$2
  shift 2
  "$@" 2> "$log" &
  pids+=($!)
  names+=("$name")
  logs+=("$log")
}

# Every part runs until Ctrl-C: the first one that ends is named with its status and the
# end of its log, and everything stops.
watch_parts() {
  local i rc
  while true; do
    wait -n "${pids[@]}" || true
    for i in "${!pids[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null && continue
      rc=0
      wait "${pids[$i]}" 2>/dev/null || rc=$?
      echo >&2
      echo "make run: ${names[$i]} stopped (exit status $rc); the end of ${logs[$i]#"$PWD"/}:" >&2
      tail -n 20 "${logs[$i]}" | sed 's/^/  /' >&2
      exit 1
    done
  done
}

set -a
# shellcheck disable=SC1091
. "$state/services/env"
set +a
export FRONTDESK_LISTEN=${FRONTDESK_LISTEN:-127.0.0.1:8080}
export FRONTDESK_WEB_LISTEN=${FRONTDESK_WEB_LISTEN:-127.0.0.1:8081}
sim_listen=${FRONTDESK_SIM_LISTEN:-127.0.0.1:8090}
export FRONTDESK_TELNYX_API_URL=http://$sim_listen/v2
export FRONTDESK_TELNYX_API_KEY=local-simulator
# The workers buy the numbers businesses ask for from the simulator, with these ids.
export FRONTDESK_TELNYX_CONNECTION_ID=${FRONTDESK_TELNYX_CONNECTION_ID:-sim-connection}
export FRONTDESK_TELNYX_MESSAGING_PROFILE_ID=${FRONTDESK_TELNYX_MESSAGING_PROFILE_ID:-sim-messaging-profile}

if [ ! -s "$state/dev_signing.key" ] || [ ! -s "$state/dev_public.key" ]; then
  "$bin/frontdesk-ctl" webhook keygen --force --out "$state/dev_signing.key" > "$state/dev_public.key"
fi
FRONTDESK_TELNYX_PUBLIC_KEY=$(cat "$state/dev_public.key")
export FRONTDESK_TELNYX_PUBLIC_KEY

"$bin/frontdesk-ctl" migrate
business=$("$bin/frontdesk-ctl" tenant create --name "Bright Smile Dental" --number "$demo_number")
"$bin/frontdesk-ctl" agent set --business "$business" --file docs/examples/dental-clinic.json 2>/dev/null
# The demo owner's login: a new password each run (the database is new each run too).
demo_email=${FRONTDESK_DEMO_EMAIL:-owner@brightsmile.example}
demo_password_file=$state/demo-owner-password
head -c 12 /dev/urandom | base64 | tr '+/' '-_' > "$demo_password_file"
"$bin/frontdesk-ctl" user create --business "$business" --email "$demo_email" \
  --password-file "$demo_password_file" > /dev/null
demo_password=$(cat "$demo_password_file")
# The receptionist's clock for the demo: next Tuesday, mid-morning in New York, so the
# clinic is open and "tomorrow at 10" can be booked whatever the real time is.
export FRONTDESK_NOW=${FRONTDESK_NOW:-$(date -u -d "next tuesday 15:00" +%Y-%m-%dT%H:%M:%SZ)}
demo_script='[{"say":"Hi, how much is a cleaning?"},{"say":"Great, can I book one tomorrow at 10 in the morning?"},{"say":"Jane Doe"},{"say":"yes please"},{"say":"no, that is all, thanks, bye"}]'

start_part frontdesk-api "$state/logs/api.log" "$bin/frontdesk-api"
start_part frontdesk-web "$state/logs/web.log" "$bin/frontdesk-web"
for n in 1 2; do
  start_part "frontdesk-worker $n" "$state/logs/worker-$n.log" \
    env FRONTDESK_WORKER_ID=worker-$n FRONTDESK_WORKER_LISTEN=127.0.0.1:$((9090 + n)) "$bin/frontdesk-worker"
done

url="http://$FRONTDESK_LISTEN/webhooks/telnyx"
cat <<MSG

frontdesk is running locally
  api            http://$FRONTDESK_LISTEN   (/healthz /readyz /metrics)
  dashboard      http://$FRONTDESK_WEB_LISTEN/   (open it in a browser; log in as the demo owner)
  web            http://$FRONTDESK_WEB_LISTEN   (the owner API: /api/v1/...)
  demo login     $demo_email  password $demo_password
  workers        http://127.0.0.1:9091/metrics  http://127.0.0.1:9092/metrics
  telnyx (sim)   http://$sim_listen/v2
  redis          $FRONTDESK_REDIS_URL
  postgres       $FRONTDESK_DATABASE_URL
  demo business  $business  "Bright Smile Dental"  $demo_number
  its clock      $FRONTDESK_NOW (FRONTDESK_NOW)
  logs           .run/logs/

Another call to the demo business (the simulator plays the caller):
  curl -s -XPOST http://$sim_listen/_sim/calls -d '{"to":"$demo_number","from":"+15550199999","script":[{"say":"What are your hours?"},{"say":"Thanks, bye"}]}'
A signed sample webhook straight to the api:
  bin/frontdesk-ctl webhook send --url $url --key .run/dev_signing.key --type call.initiated --to $demo_number
Log in to the owner API as the demo owner, then ask who you are:
  curl -s -XPOST http://$FRONTDESK_WEB_LISTEN/api/v1/login -H 'Content-Type: application/json' -d '{"email":"$demo_email","password":"$demo_password"}'
  curl -s http://$FRONTDESK_WEB_LISTEN/api/v1/me -H 'Authorization: Bearer TOKEN'
The demo's booking, and every booking of the business:
  FRONTDESK_DATABASE_URL=$FRONTDESK_DATABASE_URL bin/frontdesk-ctl bookings --business $business
What is queued, per tenant:
  FRONTDESK_REDIS_URL=$FRONTDESK_REDIS_URL FRONTDESK_DATABASE_URL=$FRONTDESK_DATABASE_URL bin/frontdesk-ctl status

The demo call (Ctrl-C stops everything):
MSG
start_part "the Telnyx simulator" "$state/logs/telnyx-sim.log" \
  /usr/bin/python3 tests/sim/telnyx_sim.py --listen "$sim_listen" --webhook-url "$url" \
  --key "$state/dev_signing.key" --print-transcript --call-to "$demo_number" --call-from +15550199999 \
  --script "$demo_script"
watch_parts
