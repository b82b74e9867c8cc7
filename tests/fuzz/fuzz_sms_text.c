/* tests/fuzz/fuzz_sms_text.c: libFuzzer target for a texter's words, outside input read
 * by lib/sms: the compliance keywords (sms_keyword_of) and the text form of an answer
 * (sms_render_add, given the same bytes as the receptionist's words). Any bytes must be
 * read without a crash or an out-of-bounds read; a keyword is given back upper-cased
 * and short, and the rendered texts keep their bounds. Built by `make fuzz`;
 * tests/run-all.sh runs it on tests/fuzz/corpus/sms_text/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sms/sms_keywords.h"
#include "sms/sms_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char word[24];
    enum sms_keyword k = sms_keyword_of(text, word, sizeof word);
    if ((k == SMS_KEYWORD_NONE) != (word[0] == '\0'))
        abort();
    for (const char *p = word; *p != '\0'; p++)
        if (*p < 'A' || *p > 'Z')
            abort();
    struct sms_reply r = {0};
    sms_render_add(&r, text);
    sms_render_add(&r, text);
    if (r.ntexts < 0 || r.ntexts > SMS_RENDER_TEXTS)
        abort();
    for (int i = 0; i < r.ntexts; i++)
        if (strlen(r.texts[i]) > SMS_RENDER_TEXT_MAX)
            abort();
    free(text);
    return 0;
}
