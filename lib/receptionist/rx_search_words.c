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
    "here", "all", "out", "up", "one", "way", "let", "still", "happen", "happens", NULL};

const struct rx_search_synonym rx_search_synonyms[] = {
    {"charg", "fee"}, {"cost", "fee"}, {"penalty", "fee"}, {"pay", "payment"},
    {"behind", "lat"}, {"tardy", "lat"}, {"delay", "lat"},
    {"upstair", "floor"}, {"stair", "floor"}, {"step", "floor"}, {"elevator", "floor"},
    {"level", "floor"}, {"downstair", "floor"},
    {"warranty", "guarant"}, {"cancell", "cancel"}, {"cancellation", "cancel"},
    {"parkin", "park"}, {"card", "payment"}, {"cash", "payment"}, {"credit", "payment"},
    {"debit", "payment"}, {"insur", "insuranc"}, {"coverag", "insuranc"},
    {"documen", "record"}, {"paperwork", "record"}, {"kid", "child"}, {"children", "child"},
    {"young", "age"}, {"old", "age"}, {"money", "refund"},
    {"emergencie", "emergency"}, {"urgent", "emergency"}, {"locat", "addres"},
    {"direction", "addres"}, {"saturday", "weekend"}, {"sunday", "weekend"},
    {"anybody", "someone"}, {"anyone", "someone"}, {NULL, NULL},
};
