/* Unit tests for lib/store/lua_args.c. */
#include "check.h"
#include "store/lua_args.h"

static const struct lua_script demo_script = {"demo", "return 1", 8,
                                              "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"};

/* A builder given a key after an argument. */
static void build_incomplete(struct lua_args *a)
{
    lua_args_init(a);
    lua_args_arg(a, "v");
    lua_args_key(a, "late key");
}

static void test_keys_come_first_and_are_counted(void)
{
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, "fd:{s001}:t:b:lease");
    lua_args_key(&a, "fd:{s001}:t:b:events");
    lua_args_arg(&a, "lease-value");
    CHECK(a.is_complete);
    CHECK_INT_EQ(a.nkeys, 2);
    CHECK_INT_EQ(a.argc, 3);
    const char **argv = lua_args_argv(&a);
    const size_t *lens = lua_args_lens(&a);
    CHECK_STR_EQ(argv[0], "fd:{s001}:t:b:lease");
    CHECK_STR_EQ(argv[2], "lease-value");
    CHECK_INT_EQ(lens[1], strlen("fd:{s001}:t:b:events"));
}

static void test_numbers_and_formatted_text_are_copied(void)
{
    struct lua_args a;
    lua_args_init(&a);
    char scratch[8] = "1";
    lua_args_int(&a, 1767225600123LL);
    lua_args_int(&a, -42);
    lua_args_int(&a, 0);
    lua_args_argf(&a, "%s-%d", scratch, 7);
    lua_args_int(&a, -9223372036854775807LL - 1);
    scratch[0] = '9';                   /* the builder kept its own copy */
    const char **argv = lua_args_argv(&a);
    CHECK_STR_EQ(argv[0], "1767225600123");
    CHECK_STR_EQ(argv[1], "-42");
    CHECK_STR_EQ(argv[2], "0");
    CHECK_STR_EQ(argv[3], "1-7");
    CHECK_INT_EQ(lua_args_lens(&a)[3], 3);
    CHECK_STR_EQ(argv[4], "-9223372036854775808");
    CHECK_INT_EQ(a.nkeys, 0);
    CHECK(a.is_complete);
}

static void test_binary_data_keeps_its_length(void)
{
    struct lua_args a;
    lua_args_init(&a);
    static const char packed[] = {'\x82', '\0', 'a', '\0'};
    lua_args_key(&a, "k");
    lua_args_arg_len(&a, packed, sizeof packed);
    CHECK_INT_EQ(lua_args_lens(&a)[1], 4);
    CHECK(lua_args_argv(&a)[1] == packed);
}

static void test_a_key_after_an_argument_makes_it_incomplete(void)
{
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, "k1");
    lua_args_arg(&a, "v");
    lua_args_key(&a, "k2");
    CHECK(!a.is_complete);
    CHECK_INT_EQ(a.nkeys, 1);
    CHECK_INT_EQ(a.argc, 2);
}

static void test_too_many_arguments_make_it_incomplete(void)
{
    struct lua_args a;
    lua_args_init(&a);
    for (int i = 0; i < LUA_ARGS_MAX; i++)
        lua_args_arg(&a, "x");
    CHECK(a.is_complete);
    lua_args_arg(&a, "one too many");
    CHECK(!a.is_complete);
    CHECK_INT_EQ(a.argc, LUA_ARGS_MAX);
}

static void test_text_that_does_not_fit_makes_it_incomplete(void)
{
    struct lua_args a;
    lua_args_init(&a);
    char big[LUA_ARGS_TEXT_MAX + 1];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lua_args_argf(&a, "%s", big);
    CHECK(!a.is_complete);
    CHECK_INT_EQ(a.argc, 0);
}

static void test_command_puts_evalsha_sha_and_key_count_first(void)
{
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, "k");
    lua_args_int(&a, 5);
    const char **argv;
    const size_t *lens;
    CHECK_INT_EQ(lua_args_command(&a, &demo_script, true, &argv, &lens), 5);
    CHECK_STR_EQ(argv[0], "EVALSHA");
    CHECK_STR_EQ(argv[1], demo_script.sha1);
    CHECK_STR_EQ(argv[2], "1");
    CHECK_STR_EQ(argv[3], "k");
    CHECK_STR_EQ(argv[4], "5");
    CHECK_INT_EQ(lua_args_command(&a, &demo_script, false, &argv, &lens), 5);
    CHECK_STR_EQ(argv[0], "EVAL");
    CHECK_STR_EQ(argv[1], "return 1");
    CHECK_INT_EQ(lens[1], 8);
}

static void test_an_incomplete_builder_gives_no_command(void)
{
    struct lua_args a;
    build_incomplete(&a);
    const char **argv = NULL;
    const size_t *lens = NULL;
    CHECK_INT_EQ(lua_args_command(&a, &demo_script, true, &argv, &lens), 0);
    CHECK(argv == NULL);
}

static int refused_calls;

static void on_refused(const redisReply *reply, enum app_err err, void *arg)
{
    (void)arg;
    CHECK(reply == NULL);
    CHECK(err == APP_EINTERNAL);
    refused_calls++;
}

static void test_an_incomplete_builder_is_not_sent(void)
{
    struct lua_args a;
    build_incomplete(&a);
    refused_calls = 0;
    lua_args_send(&a, NULL, &demo_script, 1000, on_refused, NULL);   /* never reaches a connection */
    CHECK_INT_EQ(refused_calls, 1);
}

int main(void)
{
    RUN(test_keys_come_first_and_are_counted);
    RUN(test_numbers_and_formatted_text_are_copied);
    RUN(test_binary_data_keeps_its_length);
    RUN(test_a_key_after_an_argument_makes_it_incomplete);
    RUN(test_too_many_arguments_make_it_incomplete);
    RUN(test_text_that_does_not_fit_makes_it_incomplete);
    RUN(test_command_puts_evalsha_sha_and_key_count_first);
    RUN(test_an_incomplete_builder_gives_no_command);
    RUN(test_an_incomplete_builder_is_not_sent);
    return check_summary();
}
