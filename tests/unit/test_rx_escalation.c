/* tests/unit/test_rx_escalation.c: callers in an emergency, as they really say it, are
 * put through to a person at once by the built-in receptionist (the escalation keywords
 * of docs/examples/, found by lib/receptionist/rx_keywords.c); callers with ordinary questions that
 * share a word with a keyword are not. 2026-03-02 10:00 is a Monday morning, when both
 * the dental clinic and the plumber are open. Run from the repository root. */
#include "rx_call.h"

#define DENTAL_TRANSFER "+12015550143"
#define PLUMBER_TRANSFER "+15105550142"

/* The receptionist hands the call over now, on the keyword rule, and the worker will
 * dial the business's transfer number. */
static bool is_put_through_to(const struct call *c, const char *number)
{
    const char *to = c->ctx.config->escalation.transfer_number;
    return c->out.tool.tool == RX_TOOL_TRANSFER &&
           strcmp(c->out.tool.reason, "the caller said an escalation keyword") == 0 &&
           (c->mem.intents_seen & RX_INTENT_ESCALATION) != 0 && to != NULL && strcmp(to, number) == 0;
}

/* One line said right after the greeting; true if it put the caller through. */
static bool first_line_puts_through(enum biz biz, const char *line, const char *number)
{
    struct call c;
    call_start(&c, biz, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, line);
    bool is_through = is_put_through_to(&c, number) && r[0] != '\0';
    if (!is_through)
        fprintf(stderr, "  not put through: \"%s\"\n", line);
    return is_through;
}

/* One line said right after the greeting; true if the call stayed with the receptionist
 * and the caller got a reply (an ordinary question is not an emergency). */
static bool first_line_stays_with_receptionist(enum biz biz, const char *line)
{
    struct call c;
    call_start(&c, biz, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, line);
    bool is_kept = c.out.tool.tool != RX_TOOL_TRANSFER && !c.mem.was_transferred && r[0] != '\0';
    if (!is_kept)
        fprintf(stderr, "  put through: \"%s\"\n", line);
    return is_kept;
}

/* ---- the dental clinic ---- */

static void test_dental_puts_through_a_caller_in_severe_pain(void)
{
    CHECK(first_line_puts_through(DENTAL, "hi i'm in severe pain my tooth is killing me", DENTAL_TRANSFER));
    CHECK(first_line_puts_through(DENTAL, "the pain is really severe since last night", DENTAL_TRANSFER));
}

/* "swollen" is the word callers use for the "swelling" keyword. */
static void test_dental_puts_through_a_swollen_face(void)
{
    CHECK(first_line_puts_through(DENTAL, "my whole face is swollen on one side", DENTAL_TRANSFER));
    CHECK(first_line_puts_through(DENTAL, "my jaw swelled up overnight", DENTAL_TRANSFER));
}

static void test_dental_puts_through_bleeding_in_any_tense(void)
{
    CHECK(first_line_puts_through(DENTAL, "my gums bled all night and it won't stop", DENTAL_TRANSFER));
    CHECK(first_line_puts_through(DENTAL, "the extraction site keeps bleeding", DENTAL_TRANSFER));
}

static void test_dental_puts_through_a_knocked_out_tooth(void)
{
    CHECK(first_line_puts_through(DENTAL, "my son knocked his front tooth out playing hockey", DENTAL_TRANSFER));
    CHECK(first_line_puts_through(DENTAL, "two of my teeth got knocked out", DENTAL_TRANSFER));
}

static void test_dental_puts_through_an_abscess(void)
{
    CHECK(first_line_puts_through(DENTAL, "i think i have an abscessed tooth", DENTAL_TRANSFER));
}

/* An emergency said in the middle of a booking ends the booking: the caller is put
 * through, and nothing is booked. */
static void test_dental_puts_through_a_caller_mid_booking(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "I'd like to book a cleaning tomorrow at 9am");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    struct rx_tool_result free_slot = result_of(&c, true);
    tool_done(&c, &free_slot);
    const char *r = say(&c, "wait, actually my face is swollen and it hurts a lot");
    CHECK(is_put_through_to(&c, DENTAL_TRANSFER));
    CHECK(lacks(r, "cleaning"));
    CHECK(!c.mem.has_booked);
}

static void test_dental_answers_ordinary_questions_near_the_keywords(void)
{
    CHECK(first_line_stays_with_receptionist(DENTAL, "how much is a cleaning?"));
    CHECK(first_line_stays_with_receptionist(DENTAL, "do you take delta dental insurance"));
    CHECK(first_line_stays_with_receptionist(DENTAL, "does whitening hurt my teeth"));
    CHECK(first_line_stays_with_receptionist(DENTAL, "i'd like to book a filling for next week"));
}

/* ---- the plumber ---- */

/* The keyword is "gas smell"; callers say it the other way round. */
static void test_plumber_puts_through_a_caller_who_smells_gas(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "i think i smell gas in my basement");
    CHECK(is_put_through_to(&c, PLUMBER_TRANSFER));
    CHECK(has(r, "Putting you through") || has(r, "Connecting you"));
    CHECK(first_line_puts_through(PLUMBER, "there's a smell of gas in the kitchen", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "it smells like gas near the water heater", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "i think the gas line is leaking", PLUMBER_TRANSFER));
}

static void test_plumber_puts_through_a_sewer_backing_up(void)
{
    CHECK(first_line_puts_through(PLUMBER, "the sewer is backing up into my tub", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "our sewer line backed up into the basement", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "there's raw sewage coming up the drain", PLUMBER_TRANSFER));
}

static void test_plumber_puts_through_water_everywhere(void)
{
    CHECK(first_line_puts_through(PLUMBER, "uh there's water everywhere in the bathroom", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "the basement flooded overnight", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "help my laundry room is flooded", PLUMBER_TRANSFER));
}

static void test_plumber_puts_through_a_pipe_that_burst(void)
{
    CHECK(first_line_puts_through(PLUMBER, "a pipe burst under the sink", PLUMBER_TRANSFER));
    CHECK(first_line_puts_through(PLUMBER, "i think the pipes in the garage have burst", PLUMBER_TRANSFER));
}

static void test_plumber_answers_ordinary_questions_near_the_keywords(void)
{
    CHECK(first_line_stays_with_receptionist(PLUMBER, "do you charge extra for gas fittings?"));
    CHECK(first_line_stays_with_receptionist(PLUMBER, "how much is a sewer camera inspection?"));
    CHECK(first_line_stays_with_receptionist(PLUMBER, "my kitchen drain is backed up, can you clean it?"));
    CHECK(first_line_stays_with_receptionist(PLUMBER, "i need a new water heater"));
    CHECK(first_line_stays_with_receptionist(PLUMBER, "my faucet is dripping, how much to fix a leak?"));
}

/* Words of a phrase far apart in a sentence are not the phrase. */
static void test_plumber_does_not_build_a_keyword_from_words_far_apart(void)
{
    CHECK(first_line_stays_with_receptionist(PLUMBER,
                                 "do you install gas water heaters and do you check the drains for any bad smell"));
}

/* ---- the hair salon has no keywords: nothing it hears transfers on its own ---- */

static void test_salon_has_no_escalation_keywords(void)
{
    CHECK(first_line_stays_with_receptionist(SALON, "my hair is a disaster, this is an emergency, can i get in today?"));
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_dental_puts_through_a_caller_in_severe_pain);
    RUN(test_dental_puts_through_a_swollen_face);
    RUN(test_dental_puts_through_bleeding_in_any_tense);
    RUN(test_dental_puts_through_a_knocked_out_tooth);
    RUN(test_dental_puts_through_an_abscess);
    RUN(test_dental_puts_through_a_caller_mid_booking);
    RUN(test_dental_answers_ordinary_questions_near_the_keywords);
    RUN(test_plumber_puts_through_a_caller_who_smells_gas);
    RUN(test_plumber_puts_through_a_sewer_backing_up);
    RUN(test_plumber_puts_through_water_everywhere);
    RUN(test_plumber_puts_through_a_pipe_that_burst);
    RUN(test_plumber_answers_ordinary_questions_near_the_keywords);
    RUN(test_plumber_does_not_build_a_keyword_from_words_far_apart);
    RUN(test_salon_has_no_escalation_keywords);
    rx_free_examples();
    return check_summary();
}
