"""Caller scripts end to end: callers phone three differently configured businesses (a
formal dental clinic in New York, a friendly hair salon in Chicago, a brief plumber in
Los Angeles, from docs/examples/ or variants of them) through the simulator, the api,
Redis, the workers and PostgreSQL, and each script's outcome is checked as the caller
and the business would check it: what was said, the booking at the right local time
(bookings.starts_at AT TIME ZONE the business's zone), the transfer to the right
number (the transfer command Telnyx received), the message with the right callback
number, the texts sent from the business's number.

The receptionist's clock (FRONTDESK_NOW) belongs to a worker, so each clock is a stack
of its own (api, simulator, worker, on a Redis of its own, sharing PostgreSQL):
  MORNING  Tuesday 2026-03-03 16:00Z: 11:00 in New York, 10:00 in Chicago, 8:00 in LA
  EARLY    Tuesday 2026-03-03 14:30Z:  9:30 in New York (open), Chicago and LA not yet
  EVENING  Tuesday 2026-03-03 evening (2026-03-04 02:30Z): all three closed
Daylight saving time starts on Sunday 2026-03-08, so bookings after it test the zone
rules as well. Each script has a business (and number) of its own, so no script sees
another's bookings, except the pairs that race for a taken time on purpose (`after`).
All scripts start at once and are checked after; each is one test below.

Every call is also checked for what must never happen: a reply said twice word for
word, a dollar amount the business's configuration does not hold, a request to the
simulator that is not valid Telnyx."""
import threading
import time

from harness import env, wait_for
from rxhelp import (ClockStack, agent_lines, allowed_amounts, amounts_in, bookings, caller_lines,
                    example, messages, texts_from, transfers, variant, wait_call_logged)
from workerhelp import tkey

E = env()

MORNING = "2026-03-03T16:00:00Z"
EARLY = "2026-03-03T14:30:00Z"
EVENING = "2026-03-04T02:30:00Z"

DENTAL_TRANSFER, DENTAL_OWNER = "+12015550143", "+12015550199"
SALON_FALLBACK, SALON_OWNER = "+13125550100", "+13125550177"
PLUMBER_TRANSFER, PLUMBER_FORWARD = "+15105550142", "+15105550188"

ZONES = {"dental-clinic": "America/New_York", "hair-salon": "America/Chicago",
         "plumber": "America/Los_Angeles"}


def dental(**changes):
    return variant(example("dental-clinic"), **changes)


def salon(**changes):
    return variant(example("hair-salon"), **changes)


def plumber(**changes):
    return variant(example("plumber"), **changes)


# ---- checks: each takes the finished script (a Run) and raises AssertionError ----

def heard(*parts):
    """One reply of the receptionist says every part."""
    def check(r):
        assert any(all(p in line for p in parts) for line in r.lines), \
            f"no reply says {parts}: {r.lines}"
    return check


def heard_in_reply(n, *parts):
    """Reply n (0 = the greeting) says every part."""
    def check(r):
        assert len(r.lines) > n and all(p in r.lines[n] for p in parts), \
            f"reply {n} does not say {parts}: {r.lines}"
    return check


def heard_before(first, then):
    """A reply says first, and a later reply, not that one, says then."""
    def check(r):
        at = [i for i, line in enumerate(r.lines) if first in line]
        later = [i for i, line in enumerate(r.lines) if then in line]
        assert at and later and at[0] < later[0], f"{first!r} not heard before {then!r}: {r.lines}"
    return check


def never_heard(*parts):
    def check(r):
        for line in r.lines:
            for p in parts:
                assert p.lower() not in line.lower(), f"a reply says {p!r}: {line}"
    return check


def booked(service, local, name, utc=None):
    """Exactly one booking of this caller: service at local 'YYYY-MM-DD HH:MM' in the
    business's zone (and at utc 'HH:MM' when given); the caller heard it booked and got
    one confirmation text from the business's number saying the day and time."""
    def check(r):
        rows = [b for b in bookings(E, r.bid, r.zone) if b[3] == r.caller]
        assert len(rows) == 1, f"bookings of {r.caller}: {rows}"
        svc, start, who, _, status = rows[0]
        assert (svc, start, status) == (service, local, "booked"), rows[0]
        assert name in who, rows[0]
        if utc is not None:
            got = r.pg("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI') FROM bookings "
                       "WHERE business_id = %s AND caller_number = %s", r.bid, r.caller)
            assert got == [(utc,)], got
        assert any("booked" in line for line in r.lines), r.lines
        day = int(local[8:10])
        ordinal = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")
        texts = [t for t in r.texts() if t["to"] == r.caller]
        assert len(texts) == 1, texts
        assert f"{day}{ordinal}" in texts[0]["text"] and service in texts[0]["text"], texts[0]
        assert clock_words(local[11:]) in texts[0]["text"], (texts[0], clock_words(local[11:]))
    return check


def bookings_are(r, want):
    """This caller's bookings are exactly want: [(service, local start)]."""
    got = [(b[0], b[1]) for b in bookings(E, r.bid, r.zone) if b[3] == r.caller and b[4] == "booked"]
    assert got == want, got


def no_booking(r):
    assert [b for b in bookings(E, r.bid, r.zone) if b[3] == r.caller] == []
    assert not any("booked:" in line for line in r.lines), r.lines


def transferred(to):
    def check(r):
        assert r.transfers == [to], f"transfers {r.transfers}, wanted [{to}]"
    return check


def not_transferred(r):
    assert r.transfers == [], r.transfers


def message(callback, *words):
    """One message row from this call with that callback number and these words."""
    def check(r):
        rows = messages(E, r.bid)
        assert len(rows) == 1, rows
        assert rows[0][1] == callback, rows[0]
        for w in words:
            assert w in rows[0][2] or w in rows[0][0], (w, rows[0])
    return check


def no_message(r):
    assert messages(E, r.bid) == []


def texted(to, *words):
    def check(r):
        texts = [t for t in r.texts() if t["to"] == to]
        assert len(texts) == 1 and all(w in texts[0]["text"] for w in words), (to, words, r.texts())
    return check


def texts_only_to(*numbers):
    """Every text from the business's number went to one of these (none: no texts)."""
    def check(r):
        assert sorted(t["to"] for t in r.texts()) == sorted(numbers), r.texts()
    return check


def caller_hung_up_by_receptionist(r):
    assert r.rec["hangup_source"] == "callee", r.rec["hangup_source"]


def clock_words(hhmm):
    """'14:30' as the receptionist says it: '2:30 PM'; '12:00' is 'noon'."""
    h, m = int(hhmm[:2]), int(hhmm[3:])
    if (h, m) == (12, 0):
        return "noon"
    hour = h % 12 or 12
    return f"{hour}{':%02d' % m if m else ''} {'AM' if h < 12 else 'PM'}"


# ---- the scripts ----

class Script:
    def __init__(self, name, clock, doc, caller, say, checks, kind, fallback=None, after=None,
                 shares=None):
        self.name, self.clock, self.doc, self.caller = name, clock, doc, caller
        self.say, self.checks, self.kind = say, checks, kind
        self.fallback, self.after, self.shares = fallback, after, shares


SCRIPTS = []
_n = [0]


def script(name, clock, kind, say, *checks, doc=None, fallback=None, after=None, shares=None):
    _n[0] += 1
    maker = {"dental-clinic": dental, "hair-salon": salon, "plumber": plumber}[kind]
    SCRIPTS.append(Script(name, clock, doc or maker(), "+1917555%04d" % (2000 + _n[0]), say,
                          list(checks), kind, fallback, after, shares))


D, S, P = "dental-clinic", "hair-salon", "plumber"

# -- the dental clinic (New York, formal), open: Tuesday 11:00 --
script("dental_books_a_cleaning_tomorrow_at_10_in_the_morning", MORNING, D,
       ["I'd like to book a cleaning tomorrow at 10 in the morning", "Jane Doe", "yes please",
        "no that's all, bye"],
       heard("cleaning tomorrow, Wednesday, March 4th at 10 AM", "Jane Doe", "Shall I book it?"),
       booked("Cleaning", "2026-03-04 10:00", "Jane Doe", utc="15:00"),
       texted(DENTAL_OWNER, "New booking", "Jane Doe"), caller_hung_up_by_receptionist)
script("dental_books_whitening_by_alias_on_thursday_at_half_past_two", MORNING, D,
       ["Can I book teeth whitening on Thursday at half past two?", "It's Maria Lopez", "yes", "bye"],
       heard("whitening on Thursday, March 5th at 2:30 PM"),
       booked("Whitening", "2026-03-05 14:30", "Maria Lopez"))
script("dental_books_next_tuesday_at_3pm_after_the_clocks_change", MORNING, D,
       ["I need a filling next Tuesday at 3pm", "Tom Baker", "yes", "thanks bye"],
       heard("Tuesday, March 10th at 3 PM"),
       booked("Filling", "2026-03-10 15:00", "Tom Baker", utc="19:00"))
script("dental_refuses_noon_in_the_lunch_break_of_the_12th_and_books_1pm", MORNING, D,
       ["Can I come in for a cleaning on the 12th at noon?", "1pm then", "Ann Lee", "yes", "bye"],
       heard("I can't book that at noon", "8 AM to noon and 1 PM to 5 PM"),
       booked("Cleaning", "2026-03-12 13:00", "Ann Lee"))
script("dental_offers_times_in_the_morning_and_books_the_first", MORNING, D,
       ["Could I get a cleaning tomorrow in the morning?", "the first one", "Bob Stone", "yes", "bye"],
       heard("I can offer 8 AM, 8:30 AM or 9 AM"),
       booked("Cleaning", "2026-03-04 08:00", "Bob Stone"))
script("dental_offers_afternoon_times_for_thursday_afternoon", MORNING, D,
       ["Can I get in on Thursday afternoon for a cleaning?", "1:30 works", "Lia Moss", "yes", "bye"],
       heard("On Thursday, March 5th I can offer 1 PM, 1:30 PM or 2 PM"),
       booked("Cleaning", "2026-03-05 13:30", "Lia Moss"))
script("dental_changes_the_time_at_the_read_back_of_the_4th", MORNING, D,
       ["book me a cleaning for the 4th at 9", "Zoe Hart", "actually make it 10am", "yes", "bye"],
       heard("cleaning tomorrow, Wednesday, March 4th at 9 AM"),
       never_heard("say it again", "once more", "to repeat", "as I said"),
       booked("Cleaning", "2026-03-04 10:00", "Zoe Hart"))
script("dental_answers_a_price_at_the_name_question_and_books_under_the_real_name", MORNING, D,
       ["Can I book a filling tomorrow at 2?", "how much is it?", "Ann Ho", "yes", "yes",
        "What are your hours on Friday?", "no thanks"],
       heard("The price for filling is $180"), heard("On Friday, March 6th we're open 8 AM to 2 PM"),
       never_heard("Much", "did not follow", "did not catch", "did not understand"),
       booked("Filling", "2026-03-04 14:00", "Ann Ho"), caller_hung_up_by_receptionist)
script("dental_books_a_cavity_filling_today_at_2pm", MORNING, D,
       ["Can you fit me in for a cavity filling today at 2pm?", "Carla Diaz", "yes", "bye"],
       heard("filling today at 2 PM"),
       booked("Filling", "2026-03-03 14:00", "Carla Diaz", utc="19:00"))
script("dental_books_x_rays_on_april_3rd", MORNING, D,
       ["I'd like to schedule x-rays on April 3rd at 9am", "Dev Patel", "yes", "bye"],
       heard("on Friday, April 3rd at 9 AM"),
       booked("X-rays", "2026-04-03 09:00", "Dev Patel", utc="13:00"))
script("dental_refuses_a_closed_saturday_and_books_monday", MORNING, D,
       ["Can I book a cleaning on Saturday?", "Monday at 9 then", "Eve Adams", "yes", "bye"],
       heard("We're closed on Saturday, March 7th"),
       booked("Cleaning", "2026-03-09 09:00", "Eve Adams", utc="13:00"))
# A closed day or a time outside the hours gets the real free times of the worker's
# check (the next open day's, or that day's nearest), not "which day works best?".
script("dental_offers_mondays_free_times_for_a_closed_saturday", MORNING, D,
       ["Can I book a cleaning on Saturday?", "the first one", "Eve Ames", "yes", "bye"],
       heard("We're closed on Saturday, March 7th"), heard("Monday, March 9th I can offer 8 AM"),
       booked("Cleaning", "2026-03-09 08:00", "Eve Ames", utc="12:00"))
script("dental_offers_the_latest_free_times_for_a_cleaning_after_closing", MORNING, D,
       ["Can I book a cleaning on Thursday at 6pm?", "4 works", "Ian Ross", "yes", "bye"],
       heard("we're open 8 AM to noon and 1 PM to 5 PM"), heard("4 PM"),
       booked("Cleaning", "2026-03-05 16:00", "Ian Ross"))
# A question at the read-back is answered and nothing is booked until the yes.
script("dental_answers_a_price_question_at_the_read_back_then_books_on_yes", MORNING, D,
       ["I'd like a cleaning on Friday at 11am", "Cal Diaz", "sure, how much is that?", "yes", "bye"],
       heard_before("$120", "booked:"),
       booked("Cleaning", "2026-03-06 11:00", "Cal Diaz"))
# A name said with the request is not asked for again.
script("dental_books_for_a_name_said_in_the_first_breath", MORNING, D,
       ["Hi, it's Priya Raman, can I book a cleaning Thursday at ten", "yes", "bye"],
       never_heard("your name", "which name", "what name"),
       booked("Cleaning", "2026-03-05 10:00", "Priya Raman"))
script("dental_first_caller_takes_the_only_chair_on_friday_at_10", MORNING, D,
       ["I'd like a cleaning on Friday at 10am", "Ann Fisher", "yes", "bye"],
       booked("Cleaning", "2026-03-06 10:00", "Ann Fisher"),
       doc=dental(booking__capacity_per_slot=1))
script("dental_second_caller_is_offered_other_times_for_friday_at_10", MORNING, D,
       ["I'd like a cleaning on Friday at 10am", "11 works", "Ben Shaw", "yes", "bye"],
       heard("10 AM is taken; I can offer 8:30 AM, 9 AM or 11 AM"),
       booked("Cleaning", "2026-03-06 11:00", "Ben Shaw"),
       after="dental_first_caller_takes_the_only_chair_on_friday_at_10",
       shares="dental_first_caller_takes_the_only_chair_on_friday_at_10")
script("dental_takes_a_message_with_another_callback_number_read_back", MORNING, D,
       ["Can I leave a message for the dentist?", "My name is Lou Reed", "no",
        "my number is 201 555 0123", "yes", "Please call me about my crown", "bye"],
       heard("I have 2 0 1, 5 5 5, 0 1 2 3. Is that right?"),
       heard("call you back at 2 0 1, 5 5 5, 0 1 2 3"),
       message("+12015550123", "crown", "Lou Reed"),
       texted(DENTAL_OWNER, "crown", "+12015550123"), no_booking, not_transferred)
script("dental_takes_a_message_with_the_number_called_from", MORNING, D,
       ["Please have someone call me back", "Sam Lee", "yes", "I have a question about my bill", "bye"],
       heard("calling from, 9 1 7, 5 5 5, 2"),
       lambda r: message(r.caller, "bill", "Sam Lee")(r))
script("dental_answers_insurance_in_its_own_words", MORNING, D,
       ["Do you take Delta insurance?", "bye"],
       heard("Yes. We are in network with Delta Dental, Cigna and Aetna, and we file claims for "
             "most other PPO plans."), texts_only_to())
script("dental_answers_about_children_from_its_faq", MORNING, D,
       ["Do you see kids?", "no thanks"],
       heard("Yes, we see patients of every age from their first tooth."),
       caller_hung_up_by_receptionist)
script("dental_says_when_it_closes_today_in_new_york", MORNING, D,
       ["When do you close today?", "bye"],
       heard("close at 5 PM", "8 AM to noon and 1 PM to 5 PM"))
script("dental_says_how_late_it_is_open_on_wednesday", MORNING, D,
       ["How late are you open on Wednesday?", "bye"],
       heard("Wednesday, March 4th we close at 7 PM"), never_heard("Yes,"))
script("dental_says_it_is_open_now_until_its_lunch_break", MORNING, D,
       ["Are you open right now?", "bye"],
       heard("Yes, we're open now until noon today."))
script("dental_says_it_is_closed_on_saturday", MORNING, D,
       ["Are you open Saturday?", "bye"],
       heard("closed on Saturday, March 7th"), heard("Monday, March 9th"))
script("dental_prices_a_cleaning_by_name_and_whitening_by_alias", MORNING, D,
       ["How much is a cleaning?", "And how much is bleaching?", "no, bye"],
       heard_in_reply(1, "The price for cleaning is $120"),
       heard_in_reply(2, "The price for whitening is $350"))
script("dental_says_how_long_whitening_takes_and_books_it", MORNING, D,
       ["hello?", "I wanted to ask about whitening", "how long does it take?", "ok book it for Friday at 9",
        "Wen Yu", "yes please", "bye"],
       heard_in_reply(2, "$350"), heard_in_reply(3, "Whitening takes about 90 minutes."),
       never_heard("did not follow", "did not catch", "did not understand"),
       booked("Whitening", "2026-03-06 09:00", "Wen Yu"))
script("dental_does_not_invent_root_canals_or_their_price", MORNING, D,
       ["Do you do root canals?", "How much does a root canal cost?", "Can I book a root canal tomorrow?",
        "bye"],
       heard("we don't offer root canals", "cleaning"), never_heard("root canal is", "root canals is"),
       no_booking, lambda r: assert_no_amount(r, reply=2))
script("dental_transfers_a_caller_who_asks_for_a_person", MORNING, D,
       ["Can I speak to a real person please?"],
       transferred(DENTAL_TRANSFER), texted(DENTAL_OWNER, "transferred", DENTAL_TRANSFER), no_message)
script("dental_transfers_at_once_on_an_escalation_keyword", MORNING, D,
       ["My gum is swelling really badly"],
       transferred(DENTAL_TRANSFER), lambda r: len(caller_lines(r.rec)) == 1 or r.fail("said more"))
script("dental_transfers_after_three_turns_not_understood_each_asked_differently", MORNING, D,
       ["blorp fizzle wug", "the purple elephant sings loudly", "quantum banana toaster"],
       transferred(DENTAL_TRANSFER), heard_in_reply(3, "trouble understanding"),
       lambda r: r.lines[1] != r.lines[2] or r.fail("the same re-ask twice"))
script("dental_reasks_the_day_in_other_words_when_not_understood", MORNING, D,
       ["I want to book a cleaning", "hmm flibber jabber", "wobble wobble snork", "tomorrow at 9am",
        "Gus Grant", "yes", "bye"],
       lambda r: reasked_differently(r, 1, 2, 3),
       booked("Cleaning", "2026-03-04 09:00", "Gus Grant"), not_transferred)
script("dental_honours_a_closure_day_for_hours_and_bookings", MORNING, D,
       ["Are you open on Thursday?", "Can I book a cleaning on Thursday at 10?", "no, bye"],
       heard_in_reply(1, "We're closed on Thursday, March 5th for Staff training"),
       heard_in_reply(2, "We're closed on Thursday, March 5th"), no_booking,
       doc=dental(closures=[{"date": "2026-03-05", "reason": "Staff training"}]))
script("dental_is_closed_all_day_on_a_closure_day_and_takes_a_message", MORNING, D,
       ["Can I book a cleaning today?", "yes", "Nina Holt", "yes", "Call me about a checkup", "bye"],
       heard_in_reply(0, "We're closed today for Snow day", "tomorrow, Wednesday, March 4th at 8 AM"),
       heard("I can't book an appointment"), no_booking,
       lambda r: message(r.caller, "checkup", "Nina Holt")(r),
       doc=dental(closures=[{"date": "2026-03-03", "reason": "Snow day"}]))
script("dental_gives_its_address_and_directions", MORNING, D,
       ["Where are you located?", "bye"],
       heard("120 Main Street, Suite 4, Springfield, NJ 07081",
             "Free parking behind the building; we are on the second floor."))
script("dental_reads_its_payment_policy", MORNING, D,
       ["Can I pay with a credit card?", "bye"],
       heard("We take cash, all major credit cards and HSA cards."))
script("dental_caller_saying_bye_at_the_name_question_is_not_booked_as_bye", MORNING, D,
       ["I'd like a cleaning tomorrow at 11am", "bye"],
       no_booking, never_heard("for Bye"), caller_hung_up_by_receptionist)

# -- the hair salon (Chicago, friendly, booking only after hours), open: Tuesday 10:00 --
script("salon_books_a_haircut_on_the_14th_at_11", MORNING, S,
       ["I want a haircut on the 14th at 11", "Kim Park", "yes", "bye"],
       heard("women's haircut on Saturday, March 14th at 11 AM"),
       booked("Women's haircut", "2026-03-14 11:00", "Kim Park", utc="16:00"),
       texted(SALON_OWNER, "New booking", "Kim Park"))
script("salon_books_color_on_march_3rd_at_4pm", MORNING, S,
       ["Can I book color for March 3rd at 4pm?", "Lee Ann Womack", "yes", "bye"],
       heard("color today at 4 PM"),
       booked("Color", "2026-03-03 16:00", "Lee Ann", utc="22:00"))
script("salon_books_a_beard_trim_tomorrow_at_noon", MORNING, S,
       ["Can I get a beard trim tomorrow at noon?", "Omar Little", "yes", "bye"],
       heard("beard trim tomorrow, Wednesday, March 4th at noon"),
       booked("Beard trim", "2026-03-04 12:00", "Omar Little"))
script("salon_books_a_blow_dry_on_friday_at_half_past_two", MORNING, S,
       ["I'd like a blow dry on Friday at half past two", "Rosa Parks", "yes", "bye"],
       booked("Blowout", "2026-03-06 14:30", "Rosa Parks"))
script("salon_books_a_blowout_the_day_after_tomorrow_at_a_quarter_past_eleven", MORNING, S,
       ["Could I book a blowout the day after tomorrow at a quarter past eleven?", "Nia Long", "yes", "bye"],
       heard("blowout on Thursday, March 5th at 11:15 AM"),
       booked("Blowout", "2026-03-05 11:15", "Nia Long"))
script("salon_books_two_services_one_after_the_other", MORNING, S,
       ["can I get a trim and a beard trim this Saturday at 1pm", "Tim Ross", "yes",
        "and the beard trim on Saturday at 2pm", "yes", "bye"],
       heard("I'll book one service at a time: first women's haircut, then we can book beard trim."),
       lambda r: bookings_are(r, [("Women's haircut", "2026-03-07 13:00"), ("Beard trim", "2026-03-07 14:00")]))
script("salon_prices_by_alias", MORNING, S,
       ["How much is a blow dry?", "How much for a hair mask?", "bye"],
       heard_in_reply(1, "$45"), heard_in_reply(2, "$25"), heard("deep conditioning"))
script("salon_gives_no_price_for_wedding_hair", MORNING, S,
       ["How much is wedding hair?", "bye"],
       heard("no fixed price", "Free; we quote the wedding-day styling after it."),
       lambda r: assert_no_amount(r, reply=1))
script("salon_answers_walk_ins_in_its_own_words", MORNING, S,
       ["Do you take walk-ins?", "bye"],
       heard("We take walk-ins when a stylist is free, but booking ahead is the surest way to get a spot."))
script("salon_answers_which_products_it_uses", MORNING, S,
       ["What shampoo do you use?", "bye"],
       heard("We use and sell Aveda and Olaplex products."))
script("salon_is_closed_on_monday", MORNING, S,
       ["Are you open on Monday?", "bye"],
       heard("closed on Monday, March 9th"), heard("Tuesday, March 10th from 10 AM to 7 PM"))
script("salon_transfers_a_request_for_a_person_to_its_fallback_number", MORNING, S,
       ["Can I talk to someone?"], transferred(SALON_FALLBACK), fallback=SALON_FALLBACK)
script("salon_escalates_after_two_turns_not_understood", MORNING, S,
       ["gibber gabber zoo", "flim flam florp"],
       transferred(SALON_FALLBACK), heard_in_reply(2, "trouble understanding"), fallback=SALON_FALLBACK)
script("salon_does_not_invent_nails_or_book_a_perm", MORNING, S,
       ["Do you do nails?", "Can I book a perm tomorrow?", "bye"],
       heard_in_reply(1, "we don't offer nails"), heard_in_reply(2, "we don't offer perm"),
       no_booking, lambda r: assert_no_amount(r))
script("salon_first_caller_takes_the_only_chair_on_saturday_at_10", MORNING, S,
       ["Can I book a beard trim on Saturday at 10am?", "Al Fox", "yes", "bye"],
       booked("Beard trim", "2026-03-07 10:00", "Al Fox"),
       doc=salon(booking__capacity_per_slot=1))
script("salon_second_caller_is_offered_the_nearest_free_times", MORNING, S,
       ["Can I book a beard trim on Saturday at 10am?", "the last one", "Bo Shaw", "yes", "bye"],
       heard("10 AM is taken; I can offer 9:30 AM, 9:45 AM or 10:15 AM"),
       booked("Beard trim", "2026-03-07 10:15", "Bo Shaw"),
       after="salon_first_caller_takes_the_only_chair_on_saturday_at_10",
       shares="salon_first_caller_takes_the_only_chair_on_saturday_at_10")

# -- the plumber (Los Angeles, brief, forwards after hours), open: Tuesday 8:00 --
script("plumber_offers_the_morning_on_its_two_hour_grid_and_books_9", MORNING, P,
       ["I need a leak repair tomorrow in the morning", "9 works", "Sam Fix", "yes", "bye"],
       heard("I can offer 7 AM, 9 AM or 11 AM"),
       booked("Leak repair", "2026-03-04 09:00", "Sam Fix", utc="17:00"),
       lambda r: texts_only_to(r.caller)(r))
script("plumber_refuses_too_soon_and_books_1pm_today_in_los_angeles", MORNING, P,
       ["Can you do drain cleaning today at 9am?", "ok 1pm then", "Al Drain", "yes", "bye"],
       heard("too soon", "3 hours"),
       booked("Drain cleaning", "2026-03-03 13:00", "Al Drain", utc="21:00"))
script("plumber_transfers_a_flooding_basement_at_once", MORNING, P,
       ["Help, my basement is flooding!"],
       transferred(PLUMBER_TRANSFER), texted(PLUMBER_TRANSFER, "escalation keyword"))
script("plumber_transfers_a_burst_pipe", MORNING, P,
       ["I think we have a burst pipe under the sink"], transferred(PLUMBER_TRANSFER))
script("plumber_gives_no_price_for_a_water_heater", MORNING, P,
       ["How much is a new water heater?", "bye"],
       heard("no fixed price"), lambda r: assert_no_amount(r, reply=1))
script("plumber_answers_the_area_it_covers", MORNING, P,
       ["Do you cover Berkeley?", "bye"],
       heard("Oakland, Berkeley, Alameda, San Leandro and the rest of the East Bay."))
script("plumber_takes_a_message_with_a_number_said_in_words", MORNING, P,
       ["Can someone call me back about a quote?", "Rita Moreno", "no",
        "five one zero five five five zero one nine nine", "yes", "I need a quote for new pipes", "bye"],
       heard("5 1 0, 5 5 5, 0 1 9 9"),
       message("+15105550199", "quote for new pipes", "Rita Moreno"),
       texted(PLUMBER_TRANSFER, "quote for new pipes"))
script("plumber_reads_back_a_callback_number_said_with_the_request", MORNING, P,
       ["Could someone call me back, my number is plus one 415 555 0134", "Dee Ray", "yes",
        "Need a quote for a new sink", "bye"],
       heard("I have 4 1 5, 5 5 5, 0 1 3 4. Is that right?"), never_heard("calling from"),
       message("+14155550134", "new sink", "Dee Ray"))
script("plumber_lists_its_services_instead_of_roofing_and_comes_out_tomorrow_at_1", MORNING, P,
       ["do you guys do roofing?", "ok what do you do then?", "can you come tomorrow at 1?", "a service call",
        "Ana Diaz", "yep", "bye"],
       heard_in_reply(1, "we don't offer roofing"), never_heard("offer then"),
       heard_in_reply(2, "service call, drain cleaning, camera inspection"),
       booked("Service call", "2026-03-04 13:00", "Ana Diaz"), not_transferred)
script("plumber_is_open_now_until_6pm_in_its_zone", MORNING, P,
       ["Are you open right now?", "bye"], heard("Yes, we're open now until 6 PM today."))
script("plumber_prices_drain_cleaning_by_alias", MORNING, P,
       ["What do you charge for a clogged drain?", "bye"], heard("$189"))

# -- the same instant in three zones: 9:30 in New York, 8:30 in Chicago, 6:30 in LA --
script("early_dental_in_new_york_is_open", EARLY, D,
       ["Are you open now?", "bye"], heard("Yes, we're open now until noon today."),
       never_heard("closed right now"))
script("early_salon_in_chicago_has_not_opened_yet", EARLY, S,
       ["Are you open now?", "bye"],
       heard_in_reply(0, "We're closed right now; we open again today, Tuesday, March 3rd at 10 AM"),
       heard_in_reply(1, "we open again today, Tuesday, March 3rd at 10 AM"))
script("early_plumber_in_los_angeles_forwards_to_its_after_hours_number", EARLY, P,
       [], heard_in_reply(0, "putting you through"), transferred(PLUMBER_FORWARD))

# -- the evening: all three closed --
script("evening_dental_greets_closed_and_takes_a_message_instead_of_booking", EVENING, D,
       ["I'd like to book a cleaning", "yes", "Pat Kim", "yes", "Please call me to book a cleaning next week",
        "no thanks, bye"],
       heard_in_reply(0, "We're closed right now; we open again tomorrow, Wednesday, March 4th at 8 AM"),
       heard("I can't book an appointment"), no_booking, not_transferred,
       lambda r: message(r.caller, "next week", "Pat Kim")(r))
script("evening_dental_takes_a_message_for_a_person_instead_of_transferring", EVENING, D,
       ["Can I talk to a real person?", "Lou Reed", "no", "my number is 201 555 0124", "yes",
        "tell the dentist my crown fell out", "bye"],
       heard("no one can take your call"), not_transferred,
       message("+12015550124", "crown fell out", "Lou Reed"))
script("evening_dental_gives_tomorrows_hours", EVENING, D,
       ["Are you open tomorrow?", "bye"],
       heard("tomorrow, Wednesday, March 4th we're open 8 AM to noon and 1 PM to 7 PM"))
script("evening_salon_books_a_mens_haircut_for_tomorrow", EVENING, S,
       ["Can I get a men's haircut tomorrow at 11?", "Joe Carter", "yes", "bye"],
       heard_in_reply(0, "I can still book an appointment"),
       booked("Men's haircut", "2026-03-04 11:00", "Joe Carter", utc="17:00"))
script("evening_salon_offers_a_booking_instead_of_a_message", EVENING, S,
       ["Can I leave a message?", "no", "bye"],
       heard("can't take messages while we're closed"), no_message, no_booking)
script("evening_salon_offers_a_booking_to_a_caller_asking_for_a_manager", EVENING, S,
       ["I want to speak to a manager", "no thanks", "bye"],
       heard("no one is available right now"), not_transferred, no_message, fallback=SALON_FALLBACK)
script("evening_salon_answers_what_about_sunday_after_an_hours_question", EVENING, S,
       ["when do you open tomorrow?", "what about Sunday?", "bye"],
       heard_in_reply(1, "Tomorrow, Wednesday, March 4th we're open 10 AM to 7 PM"),
       heard_in_reply(2, "Sunday, March 8th we're open 11 AM to 4 PM"))
script("evening_salon_offers_a_booking_not_a_transfer_after_two_turns_not_understood", EVENING, S,
       ["blah blah", "gargle foo", "no thanks", "bye"],
       heard_in_reply(2, "trouble understanding. We're closed and no one is available right now",
                      "I can book an appointment for you"),
       not_transferred, no_message, fallback=SALON_FALLBACK)
script("evening_salon_says_no_time_is_left_today_and_books_tomorrow_evening", EVENING, S,
       ["can I get a beard trim tonight at 9pm?", "tomorrow at 6pm then", "Ola Ray", "yes", "bye"],
       heard_in_reply(1, "There's no time left to book today. The next day we're open is tomorrow, "
                         "Wednesday, March 4th."),
       never_heard("What time would suit you today"),
       booked("Beard trim", "2026-03-04 18:00", "Ola Ray", utc="00:00"))
script("evening_plumber_forwards_to_its_after_hours_number", EVENING, P,
       [], heard_in_reply(0, "putting you through"), transferred(PLUMBER_FORWARD))


def assert_no_amount(r, reply=None):
    lines = r.lines if reply is None else [r.lines[reply]]
    for line in lines:
        assert not amounts_in(line), f"a price was said: {line}"


def reasked_differently(r, *replies):
    """The replies after turns not understood re-ask, each in other words."""
    said = [r.lines[i] for i in replies[:-1]]
    assert len(set(said)) == len(said), said
    assert r.lines[replies[0] - 1] not in said, (r.lines[replies[0] - 1], said)
    for s in said:
        assert "day" in s.lower(), s


# ---- running them ----

class Run:
    def __init__(self, s, stack, bid, number):
        self.s, self.stack, self.bid, self.number = s, stack, bid, number
        self.caller, self.zone, self.doc = s.caller, ZONES[s.kind], s.doc
        self.call = None
        self.rec = None
        self.error = None
        self.done = threading.Event()

    @property
    def lines(self):
        return agent_lines(self.rec)

    @property
    def transfers(self):
        return transfers(self.rec)

    def texts(self):
        """The business's texts, once every text its calls queued has been sent."""
        r = self.stack.redis()
        wait_for(lambda: r.xlen(tkey(self.bid, "sms")) == 0, timeout=20, what="texts sent")
        return texts_from(self.stack.sim, self.number)

    def pg(self, sql, *args):
        from harness import pg_rows
        return pg_rows(E, sql, *args)

    def fail(self, why):
        raise AssertionError(why)


_state = {}


def _start():
    """Starts the stacks and every script (once); returns {name: Run}."""
    if "runs" in _state:
        return _state["runs"]
    t0 = time.time()
    stacks = {clock: ClockStack(E, clock, FRONTDESK_SILENCE_MS=3000) for clock in (MORNING, EARLY, EVENING)}
    _state["stacks"] = stacks
    runs = {}
    for s in SCRIPTS:
        st = stacks[s.clock]
        if s.shares:
            first = runs[s.shares]
            runs[s.name] = Run(s, st, first.bid, first.number)
        else:
            runs[s.name] = Run(s, st, *st.business(s.doc, fallback=s.fallback))
    _state["setup_s"] = time.time() - t0

    def play(run):
        try:
            if run.s.after:
                assert runs[run.s.after].done.wait(90), "the script before did not end"
            st = run.stack
            run.call = st.sim.call(run.number, run.caller, [{"say": u} for u in run.s.say])
            run.rec = st.sim.wait_ended(run.call, timeout=90)
            wait_call_logged(E, run.call)
        except Exception as err:      # reported by the script's test
            run.error = err
        finally:
            run.done.set()

    threads = [threading.Thread(target=play, args=(r,)) for r in runs.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(150)
    _state["runs"] = runs
    print(f"    {len(runs)} scripts on {len(stacks)} clocks: set-up {_state['setup_s']:.1f}s, "
          f"calls {time.time() - t0 - _state['setup_s']:.1f}s", flush=True)
    return runs


def _check(name):
    run = _start()[name]
    if run.error is not None:
        raise AssertionError(f"{name}: the call did not finish: {run.error}")
    try:
        lines = run.lines
        assert len(lines) >= 1, "the receptionist said nothing"
        assert len(set(lines)) == len(lines), f"a reply said twice word for word: {lines}"
        allowed = allowed_amounts(run.doc)
        for line in lines:
            assert amounts_in(line) <= allowed, f"an amount the business does not hold: {line}"
        for check in run.s.checks:
            check(run)
    except AssertionError as err:
        transcript = "\n".join(f"      {t['speaker']}: {t['text']}" for t in run.rec["transcript"])
        raise AssertionError(f"{name}: {err}\n    transcript:\n{transcript}") from None


def _make_test(name):
    def test():
        _check(name)
    test.__name__ = "test_" + name
    return test


for _s in SCRIPTS:
    globals()["test_" + _s.name] = _make_test(_s.name)


def test_there_are_at_least_40_scripts_for_three_businesses():
    assert len(SCRIPTS) >= 40
    assert {s.kind for s in SCRIPTS} == {D, S, P}
    assert len({s.caller for s in SCRIPTS}) == len(SCRIPTS)


def test_every_request_to_the_simulator_was_valid_telnyx():
    _start()
    for clock, st in _state["stacks"].items():
        assert st.sim.invalid_requests() == [], (clock, st.sim.invalid_requests()[:3])


def test_processes_stop_cleanly():
    for st in _state.get("stacks", {}).values():
        codes = st.stop()
        assert all(c == 0 for c in codes.values()), codes
