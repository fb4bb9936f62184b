/* Unit tests of the assistant's answer picking (src/core/answer.c) on passages written for these tests: what the
 * question asks for (a date, a number, a definition, who) picks the sentence, low confidence when none fits.
 * Must not touch a database: the passages stand for what search would have retrieved. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "core/answer.h"

#define FAIR_URL "/tin-tuc/hoi-cho-sach-so"
#define FAIR_TITLE "Hội chợ sách số tỉnh Hòa Bình"

/* Picks the answer to question among n passages into *a; the caller frees it with answer_free. */
static void pick(const char *question, const struct answer_passage *p, size_t n, struct answer *a)
{
    struct answer_question *q = answer_question_new(question);
    assert_non_null(q);
    answer_pick(q, p, n, a);
    answer_question_free(q);
}

/* The answer holds want and is given with confidence. */
static void confident_with(const char *question, const struct answer_passage *p, size_t n, const char *want)
{
    struct answer a;
    pick(question, p, n, &a);
    if (!strstr(a.text, want)) fail_msg("%s → \"%s\", without \"%s\"", question, a.text, want);
    assert_false(a.uncertain);
    assert_true(a.confidence >= ANSWER_CONFIDENT && a.confidence <= 1);
    assert_true(a.nsources >= 1);
    /* The cited sentence opens the answer (a short one is followed by the passage's next best). */
    assert_memory_equal(a.text, a.sources[0].snippet, strlen(a.sources[0].snippet));
    answer_free(&a);
}

static void date_question_picks_the_dated_sentence(void **state)
{
    const struct answer_passage p[] = {
        { FAIR_TITLE,
          "Các đơn vị đăng ký gian hàng hội chợ sách số trên cổng dịch vụ công của tỉnh. "
          "Hạn đăng ký gian hàng: hết ngày 20/9/2025. "
          "Mỗi gian hàng đăng ký được cấp một mã QR để bạn đọc tải sách về điện thoại.",
          "article", FAIR_URL, 3.0, NULL },
    };
    confident_with("Khi nào hết hạn đăng ký gian hàng?", p, 1, "20/9/2025");
    confident_with("Dang ky gian hang den bao gio?", p, 1, "20/9/2025");
}

static void how_many_question_picks_the_number(void **state)
{
    const struct answer_passage p[] = {
        { FAIR_TITLE,
          "Hội chợ sách số có gian hàng của các nhà xuất bản, thư viện và trường học trong tỉnh. "
          "Năm nay hội chợ có 45 gian hàng, nhiều hơn năm trước. "
          "Gian hàng của thư viện tỉnh cho mượn máy đọc sách ngay tại chỗ.",
          "article", FAIR_URL, 2.5, NULL },
    };
    confident_with("Hội chợ có bao nhiêu gian hàng?", p, 1, "45 gian hàng");
    /* Two sentences with figures: the one that counts what was asked for. */
    const struct answer_passage q[] = {
        { FAIR_TITLE,
          "Các nhà xuất bản tham gia hội chợ trong 3 ngày, từ 8 giờ đến 17 giờ. "
          "Có 12 nhà xuất bản tham gia, cùng thư viện tỉnh và hai trường đại học.",
          "article", FAIR_URL, 2.5, NULL },
    };
    confident_with("Có bao nhiêu nhà xuất bản tham gia?", q, 1, "12 nhà xuất bản");
}

static void what_is_question_picks_the_definition(void **state)
{
    const struct answer_passage p[] = {
        { "Thư viện số của tỉnh",
          "Thư viện tỉnh cho mượn sách nói miễn phí qua ứng dụng của thư viện. "
          "Sách nói là bản ghi âm một cuốn sách do người đọc diễn cảm, nghe được trên điện thoại. "
          "Người khiếm thị được ưu tiên mượn sách nói mới trước.",
          "faq", "/hoi-dap/sach-noi", 4.0, NULL },
    };
    confident_with("Sách nói là gì?", p, 1, "Sách nói là bản ghi âm");
}

static void a_task_answers_with_its_title_and_who(void **state)
{
    const struct answer_passage p[] = {
        { "Tổ chức hội chợ sách số năm 2025",
          "Nhiệm vụ 2.3 của kế hoạch Ngày sách số tỉnh Hòa Bình.\nĐơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch.\n"
          "Thời hạn: 30/9/2025.",
          "task", "/nhiem-vu/23", 5.0, NULL },
        { FAIR_TITLE, "Hội chợ sách số giới thiệu sách điện tử và sách nói của các nhà xuất bản trong tỉnh.",
          "article", FAIR_URL, 1.0, NULL },
    };
    struct answer a;
    pick("Cơ quan nào chủ trì tổ chức hội chợ sách số?", p, 2, &a);
    assert_false(a.uncertain);
    /* The field asked for, then the task and its plan it comes from. */
    assert_string_equal(a.text, "Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch. Nhiệm vụ: Tổ chức hội chợ sách số năm 2025 "
                                "(kế hoạch Ngày sách số tỉnh Hòa Bình).");
    assert_int_equal(a.sources[0].passage, 0);
    answer_free(&a);
}

static void nothing_fits_means_low_confidence(void **state)
{
    /* Shares one word with the question, answers nothing of it. */
    const struct answer_passage p[] = {
        { FAIR_TITLE, "Khu thiếu nhi của hội chợ có sách tranh và trò chơi cho trẻ em.", "article", FAIR_URL, 0.8, NULL },
    };
    struct answer a;
    pick("Thủ tục cấp hộ chiếu phổ thông cho trẻ em gồm giấy tờ gì?", p, 1, &a);
    assert_true(a.uncertain);
    assert_true(a.confidence < ANSWER_CONFIDENT);
    assert_non_null(strstr(a.text, "chưa chắc chắn"));
    assert_null(strstr(a.text, "sách tranh"));
    assert_int_equal(a.nsources, 1);   /* still cited: the reader may judge it */
    answer_free(&a);

    pick("Thủ tục cấp hộ chiếu phổ thông cho trẻ em gồm giấy tờ gì?", NULL, 0, &a);
    assert_true(a.uncertain);
    assert_true(a.confidence == 0);
    assert_int_equal(a.nsources, 0);
    assert_non_null(strstr(a.text, "chưa tìm thấy"));
    answer_free(&a);

    /* Passages with no sentence long enough to answer. */
    const struct answer_passage shortp[] = { { "Ghi chú", "Xem mục 2.", "article", "/a", 1.0, NULL } };
    pick("Hạn đăng ký gian hàng hội chợ?", shortp, 1, &a);
    assert_true(a.uncertain);
    assert_int_equal(a.nsources, 0);
    answer_free(&a);
}

static void one_source_per_document_answering_first(void **state)
{
    const struct answer_passage p[] = {
        { FAIR_TITLE, "Hội chợ sách số mở cửa tại Nhà văn hóa tỉnh trong ba ngày.", "article", FAIR_URL, 3.0, NULL },
        { "Thư viện số của tỉnh", "Thư viện tỉnh có quầy riêng tại hội chợ sách số để đăng ký thẻ bạn đọc.", "faq", "/hoi-dap/the", 2.0, NULL },
        { FAIR_TITLE, "Hội chợ sách số khai mạc lúc 8 giờ ngày 25/9/2025 tại Nhà văn hóa tỉnh.", "article", FAIR_URL, 2.9, NULL },
    };
    struct answer a;
    pick("Hội chợ sách số khai mạc ngày nào?", p, 3, &a);
    assert_false(a.uncertain);
    assert_non_null(strstr(a.text, "25/9/2025"));
    assert_int_equal(a.nsources, 2);
    assert_int_equal(a.sources[0].passage, 2);
    assert_int_equal(a.sources[1].passage, 1);
    answer_free(&a);
}

static void question_words_alone_retrieve_nothing(void **state)
{
    struct answer_question *q = answer_question_new("Cho tôi hỏi cái đó là gì vậy?");
    assert_non_null(q);
    /* "cái" is no question word: the only content left. */
    assert_string_equal(answer_question_terms(q), "cai");
    answer_question_free(q);
    q = answer_question_new("Cho tôi hỏi là gì vậy?");
    assert_string_equal(answer_question_terms(q), "");
    answer_question_free(q);
    q = answer_question_new("Ngày Chuyển đổi số quốc gia là ngày nào?");
    assert_string_equal(answer_question_terms(q), "ngay chuyen doi so quoc gia ngay");
    answer_question_free(q);
    assert_null(answer_question_new("hỏi \xff\xfe"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_question_picks_the_dated_sentence),
        cmocka_unit_test(how_many_question_picks_the_number),
        cmocka_unit_test(what_is_question_picks_the_definition),
        cmocka_unit_test(a_task_answers_with_its_title_and_who),
        cmocka_unit_test(nothing_fits_means_low_confidence),
        cmocka_unit_test(one_source_per_document_answering_first),
        cmocka_unit_test(question_words_alone_retrieve_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
