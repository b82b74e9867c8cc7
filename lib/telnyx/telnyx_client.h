/* lib/telnyx/telnyx_client.h: the Telnyx Call Control, messaging and phone-number requests the
 * worker sends (docs/telnyx.md §1, §4, §5, §6, §7), on the asynchronous http_client.
 *
 * Every request carries `Authorization: Bearer <key>` and JSON, has a connect and a
 * total deadline, and on 5xx, 429, a timeout or a transport error is sent again, the
 * same body byte for byte (so the same command_id), after a jittered backoff on a
 * libevent timer: at most max_retries more times. With the defaults the last retry
 * leaves within ~20 s of the first attempt, well inside the 60 s in which Telnyx drops
 * a repeated command_id on the same call, so a retry of a command that did arrive is
 * harmless. Other 4xx are final: the request itself is wrong, retrying cannot help.
 *
 * Message sends have no command_id and Telnyx has no idempotency key for them: a retry
 * after a timeout may send the text twice, and nothing at Telnyx stops a replayed event
 * from sending it again. The caller must send a message only once per committed
 * record (e.g. from an outbox entry it deletes on completion) and accept that a timeout
 * retry can, rarely, duplicate it.
 *
 * A number order is the same kind of request, and costs money: it is sent once and never
 * retried here, so its caller knows each order it sent (see telnyx_client_order_number). */
#ifndef FD_TELNYX_CLIENT_H
#define FD_TELNYX_CLIENT_H
#include <stdbool.h>
#include <stddef.h>

#define TELNYX_DEFAULT_API_URL "https://api.telnyx.com/v2"

struct event_base;
struct telnyx_number_search;
struct telnyx_number_order_spec;
struct evbuffer;
struct http_client;
struct telnyx_client;

enum telnyx_outcome {
    TELNYX_OK = 0,          /* 2xx */
    TELNYX_CALL_ENDED,      /* 422 with errors[].code "90018": the call hung up first; not an error */
    TELNYX_REJECTED,        /* another 4xx (or arguments we could not send): never retried */
    TELNYX_FAILED,          /* 5xx, 429, timeout or transport error after every retry; or shut down */
};

/* "ok", "call_ended", "rejected", "failed". */
const char *telnyx_outcome_name(enum telnyx_outcome outcome);

/* The end of one request. Strings are borrowed, valid only during the callback. */
struct telnyx_result {
    enum telnyx_outcome outcome;
    long status;                /* HTTP status of the last attempt; 0 if none came back */
    int attempts;               /* HTTP attempts made; 0 if the request was never sent */
    const char *error_code;     /* Telnyx errors[0].code (the matching one for CALL_ENDED), or NULL */
    const char *error_title;    /* or NULL */
    const char *error_detail;   /* or NULL */
    const char *why;            /* status 0 or no Telnyx error: our or curl's reason, or NULL */
    const char *message_id;     /* send_message on TELNYX_OK: the message's data.id, or NULL */
    const char *body;           /* the last response's body, "" when none came back; the
                                   number requests' answers are read from it
                                   (lib/telnyx/telnyx_numbers.h) */
    size_t body_len;
};

/* Called exactly once per request, from the loop, never from inside the call that
 * started the request (but see telnyx_client_free). It may start new requests. */
typedef void (*telnyx_done_fn)(const struct telnyx_result *res, void *arg);

struct telnyx_options {
    const char *api_url;        /* e.g. "https://api.telnyx.com/v2" (copied); a trailing '/' is fine */
    const char *api_key;        /* non-empty (copied) */
    int connect_timeout_ms;     /* per attempt */
    int total_timeout_ms;       /* per attempt, connect included */
    int max_retries;            /* attempts = 1 + at most this */
    int backoff_base_ms;        /* retry n waits base * 3^(n-1), jittered to 50..150% */
};

/* Fills in the defaults: TELNYX_DEFAULT_API_URL, no key, 1000 ms connect, 4000 ms
 * total, 3 retries, 100 ms backoff base (100, 300, 900 ms). */
void telnyx_options_init(struct telnyx_options *opt);

/* NULL when the key is empty or the URL is not http(s)://. Borrows http and base,
 * which must outlive the client; copies opt's strings. */
struct telnyx_client *telnyx_client_create(struct http_client *http, struct event_base *base,
                                           const struct telnyx_options *opt);
/* Ends every outstanding request (in flight or waiting to retry): each callback runs
 * once, before this returns, with TELNYX_FAILED. A request started from such a callback
 * (or from one that reports the http_client's end) ends at once with TELNYX_FAILED,
 * the one case where a callback runs inside the call. Free this client before the
 * http_client it borrows: a retry timer left behind would use the freed one. */
void telnyx_client_free(struct telnyx_client *t);

/* What every Call Control command names. All borrowed for the call only (copied). */
struct telnyx_command {
    const char *call_control_id;    /* required; percent-escaped into the URL path */
    const char *client_state;       /* already base64 (client_state_encode); NULL: omitted */
    const char *command_id;         /* a UUID derived by the caller; NULL: omitted */
};

enum telnyx_speak_stop {
    TELNYX_SPEAK_QUEUE = 0,         /* no "stop": queue behind what is playing */
    TELNYX_SPEAK_STOP_CURRENT,      /* "current": cut the current audio, keep the queue */
    TELNYX_SPEAK_STOP_ALL,          /* "all": cut the current audio and clear the queue */
};

struct telnyx_speak {
    const char *payload;            /* the text (never logged); required */
    const char *voice;              /* e.g. "Telnyx.KokoroTTS.af"; required */
    const char *language;           /* e.g. "en-US"; NULL: omitted */
    enum telnyx_speak_stop stop;
};

/* POST /calls/{id}/actions/<command>. Strings must be UTF-8; a required one missing
 * or invalid ends the request with TELNYX_REJECTED and attempts 0, from the loop. */
void telnyx_client_answer(struct telnyx_client *t, const struct telnyx_command *cmd,
                          telnyx_done_fn cb, void *arg);
void telnyx_client_speak(struct telnyx_client *t, const struct telnyx_command *cmd,
                         const struct telnyx_speak *speak, telnyx_done_fn cb, void *arg);
/* Transcribes the caller (transcription_tracks "inbound") with engine, one of the
 * spec's names ("Google", "Telnyx", "Deepgram", ...); NULL: "Google". */
void telnyx_client_start_transcription(struct telnyx_client *t, const struct telnyx_command *cmd,
                                       const char *engine, telnyx_done_fn cb, void *arg);
void telnyx_client_stop_transcription(struct telnyx_client *t, const struct telnyx_command *cmd,
                                      telnyx_done_fn cb, void *arg);
/* Stops all audio playing on the call (playback_stop's default, stop "all"). */
void telnyx_client_stop_playback(struct telnyx_client *t, const struct telnyx_command *cmd,
                                 telnyx_done_fn cb, void *arg);
void telnyx_client_hangup(struct telnyx_client *t, const struct telnyx_command *cmd,
                          telnyx_done_fn cb, void *arg);
/* to: E.164 or SIP URI, required; from: caller id to present, NULL for Telnyx's
 * default (the original call's `to`). */
void telnyx_client_transfer(struct telnyx_client *t, const struct telnyx_command *cmd,
                            const char *to, const char *from, telnyx_done_fn cb, void *arg);

/* POST /messages {from, to, text}: all three required; text is never logged. See the
 * top of this file for why the caller must send each message only once. */
void telnyx_client_send_message(struct telnyx_client *t, const char *from, const char *to,
                                const char *text, telnyx_done_fn cb, void *arg);

/* GET /available_phone_numbers?<telnyx_numbers_search_query(q)> (docs/telnyx.md §6),
 * retried like the commands. On TELNYX_OK read the numbers with
 * telnyx_numbers_read_search(res->body, res->body_len, ...); a q the query cannot be made
 * of ends TELNYX_REJECTED with attempts 0. */
void telnyx_client_search_numbers(struct telnyx_client *t, const struct telnyx_number_search *q,
                                  telnyx_done_fn cb, void *arg);
/* POST /number_orders for one number (telnyx_numbers_order_body). Sent once, never
 * retried: a transport error or a timeout (total_timeout_ms > 0, instead of the client's)
 * leaves the caller not knowing whether Telnyx took the order, so only the caller may
 * decide to send it again. On TELNYX_OK read the order with telnyx_numbers_read_order. */
void telnyx_client_order_number(struct telnyx_client *t, const struct telnyx_number_order_spec *o,
                                int total_timeout_ms, telnyx_done_fn cb, void *arg);
/* GET /number_orders/{order_id} (escaped into the path), retried like the commands. */
void telnyx_client_get_number_order(struct telnyx_client *t, const char *order_id,
                                    telnyx_done_fn cb, void *arg);

/* Appends Prometheus lines: frontdesk_telnyx_requests_total{command,status} per HTTP
 * attempt (status 2xx, 3xx, 4xx, 5xx, timeout or error), the attempt latency histogram
 * frontdesk_telnyx_request_duration_seconds{command}, frontdesk_telnyx_retries_total,
 * frontdesk_telnyx_outcomes_total{command,outcome}, frontdesk_telnyx_requests_pending
 * and frontdesk_http_requests_in_flight (of the borrowed http_client). */
void telnyx_client_write_metrics(const struct telnyx_client *t, struct evbuffer *out);

#endif
