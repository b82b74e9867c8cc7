/* bench/rx_bench_config.c: see rx_bench_config.h. The names, aliases and FAQ entries are
 * written as a real spa would write them; prices, durations and upsells follow from a
 * service's place in the table. FAQ keywords keep clear of the receptionist's own cue
 * words (hours, prices, booking, messages, payment) and of the service names, as a
 * business's would: rx_bench checks every FAQ line it says is answered from its entry. */
#include "rx_bench_config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

const struct rx_bench_service rx_bench_services[RX_BENCH_SERVICES] = {
    {"Swedish massage", {"relaxation massage", "classic massage"}},
    {"Deep tissue massage", {"deep tissue", "firm pressure massage"}},
    {"Hot stone massage", {"stone massage", "hot stones"}},
    {"Prenatal massage", {"pregnancy massage", "maternity massage"}},
    {"Sports massage", {"athletic massage", "recovery massage"}},
    {"Couples massage", {"massage for two", "partner massage"}},
    {"Reflexology", {"foot reflexology", "reflexology session"}},
    {"Aromatherapy", {"aroma therapy", "essential oil massage"}},
    {"Classic facial", {"basic facial", "signature facial"}},
    {"Hydrating facial", {"moisture facial", "hydrafacial"}},
    {"Anti-aging facial", {"wrinkle facial", "age defying facial"}},
    {"Acne facial", {"acne treatment", "clear skin facial"}},
    {"Chemical peel", {"skin peel", "glycolic peel"}},
    {"Microdermabrasion", {"microderm", "skin polishing"}},
    {"Eyebrow wax", {"brow wax", "eyebrow waxing"}},
    {"Leg wax", {"leg waxing", "full leg wax"}},
    {"Bikini wax", {"bikini waxing", "brazilian wax"}},
    {"Underarm wax", {"underarm waxing", "armpit wax"}},
    {"Eyebrow tint", {"brow tint", "brow tinting"}},
    {"Eyelash tint", {"lash tint", "lash tinting"}},
    {"Lash lift", {"eyelash lift", "lash perm"}},
    {"Lash extensions", {"eyelash extensions", "full set of lashes"}},
    {"Lash fill", {"eyelash fill", "lash refill"}},
    {"Classic manicure", {"basic manicure", "manicure"}},
    {"Gel manicure", {"gel nails", "shellac manicure"}},
    {"Classic pedicure", {"basic pedicure", "pedicure"}},
    {"Spa pedicure", {"deluxe pedicure", "luxury pedicure"}},
    {"Nail art", {"nail design", "nail decoration"}},
    {"Acrylic full set", {"acrylic nails", "acrylics"}},
    {"Gel removal", {"nail polish removal", "soak off"}},
    {"Paraffin hand treatment", {"paraffin wax", "paraffin dip"}},
    {"Body scrub", {"salt scrub", "sugar scrub"}},
    {"Seaweed wrap", {"body wrap", "detox wrap"}},
    {"Mud wrap", {"clay wrap", "mud treatment"}},
    {"Spray tan", {"airbrush tan", "sunless tan"}},
    {"Sauna session", {"sauna", "infrared sauna"}},
    {"Float session", {"float tank", "sensory deprivation"}},
    {"Cupping therapy", {"cupping", "fire cupping"}},
    {"Acupuncture", {"needle therapy", "acupuncture session"}},
    {"Reiki", {"energy healing", "reiki session"}},
    {"Makeup application", {"makeup", "event makeup"}},
    {"Bridal makeup", {"wedding makeup", "bride makeup"}},
    {"Makeup lesson", {"makeup class", "makeup tutorial"}},
    {"Teeth whitening", {"whitening", "tooth whitening"}},
    {"Scalp treatment", {"scalp massage", "scalp therapy"}},
    {"Blowout", {"blow dry", "blow out"}},
    {"Haircut", {"hair cut", "trim"}},
    {"Hair color", {"hair colour", "dye job"}},
    {"Highlights", {"balayage", "foils"}},
    {"Keratin treatment", {"keratin", "hair smoothing"}},
};

const struct rx_bench_faq rx_bench_faq[RX_BENCH_FAQ] = {
    {"Is there parking?", "Yes, our own lot behind the building is free for clients.",
     {"parking", "park my car", "garage"}},
    {"Do you sell gift certificates?", "Yes, gift certificates come in any amount, printed or by email.",
     {"gift certificate", "voucher", "present for"}},
    {"Do you have wifi?", "Yes, the network is HarborGuest and the password is on the lobby sign.",
     {"wifi", "wi fi", "internet"}},
    {"Is the spa wheelchair accessible?", "Yes, the entrance has a ramp and every treatment room is on the ground floor.",
     {"wheelchair", "accessible", "ramp"}},
    {"Can I bring my children?", "Children are welcome in the lobby with an adult; treatments are for ages 13 and up.",
     {"children", "kids", "toddler"}},
    {"Can I bring my dog?", "Only service animals, please; our rooms must stay free of pet hair for allergic guests.",
     {"pets", "dog", "service animal"}},
    {"Is there a loyalty program?", "Every visit earns points; ten visits give you a free Swedish massage.",
     {"loyalty", "rewards", "points"}},
    {"Do you give a student discount?", "Students save 15 percent Monday to Thursday with a valid college card.",
     {"student discount", "students", "college"}},
    {"Do retirees get a discount?", "Guests over 65 save 10 percent on every service, every day.",
     {"retirees", "retired", "senior citizen"}},
    {"Do veterans get a discount?", "Veterans and active duty military save 15 percent, with thanks.",
     {"military", "veterans", "active duty"}},
    {"Do you have a membership?", "Members get one treatment a month and 20 percent off everything else.",
     {"membership", "members", "monthly plan"}},
    {"Do you reward referrals?", "Refer a friend and you both get 20 dollars off your next visit.",
     {"referral", "refer a friend", "referring"}},
    {"Do you provide robes and slippers?", "Yes, robes, slippers and towels are all provided.",
     {"robe", "slippers", "bathrobe"}},
    {"Are there showers and lockers?", "Yes, both changing rooms have showers and lockers with keys.",
     {"shower", "changing room", "locker"}},
    {"What should I wear?", "Wear whatever is comfortable; you undress to your comfort level and stay covered.",
     {"wear", "what to wear", "clothing"}},
    {"When should I arrive?", "Please arrive ten minutes ahead to check in and change.",
     {"arrive", "arrival", "check in"}},
    {"Is it safe while pregnant?", "After the first trimester, yes, with our prenatal massage and a doctor's approval.",
     {"pregnant", "expecting a baby", "trimester"}},
    {"I have sensitive skin; is that a problem?", "Tell your specialist; we have fragrance-free products for sensitive skin.",
     {"sensitive skin", "allergies", "fragrance free"}},
    {"Which skincare products do you use?", "We use Eminence Organics and Dermalogica.",
     {"products", "brands", "skincare line"}},
    {"Can I buy products to take home?", "Yes, our retail shelf in the lobby carries everything we use.",
     {"retail", "store", "take home"}},
    {"Are your products organic?", "Most are organic, and all of them are vegan and cruelty-free.",
     {"organic", "vegan", "cruelty free"}},
    {"Do you host groups?", "Groups of up to eight can have the whole spa on a weekday evening.",
     {"group", "party", "bachelorette"}},
    {"Do you do corporate events?", "Yes, we host team days at the spa and bring chair treatments to offices.",
     {"corporate", "team building", "company event"}},
    {"Do you take bridal parties?", "Yes, bridal parties get a private suite and champagne.",
     {"bridal party", "bridesmaids", "hen party"}},
    {"Do you have spa packages?", "The Harbor Day package is a massage, a facial and lunch.",
     {"package", "packages", "spa day"}},
    {"Is there something for an anniversary?", "Our romance package is a couples massage with chocolate and champagne.",
     {"anniversary", "date night", "romantic"}},
    {"Do you see men?", "Of course; many of our guests are men.",
     {"men", "male clients", "gentlemen"}},
    {"Do you treat teenagers?", "Guests from 13 to 17 are welcome with a parent's written consent.",
     {"teenager", "minor", "parental consent"}},
    {"How do you keep things clean?", "Every room is cleaned between guests, and tools are single-use or sterilised.",
     {"covid", "sanitize", "hygiene"}},
    {"Do I need to wear a mask?", "Masks are optional; your specialist will wear one if you ask.",
     {"mask", "face covering", "masks"}},
    {"What if I get sick?", "Please stay home if you have a fever; we move your visit without any charge.",
     {"sick", "fever", "flu"}},
    {"I have a medical condition; can I still come?", "Tell us when you arrive; high blood pressure or diabetes may change the treatment.",
     {"medical condition", "blood pressure", "diabetes"}},
    {"Do I need a doctor's note?", "Only for treatments during pregnancy or right after surgery.",
     {"doctors note", "prescription", "physician"}},
    {"Do you take insurance?", "We are not in network with insurance, but we give receipts for FSA claims.",
     {"insurance", "insured", "fsa"}},
    {"Are your specialists licensed?", "Every therapist and esthetician is licensed by the State of Illinois.",
     {"licensed", "certified", "qualified"}},
    {"Can I ask for a female therapist?", "Yes, tell us when you book and we'll match you.",
     {"female therapist", "male therapist", "therapist gender"}},
    {"Can I see the same specialist every time?", "Yes, ask for them by name and we'll keep them for you.",
     {"specific specialist", "favorite", "same specialist"}},
    {"Can I choose the music?", "Yes, pick a playlist or ask for silence.",
     {"music", "playlist", "quiet"}},
    {"Do your staff speak other languages?", "Some of our team speak Spanish and French.",
     {"spanish", "french", "language"}},
    {"Can I get something to eat?", "We serve tea, fruit water and light snacks in the relaxation lounge.",
     {"food", "snacks", "something to eat"}},
    {"Do you serve wine?", "Champagne comes with our packages; otherwise we keep the spa alcohol-free.",
     {"champagne", "wine", "alcohol"}},
    {"Can I use my cell phone?", "Please silence your mobile phone in the treatment rooms.",
     {"cell phone", "mobile phone", "silence my phone"}},
    {"I left something behind.", "Lost and found is kept at the front desk for thirty days.",
     {"lost and found", "left my", "forgot my"}},
    {"Can I take photos?", "Photos are fine in the lobby; please none in the treatment rooms.",
     {"instagram", "social media", "photos"}},
    {"Where can I leave a review?", "We'd love a review on Google or Yelp.",
     {"reviews", "yelp", "google"}},
    {"Are you hiring?", "We're always glad to meet licensed therapists; send a resume to jobs@harborspa.example.",
     {"jobs", "hiring", "career"}},
    {"Do you take interns?", "We take two beauty school interns each term.",
     {"interns", "internship", "apprentice"}},
    {"I sell spa supplies.", "Please email our manager; we don't take sales visits.",
     {"wholesale", "distributor", "supplier"}},
    {"Do you rent rooms to practitioners?", "Not at the moment; all our rooms are used by our own staff.",
     {"booth rental", "rent a room", "chair rental"}},
    {"Is there a waiting area?", "Yes, a lobby with chairs and tea for guests who arrive early.",
     {"waiting area", "waiting room", "lobby"}},
    {"Can someone come with me?", "A companion is welcome to wait in the lounge.",
     {"companion", "husband", "wife"}},
    {"What shoes should I bring?", "Bring sandals or flip flops so your polish is not smudged.",
     {"shoes", "sandals", "flip flops"}},
    {"Can I go back to work afterwards?", "Most guests can; a peel may leave some redness for a day.",
     {"back to work", "downtime", "redness"}},
    {"Can I go in the sun after a treatment?", "Avoid strong sun for a week after a peel, and wear sunscreen.",
     {"sun exposure", "sunburn", "sunscreen"}},
    {"Should I shave before waxing?", "No shaving for two weeks; hair growth should be a quarter inch.",
     {"shave", "shaving", "hair growth"}},
    {"How long do results last?", "Lash lifts last six weeks; tints four to six; waxing three to five.",
     {"results last", "long lasting", "last longer"}},
    {"How often should I come?", "Every four to six weeks suits most skin and most brows.",
     {"how often", "every few weeks", "frequency"}},
    {"Does it hurt?", "Most treatments don't; waxing stings for a moment.",
     {"hurt", "painful", "pain"}},
    {"Do you use numbing cream?", "Yes, on request before microneedling or brows.",
     {"numbing", "numbing cream", "anesthetic"}},
    {"Are there side effects?", "A little redness or bruising can happen and fades within a day or two.",
     {"side effects", "risks", "bruising"}},
    {"Can I have a consultation first?", "Yes, a fifteen minute consultation is free.",
     {"consultation", "consult", "assessment"}},
    {"Do you do a patch test?", "Yes, for tints and peels, at least two days before.",
     {"patch test", "skin test", "sensitivity test"}},
    {"What aftercare is needed?", "We send care instructions by text after your visit.",
     {"aftercare", "after care", "care instructions"}},
    {"How should I prepare?", "Come with clean skin, and drink water before any massage.",
     {"prepare", "preparation", "before my visit"}},
    {"Should I eat before?", "A light meal an hour ahead is best; not on an empty stomach.",
     {"eat before", "empty stomach", "meal"}},
    {"Can I wear contact lenses?", "Please take contacts out for lash and brow work; bring your glasses.",
     {"contact lenses", "contacts", "glasses"}},
    {"Should I take off my jewelry?", "Yes, please leave rings and necklaces in your locker.",
     {"jewelry", "jewellery", "rings"}},
    {"Can you work over tattoos?", "Yes, we work around fresh tattoos and piercings until they heal.",
     {"tattoo", "tattoos", "piercing"}},
    {"Do you do laser hair removal?", "No, we don't offer laser, IPL or electrolysis.",
     {"laser", "electrolysis", "ipl"}},
    {"Do you do Botox?", "No, we don't offer injections of any kind.",
     {"botox", "fillers", "injections"}},
    {"Do you have tanning beds?", "No; we only offer spray tans, without UV.",
     {"tanning bed", "sunbed", "uv"}},
    {"Do you do threading?", "No threading or microblading; we shape brows with wax.",
     {"threading", "henna", "microblading"}},
    {"Do you do ear candling?", "No, we don't offer ear candling.",
     {"ear candling", "hopi", "ear candles"}},
    {"Can you help with hair loss?", "Our scalp treatment helps thinning hair; see a doctor for sudden loss.",
     {"hair loss", "thinning", "bald"}},
    {"Do your stylists know curly hair?", "Yes, two of our stylists are trained in curly and natural texture.",
     {"curly", "curls", "natural texture"}},
    {"Do you do hair extensions?", "No, we don't fit hair extensions, clip-ins or tape-ins.",
     {"hair extensions", "clip ins", "tape ins"}},
    {"Do you style wigs?", "Yes, bring your wig and we'll wash and style it.",
     {"wig", "wigs", "hairpiece"}},
    {"Do you shape beards?", "Our barber shapes beards and mustaches on Fridays.",
     {"beard", "mustache", "facial hair"}},
    {"Can you treat nail fungus?", "No; please see a podiatrist for infections or ingrown nails.",
     {"fungus", "infection", "ingrown"}},
    {"I'm diabetic; is foot care safe for me?", "Yes, our medical pedicure is gentle and uses no blades.",
     {"diabetic", "neuropathy", "circulation"}},
    {"How do you clean your tools?", "Metal tools go through a hospital-grade autoclave after every guest.",
     {"sterilize", "sterilise", "autoclave"}},
    {"Can I bring my own polish?", "Yes, you can bring your own polish.",
     {"own polish", "my own polish", "bring my own"}},
    {"How many colors do you have?", "We carry over two hundred shades from OPI and Essie.",
     {"colors", "shades", "color selection"}},
    {"How long does a treatment take?", "Most take 30 to 90 minutes; we tell you when you book.",
     {"duration", "how many minutes", "length"}},
    {"What about holidays?", "We post holiday schedules in the lobby and online a month ahead.",
     {"holiday", "public holiday", "festive"}},
    {"What if it snows?", "If the city closes schools for snow, we call to move your visit.",
     {"snow", "storm", "weather"}},
    {"Can I come by bus?", "The 22 bus stops at our door, and the Red Line is two blocks away.",
     {"bus", "train", "transit"}},
    {"Is there a bike rack?", "Yes, there's a bike rack by the front door.",
     {"bike", "bicycle", "cycle"}},
    {"Do you have valet?", "Valet is free on Saturdays; curbside drop off works any day.",
     {"valet", "drop off", "curbside"}},
    {"Where is the restroom?", "The restrooms are past the lobby on the left.",
     {"restroom", "bathroom", "toilet"}},
    {"Will I be cold?", "Our tables are heated and there is always a warm blanket.",
     {"cold", "blanket", "heated table"}},
    {"Is it private?", "Every treatment is in a private room with a closed door.",
     {"private", "privacy", "discreet"}},
    {"Do I need identification?", "Bring proof of age only for a spray tan or a membership.",
     {"identification", "proof of age", "driving licence"}},
    {"What do you do with my information?", "We keep your records private and never sell your data.",
     {"records", "my information", "data"}},
    {"Do you have a newsletter?", "Sign up at the front desk for our monthly email list.",
     {"newsletter", "email list", "mailing list"}},
    {"Do you have an app?", "Yes, the Harbor app keeps your points and your visits.",
     {"app", "mobile app", "online account"}},
    {"I have a complaint.", "I'm sorry to hear it; our manager reads every piece of feedback and will call you.",
     {"complaint", "feedback", "unhappy"}},
    {"Can I get a refund?", "If you're not happy, tell us within a week and we'll redo the service.",
     {"refund", "money back", "not satisfied"}},
    {"Do you offer financing?", "Packages over 300 dollars can be split into four installments with Klarna.",
     {"financing", "installments", "klarna"}},
    {"Do you gift wrap?", "Yes, gift certificates come in a gift box with a ribbon.",
     {"gift wrap", "wrapping", "gift box"}},
};

long rx_bench_price_cents(size_t i)
{
    if (i % 10 == 9)
        return -1;
    return 2500 + (long)((i * 731) % 150) * 100 + (i % 2 == 0 ? 0 : 50);
}

static json_t *hours_range(const char *open, const char *close)
{
    return json_pack("[{s:s, s:s}]", "open", open, "close", close);
}

static json_t *build_services(void)
{
    json_t *list = json_array();
    for (size_t i = 0; i < RX_BENCH_SERVICES; i++) {
        const struct rx_bench_service *s = &rx_bench_services[i];
        char description[160], price[32];
        unsigned minutes = 15u * (unsigned)(1 + i % 8);
        snprintf(description, sizeof description,
                 "%s, about %u minutes with one of our specialists.", s->name, minutes);
        json_t *svc = json_pack("{s:s, s:[s,s], s:I, s:s, s:[s,s]}", "name", s->name,
                                "aliases", s->aliases[0], s->aliases[1],
                                "duration_minutes", (json_int_t)minutes,
                                "description", description,
                                "upsells", rx_bench_services[(i + 1) % RX_BENCH_SERVICES].name,
                                rx_bench_services[(i + 13) % RX_BENCH_SERVICES].name);
        long cents = rx_bench_price_cents(i);
        if (cents >= 0) {
            snprintf(price, sizeof price, "%ld.%02ld", cents / 100, cents % 100);
            json_object_set_new(svc, "price", json_string(price));
        }
        json_array_append_new(list, svc);
    }
    return list;
}

static json_t *build_faq(void)
{
    json_t *list = json_array();
    for (size_t i = 0; i < RX_BENCH_FAQ; i++) {
        const struct rx_bench_faq *f = &rx_bench_faq[i];
        json_t *keywords = json_array();
        for (size_t k = 0; k < 3 && f->keywords[k] != NULL; k++)
            json_array_append_new(keywords, json_string(f->keywords[k]));
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "question", f->question,
                                              "answer", f->answer, "keywords", keywords));
    }
    return list;
}

char *rx_bench_config_json(size_t *len)
{
    const char *weekdays[] = {"mon", "tue", "wed", "thu", "fri"};
    json_t *hours = json_object();
    for (size_t i = 0; i < 5; i++)
        json_object_set_new(hours, weekdays[i], hours_range("09:00", "19:00"));
    json_object_set_new(hours, "sat", hours_range("09:00", "17:00"));
    json_object_set_new(hours, "sun", json_array());
    json_t *doc = json_pack(
        "{s:i, s:s, s:s, s:s, s:s, s:s,"
        " s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:o,"
        " s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}],"
        " s:o, s:o,"
        " s:{s:s, s:s, s:s, s:s},"
        " s:{s:b, s:i, s:i, s:i, s:i},"
        " s:{s:s, s:b, s:i, s:[s,s,s]},"
        " s:{s:s},"
        " s:{s:s, s:[s,s,s]}}",
        "config_version", 1, "business_name", "Harbor Day Spa",
        "greeting", "Thank you for calling Harbor Day Spa. How can I help you today?",
        "tone", "friendly", "timezone", "America/Chicago", "currency", "USD",
        "address", "street", "2200 North Lakeview Avenue", "city", "Chicago", "region", "IL",
        "postal_code", "60614", "country", "US",
        "directions", "Across from the park; the entrance and our parking lot are on Belden Avenue.",
        "hours", hours,
        "closures", "date", "2025-12-25", "reason", "Christmas Day", "date", "2026-01-01",
        "reason", "New Year's Day", "date", "2026-05-25", "reason", "Memorial Day",
        "services", build_services(), "faq", build_faq(),
        "policies",
        "cancellation", "Please give us 24 hours' notice to cancel or move a visit; later cancellations are charged half the service.",
        "payment", "We take all major credit cards, Apple Pay and cash; payment is due after your treatment.",
        "late_arrival", "If you arrive late we still end on time, so your treatment may be shorter.",
        "gratuity", "Gratuity is never included; 18 to 20 percent is customary.",
        "booking", "enabled", 1, "slot_minutes", 15, "lead_time_minutes", 60,
        "max_days_ahead", 90, "capacity_per_slot", 3,
        "escalation", "transfer_number", "+13125550142", "on_request", 1,
        "after_misunderstood_turns", 3, "keywords", "emergency", "allergic reaction", "fainted",
        "after_hours", "action", "take_message",
        "notifications", "owner_sms", "+13125550199", "on", "booking", "message", "escalation");
    char *text = NULL;
    if (doc != NULL)
        text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    *len = text != NULL ? strlen(text) : 0;
    return text;
}
