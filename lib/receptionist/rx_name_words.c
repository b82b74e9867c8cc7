/* lib/receptionist/rx_name_words.c: the word lists the name recogniser (rx_names.c) weighs a
 * word against. Data only, sorted so that a lookup is a binary search.
 *
 * rx_common_words: words a caller says that are never a person's name, whatever their
 * capitals ("Sounds good", "Great", "Tuesday", "Perfect"): the common words of English
 * speech on the phone, days, months, numbers, and what businesses sell. A name that is
 * also a common word ("Will", "Bill", "May", "Grace") is listed in rx_given_names
 * instead, and wins there only after a cue ("my name is Will").
 *
 * rx_given_names: common given names, so that a name said in lowercase, as many
 * transcribers write it, is still known for one ("i'm tom"). */
#include "receptionist/rx_names.h"

const char *const rx_common_words[] = {
    "a", "able", "about", "above", "absolutely", "accept", "account", "actually", "add",
    "address", "adult", "after", "afternoon", "again", "ago", "ahead", "all", "allergy",
    "almost", "alone", "already", "alright", "also", "always", "am", "an", "and", "another",
    "answer", "any", "anybody", "anyone", "anything", "anytime", "anyway", "anywhere",
    "appointment", "appointments", "are", "area", "around", "as", "asap", "ask", "asking", "at",
    "august", "available", "away", "awesome", "baby", "back", "bad", "be", "because", "been",
    "before", "being", "best", "better", "between", "big", "bit", "book", "booked", "booking",
    "both", "boy", "break", "bring", "broken", "brother", "busy", "but", "buy", "by", "bye",
    "call", "called", "calling", "calls", "came", "can", "cancel", "cant", "car", "card",
    "care", "cash", "cat", "change", "charge", "check", "checking", "child", "children",
    "clean", "cleaning", "clinic", "close", "closed", "coming", "confirm", "cool", "correct",
    "cost", "could", "couldnt", "couple", "course", "cut", "dad", "date", "daughter", "day",
    "days", "dear", "december", "definitely", "did", "didnt", "dinner", "do", "doctor", "does",
    "doesnt", "dog", "doing", "done", "dont", "down", "drain", "during", "each", "earlier",
    "earliest", "early", "eight", "eighth", "eleven", "else", "emergency", "end", "enough",
    "even", "evening", "ever", "every", "everything", "exactly", "excellent", "excuse",
    "family", "fantastic", "far", "father", "february", "fee", "feel", "few", "fifteen",
    "fifth", "fifty", "fine", "first", "five", "fix", "for", "forget", "forty", "four",
    "fourth", "free", "friday", "friend", "from", "full", "get", "getting", "girl", "give",
    "glad", "go", "goes", "going", "gone", "good", "goodbye", "got", "great", "had", "haircut",
    "half", "happy", "has", "have", "havent", "having", "he", "hear", "hello", "help", "her",
    "here", "hers", "hey", "hi", "him", "his", "hmm", "hold", "home", "hope", "hoping", "hour",
    "hours", "house", "how", "however", "huh", "husband", "i", "id", "if", "ill", "im", "in",
    "instead", "interested", "is", "isnt", "it", "its", "ive", "january", "job", "july", "june",
    "just", "keep", "kid", "kids", "kind", "know", "last", "late", "later", "latest", "leave",
    "left", "less", "let", "lets", "like", "line", "little", "long", "look", "looking", "lot",
    "love", "lovely", "lunch", "made", "make", "maybe", "me", "mean", "meant", "message",
    "might", "mine", "minute", "minutes", "mom", "monday", "month", "more", "morning", "most",
    "mother", "much", "must", "my", "myself", "nah", "name", "names", "near", "need", "needed",
    "needs", "never", "new", "next", "nice", "night", "nine", "ninth", "no", "noon", "nope",
    "not", "nothing", "november", "now", "number", "oclock", "october", "of", "off", "office",
    "oh", "ok", "okay", "old", "on", "once", "one", "only", "open", "or", "other", "our", "out",
    "over", "own", "pain", "parent", "partner", "past", "pay", "people", "perfect", "perhaps",
    "person", "phone", "pick", "please", "pm", "possible", "pretty", "price", "probably",
    "problem", "put", "quarter", "question", "quick", "quite", "rather", "ready", "real",
    "really", "reason", "repair", "reschedule", "right", "room", "same", "saturday", "say",
    "saying", "schedule", "second", "see", "seems", "september", "set", "seven", "seventh",
    "she", "should", "show", "sister", "six", "sixth", "so", "some", "someone", "something",
    "sometime", "son", "soon", "sooner", "sorry", "sort", "sounds", "speak", "speaking", "spot",
    "start", "still", "stop", "sunday", "super", "sure", "take", "talk", "team", "tell", "ten",
    "tenth", "than", "thank", "thanks", "that", "thats", "the", "their", "them", "then",
    "there", "theres", "these", "they", "thing", "things", "think", "third", "thirty", "this",
    "those", "though", "three", "thursday", "time", "times", "to", "today", "together",
    "tomorrow", "tonight", "too", "totally", "try", "trying", "tuesday", "twelve", "twenty",
    "two", "uh", "um", "under", "until", "up", "us", "usual", "very", "visit", "wait", "want",
    "wanted", "wanting", "was", "way", "we", "wednesday", "week", "weekend", "well", "went",
    "were", "what", "whatever", "whats", "when", "whenever", "where", "which", "while", "who",
    "whoever", "whole", "why", "wife", "with", "without", "wonderful", "wondering", "work",
    "works", "would", "wouldnt", "wow", "yeah", "year", "yep", "yes", "yet", "you", "your",
    "youre", "yup",
};
const size_t rx_ncommon_words = sizeof rx_common_words / sizeof rx_common_words[0];

const char *const rx_given_names[] = {
    "aaron", "abigail", "adam", "adrian", "ahmed", "aiden", "aisha", "alan", "albert", "alex",
    "alexander", "alexis", "alice", "alicia", "alison", "amanda", "amber", "amelia", "amy", "ana",
    "andrea", "andrew", "angela", "anita", "ann", "anna", "anne", "anthony", "antonio", "april",
    "arthur", "ashley", "austin", "ava", "barbara", "ben", "benjamin", "beth", "betty", "bill",
    "bob", "bobby", "brandon", "brenda", "brian", "brittany", "bruce", "bryan", "caleb", "carl",
    "carla", "carlos", "carmen", "carol", "caroline", "carter", "catherine", "charles", "charlie",
    "charlotte", "chen", "chloe", "chris", "christina", "christine", "christopher", "claire",
    "cody", "connor", "craig", "crystal", "cynthia", "dan", "dana", "daniel", "danielle", "david",
    "deborah", "debra", "denise", "dennis", "derek", "diana", "diane", "diego", "dolores",
    "donald", "donna", "doris", "dorothy", "dylan", "ed", "eddie", "edward", "elena", "eli",
    "elijah", "elizabeth", "ella", "ellen", "emily", "emma", "eric", "erica", "erin", "ethan",
    "eugene", "eva", "evelyn", "fatima", "fay", "frank", "gabriel", "gary", "george", "gloria",
    "grace", "greg", "gregory", "gus", "hannah", "harold", "harry", "heather", "helen", "henry",
    "hugo", "ian", "isaac", "isabel", "isabella", "ivan", "jack", "jacob", "jake", "james",
    "jamie", "jane", "janet", "jasmine", "jason", "javier", "jay", "jean", "jeff", "jeffrey",
    "jen", "jennifer", "jeremy", "jerry", "jesse", "jessica", "jill", "jim", "jimmy", "joan",
    "joe", "joel", "john", "jon", "jonathan", "jordan", "jorge", "jose", "joseph", "josh",
    "joshua", "joy", "juan", "judy", "julia", "julie", "justin", "karen", "kate", "katherine",
    "kathleen", "kathy", "katie", "kayla", "keith", "kelly", "ken", "kenneth", "kevin", "kim",
    "kimberly", "kyle", "laura", "lauren", "leah", "lee", "leo", "liam", "lily", "linda", "lisa",
    "logan", "lori", "louis", "lucas", "lucy", "luis", "luke", "lynn", "madison", "maria",
    "marie", "marilyn", "mark", "martha", "martin", "mary", "mason", "matt", "matthew", "maya",
    "megan", "melissa", "mia", "michael", "michelle", "miguel", "mike", "mohammed", "molly",
    "nancy", "natalie", "nathan", "nicholas", "nick", "nicole", "noah", "nora", "olivia", "omar",
    "oscar", "pam", "pamela", "patricia", "patrick", "paul", "paula", "peter", "philip", "priya",
    "rachel", "ralph", "ray", "raymond", "rebecca", "richard", "rick", "rita", "rob", "robert",
    "robin", "roger", "ron", "ronald", "rosa", "rose", "ruby", "russell", "ruth", "ryan", "sam",
    "samantha", "samuel", "sandra", "sara", "sarah", "scott", "sean", "sharon", "shirley",
    "sofia", "sophia", "stephanie", "stephen", "steve", "steven", "sue", "susan", "tammy",
    "teresa", "terry", "theresa", "thomas", "tim", "timothy", "tina", "todd", "tom", "tony",
    "tracy", "travis", "tyler", "valerie", "vanessa", "victor", "victoria", "vincent",
    "virginia", "walter", "wayne", "wei", "will", "william", "willie", "yusuf", "zach", "zoe",
};
const size_t rx_ngiven_names = sizeof rx_given_names / sizeof rx_given_names[0];
