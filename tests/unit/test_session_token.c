/* Unit tests for lib/owner/session_token.c: session tokens as clients hold them
 * (base64url of 32 random bytes), as the database keeps them (SHA-256), as requests
 * present them (Bearer header, fd_session cookie), and the cookie we set. */
#include <sodium.h>

#include "check.h"
#include "owner/session_token.h"

static void test_a_token_is_43_base64url_characters_and_new_each_time(void)
{
    char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
    session_token_generate(a);
    session_token_generate(b);
    CHECK_INT_EQ(strlen(a), SESSION_TOKEN_LEN);
    CHECK(strcmp(a, b) != 0);
    CHECK(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          SESSION_TOKEN_LEN);
}

static void test_the_hash_is_the_sha256_of_the_decoded_bytes(void)
{
    unsigned char raw[32], expected[32], got[32];
    char token[SESSION_TOKEN_LEN + 1];
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)(i * 7);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(expected, raw, sizeof raw);
    CHECK(session_token_hash(token, strlen(token), got));
    CHECK(memcmp(got, expected, 32) == 0);
}

static void test_what_is_not_a_token_has_no_hash(void)
{
    unsigned char out[32];
    char token[SESSION_TOKEN_LEN + 1];
    session_token_generate(token);
    CHECK(!session_token_hash(token, SESSION_TOKEN_LEN - 1, out));     /* too short */
    CHECK(!session_token_hash("", 0, out));
    token[5] = '+';                                                     /* standard base64 */
    CHECK(!session_token_hash(token, SESSION_TOKEN_LEN, out));
    token[5] = '=';
    CHECK(!session_token_hash(token, SESSION_TOKEN_LEN, out));
}

static void test_a_bearer_header_gives_its_token(void)
{
    const char *t = NULL;
    size_t len = 0;
    CHECK(session_token_from_bearer("Bearer abc.DEF", &t, &len));
    CHECK(len == 7 && strncmp(t, "abc.DEF", 7) == 0);
    CHECK(session_token_from_bearer("bearer  xyz", &t, &len));
    CHECK(len == 3 && strncmp(t, "xyz", 3) == 0);
    CHECK(!session_token_from_bearer("Basic dXNlcjpwYXNz", &t, &len));
    CHECK(!session_token_from_bearer("Bearer ", &t, &len));
    CHECK(!session_token_from_bearer("Bearer a b", &t, &len));
    CHECK(!session_token_from_bearer(NULL, &t, &len));
}

static void test_the_session_cookie_is_found_among_others(void)
{
    const char *t = NULL;
    size_t len = 0;
    CHECK(session_token_from_cookie("fd_session=tok1", &t, &len));
    CHECK(len == 4 && strncmp(t, "tok1", 4) == 0);
    CHECK(session_token_from_cookie("theme=dark; fd_session=tok2; lang=en", &t, &len));
    CHECK(len == 4 && strncmp(t, "tok2", 4) == 0);
    CHECK(session_token_from_cookie("a=1;fd_session=tok3 ", &t, &len));
    CHECK(len == 4 && strncmp(t, "tok3", 4) == 0);
    CHECK(!session_token_from_cookie("xfd_session=tok; fd_sessionx=tok", &t, &len));
    CHECK(!session_token_from_cookie("", &t, &len));
    CHECK(session_token_from_cookie("fd_session=", &t, &len) && len == 0);
}

static void test_the_cookie_is_http_only_strict_and_secure_over_https(void)
{
    char value[SESSION_COOKIE_MAX];
    session_cookie_format(value, "tok", 600, false);
    CHECK_STR_EQ(value, "fd_session=tok; Max-Age=600; Path=/; HttpOnly; SameSite=Strict");
    session_cookie_format(value, "tok", 600, true);
    CHECK_STR_EQ(value, "fd_session=tok; Max-Age=600; Path=/; HttpOnly; SameSite=Strict; Secure");
    session_cookie_format(value, "", 0, false);
    CHECK_STR_EQ(value, "fd_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_a_token_is_43_base64url_characters_and_new_each_time);
    RUN(test_the_hash_is_the_sha256_of_the_decoded_bytes);
    RUN(test_what_is_not_a_token_has_no_hash);
    RUN(test_a_bearer_header_gives_its_token);
    RUN(test_the_session_cookie_is_found_among_others);
    RUN(test_the_cookie_is_http_only_strict_and_secure_over_https);
    return check_summary();
}
