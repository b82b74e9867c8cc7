/* ops/ctl/main.c: frontdesk-ctl, the operator's tool: runs migrations; creates, lists, shows,
 * suspends and resumes tenants; adds, removes and rebuilds the number routes; shows each
 * tenant's backlog; and builds signed sample webhooks for development. This file only
 * dispatches; see ctl.h. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "core/build_info.h"
#include "core/log.h"

void ctl_print_usage(FILE *out)
{
    fputs("usage: frontdesk-ctl COMMAND [OPTIONS]\n"
          "\n"
          "  migrate                        apply the missing migrations of schema/ (embedded);\n"
          "                                 needs an owner's FRONTDESK_DATABASE_URL\n"
          "  tenant create --name NAME --number E164 [--number E164 ...] [--fallback E164]\n"
          "                                 create a business with an active agent and its\n"
          "                                 numbers; prints the business id\n"
          "  tenant list [--json]           every business: active or suspended, numbers,\n"
          "                                 number requests waiting and failed, receptionist\n"
          "                                 version, creation date, name\n"
          "  tenant show --business ID [--json]\n"
          "                                 one business: status, fallback, receptionist, calls\n"
          "                                 of the last 30 days, numbers, number requests (with\n"
          "                                 why they failed or wait)\n"
          "  tenant suspend --business ID   from its next call, the business's calls go to its\n"
          "                                 fallback number or hear it cannot take calls; its\n"
          "                                 data stays\n"
          "  tenant resume --business ID    it takes calls again from its next call\n"
          "  tenant export --business ID    every record of the business as JSON lines\n"
          "                                 ({\"table\": T, \"row\": {...}}; no password hashes)\n"
          "  tenant delete --business ID --confirm ID\n"
          "                                 remove every row and Redis key of the business,\n"
          "                                 for good (export it first)\n"
          "  numbers sync                   rebuild fd:numbers in Redis from PostgreSQL\n"
          "  numbers add --business ID --number E164\n"
          "                                 give the business a number; it routes at once\n"
          "  numbers remove --business ID --number E164\n"
          "                                 take it away; it no longer routes (apis may keep a\n"
          "                                 cached route for 10 s)\n"
          "  status [--json] [--watch SECONDS]\n"
          "                                 one line per tenant: stream length, undelivered,\n"
          "                                 pending, oldest waiting age, dead letters, outbox,\n"
          "                                 lease owner; --watch repeats it until interrupted\n"
          "  workers [--json]               each worker heard from in the last minute: alive,\n"
          "                                 last heartbeat, leases held\n"
          "  calls --business ID            the tenant's owner and its calls in Redis, decoded\n"
          "  unrouted list                  signed webhooks no business owned when they came\n"
          "  unrouted show --id ID          one of them as JSON, its body decoded\n"
          "  unrouted replay --id ID        once its number is registered, put it on its\n"
          "                                 business's stream (once, whatever is repeated)\n"
          "  outbox --business ID [--limit N]\n"
          "                                 records waiting for PostgreSQL: how many, and the\n"
          "                                 first N (20) decoded, as JSON\n"
          "  call show --business ID --call CALL_ID\n"
          "                                 one call's whole state in Redis as JSON, the\n"
          "                                 receptionist's memory decoded\n"
          "  agent validate --file F        check an agent configuration (docs/agent-config.md)\n"
          "  agent set --business ID --file F\n"
          "                                 validate and save it as the business's new active\n"
          "                                 version; the next call uses it\n"
          "  agent show --business ID [--version N]\n"
          "                                 print the active (or given) version's document;\n"
          "                                 its version number goes to stderr\n"
          "  bookings --business ID [--from YYYY-MM-DD] [--json]\n"
          "                                 the business's bookings by start, in its time zone\n"
          "  bookings rebuild --business ID [--dry-run] [--wait SECONDS]\n"
          "                                 after a Redis loss: put back the business's slot\n"
          "                                 places and callers' booking lines from PostgreSQL's\n"
          "                                 booked bookings still ahead; adds what is missing,\n"
          "                                 never removes; one line per difference; waits up to\n"
          "                                 SECONDS (60) for the worker owning the business\n"
          "  user create --business ID --email EMAIL --password-file FILE [--role owner|staff]\n"
          "                                 a dashboard login (frontdesk-web) for the business;\n"
          "                                 the file's first line is the password; prints the id\n"
          "  dead list --business ID        the events workers gave up on, with their error\n"
          "  dead show --business ID --id DEAD_ID\n"
          "                                 one of them as JSON, its body decoded\n"
          "  dead replay --business ID (--id DEAD_ID | --all)\n"
          "                                 put a dead event (or all, oldest first) back on\n"
          "                                 its tenant's stream\n"
          "  dead purge --business ID --before ISO8601\n"
          "                                 drop the dead events older than that instant\n"
          "  dead list|show|replay|purge --outbox ...\n"
          "                                 the same for the outbox records PostgreSQL kept\n"
          "                                 refusing (TABLE, KEY, SQLSTATE, ERROR); a replay\n"
          "                                 puts the record back into the tenant's outbox\n"
          "  webhook keygen --out FILE [--force]\n"
          "                                 write a development Ed25519 signing key; prints\n"
          "                                 the public key (FRONTDESK_TELNYX_PUBLIC_KEY)\n"
          "  webhook sign [--key FILE] [SAMPLE OPTIONS] [--count N --out FILE]\n"
          "                                 print telnyx-timestamp, telnyx-signature-ed25519\n"
          "                                 and the body (or N lines ts<TAB>sig<TAB>body)\n"
          "  webhook send --url URL [--key FILE] [SAMPLE OPTIONS]\n"
          "                                 sign and POST; prints the HTTP status and body\n"
          "  billing reconcile [--business ID] [--repair] [--json]\n"
          "                                 every business's bookings against the meter events\n"
          "                                 owed to Stripe and reported, one line per difference;\n"
          "                                 --repair creates missing jobs and marks what was\n"
          "                                 sent; exit status 1 while differences remain\n"
          "  billing jobs [--business ID] [--status pending|done|failed] [--limit N] [--json]\n"
          "                                 the Stripe jobs, newest first, with why they failed\n"
          "  billing retry JOB_ID           a failed job is sent again, with a new\n"
          "                                 Idempotency-Key (its key with -r<n>)\n"
          "  optout add --business ID --number E164\n"
          "                                 the number is never texted by the business again\n"
          "                                 (a caller who asked by phone or by letter)\n"
          "  optout lift --business ID --number E164\n"
          "                                 the number may be texted again (its STOP, or an\n"
          "                                 operator's opt-out, lifted at its request)\n"
          "  optout list --business ID [--json]\n"
          "                                 every opt-out of the business: how, when, lifted\n"
          "  retention run [--days N] [--dry-run] [--json]\n"
          "                                 delete every business's transcripts and texts older\n"
          "                                 than N days (FRONTDESK_RETENTION_DAYS, 365; 0 keeps\n"
          "                                 all); prints the rows deleted (or that would be)\n"
          "  help                           this text\n"
          "  --version                      the version this binary was built from\n"
          "\n"
          "SAMPLE OPTIONS: --type T (default call.initiated) --to E164 --from E164 --id ID\n"
          "  --call-control-id ID --client-state S --text TEXT --timestamp S --body-file F\n"
          "  (the key defaults to $FRONTDESK_DEV_SIGNING_KEY_FILE)\n"
          "\n"
          "Environment: FRONTDESK_DATABASE_URL, FRONTDESK_REDIS_URL, FRONTDESK_SHARDS,\n"
          "FRONTDESK_LOG_LEVEL, FRONTDESK_RETENTION_DAYS. Exit status: 0 done, 1 failed, 2 usage\n"
          "or configuration error.\n",
          out);
}

int main(int argc, char **argv)
{
    log_set_component("ctl");
    if (argc < 2) {
        ctl_print_usage(stderr);
        return CTL_EXIT_USAGE;
    }
    if (build_info_is_version_asked(argc, argv, "frontdesk-ctl"))
        return CTL_EXIT_OK;
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        ctl_print_usage(stdout);
        return CTL_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"migrate", ctl_migrate}, {"tenant", ctl_tenant}, {"numbers", ctl_numbers},
        {"status", ctl_status},   {"webhook", ctl_webhook}, {"dead", ctl_dead},
        {"calls", ctl_calls},     {"agent", ctl_agent},     {"bookings", ctl_bookings},
        {"user", ctl_user},       {"workers", ctl_workers}, {"call", ctl_call},
        {"outbox", ctl_outbox},   {"unrouted", ctl_unrouted}, {"billing", ctl_billing},
        {"optout", ctl_optout},   {"retention", ctl_retention},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return ctl_usage_error("unknown command '%s'", argv[1]);
}
