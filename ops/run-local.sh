#!/usr/bin/env bash
# `make run`: a private Redis and PostgreSQL in .run/, the schema, a development
# signing key, a demo business with a phone number, then frontdesk-api in the
# foreground until Ctrl-C. No Telnyx, Stripe or model account is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$PWD/.run
bin=$PWD/bin
demo_number=${FRONTDESK_DEMO_NUMBER:-+15550100001}

ops/services.sh stop "$state/services" 2>/dev/null || true
rm -rf "$state/services"
mkdir -p "$state"
ops/services.sh start "$state/services" >/dev/null
cleanup() { ops/services.sh stop "$state/services"; }
trap cleanup EXIT

set -a
# shellcheck disable=SC1091
. "$state/services/env"
set +a
export FRONTDESK_LISTEN=${FRONTDESK_LISTEN:-127.0.0.1:8080}

if [ ! -s "$state/dev_signing.key" ]; then
  "$bin/frontdesk-ctl" webhook keygen --force --out "$state/dev_signing.key" > "$state/dev_public.key"
fi
FRONTDESK_TELNYX_PUBLIC_KEY=$(cat "$state/dev_public.key")
export FRONTDESK_TELNYX_PUBLIC_KEY

"$bin/frontdesk-ctl" migrate
business=$("$bin/frontdesk-ctl" tenant create --name "Demo Dental" --number "$demo_number")

url="http://$FRONTDESK_LISTEN/webhooks/telnyx"
cat <<MSG

frontdesk is running locally
  api           http://$FRONTDESK_LISTEN   (/healthz /readyz /metrics)
  redis         $FRONTDESK_REDIS_URL
  postgres      $FRONTDESK_DATABASE_URL
  demo business $business  "Demo Dental"  $demo_number

Send it a signed sample webhook (an incoming call to the demo business):
  bin/frontdesk-ctl webhook send --url $url --key .run/dev_signing.key --type call.initiated --to $demo_number
See what is queued:
  FRONTDESK_REDIS_URL=$FRONTDESK_REDIS_URL FRONTDESK_DATABASE_URL=$FRONTDESK_DATABASE_URL bin/frontdesk-ctl status

Ctrl-C stops everything.
MSG
# Not exec: the trap must stop Redis and PostgreSQL once the api has drained.
"$bin/frontdesk-api" || true
