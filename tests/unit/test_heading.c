/* Unit tests for src/core/heading.c on a plan of our own writing: numbered lines, articles and titles in capitals are
 * headings; the national motto, the number, place and date, "Kính gửi", the issuer and the signature are not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/heading.h"
#include "store/search.h"

static const char PLAN[] =
    "ỦY BAN NHÂN DÂN\n"
    "TỈNH HÀ TĨNH\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "\n"
    "Số: 218/KH-UBND\n"
    "Hà Tĩnh, ngày 03 tháng 9 năm 2025\n"
    "\n"
    "KẾ HOẠCH\n"
    "Tổ chức Ngày Chuyển đổi số của tỉnh năm 2025\n"
    "\n"
    "Kính gửi: Các sở, ban, ngành cấp tỉnh; Ủy ban nhân dân các xã, phường\n"
    "\n"
    "Căn cứ Kế hoạch của Bộ Khoa học và Công nghệ về các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2025, "
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức trên địa bàn tỉnh như sau:\n"
    "\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "\n"
    "1. Mục đích\n"
    "\n"
    "Nâng cao nhận thức của người dân về lợi ích của chuyển đổi số; phấn đấu 80% hộ gia đình có người dùng dịch vụ "
    "công trực tuyến trước ngày 31/12/2025. Mỗi xã, phường có ít nhất một tổ công nghệ số cộng đồng hoạt động thường "
    "xuyên và được hướng dẫn nghiệp vụ.\n"
    "\n"
    "a) Đối với cơ quan nhà nước\n"
    "\n"
    "Các cơ quan rà soát thủ tục hành chính đủ điều kiện cung cấp trực tuyến toàn trình, công khai danh mục trên cổng "
    "thông tin điện tử của tỉnh trước ngày 15/9/2025 và báo cáo kết quả về Sở Khoa học và Công nghệ.\n"
    "\n"
    "II. NỘI DUNG\n"
    "\n"
    "Điều 1. Phạm vi áp dụng\n"
    "\n"
    "Kế hoạch áp dụng với các sở, ban, ngành và Ủy ban nhân dân các xã, phường. Các đơn vị sự nghiệp công lập căn cứ "
    "Kế hoạch xây dựng chương trình của đơn vị mình, gửi Sở Khoa học và Công nghệ trước ngày 20/9/2025.\n"
    "\n"
    "MỘT SỐ CHỈ TIÊU CHỦ YẾU\n"
    "\n"
    "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 60%; tỷ lệ người dân trưởng thành có danh tính điện tử đạt 90%; tỷ lệ học "
    "sinh được học kỹ năng số cơ bản đạt 100% ở cấp trung học cơ sở.\n"
    "\n"
    "Nơi nhận:\n"
    "- Bộ Khoa học và Công nghệ;\n"
    "- Lưu: VT.\n"
    "TM. ỦY BAN NHÂN DÂN\n"
    "KT. CHỦ TỊCH\n"
    "PHÓ CHỦ TỊCH\n"
    "Nguyễn Văn Bình\n";

static const char *const REAL[] = {
    "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Đối với cơ quan nhà nước", "II. NỘI DUNG",
    "Điều 1. Phạm vi áp dụng", "MỘT SỐ CHỈ TIÊU CHỦ YẾU", NULL,
};

static bool is_real(const char *s, size_t len)
{
    for (int i = 0; REAL[i]; i++)
        if (strlen(REAL[i]) == len && !memcmp(REAL[i], s, len)) return true;
    return false;
}

static void plan_headings_only(void **state)
{
    (void)state;
    size_t n = 0;
    struct heading *h = headings_find(PLAN, &n);
    char got[2048] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", i ? " | " : "", (int)h[i].len, PLAN + h[i].at);
    assert_string_equal(got, "KẾ HOẠCH | I. MỤC ĐÍCH, YÊU CẦU | 1. Mục đích | a) Đối với cơ quan nhà nước | II. NỘI DUNG | "
                             "Điều 1. Phạm vi áp dụng | MỘT SỐ CHỈ TIÊU CHỦ YẾU");
    /* Before the title nothing is in force; the last section holds to the end, the signature included. */
    assert_null(heading_in_force(h, n, 1));
    const struct heading *last = heading_in_force(h, n, sizeof PLAN - 2);
    assert_non_null(last);
    assert_true(is_real(PLAN + last->at, last->len));
    assert_memory_equal(PLAN + last->at, "MỘT SỐ", strlen("MỘT SỐ"));
    free(h);
}

/* One line at a time, as a document may also be laid out. */
static void lines_on_their_own(void **state)
{
    (void)state;
    static const struct { const char *line; bool heading; } cases[] = {
        { "Số: 1457/KH-BGDĐT", false }, { "SỐ: 12/QĐ-UBND", false }, { "Hà Nội, ngày 12 tháng 8 năm 2025", false },
        { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", false }, { "Độc lập - Tự do - Hạnh phúc", false },
        { "ĐỘC LẬP - TỰ DO - HẠNH PHÚC", false }, { "Kính gửi: Các Sở Giáo dục và Đào tạo", false },
        { "KÍNH GỬI CÁC SỞ", false }, { "V/v hưởng ứng Ngày Chuyển đổi số quốc gia", false }, { "TM. ỦY BAN NHÂN DÂN", false },
        { "KT. BỘ TRƯỞNG", false }, { "Căn cứ Luật Tổ chức chính quyền địa phương", false },
        { "I. MỤC ĐÍCH, YÊU CẦU", true }, { "II. NHIỆM VỤ", true }, { "1. Mục đích", true }, { "a) Khảo sát", true },
        { "đ) Tổ chức tuyên truyền", true }, { "Điều 1.", true }, { "Điều 2. Tổ chức thực hiện", true }, { "KẾ HOẠCH", true },
        { "MỤC ĐÍCH, YÊU CẦU", true }, { "ĐỀ ÁN", true }, { "PHỤ LỤC", true },
        /* Markdown, as articles are written: a "#" heading or a line in bold alone; bold inside a sentence is not. */
        { "## Cách đăng ký", true }, { "**Câu hỏi thường gặp**", true }, { "#hashtag", false },
        { "Gọi **0209 3870 155** trong giờ hành chính.", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = 0;
        struct heading *h = headings_find(cases[i].line, &n);
        if ((n == 1) != cases[i].heading)
            fail_msg("\"%s\": %s a heading", cases[i].line, n ? "taken for" : "not taken for");
        free(h);
    }
}

/* The index of a plan's whole text: every passage names a real heading or none. */
/* A Markdown heading is named by its words, without its marks. */
static void markdown_heading_without_marks(void **state)
{
    (void)state;
    static const char text[] = "Lớp học kỹ năng số\n\n## Cách đăng ký\n\nGọi số 0209 3870 155.\n\n**Câu hỏi thường gặp**\n\nCó mất phí không?\n";
    size_t n = 0;
    struct heading *h = headings_find(text, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(text + h[0].at, "Cách đăng ký", h[0].len);
    assert_int_equal(h[0].len, strlen("Cách đăng ký"));
    assert_memory_equal(text + h[1].at, "Câu hỏi thường gặp", h[1].len);
    assert_int_equal(h[1].len, strlen("Câu hỏi thường gặp"));
    free(h);
}

static void passages_name_real_headings(void **state)
{
    (void)state;
    char path[160];
    db *d = fixture_db_open(path, sizeof path, "heading", 0);
    assert_non_null(d);
    assert_int_equal(store_search_put(d, "plan", 1, "Kế hoạch tổ chức Ngày Chuyển đổi số", PLAN, "/ke-hoach/1", NULL), 0);
    db_stmt *s = db_prepare(d, "SELECT seq, heading FROM search_passage WHERE kind = 'plan' AND ref_id = 1 ORDER BY seq");
    int rows = 0, named = 0;
    while (db_step(s) == DB_ROW) {
        rows++;
        const char *h = db_col_text(s, 1);
        if (!h) continue;
        named++;
        if (!is_real(h, strlen(h))) fail_msg("passage %d under \"%s\", not a section heading", (int)db_col_int(s, 0), h);
    }
    db_done(s);
    assert_true(rows >= 3);
    assert_true(named >= 2);
    db_close(d);
    fixture_db_unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_headings_only),
        cmocka_unit_test(lines_on_their_own),
        cmocka_unit_test(passages_name_real_headings),
        cmocka_unit_test(markdown_heading_without_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
