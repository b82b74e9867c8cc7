/* Unit tests for lib/sms/sms_keywords.c and sms_render.c: which texts are the compliance
 * words every business honours, and the receptionist's words in text form. */
#include "check.h"
#include "sms/sms_keywords.h"
#include "sms/sms_render.h"

static enum sms_keyword kw(const char *text)
{
    return sms_keyword_of(text, NULL, 0);
}

static void test_every_stop_word_alone_in_any_case_and_punctuation_opts_out(void)
{
    const char *stops[] = {"STOP", "stop", "Stop.", "  stop  ", "STOPALL", "stop all", "UNSUBSCRIBE",
                           "Cancel", "END", "quit!", "stop please", "Stop, please.", "STOP NOW", "\"stop\""};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        CHECK_INT_EQ(kw(stops[i]), SMS_KEYWORD_STOP);
}

static void test_a_sentence_with_a_stop_word_is_not_an_opt_out(void)
{
    const char *requests[] = {"cancel my appointment", "can you stop by tomorrow", "stop 2", "when do you end",
                              "quit smoking clinic?", "stoppage", "", "   ", "stop stop stop please no"};
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++)
        CHECK_INT_EQ(kw(requests[i]), SMS_KEYWORD_NONE);
    CHECK_INT_EQ(kw(NULL), SMS_KEYWORD_NONE);
}

static void test_start_and_help_words(void)
{
    CHECK_INT_EQ(kw("START"), SMS_KEYWORD_START);
    CHECK_INT_EQ(kw("unstop"), SMS_KEYWORD_START);
    CHECK_INT_EQ(kw("Yes!"), SMS_KEYWORD_START);
    CHECK_INT_EQ(kw("yes please"), SMS_KEYWORD_START);
    CHECK_INT_EQ(kw("HELP"), SMS_KEYWORD_HELP);
    CHECK_INT_EQ(kw("info?"), SMS_KEYWORD_HELP);
    CHECK_INT_EQ(kw("help me book a haircut"), SMS_KEYWORD_NONE);
}

static void test_the_keyword_is_given_back_as_written_upper_cased(void)
{
    char word[24];
    CHECK_INT_EQ(sms_keyword_of("  Unsubscribe. ", word, sizeof word), SMS_KEYWORD_STOP);
    CHECK_STR_EQ(word, "UNSUBSCRIBE");
    CHECK_INT_EQ(sms_keyword_of("hello", word, sizeof word), SMS_KEYWORD_NONE);
    CHECK_STR_EQ(word, "");
}

static void test_a_long_answer_becomes_at_most_two_texts_cut_between_sentences(void)
{
    struct sms_reply r = {0};
    char said[1200] = "";
    for (int i = 0; i < 20; i++)
        strcat(said, "We offer a haircut for $45 and it takes 30 minutes. ");
    sms_render_add(&r, said);
    CHECK_INT_EQ(r.ntexts, 2);
    for (int i = 0; i < r.ntexts; i++) {
        CHECK(strlen(r.texts[i]) <= SMS_RENDER_TEXT_MAX);
        CHECK(r.texts[i][strlen(r.texts[i]) - 1] == '.');
    }
    struct sms_reply none = {0};
    sms_render_add(&none, "");
    CHECK_INT_EQ(none.ntexts, 0);
}

static void test_a_word_longer_than_a_text_is_cut_and_the_rest_goes_on(void)
{
    struct sms_reply r = {0};
    char said[800];
    memset(said, 0x80, sizeof said - 1);     /* no space, no UTF-8 start: nowhere to cut well */
    said[sizeof said - 1] = '\0';
    sms_render_add(&r, said);
    CHECK_INT_EQ(r.ntexts, 2);
    CHECK_INT_EQ(strlen(r.texts[0]), SMS_RENDER_TEXT_MAX);
}

static void test_the_booking_question_is_answered_with_yes(void)
{
    char out[200];
    struct civil_date d = {2026, 3, 10};
    sms_render_booking_question(out, sizeof out, "Haircut", &d, 10 * 60);
    CHECK_STR_EQ(out, "Reply YES to book Haircut on Tuesday March 10 at 10:00.");
    sms_render_booking_question(out, sizeof out, "", &d, 14 * 60 + 30);
    CHECK_STR_EQ(out, "Reply YES to book Tuesday March 10 at 14:30.");
}

int main(void)
{
    RUN(test_every_stop_word_alone_in_any_case_and_punctuation_opts_out);
    RUN(test_a_sentence_with_a_stop_word_is_not_an_opt_out);
    RUN(test_start_and_help_words);
    RUN(test_the_keyword_is_given_back_as_written_upper_cased);
    RUN(test_a_long_answer_becomes_at_most_two_texts_cut_between_sentences);
    RUN(test_a_word_longer_than_a_text_is_cut_and_the_rest_goes_on);
    RUN(test_the_booking_question_is_answered_with_yes);
    return check_summary();
}
