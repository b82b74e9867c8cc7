/* lib/receptionist/rx_search_words.c: the data of rx_search.c. Stop words are the words of
 * any question ("what", "your", "there"); synonyms are stems as rx_search cuts them,
 * the caller's word first, then the word businesses tend to write. */
#include "receptionist/rx_search.h"

const char *const rx_search_stop_words[] = {
    "what", "whats", "when", "where", "which", "who", "why", "how", "your", "youre", "you",
    "the", "are", "is", "can", "could", "have", "has", "with", "for", "and", "any", "there",
    "theres", "this", "that", "thats", "from", "will", "would", "should", "about", "get", "got",
    "does", "did", "doe", "guys", "just", "like", "know", "need", "want", "some", "much", "many",
    "able", "also", "then", "than", "them", "they", "their", "our", "ours", "was", "were",
    "been", "being", "yeah", "yes", "okay", "hey", "hello", "thanks", "thank", "please", "um",
    "uh", "really", "actually", "maybe", "wondering", "question", "quick", "ask", "tell",
    "if", "its", "it", "i", "im", "ive", "id", "my", "me", "a", "an", "do", "to", "of", "on",
    "in", "at", "or", "so", "be", "not", "dont", "anything", "something", "thing", "there",
    "here", "all", "out", "up", "one", "way", "let", "still", "happen", "happens", "make", "makes",
    "made", "making", NULL};

const struct rx_search_synonym rx_search_synonyms[] = {
    {"charg", "fee", false}, {"cost", "fee", false}, {"penalty", "fee", false},
    {"pay", "payment", false}, {"behind", "lat", true}, {"tardy", "lat", false},
    {"delay", "lat", false}, {"upstair", "floor", false}, {"stair", "floor", false},
    {"step", "floor", false}, {"elevator", "floor", false}, {"level", "floor", false},
    {"downstair", "floor", false}, {"warranty", "guarant", false}, {"cancell", "cancel", false},
    {"cancellation", "cancel", false}, {"parkin", "park", false}, {"card", "payment", false},
    {"cash", "payment", false}, {"credit", "payment", false}, {"debit", "payment", false},
    {"insur", "insuranc", false}, {"coverag", "insuranc", false}, {"documen", "record", false},
    {"paperwork", "record", false}, {"kid", "child", false}, {"children", "child", false},
    {"young", "age", false}, {"old", "age", false}, {"money", "refund", false},
    {"emergencie", "emergency", false}, {"urgent", "emergency", false},
    {"locat", "addres", false}, {"direction", "addres", false}, {"saturday", "weekend", false},
    {"sunday", "weekend", false}, {"anybody", "someone", false}, {"anyone", "someone", false},
    {"newborn", "child", false}, {"infant", "child", false}, {"baby", "child", false},
    {"toddler", "child", false}, {"present", "gift", true},
    {"smell", "fragranc", false}, {"scent", "fragranc", false},
    {"perfum", "fragranc", false}, {"asthma", "allergy", false}, {"snappy", "aggressiv", true},
    {"snap", "aggressiv", true}, {"nippy", "aggressiv", true}, {"pregnancy", "pregnant", false},
    {"gym", "cloth", true}, {"outfit", "cloth", false}, {"guy", "technician", true},
    {"tech", "technician", false}, {"gratuity", "tip", false},
    {NULL, NULL, false},
};

const struct rx_search_synonym rx_search_phrases[] = {
    {"cant make it", "cancel", true}, {"cannot make it", "cancel", true}, {"dont make it", "cancel", true},
    {"dont show up", "cancel", true}, {"dont show", "cancel", true}, {"no show", "cancel", true},
    {"not make it", "cancel", true}, {"call off", "cancel", true}, {"miss my", "cancel", true},
    {"plans change", "cancel", true}, {"something comes up", "cancel", true},
    {"running late", "lat", true}, {"running behind", "lat", true},
    {"little behind", "lat", true}, {"bit behind", "lat", true}, {"little late", "lat", true},
    {"bit late", "lat", true}, {"show up", "arriv", true},
    {"walk in", "walk", true}, {"just come in", "walk", true}, {"just show up", "walk", true},
    {"roll up", "walk", true}, {"roll in", "walk", true}, {"pop in", "walk", true},
    {"swing by", "walk", true},
    {"as far as", "area", true}, {"come out to", "area", true}, {"from home", "onlin", true},
    {"on my laptop", "onlin", true}, {"on her laptop", "onlin", true},
    {"on his laptop", "onlin", true}, {"on zoom", "onlin", true}, {"leave my car", "park", true}, {"leave the car", "park", true},
    {"months along", "pregnant", true}, {"weeks along", "pregnant", true}, {"show up in", "wear", true},
    {"leave extra", "tip", true}, {"extra money", "tip", true}, {"all day", "window", true},
    {"walk home", "pick", true}, {"by herself", "adult", true}, {"by himself", "adult", true},
    {"on her own", "adult", true}, {"on his own", "adult", true}, {"year old", "age", true},
    {"get it back", "ready", true}, {"how many people", "serv", true}, {"will it feed", "serv", true},
    {"does it feed", "serv", true}, {"enough for", "serv", true},
    {NULL, NULL, false},
};
