/* tests/unit/test_rx_conversations.c: the built-in receptionist's conversations, written
 * as scripts in tests/unit/rx/NAME.conv (the format: tests/unit/rx/README.md) and played
 * here through the simulated call of rx_call.h, one test per conversation. Every reply
 * is also checked for repetition and for another business's names, and the memory goes
 * through MessagePack between turns, as through Redis.
 *
 * Then the runner proves it can fail: every conversation of tests/fixtures/rx_failing/
 * must fail, at the line after its "expect failure on the next line". Run from the
 * repository root; RX_VERBOSE=1 prints the transcripts; files named as arguments are
 * played alone. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "rx_call.h"
#include "rx_script.h"

#define SCRIPTS_DIR "tests/unit/rx"
#define UNSEEN_DIR "tests/unit/rx/unseen"
#define FAILING_DIR "tests/fixtures/rx_failing"
/* The share of the unseen callers' conversations to handle, overall and in each family. */
#define UNSEEN_SHARE_GOAL 0.95
#define SCRIPT_FILES_MAX 64
#define TITLES_MAX 1024

static struct script_play play;         /* large: a call keeps every reply */
static char *titles[TITLES_MAX];        /* owned: every title so far, to refuse twins */
static int ntitles;
static int family_played[SCRIPT_NFAMILIES], family_handled[SCRIPT_NFAMILIES];
static bool is_counting_families;       /* while UNSEEN_DIR is played */

static void remember_title(struct script_play *p)
{
    for (int i = 0; i < ntitles; i++)
        if (strcmp(titles[i], p->title) == 0) {
            script_fail(p, "another conversation has this title");
            return;
        }
    if (ntitles < TITLES_MAX)
        titles[ntitles++] = strdup(p->title);
}

static void start_conversation(struct script_play *p, const char *title)
{
    script_end_call(p);
    p->is_started = true;
    p->nchecks = 0;
    p->first_failure_line = 0;
    p->expected_failure_line = 0;
    p->family = -1;
    p->gap[0] = '\0';
    check_failures_now = 0;
    snprintf(p->title, sizeof p->title, "%s", title);
    if (title[0] == '\0')
        script_fail(p, "\"test\" without a title");
    else if (!p->is_quiet)
        remember_title(p);
}

/* Counts the conversation played: passed if every check held; a failing script passes
 * when it failed first where it says it must. */
static void finish_conversation(struct script_play *p, int title_line)
{
    if (!p->is_started)
        return;
    script_end_call(p);
    int line = p->line;
    p->line = title_line;
    if (p->nchecks == 0)
        script_fail(p, "the conversation checks nothing");
    p->line = line;
    bool is_handled = check_failures_now == 0;
    bool is_gap = p->gap[0] != '\0';
    if (is_gap && is_handled) {
        /* a known gap passes while it still fails as said, and fails at its "gap" line
         * once it no longer does, so that the list of gaps stays true */
        p->gap[0] = '\0';
        p->line = p->gap_line;
        script_fail(p, "a known gap that no longer fails: remove its \"gap\" line");
        p->line = line;
    }
    bool is_passed = check_failures_now == 0 || (is_gap && !is_handled);
    if (p->is_quiet)
        is_passed = p->expected_failure_line != 0 && p->first_failure_line == p->expected_failure_line;
    if (is_counting_families) {
        if (p->family < 0) {
            printf("FAIL %s:%d %s: a conversation of %s/ names its \"family\"\n", p->path, title_line,
                   p->title, UNSEEN_DIR);
            is_passed = false;
        } else {
            family_played[p->family]++;
            family_handled[p->family] += is_handled;
        }
    }
    if (is_passed) {
        check_passed++;
        printf("ok %s:%d %s%s%s\n", p->path, title_line, p->is_quiet ? "fails as it must: " : "",
               is_gap && !is_handled ? "known gap: " : "", p->title);
    } else {
        check_failed++;
        if (p->is_quiet)
            printf("FAIL %s:%d %s: expected to fail first at line %d, failed at %d (0: never)\n", p->path,
                   title_line, p->title, p->expected_failure_line, p->first_failure_line);
    }
    p->is_started = false;
}

/* The line without its end of line, trailing spaces and leading spaces. */
static char *trimmed(char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        line[--n] = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    return line;
}

/* Plays every conversation of one script; false if the file holds none. */
static bool play_file(const char *path, bool is_quiet)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    memset(&play, 0, sizeof play);
    play.path = path;
    play.is_quiet = is_quiet;
    char *buf = NULL;
    size_t cap = 0;
    int title_line = 0, nconversations = 0;
    while (getline(&buf, &cap, f) != -1) {
        play.line++;
        char *line = trimmed(buf);
        const char *title;
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (script_word(line, "test", &title)) {
            finish_conversation(&play, title_line);
            title_line = play.line;
            nconversations++;
            start_conversation(&play, title);
            continue;
        }
        if (!play.is_started) {
            title_line = play.line;
            start_conversation(&play, "(the lines before the first \"test\")");
            script_fail(&play, "\"%s\" before any \"test <title>\" line", line);
        }
        script_play_line(&play, line);
    }
    finish_conversation(&play, title_line);
    free(buf);
    fclose(f);
    return nconversations > 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .conv files of dir, sorted; how many (0 if none or dir cannot be read). */
static int script_files(const char *dir, char *paths[SCRIPT_FILES_MAX])
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".conv") != 0)
            continue;
        if (n == SCRIPT_FILES_MAX) {
            printf("FAIL %s/%s: more than %d scripts in %s\n", dir, e->d_name, SCRIPT_FILES_MAX, dir);
            check_failed++;
            continue;
        }
        size_t size = strlen(dir) + len + 2;
        paths[n] = malloc(size);
        snprintf(paths[n], size, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(paths, (size_t)n, sizeof paths[0], by_name);
    return n;
}

/* Plays every script of dir; a folder without one, or a script without a
 * conversation, is a failure too (nothing must pass by not being read). */
static void play_folder(const char *dir, bool is_quiet)
{
    char *paths[SCRIPT_FILES_MAX];
    int n = script_files(dir, paths);
    if (n == 0) {
        printf("FAIL %s: no .conv script (run from the repository root)\n", dir);
        check_failed++;
    }
    for (int i = 0; i < n; i++) {
        if (!play_file(paths[i], is_quiet)) {
            printf("FAIL %s: no conversation in it\n", paths[i]);
            check_failed++;
        }
        free(paths[i]);
    }
}

/* The share of the unseen callers handled per family and overall, against the goal.
 * A report, not a test: each conversation is one already (handled, or a known gap that
 * must still fail), so a change that handles more or fewer shows there. */
static void report_families(void)
{
    int played = 0, handled = 0;
    bool is_met = true;
    printf("unseen callers handled, per family (goal: %.0f %% overall and in each):\n", 100.0 * UNSEEN_SHARE_GOAL);
    for (int f = 0; f < SCRIPT_NFAMILIES; f++) {
        if (family_played[f] == 0)
            continue;
        played += family_played[f];
        handled += family_handled[f];
        double share = (double)family_handled[f] / family_played[f];
        is_met = is_met && share >= UNSEEN_SHARE_GOAL;
        printf("  %-17s %3d of %3d  %5.1f %%\n", script_families[f], family_handled[f], family_played[f],
               100.0 * share);
    }
    double share = played > 0 ? (double)handled / played : 0.0;
    printf("  %-17s %3d of %3d  %5.1f %%  goal %s\n", "all", handled, played, 100.0 * share,
           is_met && share >= UNSEEN_SHARE_GOAL ? "met" : "not met");
}

/* With files named (test_rx_conversations FILE.conv ...), plays just those and counts
 * their families: a new caller set measured on its own, or one script worked on. */
int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* FAIL lines in order with rx_call.h's stderr */
    if (!rx_load_examples())
        return 1;
    if (argc > 1) {
        is_counting_families = true;
        for (int i = 1; i < argc; i++)
            if (!play_file(argv[i], false)) {
                printf("FAIL %s: no conversation in it\n", argv[i]);
                check_failed++;
            }
        report_families();
        for (int i = 0; i < ntitles; i++)
            free(titles[i]);
        rx_free_examples();
        return check_summary();
    }
    play_folder(SCRIPTS_DIR, false);
    is_counting_families = true;
    play_folder(UNSEEN_DIR, false);
    is_counting_families = false;
    report_families();
    play_folder(FAILING_DIR, true);
    for (int i = 0; i < ntitles; i++)
        free(titles[i]);
    rx_free_examples();
    return check_summary();
}
