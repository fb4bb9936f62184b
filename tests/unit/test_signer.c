/* Unit tests of reading a document's signature block (src/core/signer.c) on closings written for these tests:
 * the signer and the office, "KT." blocks, and no name where no office line introduces one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "core/signer.h"

static void signed_for_the_minister(void **state)
{
    char out[200];
    assert_true(doc_signer("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nTrần Văn Bình\n", out, sizeof out));
    assert_string_equal(out, "Trần Văn Bình (KT. Bộ trưởng, Thứ trưởng)");
}

static void a_director_alone_and_markdown_emphasis(void **state)
{
    char out[200];
    assert_true(doc_signer("III. TỔ CHỨC THỰC HIỆN\n\nVăn phòng Sở tổng hợp.\n\n**GIÁM ĐỐC**\n\n**Lê Thị Hoa**", out, sizeof out));
    assert_string_equal(out, "Lê Thị Hoa (Giám đốc)");
    assert_true(doc_signer("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nĐinh Công Sơn", out, sizeof out));
    assert_string_equal(out, "Đinh Công Sơn (TM. Ủy ban nhân dân, KT. Chủ tịch, Phó chủ tịch)");
}

static void no_office_line_no_signer(void **state)
{
    char out[200] = "x";
    /* A closing sentence and a name-like line without an office above it: nothing is guessed. */
    assert_false(doc_signer("Đề nghị các đơn vị thực hiện nghiêm túc.\n\nNguyễn Văn An\n", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(doc_signer("GIÁM ĐỐC\n\nđã ký\n", out, sizeof out));
    assert_false(doc_signer("", out, sizeof out));
    assert_false(doc_signer(NULL, out, sizeof out));
    /* Too small a buffer: refused rather than cut. */
    char tiny[8];
    assert_false(doc_signer("GIÁM ĐỐC\nLê Thị Hoa", tiny, sizeof tiny));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_for_the_minister),
        cmocka_unit_test(a_director_alone_and_markdown_emphasis),
        cmocka_unit_test(no_office_line_no_signer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
