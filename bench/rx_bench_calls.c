/* bench/rx_bench_calls.c: see rx_bench_calls.h. The written-out calls come first; the
 * FAQ calls are made from the business's table, ten entries a call, every other one
 * by its question and the rest by a keyword in a sentence. */
#include "rx_bench_calls.h"

#include <stdio.h>
#include <string.h>

#include "rx_bench_config.h"

/* 2026-03-02 is a Monday; the spa is open 09:00-19:00 on weekdays, 09:00-17:00 on
 * Saturday, closed on Sunday. */
static const struct rx_bench_script fixed_scripts[] = {
    {"hours", "2026-03-02 10:00", OUT_GOODBYE, {
        SAY("hours", "Hi, are you open Saturday?"),
        SAY("hours", "when do you close today?"),
        SAY("hours", "and what time do you open tomorrow"),
        SAY("hours", "What are your hours on Sunday?"),
        SAY("hours", "what are your hours?"),
        SAY("goodbye", "ok thanks, bye")}},
    {"prices", "2026-03-02 10:15", OUT_GOODBYE, {
        SAY("price", "how much is a deep tissue massage?"),
        SAY("service", "and hot stones?"),
        SAY("price", "what does a gel manicure cost"),
        SAY("price", "how much for a brazilian wax"),
        SAY("price", "what do a lash lift and a brow tint cost"),
        SAY("price", "what's the price of the hydrafacial?"),
        SAY("price", "how much is a balayage"),
        SAY("goodbye", "that's all, bye")}},
    {"services", "2026-03-02 11:00", OUT_BOOKED | OUT_GOODBYE, {
        SAY("services", "what services do you offer?"),
        SAY("unknown_service", "do you do root canals?"),
        SAY("service", "do you do reiki?"),
        SAY("book", "yes please"),
        SAY("book", "Saturday at 11"),
        SAY("book", "Kim Lee"),
        SAY("book", "yes"),
        SAY("goodbye", "great, thank you, goodbye")}},
    {"address and policies", "2026-03-02 12:30", OUT_GOODBYE, {
        SAY("address", "where are you located?"),
        SAY("policy", "what's your cancellation policy?"),
        SAY("policy", "do you take apple pay?"),
        SAY("policy", "what happens if I'm running late?"),
        SAY("policy", "is gratuity included?"),
        SAY("goodbye", "no thank you")}},
    {"book step by step", "2026-03-02 10:00", OUT_BOOKED | OUT_GOODBYE, {
        SAY("hello", "hello"),
        SAY("book", "Hi, I'd like to book a Swedish massage"),
        SAY("book", "tomorrow"),
        SAY("book", "half past two"),
        SAY("book", "Jane Doe"),
        SAY("book", "yes"),
        SAY("goodbye", "that's all, bye")}},
    {"book in one sentence", "2026-03-02 10:05", OUT_BOOKED | OUT_GOODBYE, {
        SAY("book", "Can I book a classic facial on March 5th at 10am? My name is Bob Smith."),
        SAY("book", "yes that's right"),
        SAY("goodbye", "bye")}},
    {"book a taken time", "2026-03-02 13:40", OUT_BOOKED | OUT_GOODBYE, {
        TAKEN,
        SAY("book", "I need a pedicure on Wednesday at 3pm"),
        SAY("book", "the second one"),
        SAY("book", "it's Maria Lopez"),
        SAY("book", "yes"),
        SAY("goodbye", "thanks, have a nice day")}},
    {"book in the morning", "2026-03-02 16:20", OUT_BOOKED | OUT_GOODBYE, {
        SAY("book", "I want to schedule a haircut"),
        SAY("book", "next Tuesday"),
        SAY("book", "in the morning"),
        SAY("book", "the first one"),
        SAY("book", "this is Tom Reed"),
        SAY("book", "yep"),
        SAY("goodbye", "goodbye")}},
    {"book the 14th at noon", "2026-03-02 09:30", OUT_BOOKED | OUT_GOODBYE, {
        SAY("book", "can you book me a lash fill on the 14th at noon, this is Sam"),
        SAY("book", "correct"),
        SAY("goodbye", "that's it, bye")}},
    {"book after a question", "2026-03-02 14:00", OUT_BOOKED | OUT_GOODBYE, {
        SAY("book", "could I get acupuncture on friday"),
        {STEP_SAY, "book", "oh wait, do you take insurance?", "We are not in network"},
        SAY("book", "four in the afternoon"),
        SAY("book", "Lee Park"),
        SAY("book", "yes please"),
        SAY("goodbye", "bye bye")}},
    {"book a quarter past", "2026-03-02 17:45", OUT_BOOKED | OUT_GOODBYE, {
        SAY("book", "I'd like a spray tan tomorrow at a quarter past nine"),
        SAY("book", "Anna Novak"),
        SAY("book", "sounds good"),
        SAY("goodbye", "have a good day")}},
    {"message", "2026-03-02 10:00", OUT_MESSAGE | OUT_GOODBYE, {
        SAY("message", "Can I leave a message?"),
        SAY("message", "Jane Roe"),
        SAY("message", "no, call me at 312 555 0123"),
        SAY("message", "yes"),
        SAY("message", "Please call me about my gift certificate from Christmas."),
        SAY("goodbye", "thanks, bye")}},
    {"message to the caller's number", "2026-03-02 15:10", OUT_MESSAGE | OUT_GOODBYE, {
        SAY("message", "could you have someone call me back? my name is Tom Reed"),
        SAY("message", "yeah that's fine"),
        SAY("message", "I want to ask about a spa day for eight people in June"),
        SAY("goodbye", "nothing else, bye")}},
    {"message with spoken digits", "2026-03-02 11:30", OUT_MESSAGE | OUT_GOODBYE, {
        SAY("message", "take a message please"),
        SAY("message", "Al"),
        SAY("message", "no, it's three one two five five five oh one two three"),
        SAY("message", "correct"),
        SAY("message", "the shower in the changing room was cold last time"),
        SAY("goodbye", "goodbye")}},
    {"not understood", "2026-03-02 10:00", OUT_GOODBYE, {
        SAY("misunderstood", "blorp the quizzle"),
        SAY("misunderstood", "flibber jabber"),
        SAY("hours", "what are your hours"),
        SAY("misunderstood", "purple monkey dishwasher"),
        SAY("thanks", "thanks"),
        SAY("goodbye", "bye")}},
    {"transfer after not understood", "2026-03-02 10:00", OUT_TRANSFER, {
        SAY("misunderstood", "zzz qqq"),
        SAY("misunderstood", "mmm hmm brr"),
        SAY("transfer", "wug wug wug")}},
    {"a person", "2026-03-02 12:00", OUT_TRANSFER, {
        SAY("price", "how much is a manicure"),
        SAY("transfer", "can I talk to someone?")}},
    {"escalation keyword", "2026-03-02 12:00", OUT_TRANSFER, {
        SAY("book", "I'd like to book a chemical peel"),
        SAY("transfer", "actually I think I'm having an allergic reaction from last week")}},
    {"silence", "2026-03-02 10:00", OUT_GOODBYE, {
        SILENCE,
        SAY("faq", "do you have wifi?"),
        SILENCE,
        {STEP_SILENCE, "goodbye", NULL, NULL}}},
    {"cancel", "2026-03-02 10:00", OUT_GOODBYE, {
        SAY("cancel", "I need to cancel my appointment"),
        SAY("cancel", "yes"),
        SAY("goodbye", "no thanks")}},
    {"move", "2026-03-02 10:00", OUT_BOOKED | OUT_GOODBYE, {
        SAY("move", "Hi, this is Ann, I need to reschedule my appointment"),
        SAY("move", "yes"),
        SAY("book", "thursday at 2"),
        SAY("book", "yep"),
        SAY("goodbye", "bye")}},
    {"after hours", "2026-03-02 20:00", OUT_MESSAGE | OUT_GOODBYE, {
        SAY("hours", "are you open tomorrow?"),
        SAY("book", "I'd like to book a hydrating facial"),
        SAY("message", "sure"),
        SAY("message", "Olga Berg"),
        SAY("message", "yes"),
        SAY("message", "please call me tomorrow morning about a facial"),
        SAY("goodbye", "bye")}},
};

#define FAQ_CALLS 10
#define FAQ_PER_CALL (RX_BENCH_FAQ / FAQ_CALLS)
#define NFIXED (sizeof fixed_scripts / sizeof fixed_scripts[0])
_Static_assert(NFIXED + FAQ_CALLS == RX_BENCH_SCRIPTS, "RX_BENCH_SCRIPTS is the number of scripts");

static struct rx_bench_script scripts[RX_BENCH_SCRIPTS];
static char faq_lines[RX_BENCH_FAQ][160];

/* The FAQ calls: each entry once, by its question or by a keyword in a sentence. */
const struct rx_bench_script *rx_bench_scripts(const struct agent_config *cfg)
{
    static const char *const frames[][2] = {{"hi, I was wondering about ", ""},
                                            {"quick question, ", "?"},
                                            {"what can you tell me about ", ""}};
    size_t n = NFIXED;
    memcpy(scripts, fixed_scripts, sizeof fixed_scripts);
    for (size_t c = 0; c < FAQ_CALLS; c++) {
        struct rx_bench_script *s = &scripts[n + c];
        s->name = "faq";
        s->local = c % 2 == 0 ? "2026-03-03 11:00" : "2026-03-07 15:00";
        s->outcome = OUT_GOODBYE;
        for (size_t k = 0; k < FAQ_PER_CALL; k++) {
            size_t i = c * FAQ_PER_CALL + k;
            const struct rx_bench_faq *f = &rx_bench_faq[i];
            if (i % 2 == 0)
                snprintf(faq_lines[i], sizeof faq_lines[i], "%s", f->question);
            else
                snprintf(faq_lines[i], sizeof faq_lines[i], "%s%s%s", frames[i / 2 % 3][0],
                         f->keywords[i / 2 % 2], frames[i / 2 % 3][1]);
            s->steps[k] = (struct rx_bench_step){STEP_SAY, "faq", faq_lines[i], cfg->faq[i].answer};
        }
        s->steps[FAQ_PER_CALL] = (struct rx_bench_step)SAY("goodbye", "that's everything, bye");
    }
    return scripts;
}

