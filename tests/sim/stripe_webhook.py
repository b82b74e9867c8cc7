"""Signed Stripe webhooks for the fake Stripe: the `Stripe-Signature` header as Stripe
computes it (lowercase hex HMAC-SHA256 keyed with the endpoint's `whsec_...` secret over
"<t>.<raw body>", header `t=<t>,v1=<hex>`), and the ways a test asks it to be wrong,
then one POST to the endpoint. Source: stripe-go `webhook/client.go` (ComputeSignature,
DefaultTolerance 300 s) as summarised in tests/schemas/stripe/README.md."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

SIGNATURE_MODES = ("good", "bad", "stale", "tampered", "rolled")
STALE_S = 600           # twice the 300 s a verifier tolerates
WRONG_SECRET = "whsec_not_the_endpoint_secret"
OLD_SECRET = "whsec_rolled_away_secret"


def signature(secret, t, body):
    """The v1 signature of body (bytes) at unix time t."""
    return hmac.new(secret.encode(), b"%d." % t + body, hashlib.sha256).hexdigest()


def signed_delivery(secret, event, mode, now=None):
    """(body bytes, Stripe-Signature value) for event, signed as mode says:
    good; bad (signed with another secret); stale (t ten minutes old); tampered (the
    body changed after signing); rolled (two v1, the first from an old secret)."""
    if mode not in SIGNATURE_MODES:
        raise ValueError("signature must be one of %s" % ", ".join(SIGNATURE_MODES))
    t = int(time.time() if now is None else now)
    body = json.dumps(event, indent=2).encode()  # Stripe sends pretty-printed JSON
    if mode == "stale":
        t -= STALE_S
    key = WRONG_SECRET if mode == "bad" else secret
    header = "t=%d,v1=%s" % (t, signature(key, t, body))
    if mode == "rolled":
        header = "t=%d,v1=%s,v1=%s" % (t, signature(OLD_SECRET, t, body), signature(secret, t, body))
    if mode == "tampered":
        changed = dict(event, pending_webhooks=event.get("pending_webhooks", 1) + 1)
        body = json.dumps(changed, indent=2).encode()
    return body, header


def post(url, body, header, timeout_s=10):
    """POSTs one delivery; the endpoint's HTTP status, or 0 when it could not be reached
    (with the reason)."""
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": header,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as r:
            r.read()
            return r.status, None
    except urllib.error.HTTPError as err:
        err.read()
        return err.code, None
    except (urllib.error.URLError, OSError) as err:
        return 0, str(err)
