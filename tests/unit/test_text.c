/* Unit tests for src/core/text.c: UTF-8 validation, NFC and the folded search key used for matching.
 * Must not depend on files, the network, locale or anything outside the text module and utf8proc. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/text.h"

/* Checks and frees in one place so that every test stays leak-free under ASan. */
static void expect_fold(const char *in, const char *want)
{
    char *got = text_fold(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void expect_compact(const char *in, const char *want)
{
    char *got = text_fold_compact(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static char *nfd(const char *s)
{
    char *d = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
    assert_non_null(d);
    return d;
}

static void test_fold_examples(void **state)
{
    expect_fold("Hà Nội", "ha noi");
    expect_fold("HÀ NỘI", "ha noi");
    expect_fold("Bộ TT&TT", "bo tt tt");
    expect_fold("Đắk Lắk", "dak lak");
    expect_fold("Cục Chuyển đổi số quốc gia", "cuc chuyen doi so quoc gia");
    expect_fold("  Thừa   Thiên-Huế ", "thua thien hue");
    expect_fold("Hà  Nội", "ha noi");
    expect_fold("", "");
    expect_fold("   ", "");
    expect_fold("!!! & ---", "");
    expect_fold("Nghị định 13/2023/NĐ-CP", "nghi dinh 13 2023 nd cp");
}

static void test_fold_nfd_input(void **state)
{
    /* Written out by hand so the test does not rely on utf8proc to produce the NFD form it checks. */
    expect_fold("Ha\xCC\x80 No\xCC\xA3\xCC\x82i", "ha noi");
    /* Same marks in the non-canonical order (circumflex before dot below). */
    expect_fold("Ha\xCC\x80 No\xCC\x82\xCC\xA3i", "ha noi");
}

static void test_fold_nfc_equals_nfd(void **state)
{
    static const char *const samples[] = {
        "Hà Nội", "HÀ NỘI", "Đắk Lắk", "Cục Chuyển đổi số quốc gia", "  Thừa   Thiên-Huế ", "Ủy ban", "Uỷ ban",
        "Ngày Chuyển đổi số quốc gia 10/10", "Bà Rịa – Vũng Tàu", "한국어 텍스트", "Ωmega café",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char *d = nfd(samples[i]);
        char *a = text_fold(samples[i]);
        char *b = text_fold(d);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
        free(d);
    }
}

static void test_fold_tone_placement(void **state)
{
    /* "Ủy" puts the hook on U, "Uỷ" on y; both are valid NFC and must meet in the key. */
    assert_string_not_equal("\xE1\xBB\xA6y ban", "U\xE1\xBB\xB7 ban");
    expect_fold("\xE1\xBB\xA6y ban", "uy ban");
    expect_fold("U\xE1\xBB\xB7 ban", "uy ban");
    expect_fold("Ủy ban", "uy ban");
    expect_fold("Uỷ ban", "uy ban");
    expect_fold("hoà bình", "hoa binh");
    expect_fold("hòa bình", "hoa binh");
}

static void test_fold_all_vietnamese_letters(void **state)
{
    expect_fold("àáảãạăằắẳẵặâầấẩẫậ èéẻẽẹêềếểễệ ìíỉĩị", "aaaaaaaaaaaaaaaaa eeeeeeeeeee iiiii");
    expect_fold("òóỏõọôồốổỗộơờớởỡợ ùúủũụưừứửữự ỳýỷỹỵ đ", "ooooooooooooooooo uuuuuuuuuuu yyyyy d");
    expect_fold("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ ÈÉẺẼẸÊỀẾỂỄỆ ÌÍỈĨỊ", "aaaaaaaaaaaaaaaaa eeeeeeeeeee iiiii");
    expect_fold("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ ÙÚỦŨỤƯỪỨỬỮỰ ỲÝỶỸỴ Đ", "ooooooooooooooooo uuuuuuuuuuu yyyyy d");
}

static void test_fold_d_variants(void **state)
{
    expect_fold("Đ đ", "d d");
    /* Eth typed instead of Đ by some keyboard layouts. */
    expect_fold("\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng", "da nang");
}

static void test_fold_separators_and_digits(void **state)
{
    expect_fold("Tỉnh\tLào\nCai", "tinh lao cai");
    expect_fold("a\xC2\xA0" "b", "a b");           /* NBSP */
    expect_fold("2026 — năm số", "2026 nam so"); /* em dash */
    expect_fold("x_y.z", "x y z");
    expect_fold("Zalo™ @ABC", "zalo abc");
}

static void test_fold_non_latin(void **state)
{
    /* Decomposition splits Hangul into jamo; the key must be recomposed, identical to the lowered NFC input. */
    expect_fold("한국어", "한국어");
    expect_fold("ΑΘΗΝΑ", "αθηνα");
}

static void test_fold_invalid(void **state)
{
    assert_null(text_fold("\xC3\x28"));
    assert_null(text_fold("\xC0\xAF"));
    assert_null(text_fold("\xED\xA0\x80"));
    assert_null(text_fold("ok \xF4\x90\x80\x80"));
    assert_null(text_fold("trunc \xE1\xBB"));
    assert_null(text_fold(NULL));
    assert_null(text_fold_compact("\xC3\x28"));
    assert_null(text_nfc("\xC0\xAF"));
}

static void test_fold_compact(void **state)
{
    expect_compact("Bộ TT&TT", "botttt");
    expect_compact("TTTT", "tttt");
    expect_compact("TT-TT", "tttt");
    expect_compact("  Thừa   Thiên-Huế ", "thuathienhue");
    expect_compact("", "");
    expect_compact("Ha\xCC\x80 No\xCC\xA3\xCC\x82i", "hanoi");
}

static void test_nfc(void **state)
{
    char *c = text_nfc("Ha\xCC\x80 No\xCC\xA3\xCC\x82i");
    assert_non_null(c);
    assert_string_equal(c, "H\xC3\xA0 N\xE1\xBB\x99i");
    free(c);
    c = text_nfc("Hà Nội");
    assert_non_null(c);
    assert_string_equal(c, "Hà Nội");
    free(c);
    c = text_nfc("");
    assert_non_null(c);
    assert_string_equal(c, "");
    free(c);
    assert_null(text_nfc(NULL));
}

static void expect_utf8(const char *s, size_t len, bool want)
{
    assert_int_equal(text_valid_utf8(s, len), want);
}

static void test_valid_utf8(void **state)
{
    expect_utf8("", 0, true);
    expect_utf8("abc", 3, true);
    expect_utf8("Hà Nội", strlen("Hà Nội"), true);
    expect_utf8("\xF0\x9F\x98\x80", 4, true);  /* U+1F600 */
    expect_utf8("\xF4\x8F\xBF\xBF", 4, true);  /* U+10FFFF, the last code point */
    expect_utf8("\xEF\xBF\xBD", 3, true);      /* U+FFFD */
    expect_utf8("\xED\x9F\xBF", 3, true);      /* U+D7FF, just below the surrogates */
    expect_utf8("\xEE\x80\x80", 3, true);      /* U+E000, just above */
    expect_utf8("\xC2\x80", 2, true);          /* U+0080, smallest 2-byte */
    expect_utf8("\xE0\xA0\x80", 3, true);      /* U+0800, smallest 3-byte */
    expect_utf8("\xF0\x90\x80\x80", 4, true);  /* U+10000, smallest 4-byte */

    expect_utf8("\xC3\x28", 2, false);         /* bad continuation */
    expect_utf8("\xC0\xAF", 2, false);         /* overlong '/' */
    expect_utf8("\xC1\xBF", 2, false);
    expect_utf8("\xE0\x80\xAF", 3, false);     /* overlong 3-byte */
    expect_utf8("\xE0\x9F\xBF", 3, false);
    expect_utf8("\xF0\x80\x80\xAF", 4, false); /* overlong 4-byte */
    expect_utf8("\xF0\x8F\xBF\xBF", 4, false);
    expect_utf8("\xED\xA0\x80", 3, false);     /* U+D800 */
    expect_utf8("\xED\xBF\xBF", 3, false);     /* U+DFFF */
    expect_utf8("\xF4\x90\x80\x80", 4, false); /* U+110000 */
    expect_utf8("\xF5\x80\x80\x80", 4, false);
    expect_utf8("\xFF", 1, false);
    expect_utf8("\x80", 1, false);             /* lone continuation */
    expect_utf8("a\xBF" "b", 3, false);
    expect_utf8("\xC3", 1, false);             /* truncated */
    expect_utf8("\xE1\xBB", 2, false);
    expect_utf8("\xF0\x9F\x98", 3, false);
    expect_utf8("\xE1\x41\x80", 3, false);     /* ASCII inside a sequence */
    expect_utf8("\xF0\x9F\x41\x80", 4, false);
    expect_utf8("a\0b", 3, false);             /* embedded NUL */
    expect_utf8("\0", 1, false);
    /* len is honoured: cutting "à" (C3 A0) in half is a truncation, stopping before it is fine. */
    expect_utf8("H\xC3\xA0", 2, false);
    expect_utf8("H\xC3\xA0", 1, true);
    expect_utf8("a\0b", 1, true);
}

static void test_contains_word(void **state)
{
    assert_true(text_folded_contains_word("thanh pho ha noi", "ha noi"));
    assert_false(text_folded_contains_word("thanh pho ha noi", "a noi"));
    assert_true(text_folded_contains_word("thanh pho ha noi", "thanh"));
    assert_true(text_folded_contains_word("thanh pho ha noi", "thanh pho ha noi"));
    assert_true(text_folded_contains_word("thanh pho ha noi", "no"));  /* word prefix, for search-as-you-type */
    assert_false(text_folded_contains_word("thanh pho ha noi", "oi"));
    assert_false(text_folded_contains_word("thanh pho ha noi", "ha noi x"));
    /* First occurrence is mid-word; a later one is at a boundary. */
    assert_true(text_folded_contains_word("aha ha", "ha"));
    assert_false(text_folded_contains_word("aha", "ha"));
    assert_false(text_folded_contains_word("", "ha"));
    assert_false(text_folded_contains_word("ha noi", ""));
    assert_false(text_folded_contains_word(NULL, "ha"));
    assert_false(text_folded_contains_word("ha", NULL));
}

static void test_fold_then_contains(void **state)
{
    char *hay = text_fold("Thành phố Hà Nội");
    char *needle = text_fold("HA\xCC\x80 NO\xCC\xA3\xCC\x82I");
    assert_non_null(hay);
    assert_non_null(needle);
    assert_true(text_folded_contains_word(hay, needle));
    free(hay);
    free(needle);
}

/* The fast path for text that is already NFC must not skip text that NFC changes. */
static void test_nfc_fast_path_keeps_exactness(void **state)
{
    (void)state;
    char *a = text_nfc("\xe2\x9c\x93 H\xc3\xa0 N\xe1\xbb\x99i \xe2\x80\x93 10/10");   /* ✓ Hà Nội – 10/10 */
    assert_string_equal(a, "\xe2\x9c\x93 H\xc3\xa0 N\xe1\xbb\x99i \xe2\x80\x93 10/10");
    free(a);
    char *ohm = text_nfc("5 \xe2\x84\xa6");                /* OHM SIGN → GREEK CAPITAL OMEGA */
    assert_string_equal(ohm, "5 \xce\xa9");
    free(ohm);
    char *nfd = text_nfc("\xe2\x9c\x93 Ha\xcc\x80");        /* a symbol before NFD still normalises */
    assert_string_equal(nfd, "\xe2\x9c\x93 H\xc3\xa0");
    free(nfd);
    char *br = text_nfc("\xe2\x8c\xa9");                  /* U+2329 → U+3008 */
    assert_string_equal(br, "\xe3\x80\x88");
    free(br);
}

/* The fast paths of text_fold (ASCII, and a table for the Latin blocks) must agree with the general rule, spelled out
 * here with utf8proc: lower, decompose, drop non-spacing marks, đ/ð → d, letters and digits kept, the rest separate. */
static void reference_fold(utf8proc_int32_t cp, char *out, size_t n)
{
    utf8proc_int32_t parts[16];
    utf8proc_ssize_t np = utf8proc_decompose_char(utf8proc_tolower(cp), parts, 16, UTF8PROC_DECOMPOSE, NULL);
    size_t k = 0;
    bool sep = false;
    for (utf8proc_ssize_t i = 0; i < np && k + 5 < n; i++) {
        utf8proc_int32_t c = parts[i];
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_MN) continue;
        if (c == 0x0111 || c == 0x00F0) c = 'd';
        cat = utf8proc_category(c);
        bool word = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT ||
                    cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND;
        if (!word) { sep = true; continue; }
        if (sep && k) out[k++] = ' ';
        sep = false;
        k += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + k);
    }
    out[k] = 0;
}

static void test_fold_fast_paths_match_reference(void **state)
{
    (void)state;
    static const int ranges[][2] = { { 0x20, 0x7F }, { 0x80, 0x250 }, { 0x1E00, 0x1F00 } };
    int checked = 0;
    for (size_t r = 0; r < 3; r++)
        for (int cp = ranges[r][0]; cp < ranges[r][1]; cp++) {
            if (!utf8proc_codepoint_valid(cp)) continue;
            char in[16] = "x", want[64];
            size_t n = 1 + (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)in + 1);
            in[n++] = 'x';
            in[n] = 0;
            reference_fold(cp, want, sizeof want);
            char *got = text_fold(in);
            if (!*want) {
                /* A separator (or a mark folded away): "x x" or "xx". */
                assert_non_null(got);
                assert_true(!strcmp(got, "x x") || !strcmp(got, "xx"));
            } else {
                assert_non_null(got);
                char expect[80];
                snprintf(expect, sizeof expect, "x%sx", want);
                char *ne = (char *)utf8proc_NFC((const utf8proc_uint8_t *)expect);
                if (strcmp(got, ne)) fail_msg("U+%04X folds to \"%s\", expected \"%s\"", cp, got, ne);
                free(ne);
            }
            free(got);
            checked++;
        }
    assert_true(checked > 700);
}


/* The one Vietnamese collation: each list below is in dictionary order, and sorting it shuffled gives it back. */
static int by_collation(const void *a, const void *b) { return text_collate(*(const char *const *)a, *(const char *const *)b); }

static void check_order(const char **want, size_t n)
{
    const char *got[32];
    assert_true(n <= 32);
    for (size_t i = 0; i < n; i++) got[i] = want[(i * 7 + 3) % n];   /* a shuffle (7 and n coprime below) */
    qsort(got, n, sizeof *got, by_collation);
    for (size_t i = 0; i < n; i++) assert_string_equal(got[i], want[i]);
    for (size_t i = 0; i + 1 < n; i++) assert_true(text_collate(want[i], want[i + 1]) < 0);
}

static void test_collate(void **state)
{
    (void)state;
    /* Byte order put "Cao Bằng" before "Cà Mau" and every Đ- name after "Vĩnh Long". */
    const char *provinces[] = { "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên",
                                "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế", "Hưng Yên",
                                "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình",
                                "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên",
                                "Vĩnh Long" };
    check_order(provinces, sizeof provinces / sizeof *provinces);
    /* d before đ, whole alphabet letters: a ă â, e ê, o ô ơ, u ư. */
    const char *letters[] = { "da", "dz", "đa", "e", "ê", "o", "ô", "ơ", "u", "ư", "v" };
    check_order(letters, sizeof letters / sizeof *letters);
    /* Tones after letters: ngang, huyền, hỏi, ngã, sắc, nặng; then lower before upper case. */
    const char *tones[] = { "ma", "Ma", "mà", "mả", "mã", "má", "mạ", "mac" };
    check_order(tones, sizeof tones / sizeof *tones);
    /* Digits first, a word before a longer one it begins, punctuation a word break. */
    assert_true(text_collate("10 ngày", "Tổ") < 0);
    assert_true(text_collate("Tổ", "Tổ công nghệ") < 0);
    assert_true(text_collate("Tổ công nghệ", "Tổng") < 0);
    char *a = text_sort_key("Tổ-công nghệ"), *b = text_sort_key("Tổ công  nghệ");
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* NFD gives the key of NFC; invalid UTF-8 gives NULL; printable ASCII and \x01 only. */
    char *nfc = text_sort_key("Đồng Tháp"), *nfd = text_sort_key("\xc4\x90o\xcc\x82\xcc\x80ng Tha\xcc\x81p");
    assert_string_equal(nfc, nfd);
    for (const char *q = nfc; *q; q++) assert_true(*q == 1 || (*q >= 0x20 && *q < 0x7f));
    free(nfc);
    free(nfd);
    assert_null(text_sort_key("\xff\xfe"));
    assert_true(text_collate("Ελλάδα", "Yên Bái") > 0);   /* another script after every Vietnamese letter */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_examples),
        cmocka_unit_test(test_fold_fast_paths_match_reference),
        cmocka_unit_test(test_nfc_fast_path_keeps_exactness),
        cmocka_unit_test(test_fold_nfd_input),
        cmocka_unit_test(test_fold_nfc_equals_nfd),
        cmocka_unit_test(test_fold_tone_placement),
        cmocka_unit_test(test_fold_all_vietnamese_letters),
        cmocka_unit_test(test_fold_d_variants),
        cmocka_unit_test(test_fold_separators_and_digits),
        cmocka_unit_test(test_fold_non_latin),
        cmocka_unit_test(test_fold_invalid),
        cmocka_unit_test(test_fold_compact),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_contains_word),
        cmocka_unit_test(test_fold_then_contains),
        cmocka_unit_test(test_collate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
