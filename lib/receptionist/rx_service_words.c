/* lib/receptionist/rx_service_words.c: what small businesses commonly sell, by trade, as
 * callers name it: the receptionist's sense of what is a service request at all, so
 * that "a root canal" at a clinic that lists none, "roof repair" at a plumber or "a
 * manicure" at a barber is told "we don't offer it", not misunderstood or priced as
 * something else. Data only: normalised phrases (lowercase, no punctuation), a phrase
 * found in other word forms too ("detailing" in "detailed", "crowns"). The business's
 * own services always win over this list (rx_services_not_offered.c). */
#include "receptionist/rx_answer_parts.h"

const char *const rx_common_services[] = {
    /* dental */
    "root canal", "dental implant", "implant", "braces", "invisalign",
    "clear aligners", "veneers", "dentures", "wisdom tooth extraction", "wisdom teeth",
    "tooth extraction", "gum surgery", "laughing gas", "sedation",
    "teeth whitening", "whitening", "fluoride", "sealants", "night guard", "mouth guard",
    "orthodontics", "periodontal", "deep cleaning", "x ray",
    /* medical, therapy, wellness */
    "physical therapy", "chiropractic", "acupuncture", "massage", "thai massage",
    "full body massage", "body massage", "shiatsu", "reflexology", "cupping",
    "hearing test", "hearing aids", "hearing aid",
    "deep tissue massage", "hot stone massage", "facial", "botox", "laser hair removal",
    "waxing", "spray tan", "tanning", "microblading", "eyelash extensions", "lash extensions",
    "lash lift", "brow tint", "eyebrow threading", "threading", "vaccination", "flu shot",
    "physical exam", "blood test", "allergy test", "weight loss", "nutrition counseling",
    /* hair, nails, barber */
    "manicure", "pedicure", "nails", "gel nails", "acrylic nails", "dip powder", "nail art",
    "haircut", "kids cut",
    "beard trim", "hot towel shave", "straight razor shave", "perm", "keratin treatment",
    "hair extensions", "balayage", "highlights", "lowlights", "hair color",
    "color correction", "blowout", "updo", "bridal hair", "braiding", "locs", "relaxer",
    "scalp treatment", "deep conditioning",
    /* fitness */
    "pilates", "barre", "spin class", "spinning", "crossfit", "zumba", "hot yoga",
    "aerial yoga", "kickboxing", "boxing", "personal training", "personal trainer",
    "swim lessons", "martial arts", "dance class", "meditation class", "sauna", "childcare",
    /* auto */
    "oil change", "brake job", "tire rotation", "tire change", "new tires",
    "wheel alignment", "transmission", "transmission repair", "engine repair",
    "body work", "bodywork", "paint job", "painting", "dent repair", "windshield",
    "windshield replacement", "glass repair", "car detailing", "detailing", "car wash",
    "towing", "tow truck", "emissions test", "smog check", "ac recharge",
    "battery replacement", "muffler", "exhaust", "suspension", "tune up",
    /* home services */
    "roof repair", "roofing", "gutter cleaning", "gutters", "hvac", "furnace repair", "furnace",
    "air conditioning", "ac repair", "heating", "duct cleaning", "electrical", "electrician",
    "wiring", "panel upgrade", "carpet cleaning", "window cleaning", "pressure washing",
    "drywall", "flooring", "remodel", "remodeling", "landscaping",
    "lawn care", "lawn mowing", "tree removal", "pest control", "exterminator", "locksmith",
    "appliance repair", "garbage disposal", "water heater", "sump pump", "septic",
    "septic pumping", "drain cleaning", "sewer line", "gas line", "well pump",
    "junk removal", "house cleaning", "cleaning service", "handyman", "mold removal",
    "mold remediation", "mold", "alarm system", "security camera", "security system",
    /* pets */
    "grooming", "dog grooming", "nail trim", "boarding", "dog boarding",
    "daycare", "doggy daycare", "dog walking", "pet sitting", "obedience class",
    "spay", "neuter", "microchip", "euthanasia", "cremation", "horse",
    "exotic animals", "reptile",
    /* legal, finance, office */
    "criminal defense", "dui", "immigration",
    "citizenship", "personal injury", "traffic ticket", "speeding ticket", "bankruptcy",
    "real estate closing", "eviction", "landlord tenant", "employment law", "patent",
    "trademark", "business formation", "tax preparation", "bookkeeping", "payroll",
    "notary", "notarization", "divorce", "custody", "power of attorney",
    "mediation", "prenup", "a will", "living trust",
    /* food and events */
    "catering", "delivery", "takeout", "take out", "private event", "private party",
    "private room", "banquet", "wedding", "birthday party", "cooking class", "gift card",
    "happy hour", "buffet",
    /* photography, tutoring, misc */
    "photography", "headshots", "tutoring", "music lessons", "piano lessons",
    "guitar lessons", "driving lessons", "alterations", "tailoring", "dry cleaning",
    "shoe repair", "key cutting", "phone repair", "screen repair", "computer repair",
    "printing", "shipping", "framing", "tattoo", "piercing",
    NULL};
