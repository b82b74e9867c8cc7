/* ops/ctl/user.c: `frontdesk-ctl user create --business B --email E --password-file F
 * [--role owner|staff]` gives a business a dashboard login (frontdesk-web): the
 * password is read from a file (never from the command line, where `ps` shows it),
 * checked and hashed with argon2id as sign-up does (lib/owner/), and the user is
 * inserted as frontdesk_app in B's RLS scope. Prints the new user's id. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "owner/account_rules.h"
#include "owner/owner_query.h"
#include "owner/password.h"
#include "owner/users.h"
#include "store/db.h"
#include "store/tenant_keys.h"

struct user_spec {
    char business[FD_UUID_LEN + 1];
    char email[ACCOUNT_EMAIL_MAX + 1];
    enum account_role role;
    char hash[PASSWORD_HASH_MAX];
    char id[FD_UUID_LEN + 1];           /* out */
    bool is_business_missing;           /* out */
};

/* The first line of path (its line ending dropped) into password, checked. */
static int read_password(const char *path, char password[ACCOUNT_PASSWORD_MAX + 2], size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ctl_fail("cannot open %s: %s", path, strerror(errno));
    size_t n = fread(password, 1, ACCOUNT_PASSWORD_MAX + 1, f);
    fclose(f);
    size_t end = 0;
    while (end < n && password[end] != '\n' && password[end] != '\r')
        end++;
    if (memchr(password, '\0', end) != NULL)
        return ctl_usage_error("the password in %s contains a NUL byte", path);
    password[end] = '\0';
    *len = end;
    const char *why;
    if (!account_password_is_valid(end, &why))
        return ctl_usage_error("the password in %s %s", path, why);
    return CTL_EXIT_OK;
}

static int parse_create(int argc, char **argv, struct user_spec *u, const char **password_file)
{
    const char *business = NULL, *email = NULL, *role = "owner", *why;
    for (int i = 2; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (ctl_opt(argc, argv, &i, "--business", &v))
            business = v;
        else if (ctl_opt(argc, argv, &i, "--email", &v))
            email = v;
        else if (ctl_opt(argc, argv, &i, "--password-file", &v))
            *password_file = v;
        else if (ctl_opt(argc, argv, &i, "--role", &v))
            role = v;
        else
            return ctl_usage_error("user create: unknown argument '%s'", arg);
        if (v == NULL)
            return ctl_usage_error("user create: %s needs a value", arg);
    }
    if (business == NULL || !uuid_canonical(business, strlen(business), u->business))
        return ctl_usage_error("user create: --business needs the business id (a UUID)");
    if (email == NULL || !account_email_normalize(email, strlen(email), u->email, &why))
        return ctl_usage_error("user create: --email %s", email ? why : "is required");
    if (!account_role_parse(role, &u->role))
        return ctl_usage_error("user create: --role must be owner or staff");
    if (*password_file == NULL)
        return ctl_usage_error("user create: --password-file FILE is required");
    return CTL_EXIT_OK;
}

static enum app_err insert_user(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct user_spec *u = arg;
    const char *params[] = {u->business};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "SELECT 1 FROM businesses WHERE id = $1", 1, params, &res,
                                   why, why_len);
    u->is_business_missing = err == APP_OK && PQntuples(res) == 0;
    PQclear(res);
    if (err != APP_OK || u->is_business_missing)
        return err != APP_OK ? err : APP_ENOTFOUND;
    return users_create(conn, u->business, u->email, u->hash, u->role, u->id, why, why_len);
}

static int create_user(const struct fd_config *cfg, struct user_spec *u)
{
    char why[1024];
    PGconn *conn = db_connect(cfg->database_url, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s; nothing created", why);
    enum app_err err = db_with_tenant(conn, u->business, insert_user, u, why, sizeof why);
    PQfinish(conn);
    if (u->is_business_missing)
        return ctl_fail("no business %s; nothing created", u->business);
    if (err == APP_ECONFLICT)
        return ctl_fail("%s is already registered; nothing created", u->email);
    if (err != APP_OK)
        return ctl_fail("cannot create the user: %s; nothing created", why);
    printf("%s\n", u->id);
    return CTL_EXIT_OK;
}

int ctl_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "create") != 0)
        return ctl_usage_error("usage: user create --business ID --email EMAIL "
                               "--password-file FILE [--role owner|staff]");
    struct user_spec u = {0};
    const char *password_file = NULL;
    int status = parse_create(argc, argv, &u, &password_file);
    char password[ACCOUNT_PASSWORD_MAX + 2];
    size_t len = 0;
    if (status == CTL_EXIT_OK)
        status = read_password(password_file, password, &len);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    if (sodium_init() < 0 || password_hash(password, len, u.hash) != APP_OK)
        status = ctl_fail("cannot hash the password (out of memory?)");
    sodium_memzero(password, sizeof password);
    return status == CTL_EXIT_OK ? create_user(&cfg, &u) : status;
}
