/* Unit tests of the tsvector literal PostgreSQL indexes: our syllables and pairs, positions shared by a pair and its
 * first syllable, the title weighted A and the body D after it, quotes escaped, nothing for empty text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "store/search_tsv.h"

static void syllables_pairs_and_positions(void **state)
{
    char *t = search_tsvector("Chuyển đổi số", NULL);
    assert_string_equal(t, "'chuyen':1A 'chuyen_doi':1A 'doi':2A 'doi_so':2A 'so':3A");
    free(t);
}

static void the_body_follows_the_title_with_weight_d(void **state)
{
    char *t = search_tsvector("Ngày hội", "Ngày 10/10");
    assert_string_equal(t, "'ngay':1A,3D 'ngay_hoi':1A 'hoi':2A 'ngay_10':3D '10':4D,5D '10_10':4D");
    free(t);
}

static void nfd_text_gives_the_same_tokens(void **state)
{
    char *a = search_tsvector(NULL, "đổi số"), *b = search_tsvector(NULL, "\xC4\x91o\xCC\x82\xCC\x89i so\xCC\x81");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void empty_text_is_an_empty_vector(void **state)
{
    char *t = search_tsvector("", "  .,;  ");
    assert_string_equal(t, "");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syllables_pairs_and_positions),
        cmocka_unit_test(the_body_follows_the_title_with_weight_d),
        cmocka_unit_test(nfd_text_gives_the_same_tokens),
        cmocka_unit_test(empty_text_is_an_empty_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
