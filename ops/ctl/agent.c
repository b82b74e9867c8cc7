/* ops/ctl/agent.c: `frontdesk-ctl agent` manages a business's receptionist
 * configuration (docs/agent-config.md):
 *   validate --file F                 checks a document, touches nothing
 *   set --business B --file F         validates, saves it as a new active version, and
 *                                     drops the worker's Redis copy so the next call
 *                                     of B uses it
 *   show --business B [--version N]   prints a version's document (default: the active)
 * Every database statement runs as frontdesk_app inside B's RLS scope, so a mistyped
 * id can only fail to find a business, never change another. Validation and the
 * versions are shared with the owner API (lib/agent, lib/owner/agent_versions.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "core/xalloc.h"
#include "ctl.h"
#include "owner/agent_versions.h"
#include "store/db.h"
#include "store/tenant_keys.h"

struct agent_args {
    const char *business, *file, *version;
    char id[FD_UUID_LEN + 1];
};

struct agent_save {
    const char *id;
    const char *json;           /* the validated document, NUL-terminated */
    int version;                /* out: the version saved */
};

struct agent_fetch {
    const char *id;
    int version;                /* 0: the active one */
    struct agent_version found; /* out; found.config owned */
};

/* Reads the whole file (owned text) into *out; at most one byte over the limit so an
 * oversized file is reported as such by agent_config_validate. */
static int read_document(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ctl_fail("cannot open %s: %s", path, strerror(errno));
    char *buf = xmalloc(AGENT_CONFIG_DOC_MAX + 2);
    *len = fread(buf, 1, AGENT_CONFIG_DOC_MAX + 1, f);
    bool is_error = ferror(f) != 0;
    fclose(f);
    if (is_error) {
        free(buf);
        return ctl_fail("cannot read %s", path);
    }
    buf[*len] = '\0';
    *out = buf;
    return CTL_EXIT_OK;
}

/* Reads and validates the document into *text (owned; NULL on failure); prints each
 * problem as "<file>: <path>: <reason>", the last one with suffix, when it is invalid. */
static int load_valid_document(const char *path, const char *suffix, char **text)
{
    size_t len = 0;
    *text = NULL;
    int status = read_document(path, text, &len);
    if (status != CTL_EXIT_OK)
        return status;
    struct agent_config_problems *problems = xcalloc(1, sizeof *problems);
    if (agent_config_validate(*text, len, NULL, problems) != APP_OK) {
        for (size_t i = 0; i < problems->n; i++) {
            const struct agent_config_problem *p = &problems->items[i];
            bool is_last = i + 1 == problems->n;
            status = ctl_fail("%s: %s: %s%s%s", path, p->path[0] ? p->path : "document",
                              p->message, is_last && problems->is_truncated ? " (and more)" : "",
                              is_last ? suffix : "");
        }
        free(*text);
        *text = NULL;
    }
    free(problems);
    return status;
}

static enum app_err save_version(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct agent_save *s = arg;
    return agent_versions_save(conn, s->id, s->json, &s->version, why, why_len);
}

static enum app_err fetch_version(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct agent_fetch *f = arg;
    return agent_versions_fetch(conn, f->id, f->version, &f->found, why, why_len);
}

/* Drops the worker's cached copy (fd:{sNNN}:t:B:agent); the worker reloads it from
 * PostgreSQL at the next call of B. */
static int drop_cached_agent(const struct fd_config *cfg, redisContext *rc, const char *id,
                             int version)
{
    char key[FD_KEY_MAX], why[512];
    tenant_key(key, id, (unsigned)cfg->shards, "agent");
    const char *argv[] = {"DEL", key};
    redisReply *r = ctl_redis_command(rc, 2, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("version %d is saved and active, but the cached copy %s could not "
                        "be dropped: %s\nworkers pick the change up within a minute, or run "
                        "this command again once Redis is back", version, key, why);
    freeReplyObject(r);
    return CTL_EXIT_OK;
}

static int agent_set(const struct agent_args *a)
{
    char *text = NULL, why[1024];
    int status = load_valid_document(a->file, "; nothing saved", &text);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    /* Redis first: if it is down, stop before the new version could go unnoticed. */
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL) {
        free(text);
        return ctl_fail("cannot reach Redis: %s; nothing saved", why);
    }
    PGconn *conn = db_connect(cfg.database_url, why, sizeof why);
    if (conn == NULL) {
        redisFree(rc);
        free(text);
        return ctl_fail("%s; nothing saved", why);
    }
    struct agent_save s = {.id = a->id, .json = text};
    enum app_err err = db_with_tenant(conn, a->id, save_version, &s, why, sizeof why);
    if (err == APP_ENOTFOUND)
        status = ctl_fail("no business %s; nothing saved", a->id);
    else if (err != APP_OK)
        status = ctl_fail("cannot save the configuration: %s; nothing saved", why);
    else
        status = drop_cached_agent(&cfg, rc, a->id, s.version);
    if (err == APP_OK)
        fprintf(stderr, "business %s: version %d is active\n", a->id, s.version);
    PQfinish(conn);
    redisFree(rc);
    free(text);
    return status;
}

static int agent_show(const struct agent_args *a)
{
    char why[1024];
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    PGconn *conn = db_connect(cfg.database_url, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    struct agent_fetch f = {.id = a->id, .version = a->version ? atoi(a->version) : 0};
    enum app_err err = db_with_tenant(conn, a->id, fetch_version, &f, why, sizeof why);
    PQfinish(conn);
    if (err == APP_ENOTFOUND && a->version != NULL)
        return ctl_fail("business %s has no version %s", a->id, a->version);
    if (err == APP_ENOTFOUND)
        return ctl_fail("business %s has no active configuration", a->id);
    if (err != APP_OK)
        return ctl_fail("cannot read the configuration: %s", why);
    char *pretty = agent_config_pretty(f.found.config, strlen(f.found.config));
    printf("%s\n", pretty != NULL ? pretty : f.found.config);
    fprintf(stderr, "business %s: version %d (%s)\n", a->id, f.found.version,
            f.found.is_active ? "active" : "inactive");
    free(pretty);
    free(f.found.config);
    return CTL_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct agent_args *a)
{
    for (int i = 2; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (ctl_opt(argc, argv, &i, "--business", &v))
            a->business = v;
        else if (ctl_opt(argc, argv, &i, "--file", &v))
            a->file = v;
        else if (ctl_opt(argc, argv, &i, "--version", &v))
            a->version = v;
        else
            return ctl_usage_error("agent %s: unknown argument '%s'", argv[1], arg);
        if (v == NULL)
            return ctl_usage_error("agent %s: %s needs a value", argv[1], arg);
    }
    if (a->business != NULL && !uuid_canonical(a->business, strlen(a->business), a->id))
        return ctl_usage_error("--business needs the business id (a UUID)");
    if (a->version != NULL) {
        char *end = NULL;
        errno = 0;
        long v = strtol(a->version, &end, 10);
        if (errno != 0 || end == a->version || *end != '\0' || v < 1 || v > INT_MAX)
            return ctl_usage_error("--version needs a version number (1, 2, ...)");
    }
    return CTL_EXIT_OK;
}

int ctl_agent(int argc, char **argv)
{
    static const char usage[] = "usage: agent validate --file F | agent set --business ID "
                                "--file F | agent show --business ID [--version N]";
    if (argc < 2)
        return ctl_usage_error("%s", usage);
    struct agent_args a = {0};
    int status = parse_args(argc, argv, &a);
    if (status != CTL_EXIT_OK)
        return status;
    bool is_validate = strcmp(argv[1], "validate") == 0, is_set = strcmp(argv[1], "set") == 0,
         is_show = strcmp(argv[1], "show") == 0;
    if ((is_validate || is_set) && a.file == NULL)
        return ctl_usage_error("agent %s needs --file F", argv[1]);
    if ((is_set || is_show) && a.business == NULL)
        return ctl_usage_error("agent %s needs --business ID", argv[1]);
    if (a.version != NULL && !is_show)
        return ctl_usage_error("--version is for agent show only");
    if (is_validate) {
        char *text = NULL;
        status = load_valid_document(a.file, "", &text);
        if (status == CTL_EXIT_OK)
            fprintf(stderr, "%s: valid\n", a.file);
        free(text);
        return status;
    }
    if (is_set)
        return agent_set(&a);
    if (is_show)
        return agent_show(&a);
    return ctl_usage_error("%s", usage);
}
