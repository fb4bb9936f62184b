/* Unit tests of what the assistant reads from a question beyond its words (src/core/answer.c, src/core/lexicon.c): a
 * year that constrains, the paraphrase lexicon, a task's fields asked for (lead, partners, deadline, deliverable), a
 * list's lead-in answered with its items, and a question in another language. Must not touch a database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "core/answer.h"
#include "core/lexicon.h"

static void pick(const char *question, const struct answer_passage *p, size_t n, struct answer *a)
{
    struct answer_question *q = answer_question_new(question);
    assert_non_null(q);
    answer_pick(q, p, n, a);
    answer_question_free(q);
}

/* The answer holds want (and not `not`); when the assistant is not sure, the first source it shows must. */
static void answers_with(const char *question, const struct answer_passage *p, size_t n, const char *want, const char *not)
{
    struct answer a;
    pick(question, p, n, &a);
    const char *got = a.uncertain ? (a.nsources ? a.sources[0].snippet : "") : a.text;
    if (!strstr(got, want) || (not && strstr(got, not)))
        fail_msg("%s → [%.2f%s] \"%s\" / \"%s\": want \"%s\"%s%s", question, a.confidence, a.uncertain ? ", unsure" : "", a.text, got, want,
                 not ? ", not " : "", not ? not : "");
    answer_free(&a);
}

/* Two years' themes; the one of the other year ranks first in search. The year asked decides. */
static void a_year_in_the_question_constrains_the_answer(void **state)
{
    const struct answer_passage p[] = {
        { "Chiến dịch năm 2031", "Chủ đề của chiến dịch là \"Dữ liệu mở cho mọi nhà\".", "campaign", "/nam/2031", 9.0, NULL },
        { "Chiến dịch năm 2030", "Năm ấy, các tỉnh hưởng ứng với thông điệp \"Kết nối vùng cao\".", "campaign", "/nam/2030", 8.0, NULL },
    };
    answers_with("Chủ đề của chiến dịch năm 2030 là gì?", p, 2, "Kết nối vùng cao", "Dữ liệu mở");
    answers_with("chu de chien dich nam 2030", p, 2, "Kết nối vùng cao", "Dữ liệu mở");
}

/* Two provinces' plans say the same thing; the province asked decides, even typed without marks ("lam" is not "làm"). */
static void a_place_in_the_question_constrains_the_answer(void **state)
{
    const struct answer_passage p[] = {
        { "Kế hoạch hưởng ứng của tỉnh Ninh Bình", "Kinh phí hưởng ứng lấy từ nguồn xã hội hóa của doanh nghiệp.", "plan", "/ke-hoach/1", 9.0, NULL },
        { "Kế hoạch hưởng ứng của tỉnh Lâm Đồng", "Kinh phí: dự toán ngân sách tỉnh năm 2030.", "plan", "/ke-hoach/2", 7.0, NULL },
    };
    answers_with("Kinh phí hưởng ứng của Lâm Đồng lấy từ đâu?", p, 2, "ngân sách tỉnh", "xã hội hóa");
    answers_with("kinh phi huong ung cua lam dong lay tu dau", p, 2, "ngân sách tỉnh", "xã hội hóa");
}

/* Who signed: the signature block; whom to contact: the sentence with a phone number or an address. */
static void signer_and_contact_are_read_from_the_document(void **state)
{
    const struct answer_passage p[] = {
        { "Công văn 77/SKHCN về báo cáo số liệu", "Sở Khoa học và Công nghệ đề nghị các xã báo cáo số liệu về công văn này.\n"
          "Mọi vướng mắc xin gọi bà Lê Thu Hà, điện thoại 0212 3456 789.\nKT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC Trần Văn Bình.",
          "article", "/tin-tuc/d", 5.0, NULL },
    };
    answers_with("Ai ký công văn 77 của Sở Khoa học và Công nghệ?", p, 1, "Trần Văn Bình", NULL);
    answers_with("Hỏi về công văn 77 thì liên hệ số điện thoại nào?", p, 1, "0212 3456 789", NULL);
}

static void collect(const char *from, const char *to, void *ctx)
{
    char *out = ctx;
    strcat(out, to);
    strcat(out, "|");
}

static void the_lexicon_knows_the_domain_words(void **state)
{
    char got[512] = "";
    assert_int_equal(lexicon_match("ubnd tinh giao cds cho ai", collect, got), 3);
    assert_non_null(strstr(got, "uy ban nhan dan|"));
    assert_non_null(strstr(got, "chuyen doi so|"));
    got[0] = 0;
    lexicon_match("han chot nop cho cong dan", collect, got);
    assert_non_null(strstr(got, "thoi han|"));
    assert_non_null(strstr(got, "nguoi dan|"));
    /* Whole words only: "dvc" is not inside "dvctt", "ky" not inside "kyc". */
    got[0] = 0;
    assert_int_equal(lexicon_match("kyc abcds", collect, got), 0);
    /* The question's retrieval terms carry the documents' words. */
    struct answer_question *q = answer_question_new("Hạn chót UBND nhận hồ sơ?");
    assert_non_null(strstr(answer_question_terms(q), "thoi han"));
    assert_non_null(strstr(answer_question_terms(q), "uy ban nhan dan"));
    answer_question_free(q);
}

static void a_paraphrase_finds_the_sentence(void **state)
{
    const struct answer_passage p[] = {
        { "Thông báo tuyển chọn", "Người dân nộp hồ sơ tại bộ phận một cửa của xã. "
                                  "Thời hạn nhận hồ sơ: đến hết ngày 14/5/2030. "
                                  "Công dân ở xa có thể gửi hồ sơ qua bưu điện.", "article", "/tin-tuc/a", 5.0, NULL },
    };
    answers_with("han chot gui ho so", p, 1, "14/5/2030", NULL);
}

static const struct answer_passage task[] = {
    { "Mở lớp bồi dưỡng kỹ năng số cho cán bộ xã",
      "Nhiệm vụ 3 của kế hoạch 77/KH-XYZ: Kế hoạch thử.\nKết quả, sản phẩm: 120 cán bộ được cấp chứng nhận.\n"
      "Đơn vị chủ trì: Sở Nội vụ.\nĐơn vị phối hợp: Trường Chính trị tỉnh, Bưu điện tỉnh.\nThời hạn: 30/06/2030.\n",
      "task", "/nhiem-vu/3", 6.0, NULL },
};

static void a_task_answers_the_field_asked(void **state)
{
    answers_with("Ai chủ trì mở lớp bồi dưỡng kỹ năng số cho cán bộ xã?", task, 1, "Sở Nội vụ", "Bưu điện");
    answers_with("don vi nao phoi hop mo lop boi duong ky nang so", task, 1, "Trường Chính trị tỉnh, Bưu điện tỉnh", "Sở Nội vụ");
    answers_with("Lớp bồi dưỡng kỹ năng số cho cán bộ xã hạn chót khi nào?", task, 1, "30/06/2030", "Sở Nội vụ");
    answers_with("Sản phẩm của lớp bồi dưỡng kỹ năng số là gì?", task, 1, "120 cán bộ", "Sở Nội vụ");
    /* Each cites the task and its plan. */
    answers_with("Ai chủ trì mở lớp bồi dưỡng kỹ năng số cho cán bộ xã?", task, 1, "77/KH-XYZ", NULL);
}

static void a_list_lead_in_is_answered_with_its_items(void **state)
{
    const struct answer_passage p[] = {
        { "Công văn báo cáo", "Đề nghị Ủy ban nhân dân các xã báo cáo những số liệu về hạ tầng số gồm:\n"
                              "- số điểm phát sóng wifi công cộng;\n- số hộ có cáp quang.\nThời hạn: trước ngày 05/3/2030.\n",
          "article", "/tin-tuc/b", 4.0, NULL },
    };
    answers_with("Các xã phải báo cáo những số liệu gì về hạ tầng số?", p, 1, "điểm phát sóng wifi", NULL);
    answers_with("Các xã phải báo cáo những số liệu gì về hạ tầng số?", p, 1, "cáp quang", "05/3/2030");
}

static void a_question_in_another_language_is_not_answered(void **state)
{
    const struct answer_passage p[] = {
        { "Hà Nội", "Thời tiết Hà Nội ngày mai có mưa rào.", "article", "/tin-tuc/c", 4.0, NULL },
    };
    struct answer a;
    pick("What is the weather in Hanoi tomorrow?", p, 1, &a);
    assert_true(a.uncertain);
    answer_free(&a);
}

/* The document's subject in its first line does not answer what is asked inside it: the sentence with the thing asked
 * for does ("giải Nhì", with its figure), and a word ending like a question word ("giải" ends in "ai") asks nothing. */
static void the_subject_line_does_not_answer_inside_its_document(void **state)
{
    const struct answer_passage p[] = {
        { "Thông báo Cuộc thi \"Ý tưởng số xanh\" năm 2031 của Tỉnh đoàn Hòa Bình",
          "Thông báo Cuộc thi \"Ý tưởng số xanh\" năm 2031 của Tỉnh đoàn Hòa Bình phối hợp với Sở Khoa học và Công nghệ tổ chức.\n"
          "Thí sinh từ 18 đến 30 tuổi, mỗi đội không quá 4 người.\n"
          "Giải thưởng gồm 01 giải Nhất trị giá 20 triệu đồng và 02 giải Nhì mỗi giải 10 triệu đồng.",
          "article", "/tin-tuc/y-tuong-so-xanh", 5.0, NULL },
    };
    answers_with("Cuộc thi Ý tưởng số xanh có mấy giải nhì?", p, 1, "02 giải Nhì", NULL);
    answers_with("giai nhat cuoc thi y tuong so xanh bao nhieu tien", p, 1, "20 triệu", NULL);
    answers_with("bao nhieu tuoi thi duoc thi y tuong so xanh", p, 1, "18 đến 30 tuổi", NULL);
}

/* A question written in the document ("… không?") is answered by the sentence after it, not by itself. */
static void a_question_in_the_text_is_answered_by_the_next_sentence(void **state)
{
    const struct answer_passage p[] = {
        { "Khóa học kỹ năng số cho người cao tuổi", "Câu hỏi thường gặp.\n"
          "Học viên có phải đóng học phí khóa học kỹ năng số không?\n"
          "Khóa học hoàn toàn miễn phí, học viên chỉ cần mang theo điện thoại.", "article", "/tin-tuc/khoa-hoc", 4.0, NULL },
    };
    answers_with("hoc khoa ky nang so co phai dong hoc phi khong", p, 1, "miễn phí", NULL);
}

/* In a plan's "Tổ chức thực hiện" the unit is the heading and its duties the lines under it: "ai …" names the unit. */
static void a_duty_under_its_unit_is_answered_with_the_unit(void **state)
{
    const struct answer_passage p[] = {
        { "Kế hoạch hưởng ứng Ngày Chuyển đổi số của xã Tân Lập", "- Chủ trì hướng dẫn người dân kích hoạt tài khoản định danh "
          "điện tử mức độ 2 tại nhà văn hóa các thôn;\n- Bố trí cán bộ trực tại điểm hướng dẫn trong ngày 10/10.", "plan", "/ke-hoach/9#p-4",
          6.0, "3. Công an xã" },
        { "Kế hoạch hưởng ứng Ngày Chuyển đổi số của xã Tân Lập", "- Tuyên truyền trên hệ thống loa truyền thanh của xã về lợi ích "
          "của tài khoản định danh điện tử.", "plan", "/ke-hoach/9#p-5", 5.0, "4. Đài truyền thanh xã" },
    };
    struct answer a;
    pick("ai huong dan kich hoat tai khoan dinh danh dien tu muc 2 o xa tan lap", p, 2, &a);
    if (a.uncertain || !strstr(a.text, "Công an xã")) fail_msg("→ [%.2f] %s", a.confidence, a.text);
    answer_free(&a);
}

/* Two communes' plans say the same thing; the commune asked about decides, with or without marks. */
static void a_commune_in_the_question_constrains_the_answer(void **state)
{
    const struct answer_passage p[] = {
        { "Kế hoạch tổ chức Ngày Chuyển đổi số xã Hòa Bình", "Ngày hội số của xã tổ chức tại sân vận động xã vào ngày 11/10/2031.",
          "plan", "/ke-hoach/1#p-2", 9.0, NULL },
        { "Kế hoạch của xã Tân Phú", "Ngày hội diễn ra tại Nhà văn hóa thôn 3 vào ngày 12/10/2031.", "plan", "/ke-hoach/2#p-2", 7.0, NULL },
    };
    answers_with("Ngày hội số của xã Tân Phú tổ chức hôm nào?", p, 2, "12/10/2031", "11/10/2031");
    answers_with("ngay hoi so xa tan phu to chuc o dau", p, 2, "Nhà văn hóa thôn 3", "sân vận động");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_year_in_the_question_constrains_the_answer),
        cmocka_unit_test(a_place_in_the_question_constrains_the_answer),
        cmocka_unit_test(signer_and_contact_are_read_from_the_document),
        cmocka_unit_test(the_lexicon_knows_the_domain_words),
        cmocka_unit_test(a_paraphrase_finds_the_sentence),
        cmocka_unit_test(a_task_answers_the_field_asked),
        cmocka_unit_test(a_list_lead_in_is_answered_with_its_items),
        cmocka_unit_test(a_question_in_another_language_is_not_answered),
        cmocka_unit_test(the_subject_line_does_not_answer_inside_its_document),
        cmocka_unit_test(a_question_in_the_text_is_answered_by_the_next_sentence),
        cmocka_unit_test(a_duty_under_its_unit_is_answered_with_the_unit),
        cmocka_unit_test(a_commune_in_the_question_constrains_the_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
