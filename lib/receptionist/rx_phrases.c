/* lib/receptionist/rx_phrases.c: the receptionist's phrase catalogue; see rx_phrases.h for what is
 * here and what is not. Grouped as the header is: first the words it listens for, then
 * the wordings it says. The order within a list matters only where a comment in the
 * header says so (the longest first). */
#include <stddef.h>

#include "receptionist/rx_phrases.h"

/* ==== words it listens for ==== */

/* ---- the conversation ---- */

const char *const rx_yes_words[] = {
    "yes", "yeah", "yep", "yup", "ya", "sure", "correct", "right", "thats right", "ok", "okay",
    "sounds good", "perfect", "absolutely", "go ahead", "book it", "do it", "fine", "great",
    "please do", "yes please", "definitely", "of course", "that works", "works for me",
    "that would be great", "alright", "all right", "affirmative", "certainly", "it is", "good",
    "bet", "you bet", "sounds like a plan", NULL};
const char *const rx_no_words[] = {
    "no", "nope", "nah", "not really", "dont", "do not", "wrong", "not right", "thats not",
    "incorrect", "never mind", "nevermind", "not quite", "cancel that", "no thanks", "no thank you",
    "negative", "isnt", "not that", "neither", "none of those", "none of them", NULL};
const char *const rx_yes_first_words[] = {" yes ", " yeah ", " yep ", " yup ", " sure ", " ok ",
                                          " okay ", " please ", NULL};
const char *const rx_question_words[] = {"what", "whats", "how", "when", "where", "which", "do you",
                                         "does", "is there", "are there", "are you", "can you tell",
                                         "do i", "do we", "do they", "is the", "is it", "is that",
                                         "will i", "should i", "do you guys", "do yall", "can yall",
                                         "are yall", "is yall", NULL};
const char *const rx_drop_words[] = {
    "never mind", "nevermind", "forget it", "forget about it", "changed my mind",
    "dont worry about it", "dont bother", "not anymore", "no message", NULL};
const char *const rx_goodbye_words[] = {
    "bye", "goodbye", "good bye", "thats all", "that is all", "thats it", "that was all",
    "have a good day", "have a nice day", "hang up", "im done", "nothing else", "thats everything",
    "talk to you later", "see you", "have a good one", "have a great day", "have a good night",
    "good night", "thatll be all", "that will be all", "thats all i needed", "talk soon",
    "catch you later", NULL};
const char *const rx_goodbye_last_words[] = {"take care", NULL};
const char *const rx_repeat_words[] = {
    "repeat that", "repeat it", "say that again", "say it again", "what was that", "come again",
    "pardon", "what did you say", "didnt catch that", "didnt hear", "one more time",
    "can you repeat", "could you repeat", NULL};
const char *const rx_thanks_words[] = {"thank you", "thanks", "appreciate", "cheers", NULL};
/* Words that accept an offer, as "ok" and "great" alone do not when thanks follow. */
const char *const rx_accept_words[] = {
    "yes", "yeah", "yep", "yup", "sure", "please", "book", "go ahead", "do it", "definitely",
    "absolutely", "of course", "lets", "sign me up", "take a message", "that works", NULL};
const char *const rx_hello_words[] = {"hi", "hello", "hey", "good morning", "good afternoon",
                                      "good evening", NULL};
const char *const rx_person_words[] = {
    "talk to someone", "speak to someone", "talk to somebody", "speak to somebody",
    "real person", "a person", "human", "operator", "representative", "live person",
    "talk to a", "speak to a", "speak with", "talk with", "someone real", "receptionist",
    "manager", "the owner", "an agent", "talk to the", "speak to the",
    "put me through", "transfer me", "connect me", "agent", "speak to", "talk to", NULL};
const char *const rx_person_not_wanted_words[] = {
    "dont need", "do not need", "dont want", "do not want", "no need", "without",
    "talk to you", "speak to you", "talk to my", "speak to my", "talk to him", "talk to her",
    "talk to them", "check with", "whos the", "who is the", "who owns", "who runs", NULL};

/* ---- small talk ---- */

const char *const rx_robot_words[] = {
    "robot", "a machine", "a bot", "automated", "are you real", "are you human",
    "are you a person", "are you a real person", "is this a person", "is this a real person",
    "am i talking to a person", "am i talking to a real person", "artificial", "an ai",
    "is this ai", "are you ai", NULL};
const char *const rx_ask_for_someone_words[] = {"i want", "id like", "i would like", "let me",
                                                "speak to", "talk to", "transfer", "put me through",
                                                "connect me", "get me", "can i get", "could i get",
                                                "can i have", "could i have", "i need", "on the line",
                                                "on the phone", NULL};
const char *const rx_how_are_you_words[] = {"how are you", "hows it going", "how is it going",
                                            "how have you been", "hows your day", NULL};
const char *const rx_hear_me_words[] = {"can you hear me", "are you there", "you there",
                                        "anyone there", "is anyone there", NULL};

/* ---- booking, cancelling, moving ---- */

const char *const rx_book_words[] = {
    "book", "appointment", "schedule", "reserve", "reservation", "come in", "set up",
    "get me in", "availability", "available", "openings", "opening", "slot",
    "fit me in", "squeeze me in", "send someone", "come out", "make a booking", "can you come",
    "could you come", "come over", "go out", "get somebody out", "get someone out",
    "send somebody", "have someone come", "have somebody come", "stop by", "enroll", "enrol", NULL};
const char *const rx_want_words[] = {"id like", "i would like", "i want", "i need",
                                     "can i get", "can i have", "could i get", "looking for",
                                     "can i come", "can someone", "can somebody", "could someone",
                                     "could somebody", "needs a", "needs an", "ill take",
                                     "ill have", "ill get", "let me get", "ill do", "want you to",
                                     "need you to", NULL};
const char *const rx_service_question_words[] = {"how long", "how much", "how many minutes",
                                                 "how expensive", "more expensive", "cost more",
                                                 "costs more", "charge more", "extra charge",
                                                 "need to be there", "have to be there", "need to be home",
                                                 "have to be home", "should i do", "do i need to do",
                                                 "to get ready", "to prepare", "should i bring", "do i need to bring",
                                                 NULL};
const char *const rx_booking_verb_words[] = {"book", "schedule", "reserve", "reservation",
                                             "make a booking", "set up", "enroll", "enrol", NULL};
const char *const rx_any_time_words[] = {"any time", "anytime", "whenever", "what do you have",
                                         "whats available", "what times", "earliest",
                                         "first available", "whatever", "what time do you have",
                                         "whats free", "anything", "as soon as possible", "asap",
                                         "soonest", "as soon as you can", NULL};
const char *const rx_first_thing_words[] = {"first thing", "as early as you", "first appointment",
                                            "first slot", "first spot", "as soon as you open",
                                            "right when you open", "when you first open", NULL};
const char *const rx_right_now_words[] = {"right now", "right away", "immediately", NULL};
const char *const rx_soonest_words[] = {"earliest", "soonest", "first available",
                                        "next available", "as soon as possible", "asap", NULL};
const char *const rx_first_pick_words[] = {"first", "earlier", "earliest", "1st", NULL};
const char *const rx_second_pick_words[] = {"second", "middle", "2nd", NULL};
const char *const rx_last_pick_words[] = {"last", "later", "latest", "third", "3rd", NULL};
const char *const rx_move_words[] = {"reschedule", "move my", "change my appointment",
                                     "change my booking", "change the time", "push back my",
                                     "move the appointment", "move the booking", "push my",
                                     "bump my", "rebook my", "move it to", "shift my",
                                     "shift it", "push it to", "push it back", "switch my",
                                     "move our", "push our", "bump our", "shift our",
                                     "switch our", "change our", "bump it", "bump that",
                                     "push that", "move that", "shift that", "move it up",
                                     "move it back", "push it up", NULL};
const char *const rx_trouble_words[] = {
    "what do i do", "what should i do", "what can i do", "dont know what to do", "im scared",
    "im afraid", "im worried", "help me", "in danger", "not safe", "emergency", "urgent",
    "hurt", "bleeding", "swallowed", "ate", "poison", "sick", "threatening", NULL};
const char *const rx_when_closed_words[] = {
    "when youre closed", "when you are closed", "when youre not open", "after hours",
    "at night", "in the middle of the night", "overnight", "when the office is closed",
    "when nobodys there", "when no one is there", NULL};
const char *const rx_what_then_words[] = {
    "what do i do", "what should i do", "what can i do", "supposed to do", "who do i call",
    "who should i call", "where do i go", "where should i go", "what happens if", "what if",
    NULL};
const char *const rx_change_words[] = {
    "instead", "make it", "make that", "can we do", "could we do", "can i do", "could i do", "how about",
    "what about", "change", "switch", "rather", "can we make", "can you make", "move it", NULL};
const char *const rx_same_time_words[] = {"same time", "same hour", "same slot", NULL};
const char *const rx_hypothetical_words[] = {
    "what if", "what happens if", "what happens when", "is there a fee", "is there a charge",
    "is there a penalty", "do you charge", "do i lose", "do i get charged", "will i be charged",
    "what is the policy", "whats the policy", "whats your policy", "how far ahead", "how far in advance",
    "how much notice", "how long before", "how soon do i", "how late can i", "without paying",
    "without being charged", "without a fee", "if i cancel", "if we cancel", "if i have to cancel",
    "if i need to cancel", "if i had to cancel", "have to pay for it", "still have to pay", "still pay for",
    "get charged", "be charged", NULL};
const char *const rx_cancel_words[] = {"cancel my", "cancel the appointment",
                                       "cancel the booking", "cancel an appointment",
                                       "cancel our", "cancel appointment", "cant make it",
                                       "cannot make it", "cancel it", "need to cancel",
                                       "want to cancel", "like to cancel", "wont be able to make",
                                       "not be able to make", "unable to make", "wont make it",
                                       "cant come in", "cannot come in", "cancel the",
                                       "have to cancel", "got to cancel", "gotta cancel",
                                       "cant make my", "cannot make my",
                                       "can you cancel", "could you cancel", "please cancel", NULL};

/* ---- a message ---- */

const char *const rx_message_request_words[] = {
    "leave a message", "take a message", "message", "call me back", "callback", "call back",
    "have someone call", "get back to me", "pass on", "let them know", "tell them",
    "leave a note", "have them call", "someone call me", "i need to give you", "pass along",
    "let you guys know", "need you to know", "somebody call me", "someone to call me",
    "somebody to call me", "lost and found", "i left my", "i think i left", "we left our",
    "left behind", NULL};
const char *const rx_message_announce_words[] = {
    "need to give you", "have to give you", "want to give you", "need to tell you", "want to tell you",
    "have to tell you", "have something to tell", NULL};
const char *const rx_new_number_words[] = {
    "use my", "use this", "use the", "use that", "instead", "my number is", "number is",
    "my cell", "my work", "my mobile", "my home", "reach me at", "reach me on", "call me at",
    "call me on", "different number", "another number", "other number", "better number",
    "new number", NULL};
const char *const rx_tell_them_words[] = {"let them know that", "let her know that",
                                          "let him know that", "let them know", "let her know",
                                          "let him know", "tell them that", "tell her that",
                                          "tell him that", "tell them", "tell her", "tell him",
                                          NULL};
const char *const rx_number_start_words[] = {"area code", "first", "start", "starts", "beginning",
                                             NULL};
const char *const rx_number_end_words[] = {"end", "ends", "ending", "last", NULL};
const char *const rx_calling_from_words[] = {"calling from", "called from", "calling on",
                                             "this number", "this phone", "same number",
                                             "caller id", "number you have",
                                             "number that came up", "one im on", NULL};
const char *const rx_other_number_words[] = {"not the", "not this", "not that", "not my",
                                             "different", "another", "other", NULL};
const char *const rx_no_number_words[] = {
    "rather not give", "rather not leave", "rather not say", "rather not share",
    "prefer not to give", "prefer not to leave", "prefer not to say", "prefer not to share",
    "dont want to give", "dont want to leave", "dont want to share", "not giving",
    "no number", "without a number", "without my number", "dont need a call",
    "dont need a callback", "dont call me", "ill call back", "ill call them back",
    "ill call her back", "ill call him back", "ill call again", "ill try again",
    "i will call back", NULL};

/* ---- questions about the business ---- */

const char *const rx_hours_words[] = {"hours", "open", "opens", "close", "closes", "closed",
                                      "closing", "opening time", "opening hours", "what days do you",
                                      "which days do you", "what days are you", NULL};
const char *const rx_hours_only_words[] = {"what days and times", "what days and hours", "days and times",
                                           "days and hours", "hours of operation", "business hours",
                                           "what are your hours", "what your hours are", "how late are you",
                                           "how late do you", "how late is the", "how early do you open",
                                           "how early are you", NULL};
const char *const rx_whole_week_words[] = {"during the week and", "weekdays and", "week and weekend",
                                           "week and on the weekend", "all week", "whole week",
                                           "every day of the week", "days and times", "days and hours", NULL};
const char *const rx_work_words[] = {"do you work", "are you working", "are you guys working",
                                     "do you guys work", NULL};
const char *const rx_follow_up_words[] = {"what about", "how about", "and on", "and what about",
                                          NULL};
const char *const rx_close_words[] = {"close", "closes", "closing", "shut", "how late",
                                      "until when", "till when", NULL};
const char *const rx_now_words[] = {"now", "right now", "currently", "still", "at the moment",
                                    NULL};
const char *const rx_price_words[] = {"how much", "price", "prices", "cost", "costs",
                                      "charge", "fee", "pricing", "rate", "rates",
                                      "expensive", "cheap", "run me", "run us", "set me back",
                                      "set us back", "what do i owe", "what would i owe", NULL};
const char *const rx_how_much_not_price_words[] = {
    "how much notice", "how much time", "how much warning", "how much advance", "how much ahead",
    "how much longer", "how much earlier", "how much later", "how much experience", "how much of a heads up",
    "how much lead time", "how much room", "how much space", NULL};
/* what a price covers, which the business's FAQ says better than the figure again */
const char *const rx_price_covers_words[] = {"include", "includes", "included", "including",
                                             "extra", "on top", NULL};
const char *const rx_duration_words[] = {"how long", "duration", "take long", "how many minutes",
                                         "how many hours", NULL};
const char *const rx_services_list_words[] = {"services", "what do you offer", "what do you do",
                                              "what can you do", "what do you have", "menu",
                                              "price list", "treatments", "what else do you",
                                              "what kind of", "what sort of", "what all do you",
                                              "what do you guys do", "what do yall do", "what kinds of",
                                              "what sorts of", "what type of", "what types of",
                                              "kinds of stuff", "kinds of things", "kind of stuff",
                                              "what do you fix", "what do you guys fix", "what can you fix",
                                              "what do you repair", "what do you work on", "what do you treat",
                                              "what do you sell", "what do you teach", "what do you carry",
                                              NULL};
const char *const rx_address_words[] = {"address", "located", "location", "where are you",
                                        "directions", "get there", "where is your",
                                        "wheres your", "find you", "get to you",
                                        "where you are", NULL};
/* the business's place, asked "where" about: "where exactly is your office?" */
const char *const rx_place_words[] = {"office", "shop", "store", "studio", "clinic", "building",
                                      "place", "practice", "salon", NULL};
const char *const rx_it_words[] = {"it", "that", "this", NULL};
const char *const rx_age_words[] = {
    "kid", "kids", "kiddie", "kiddies", "child", "childs", "children", "childrens", "toddler",
    "toddlers", "baby", "babys", "babies", "junior", "juniors", "teen", "teens", "teenage",
    "youth", NULL};

const struct rx_policy_words rx_policy_words[] = {
    {"cancellation", {"cancellation", "cancel", "cancelling", "canceling", "no show",
                      "reschedule policy", "late cancel", "cancellation fee", NULL}},
    {"payment", {"pay", "payment", "card", "credit", "debit", "cash", "check", "cheque",
                 "apple pay", "venmo", "tip", "tips", "hsa", NULL}},
    {"late_arrival", {"late", "running late", NULL}},
    {"warranty", {"warranty", "guarantee", "guaranteed", NULL}},
    {"new_patients", {"new patient", "first visit", "first time", "forms", "what should i bring",
                      "what do i bring", "what do i need to bring", "what to bring", "do i need to bring",
                      "should i bring", "bring anything", "never been there", NULL}},
    {NULL, {NULL}},
};

const struct rx_service_cue rx_service_cues[] = {
    {" do you do ", "offer"}, {" do you guys do ", "offer"}, {" do you offer ", "offer"},
    {" do you guys offer ", "offer"}, {" do you provide ", "offer"}, {" do you sell ", "offer"},
    {" can you do ", "offer"}, {" do you fix ", "fix"}, {" do you guys fix ", "fix"},
    {" can you fix ", "fix"}, {" do you repair ", "repair"}, {" do you guys repair ", "repair"},
    {" can you repair ", "repair"}, {" do you install ", "install"},
    {" do you guys install ", "install"}, {" can you install ", "install"},
    {" how much is an ", "offer"}, {" how much is a ", "offer"}, {" how much is ", "offer"},
    {" how much are ", "offer"}, {" how much for an ", "offer"}, {" how much for a ", "offer"},
    {" how much for ", "offer"}, {" how much does an ", "offer"}, {" how much does a ", "offer"},
    {" how much does ", "offer"}, {" how much do ", "offer"}, {" charge for an ", "offer"},
    {" charge for a ", "offer"}, {" charge for ", "offer"}, {" price of an ", "offer"},
    {" price of a ", "offer"}, {" price of ", "offer"}, {" price for a ", "offer"},
    {" price for ", "offer"}, {" cost of a ", "offer"}, {" cost of ", "offer"},
    {" book an ", "offer"}, {" book a ", "offer"}, {" book me for a ", "offer"},
    {" book me in for a ", "offer"}, {" appointment for an ", "offer"},
    {" appointment for a ", "offer"}, {" appointment for ", "offer"}, {" do you have ", "offer"},
    {" do you guys have ", "offer"}, {" do you carry ", "offer"}, {" do you guys carry ", "offer"},
    {" can you guys do ", "offer"}, {" do you teach ", "teach"}, {" do you guys teach ", "teach"},
    {NULL, NULL}};

/* ==== wordings it says: friendly, formal, brief ==== */

/* ---- the conversation ---- */

rx_wordings rx_hello_back_wordings = {
    {"Hi there! How can I help you today?", "Hello! What can I do for you?", "Hi! How can I help?"},
    {"Good day. How may I help you?", "Hello. How may I assist you?", "Good day. What can I do for you?"},
    {"Hi. How can I help?", "Hello. What do you need?", "Hi. Go ahead."},
};
rx_wordings rx_go_ahead_wordings = {
    {"Sure! What can I help you with?", "Of course, what do you need?", "Go ahead, I'm listening."},
    {"Certainly. What may I help you with?", "Of course. How may I help?", "Please, go ahead."},
    {"Sure. What?", "Go ahead.", "Yes?"},
};
rx_wordings rx_welcome_wordings = {
    {"You're welcome!", "My pleasure!", "Happy to help!"},
    {"You are most welcome.", "It is my pleasure.", "You are welcome."},
    {"Sure.", "Welcome.", "No problem."},
};
rx_wordings rx_anything_else_wordings = {
    {"Is there anything else I can help with?", "Anything else I can do for you?",
     "What else can I help you with?"},
    {"Is there anything else I may help you with?", "May I help you with anything else?",
     "Is there something else I can do for you?"},
    {"Anything else?", "What else can I do?", "Anything more?"},
};
rx_wordings rx_book_offer_wordings = {
    {"Would you like to book it?", "Shall I book that for you?", "Want me to book you in?"},
    {"Would you like to book an appointment?", "Shall I book it for you?", "May I book it for you?"},
    {"Book it?", "Want to book?", "Shall I book it?"},
};
rx_wordings rx_repeat_lead_wordings = {
    {"Sure! ", "Of course. ", "No problem. "},
    {"Certainly. ", "Of course. I said: ", "Allow me to repeat. "},
    {"Sure. ", "Again: ", "Once more: "},
};
rx_wordings rx_sorry_wordings = {
    {"Sorry, I didn't quite catch that.", "Hmm, I'm not sure I followed.", "Sorry, I missed that."},
    {"I beg your pardon, I did not understand.", "I am sorry, I did not follow that.",
     "My apologies, I did not catch that."},
    {"Sorry, didn't get that.", "Didn't catch that.", "Sorry?"},
};
rx_wordings rx_menu_wordings = {
    {"I can help with our services, prices and hours@1, or take a message. What would you like?",
     "You can ask me about prices, hours or where we are@1, or leave a message.",
     "Could you say that another way? For example, ask about a service or our hours@1, or leave a message."},
    {"I can tell you about our services, prices and opening hours@1, or take a message. How may I help?",
     "Could you phrase that differently? I can answer questions about our services and hours@1, or take a message.",
     "You may ask about our services, prices or hours@1, or leave a message."},
    {"Ask about services, prices, hours@1, or leave a message.", "Try: prices, hours@1, or a message.",
     "Services, prices, hours@1, or a message?"},
};
rx_wordings rx_still_there_wordings = {
    {"Are you still there?", "Hello, are you still with me?", "Still there?"},
    {"Are you still on the line?", "Hello, are you still there?", "May I help you with something?"},
    {"Still there?", "Hello?", "Are you there?"},
};
rx_wordings rx_goodbye_wordings = {
    {"Thanks so much for calling @1. Have a great day, bye!", "Thanks for calling @1! Take care, goodbye!",
     "It was a pleasure. Thanks for calling @1, bye!"},
    {"Thank you for calling @1. Goodbye.", "Thank you for calling @1. Have a good day. Goodbye.",
     "Thank you for your call to @1. Goodbye."},
    {"Thanks for calling @1. Bye.", "Bye, thanks for calling @1.", "Thanks, bye."},
};
rx_wordings rx_transfer_wordings = {
    {"Sure, let me put you through to someone now.", "Of course, I'll connect you with a member of our team.",
     "No problem, putting you through to someone now."},
    {"Certainly. I will transfer you to a member of our staff now.",
     "Of course. Please hold while I transfer you.", "Certainly. One moment while I connect you."},
    {"Transferring you now.", "Putting you through.", "Connecting you now."},
};
rx_wordings rx_urgent_wordings = {
    {"That sounds urgent, so I'm putting you through to someone right now.",
     "I understand, this is urgent. Connecting you to someone now.",
     "Let's get you help right away. Putting you through now."},
    {"I understand this is urgent. I am transferring you to a member of our staff immediately.",
     "That sounds urgent. Please hold while I transfer you right away.",
     "I will connect you with someone immediately."},
    {"Urgent: transferring you now.", "Putting you through right away.", "Connecting you now."},
};
rx_wordings rx_help_wordings = {
    {"Let me put you through to someone who can help.", "I'll connect you with someone who can help.",
     "Let me get you to a person who can help."},
    {"Allow me to transfer you to a member of our staff who can help.",
     "I will connect you with a member of our staff.", "Please hold while I transfer you to someone who can help."},
    {"Transferring you to someone who can help.", "Putting you through to a person.", "Connecting you."},
};
const char *const rx_again_leads[] = {"", "To repeat: ", "Once more: ", "As I said: ", "Again: ",
                                      "Just to say it again: ", "Let me repeat that: ", NULL};
const char *const rx_again_tails[] = {"", " Take your time.", " I'm here if you need me.",
                                      " Let me know.", NULL};

/* ---- small talk ---- */

rx_wordings rx_robot_answer_wordings = {
    {"I'm @1's automated receptionist. I can answer questions, book appointments and take messages, or put you through to the team. How can I help?",
     "You're talking to @1's virtual receptionist. I can help with questions, bookings and messages. What can I do for you?",
     "I'm an automated assistant for @1. I can answer questions, book you in or take a message. What do you need?"},
    {"I am the automated receptionist of @1. I can answer questions, book appointments and take messages. How may I help you?",
     "This is @1's virtual receptionist. I can help with questions, appointments and messages. How may I assist you?",
     "I am an automated assistant for @1. I can answer questions, make bookings and take messages. How may I help?"},
    {"I'm @1's automated receptionist. How can I help?", "Automated receptionist for @1. What do you need?",
     "Virtual receptionist, @1. How can I help?"},
};
rx_wordings rx_how_are_you_wordings = {
    {"I'm doing well, thanks for asking! How can I help you today?", "Doing great, thank you! What can I do for you?",
     "All good here, thanks! How can I help?"},
    {"I am well, thank you. How may I help you today?", "Very well, thank you for asking. How may I assist you?",
     "I am well, thank you. What can I do for you?"},
    {"Good, thanks. How can I help?", "Fine, thanks. What do you need?", "Good. Go ahead."},
};
rx_wordings rx_hear_you_wordings = {
    {"Yes, I can hear you! How can I help?", "I'm here and I can hear you. What can I do for you?",
     "Yes, loud and clear. How can I help?"},
    {"Yes, I can hear you. How may I help you?", "I am here and can hear you clearly. How may I assist you?",
     "Yes, I hear you. What can I do for you?"},
    {"Yes, I hear you. Go ahead.", "I'm here. Go ahead.", "Yes. How can I help?"},
};

/* ---- booking ---- */

rx_wordings rx_ask_day_wordings = {
    {"What day would suit you?", "Which day works best for you?", "What day were you thinking of?"},
    {"What day would you prefer?", "On which day would you like to come in?", "Which day would suit you?"},
    {"What day?", "Which day?", "Day?"},
};
rx_wordings rx_ask_name_wordings = {
    {"Can I get your name, please?", "And who should I put it under?", "What name should I use?"},
    {"May I have your name, please?", "Under which name shall I book it?", "Could I have your name?"},
    {"Your name?", "Name, please?", "What name?"},
};
rx_wordings rx_checking_wordings = {
    {"Let me check that for you.", "One moment while I check.", "Let me see what's free."},
    {"Allow me to check.", "One moment, please, while I check.", "Let me check our calendar."},
    {"Checking.", "One moment.", "Let me check."},
};
rx_wordings rx_read_back_wordings = {
    {"Great, that's @1 @2 for @3. Shall I book it?", "So that's @1 @2, under @3. Want me to book it?",
     "Perfect: @1 @2 for @3. Should I go ahead and book it?"},
    {"That is an appointment for @1 @2 for @3. Shall I book it?",
     "To confirm: @1 @2, under the name @3. Shall I book it?", "I have @1 @2 for @3. May I book it?"},
    {"@1, @2, for @3. Book it?", "@1 @2 for @3. Shall I book it?", "@1, @2, @3. Book it?"},
};

/* ---- a message ---- */

rx_wordings rx_message_ask_name_wordings = {
    {"Sure, I can take a message. What's your name?", "Happy to take a message. Who's calling?",
     "Of course. Can I get your name for the message?"},
    {"Certainly, I will take a message. May I have your name?",
     "I would be glad to take a message. May I have your name, please?",
     "Of course. Whom shall I say is calling?"},
    {"Sure. Your name?", "OK. Name?", "Message it is. Your name?"},
};
rx_wordings rx_message_ask_name_only_wordings = {
    {"What's your name?", "Who's calling, please?", "Can I get your name?"},
    {"May I have your name, please?", "Whom shall I say is calling?", "Could I have your name, please?"},
    {"Your name?", "Name?", "Who's calling?"},
};
rx_wordings rx_message_ask_number_wordings = {
    {"What number should we call you back on?", "What's the best number to reach you?",
     "Which number should they call?"},
    {"At which number may we call you back?", "What is the best number to reach you?",
     "Which number should we use to call you back?"},
    {"Callback number?", "Your number?", "Best number?"},
};
rx_wordings rx_message_ask_text_wordings = {
    {"And what would you like me to pass on?", "What's the message?", "What should I tell them?"},
    {"What message would you like me to pass on?", "Please go ahead with your message.",
     "What would you like me to tell them?"},
    {"Your message?", "Go ahead.", "What's the message?"},
};
/* The message said before it was asked for, kept: the number is asked next. */
rx_wordings rx_message_noted_wordings = {
    {"Got it, I'll pass that on.", "Okay, I've got that down.", "Sure, I'll make sure they get that."},
    {"Certainly, I have noted that.", "Very well, I have written that down.", "Of course, I will pass that on."},
    {"Noted.", "Got it.", "Okay, noted."},
};
rx_wordings rx_message_dropped_wordings = {
    {"No problem, I won't pass anything on.", "OK, no message then.",
     "Sure, I'll leave it there, no message."},
    {"Very well, I will not pass anything on.", "Certainly, I will not leave a message.",
     "Of course, no message will be passed on."},
    {"OK, no message.", "Fine, nothing passed on.", "No message, then."},
};
rx_wordings rx_without_number_wordings = {
    {"That's fine, you don't have to leave a number.", "No problem, we can do without a number.",
     "Sure, no number needed."},
    {"That is quite all right; a number is not required.",
     "Certainly, the message can go without a number.", "Of course, no number is needed."},
    {"OK, no number.", "Fine, no number.", "No number, then."},
};

/* ---- answers ---- */

rx_wordings rx_closed_now_wordings = {
    {"We're closed right now, ", "We're not open at the moment; ", "Right now we're closed; "},
    {"We are closed at the moment; ", "The office is currently closed; ", "We are closed now; "},
    {"Closed now; ", "We're closed now; ", "Closed at the moment; "},
};
rx_wordings rx_yes_we_offer_wordings = {
    {"Yes, we do offer @1! ", "We sure do offer @1. ", "Yes, @1 is something we do. "},
    {"Yes, we offer @1. ", "Certainly, we do offer @1. ", "Indeed, we offer @1. "},
    {"Yes, we offer @1. ", "We do @1. ", "Yes: @1. "},
};
