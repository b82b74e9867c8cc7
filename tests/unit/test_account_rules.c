/* Unit tests for lib/owner/account_rules.c and lib/owner/password.c: what an email, a
 * password and a role must be, and argon2id hashes that verify only their password. */
#include <sodium.h>

#include "check.h"
#include "owner/account_rules.h"
#include "owner/password.h"

static bool normalize(const char *email, char *out)
{
    const char *why = NULL;
    return account_email_normalize(email, strlen(email), out, &why);
}

static void test_an_email_is_trimmed_and_lowercased(void)
{
    char out[ACCOUNT_EMAIL_MAX + 1];
    CHECK(normalize("  Owner@Example.COM ", out));
    CHECK_STR_EQ(out, "owner@example.com");
    CHECK(normalize("a.b+tag@sub.example.co.uk", out));
    CHECK_STR_EQ(out, "a.b+tag@sub.example.co.uk");
}

static void test_what_is_not_an_address_is_refused_with_a_reason(void)
{
    const char *bad[] = {"", "   ", "owner", "@example.com", "owner@", "owner@example",
                         "owner@@example.com", "a@b@example.com", "own er@example.com",
                         "owner@.example.com", "owner@example.com.", "tab\t@example.com"};
    char out[ACCOUNT_EMAIL_MAX + 1];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        CHECK(!account_email_normalize(bad[i], strlen(bad[i]), out, &why));
        CHECK(why != NULL && why[0] != '\0');
    }
}

static void test_an_email_over_254_bytes_is_refused(void)
{
    char email[300], out[ACCOUNT_EMAIL_MAX + 1];
    const char *why = NULL;
    memset(email, 'a', sizeof email);
    memcpy(email + 254 - 12, "@example.com", 12);
    CHECK(account_email_normalize(email, 254, out, &why));
    memcpy(email + 255 - 12, "@example.com", 12);
    CHECK(!account_email_normalize(email, 255, out, &why));
}

static void test_passwords_are_10_to_1024_bytes(void)
{
    const char *why = NULL;
    CHECK(!account_password_is_valid(9, &why));
    CHECK(why != NULL);
    CHECK(account_password_is_valid(10, &why));
    CHECK(account_password_is_valid(1024, &why));
    CHECK(!account_password_is_valid(1025, &why));
}

static void test_roles_are_owner_or_staff(void)
{
    enum account_role role;
    CHECK(account_role_parse("owner", &role) && role == ACCOUNT_OWNER);
    CHECK(account_role_parse("staff", &role) && role == ACCOUNT_STAFF);
    CHECK(!account_role_parse("admin", &role));
    CHECK(!account_role_parse("Owner", &role));
    CHECK(!account_role_parse(NULL, &role));
    CHECK_STR_EQ(account_role_name(ACCOUNT_STAFF), "staff");
    CHECK_STR_EQ(account_role_name(ACCOUNT_OWNER), "owner");
}

static void test_a_hash_is_argon2id_and_verifies_only_its_password(void)
{
    char hash[PASSWORD_HASH_MAX];
    CHECK(password_hash("correct horse", 13, hash) == APP_OK);
    CHECK(strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(password_verify(hash, "correct horse", 13));
    CHECK(!password_verify(hash, "correct horsE", 13));
    CHECK(!password_verify(hash, "correct hors", 12));
    CHECK(!password_verify("$2b$10$notargon", "correct horse", 13));
    CHECK(!password_verify("", "correct horse", 13));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_an_email_is_trimmed_and_lowercased);
    RUN(test_what_is_not_an_address_is_refused_with_a_reason);
    RUN(test_an_email_over_254_bytes_is_refused);
    RUN(test_passwords_are_10_to_1024_bytes);
    RUN(test_roles_are_owner_or_staff);
    RUN(test_a_hash_is_argon2id_and_verifies_only_its_password);
    return check_summary();
}
