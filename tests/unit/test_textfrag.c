/* Unit tests for src/core/textfrag.c: the text fragment of a cited sentence keeps each term on one line of the
 * passage (the assistant joins a heading and a list item to the next line), with the context around it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "core/textfrag.h"

static void expect(const char *passage, const char *sentence, const char *want)
{
    char *got = textfrag_directive(passage, sentence);
    if (!want) assert_null(got);
    else assert_string_equal(got ? got : "(null)", want);
    free(got);
}

static void one_line(void **state)
{
    (void)state;
    expect("Mở đầu. Văn bản này soạn để thử; không phải thật. Hết.", "Văn bản này soạn để thử; không phải thật.",
           "text=M%E1%BB%9F%20%C4%91%E1%BA%A7u.-,V%C4%83n%20b%E1%BA%A3n%20n%C3%A0y%20so%E1%BA%A1n%20%C4%91%E1%BB%83%20th%E1%BB%AD%3B"
           "%20kh%C3%B4ng%20ph%E1%BA%A3i%20th%E1%BA%ADt.,-H%E1%BA%BFt.");
    /* '-', ',' and '&' are the directive's own signs: always encoded. */
    expect("A-B, C & D", "A-B, C & D", "text=A%2DB%2C%20C%20%26%20D");
    expect("Một câu khác hẳn.", "Không có ở đây.", NULL);
}

static void joined_lines(void **state)
{
    (void)state;
    /* A heading and the line under it, joined by one space; a list item's dash left out. */
    expect("I. MỤC ĐÍCH\n\nVăn bản dùng thử.\n\nII. NHIỆM VỤ", "I. MỤC ĐÍCH Văn bản dùng thử.",
           "text=I.%20M%E1%BB%A4C%20%C4%90%C3%8DCH,V%C4%83n%20b%E1%BA%A3n%20d%C3%B9ng%20th%E1%BB%AD.,-II.%20NHI%E1%BB%86M%20V%E1%BB%A4");
    expect("5. Tổ chức tọa đàm\n- Chủ trì: Cục A\n- Thời gian: quý", "5. Tổ chức tọa đàm Chủ trì: Cục A",
           "text=5.%20T%E1%BB%95%20ch%E1%BB%A9c%20t%E1%BB%8Da%20%C4%91%C3%A0m,Ch%E1%BB%A7%20tr%C3%AC%3A%20C%E1%BB%A5c%20A");
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(one_line), cmocka_unit_test(joined_lines) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
