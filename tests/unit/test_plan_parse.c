/* Unit tests for the plan reader (src/core/plan_*.c): dates, unit lists, fixtures of our own, bad input, seed figures.
 * Must run from the repository root, write nothing, and skip (saying so) when ../shared/seeds is absent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "core/plan_parse.h"
#include "core/text.h"

#define FIX "tests/fixtures/plans/"
#define SEEDS "../shared/seeds/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *b = malloc(cap + 1);
    while ((r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            b = realloc(b, (cap *= 2) + 1);
    }
    fclose(f);
    b[n] = '\0';
    *len = n;
    return b;
}

static struct plan_doc *parse_file(const char *path)
{
    size_t len;
    char *s = slurp(path, &len);
    if (!s)
        fail_msg("cannot read %s (tests run from the repository root)", path);
    struct plan_doc *d = plan_parse(s, len);
    free(s);
    return d;
}

static const struct plan_task *task(const struct plan_doc *d, const char *ref)
{
    for (int i = 0; i < d->ntasks; i++)
        if (strcmp(d->tasks[i].ref, ref) == 0)
            return &d->tasks[i];
    fail_msg("no task %s among %d", ref, d->ntasks);
    return NULL;
}

/* The list equals the NULL-terminated names, in order. */
static void names(char **got, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int i = 0;
    for (const char *w; (w = va_arg(ap, const char *)) != NULL; i++) {
        if (i >= n)
            fail_msg("missing \"%s\" (only %d names)", w, n);
        if (strcmp(got[i], w) != 0)
            fail_msg("name %d is \"%s\", want \"%s\"", i, got[i], w);
    }
    va_end(ap);
    if (i != n)
        fail_msg("%d names, want %d (extra \"%s\")", n, i, got[i]);
}

static void ymd_is(bool has, struct ymd d, const char *want)
{
    if (!want) {
        if (has)
            fail_msg("unexpected date %04d-%02d-%02d", d.y, d.m, d.d);
        return;
    }
    if (!has)
        fail_msg("no date, want %s", want);
    char got[11];
    date_format_iso(d, got);
    assert_string_equal(got, want);
}

static void due_is(const struct plan_task *t, const char *due, const char *from, const char *to)
{
    ymd_is(t->has_due, t->due, due);
    ymd_is(t->has_window, t->window_from, from);
    ymd_is(t->has_window, t->window_to, to);
}

static bool has_warning(char **w, int n, const char *part)
{
    for (int i = 0; i < n; i++)
        if (strstr(w[i], part))
            return true;
    return false;
}

/* ---- dates ---- */

static void when_is(const char *text, const char *due, const char *from, const char *to, const char *rec)
{
    struct plan_when w;
    bool ok = plan_parse_when(text, &w);
    if (!ok && (due || from || rec))
        fail_msg("\"%s\" not understood", text);
    ymd_is(w.has_due, w.due, due);
    ymd_is(w.has_window, w.from, from);
    ymd_is(w.has_window, w.to, to);
    if (rec) {
        if (!w.recurrence || strcmp(w.recurrence, rec) != 0)
            fail_msg("\"%s\": recurrence %s, want %s", text, w.recurrence ? w.recurrence : "none", rec);
    } else if (w.recurrence) {
        fail_msg("\"%s\": unexpected recurrence %s", text, w.recurrence);
    }
}

static void test_when_forms(void **state)
{
    when_is("15/9/2022", "2022-09-15", NULL, NULL, NULL);
    when_is("trước ngày 15/9/2022", "2022-09-15", NULL, NULL, NULL);
    when_is("TRƯỚC NGÀY 15/9/2022", "2022-09-15", NULL, NULL, NULL);
    when_is("chậm nhất ngày 30/6/2025", "2025-06-30", NULL, NULL, NULL);
    when_is("ngày 16 tháng 6 năm 2022", "2022-06-16", NULL, NULL, NULL);
    when_is("6/2025", "2025-06-30", NULL, NULL, NULL);
    when_is("02/2024", "2024-02-29", NULL, NULL, NULL);
    when_is("Tháng 9/2022", "2022-09-30", NULL, NULL, NULL);
    when_is("tháng 12 năm 2025", "2025-12-31", NULL, NULL, NULL);
    when_is("Quý II/2025", "2025-06-30", NULL, NULL, NULL);
    when_is("quý 4 năm 2024", "2024-12-31", NULL, NULL, NULL);
    when_is("2025", "2025-12-31", NULL, NULL, NULL);
    when_is("Năm 2025.", "2025-12-31", NULL, NULL, NULL);
    when_is("01/10/2024 – 10/10/2024", NULL, "2024-10-01", "2024-10-10", NULL);
    when_is("từ ngày 01-10/10/2022", NULL, "2022-10-01", "2022-10-10", NULL);
    when_is("từ ngày 01 đến ngày 10/10/2022", NULL, "2022-10-01", "2022-10-10", NULL);
    when_is("Từ ngày 15/9 - 15/10/2023", NULL, "2023-09-15", "2023-10-15", NULL);
    when_is("trong tháng 10/2022", NULL, "2022-10-01", "2022-10-31", NULL);
    when_is("trong toàn bộ tháng 2/2023", NULL, "2023-02-01", "2023-02-28", NULL);
    when_is("Thường xuyên", NULL, NULL, NULL, "Thường xuyên");
    when_is("Hằng năm", NULL, NULL, NULL, "Hằng năm");
    when_is("hàng Quý", NULL, NULL, NULL, "Hằng quý");
    when_is("Mỗi Quý/01 chiến dịch (Hàng năm)", NULL, NULL, NULL, "Hằng quý");
    when_is("Quý I hằng năm", NULL, NULL, NULL, "Quý I hằng năm");
    when_is("Quý II năm 2022 hoàn thành, hằng năm cập nhật", "2022-06-30", NULL, NULL, "Hằng năm");
    when_is("Năm 2022: Tháng 02/2022.", "2022-02-28", NULL, NULL, NULL);
    when_is("Năm 2023: Hoàn thành trong Quý III.", "2023-09-30", NULL, NULL, NULL);
    /* NFD and no-break spaces read the same */
    char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)"Trước ngày 20/10/2022; Quý I hằng năm");
    when_is(nfd, "2022-10-20", NULL, NULL, "Quý I hằng năm");
    free(nfd);
    when_is("trước\xC2\xA0ngày\xC2\xA0" "5/1/2026", "2026-01-05", NULL, NULL, NULL);
    /* not dates */
    struct plan_when w;
    assert_false(plan_parse_when("31/02/2025", &w));
    assert_false(plan_parse_when("sớm nhất có thể", &w));
    assert_false(plan_parse_when("Quyết định số 17/2017/NĐ-CP", &w));
    assert_false(plan_parse_when("", &w));
    assert_false(plan_parse_when(NULL, &w));
    assert_false(plan_parse_when("\xff\xfe", &w));
    assert_false(w.has_due || w.has_window || w.recurrence);
}

/* ---- unit lists, through small plans ---- */

static struct plan_doc *parse_str(const char *s)
{
    struct plan_doc *d = plan_parse(s, strlen(s));
    assert_non_null(d);
    return d;
}

static void test_unit_lists(void **state)
{
    struct plan_doc *d = parse_str(
        "KẾ HOẠCH\nThử nghiệm\n\nII. NHIỆM VỤ\n\n"
        "1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Bộ Thông tin và Truyền thông, Sở Y tế và các "
        "cơ quan, đơn vị có liên quan tổ chức ngày hội.\n\n"
        "2. Phát động cuộc thi sáng tạo\na) Cơ quan chủ trì: Các bộ, ngành, địa phương; Hội Tin học Việt Nam (VAIP)\n"
        "b) Thời hạn: Quý III/2025\n\n"
        "3. Cục Xuất bản, In và Phát hành chủ trì, Sở Tài chính phối hợp thực hiện.\n\n"
        "4. Giao Trung tâm Phục vụ hành chính công chủ trì, phối hợp với chính quyền địa phương tại các xã "
        "thực hiện.\n\n"
        "5. Bộ Công an phối hợp với Đài Tiếng nói Việt Nam, địa phương triển khai.\n");
    assert_int_equal(d->ntasks, 5);
    const struct plan_task *t = task(d, "1");
    names(t->lead, t->nlead, "Sở Văn hóa, Thể thao và Du lịch", NULL);
    names(t->partners, t->npartners, "Bộ Thông tin và Truyền thông", "Sở Y tế", NULL);
    t = task(d, "2"); /* "a) Cơ quan chủ trì: …" are fields of item 2, not sub-items */
    names(t->lead, t->nlead, "Các bộ, ngành, địa phương", "Hội Tin học Việt Nam (VAIP)", NULL);
    due_is(t, "2025-09-30", NULL, NULL);
    t = task(d, "3");
    names(t->lead, t->nlead, "Cục Xuất bản, In và Phát hành", NULL);
    names(t->partners, t->npartners, "Sở Tài chính", NULL);
    t = task(d, "4");
    names(t->lead, t->nlead, "Trung tâm Phục vụ hành chính công", NULL);
    names(t->partners, t->npartners, "chính quyền địa phương", NULL);
    t = task(d, "5");
    names(t->lead, t->nlead, "Bộ Công an", NULL);
    names(t->partners, t->npartners, "Đài Tiếng nói Việt Nam", "địa phương", NULL);
    plan_free(d);
}

/* ---- fixtures ---- */

static void check_ministry(const struct plan_doc *d)
{
    assert_string_equal(d->number, "2150/KH-BKHCN");
    ymd_is(d->has_issued, d->issued, "2025-05-12");
    assert_string_equal(d->issuer, "BỘ KHOA HỌC VÀ CÔNG NGHỆ");
    assert_string_equal(d->title,
                        "Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2025 của Bộ Khoa học và Công nghệ");
    assert_string_equal(d->theme, "Dữ liệu mở cho mọi người dân, mọi doanh nghiệp");
    names(d->cites, d->ncites, "505/QĐ-TTg", "55/2025/NĐ-CP", NULL);
    assert_int_equal(d->ntasks, 6); /* "Mục đích/Yêu cầu" and the funding section are not tasks */
    const struct plan_task *t = task(d, "1");
    assert_string_equal(t->title, "Xây dựng và phát hành bộ nhận diện Ngày Chuyển đổi số quốc gia năm 2025");
    names(t->lead, t->nlead, "Cục Chuyển đổi số quốc gia", NULL);
    names(t->partners, t->npartners, "Văn phòng Bộ", "Trung tâm Truyền thông khoa học và công nghệ", NULL);
    due_is(t, "2025-08-15", NULL, NULL);
    assert_string_equal(t->deliverable, "Bộ nhận diện được công bố trên Cổng thông tin điện tử của Bộ");
    assert_null(t->recurrence);
    assert_int_equal(t->nwarnings, 0);
    t = task(d, "2");
    names(t->lead, t->nlead, "Vụ Kinh tế số và Xã hội số", NULL);
    names(t->partners, t->npartners, "Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam",
          "Sở Khoa học và Công nghệ các tỉnh, thành phố", NULL);
    due_is(t, NULL, NULL, NULL);
    assert_string_equal(t->recurrence, "Hằng quý");
    assert_string_equal(t->deliverable, "Tối thiểu 04 tọa đàm mỗi năm");
    t = task(d, "3");
    names(t->lead, t->nlead, "Trung tâm Công nghệ thông tin", NULL);
    due_is(t, "2025-09-30", NULL, NULL); /* "+ Năm 2025: … trong Quý III" */
    assert_string_equal(t->recurrence, "Quý I hằng năm");
    t = task(d, "4.a");
    names(t->lead, t->nlead, "Sở Khoa học và Công nghệ Hà Nội", NULL);
    names(t->partners, t->npartners, "Đài Truyền hình Việt Nam", NULL);
    due_is(t, NULL, "2025-10-01", "2025-10-10");
    t = task(d, "4.b");
    due_is(t, NULL, "2025-10-01", "2025-10-10");
    t = task(d, "5");
    due_is(t, "2025-11-30", NULL, NULL);
    assert_int_equal(d->ndeadlines, 1);
    assert_string_equal(d->deadlines[0].what, "báo cáo kết quả thực hiện Kế hoạch");
    assert_string_equal(d->deadlines[0].to, "Cục Chuyển đổi số quốc gia (qua Phòng Tổng hợp)");
    ymd_is(true, d->deadlines[0].due, "2025-10-31");
    /* offsets point into the NFC text at the task */
    t = task(d, "4.a");
    assert_true(t->src_start < t->src_end && t->src_end <= strlen(d->text));
    assert_memory_equal(d->text + t->src_start, "a) Sự kiện", strlen("a) Sự kiện"));
    for (int i = 0; i < d->ntasks; i++)
        assert_null(strstr(d->tasks[i].title, "**"));
}

static void test_ministry_fields(void **state)
{
    struct plan_doc *d = parse_file(FIX "ministry_fields.md");
    assert_non_null(d);
    check_ministry(d);
    plan_free(d);
}

static void same_list(char **a, int na, char **b, int nb)
{
    assert_int_equal(na, nb);
    for (int i = 0; i < na; i++)
        assert_string_equal(a[i], b[i]);
}

static void same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

static void test_nfd_copy_reads_the_same(void **state)
{
    size_t la, lb;
    char *a = slurp(FIX "ministry_fields.md", &la), *b = slurp(FIX "ministry_fields_nfd.md", &lb);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(la != lb || memcmp(a, b, la) != 0); /* the copy really is decomposed */
    struct plan_doc *x = plan_parse(a, la), *y = plan_parse(b, lb);
    assert_non_null(y);
    check_ministry(y);
    assert_string_equal(x->text, y->text);
    assert_int_equal(x->ntasks, y->ntasks);
    for (int i = 0; i < x->ntasks; i++) {
        const struct plan_task *p = &x->tasks[i], *q = &y->tasks[i];
        assert_string_equal(p->ref, q->ref);
        assert_string_equal(p->title, q->title);
        same_list(p->lead, p->nlead, q->lead, q->nlead);
        same_list(p->partners, p->npartners, q->partners, q->npartners);
        same_str(p->deliverable, q->deliverable);
        same_str(p->recurrence, q->recurrence);
        assert_int_equal(p->src_start, q->src_start);
        assert_int_equal(p->src_end, q->src_end);
    }
    plan_free(x);
    plan_free(y);
    free(a);
    free(b);
}

static void test_province_units(void **state)
{
    struct plan_doc *d = parse_file(FIX "province_units.txt");
    assert_non_null(d);
    assert_string_equal(d->number, "318/KH-UBND");
    ymd_is(d->has_issued, d->issued, "2024-09-05");
    assert_string_equal(d->issuer, "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG");
    assert_string_equal(d->title, "Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn tỉnh");
    names(d->cites, d->ncites, "1690/KH-BTTTT", NULL);
    assert_null(d->theme);
    /* the purpose and time sections, the closing formula and the recipients list give no task */
    assert_int_equal(d->ntasks, 10);
    const struct plan_task *t = task(d, "1.1");
    names(t->lead, t->nlead, "Sở Thông tin và Truyền thông", NULL);
    names(t->partners, t->npartners, "Sở Văn hóa, Thể thao và Du lịch", NULL);
    due_is(t, "2024-10-05", NULL, NULL);
    t = task(d, "1.2");
    names(t->lead, t->nlead, "Sở Thông tin và Truyền thông", NULL);
    due_is(t, NULL, NULL, NULL);
    due_is(task(d, "1.3"), "2024-10-30", NULL, NULL);
    t = task(d, "2"); /* "2. Sở Công Thương: chủ trì …" */
    names(t->lead, t->nlead, "Sở Công Thương", NULL);
    due_is(t, NULL, "2024-10-01", "2024-10-31");
    assert_non_null(strstr(t->title, "vận động các doanh nghiệp bán lẻ"));
    t = task(d, "3");
    names(t->lead, t->nlead, "Sở Giáo dục và Đào tạo", NULL);
    due_is(t, "2024-10-20", NULL, NULL);
    t = task(d, "4.1");
    names(t->lead, t->nlead, "Tỉnh đoàn Lâm Đồng", NULL);
    names(t->partners, t->npartners, "Ủy ban nhân dân các xã, phường", NULL);
    t = task(d, "4.2");
    names(t->partners, t->npartners, "Bưu điện tỉnh", NULL);
    t = task(d, "5");
    names(t->lead, t->nlead, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", NULL);
    t = task(d, "6.1");
    names(t->lead, t->nlead, "Ủy ban nhân dân các huyện, thành phố", NULL);
    due_is(t, "2024-09-20", NULL, NULL);
    names(task(d, "6.2")->lead, task(d, "6.2")->nlead, "Ủy ban nhân dân các huyện, thành phố", NULL);
    assert_int_equal(d->ndeadlines, 2);
    assert_string_equal(d->deadlines[0].what, "báo cáo kết quả thực hiện");
    assert_string_equal(d->deadlines[0].to, "Ủy ban nhân dân tỉnh");
    ymd_is(true, d->deadlines[0].due, "2024-10-30");
    assert_string_equal(d->deadlines[1].what, "kế hoạch hưởng ứng trên địa bàn");
    assert_string_equal(d->deadlines[1].to, "Sở Thông tin và Truyền thông");
    plan_free(d);
}

static void test_prose_article(void **state)
{
    struct plan_doc *d = parse_file(FIX "prose_article.txt");
    assert_non_null(d);
    assert_string_equal(d->title, "Đồng Nai ra quân hưởng ứng Ngày Chuyển đổi số quốc gia 2025");
    assert_null(d->number);
    assert_false(d->has_issued);
    /* "… đã tổ chức lễ ra quân" tells what happened and "do Hội … chủ trì đã thu hút" describes a contest:
     * neither is a task */
    assert_int_equal(d->ntasks, 4);
    const struct plan_task *t = &d->tasks[0];
    names(t->lead, t->nlead, "Sở Khoa học và Công nghệ", NULL);
    names(t->partners, t->npartners, "Công an tỉnh", "Bưu điện tỉnh", "các doanh nghiệp viễn thông trên địa bàn",
          NULL);
    due_is(t, "2025-10-25", NULL, NULL);
    t = &d->tasks[1]; /* "Tổng hợp …" continues the paragraph above */
    names(t->lead, t->nlead, "Sở Khoa học và Công nghệ", NULL);
    assert_non_null(strstr(t->title, "Tổng hợp danh sách"));
    t = &d->tasks[2];
    names(t->lead, t->nlead, "Sở Tài chính", NULL);
    due_is(t, NULL, "2025-10-01", "2025-10-31");
    t = &d->tasks[3];
    names(t->lead, t->nlead, "Các huyện", NULL);
    names(t->partners, t->npartners, "Tỉnh đoàn Đồng Nai", NULL);
    due_is(t, NULL, "2025-10-01", "2025-10-31");
    assert_string_equal(t->ref, "4");
    plan_free(d);
}

static void test_appendix_table(void **state)
{
    struct plan_doc *d = parse_file(FIX "appendix_table.md");
    assert_non_null(d);
    assert_string_equal(d->number, "77/KH-SKHCN");
    assert_string_equal(d->issuer, "UBND TỈNH QUẢNG TRỊ - SỞ KHOA HỌC VÀ CÔNG NGHỆ");
    names(d->cites, d->ncites, "25/KH-UBND", NULL);
    assert_int_equal(d->ntasks, 5);
    /* numbering restarts in each group row, so refs carry the group */
    const struct plan_task *t = task(d, "I.1");
    assert_string_equal(t->title, "Nâng cấp mạng nội bộ của Sở");
    names(t->lead, t->nlead, "Văn phòng Sở", NULL);
    names(t->partners, t->npartners, "Trung tâm Công nghệ thông tin tỉnh", NULL);
    due_is(t, "2025-06-30", NULL, NULL);
    assert_string_equal(t->deliverable, "Mạng LAN mới");
    t = task(d, "I.2");
    due_is(t, "2025-06-30", NULL, NULL);
    names(t->partners, t->npartners, "Bưu điện tỉnh", "Viettel Quảng Trị", NULL);
    t = task(d, "II.1");
    due_is(t, "2025-12-31", NULL, NULL);
    names(t->lead, t->nlead, "Phòng Quản lý khoa học", NULL);
    t = task(d, "II.2");
    due_is(t, NULL, NULL, NULL);
    assert_string_equal(t->recurrence, "Thường xuyên");
    assert_string_equal(t->title, "Cập nhật dữ liệu lên Cổng dữ liệu mở | đợt 1");
    assert_int_equal(t->npartners, 0);
    t = task(d, "II.3");
    assert_string_equal(t->recurrence, "Hằng năm");
    names(t->partners, t->npartners, "Các phòng chuyên môn", NULL);
    plan_free(d);
}

static void test_mixed_styles(void **state)
{
    /* markdown headings, "PHẦN" parts, a look-back part, operators' acronyms, a line cut after "phối hợp với",
     * "Văn phòng HĐND và UBND", month ranges, a two-row table header with a numbered group row */
    struct plan_doc *d = parse_file(FIX "mixed_styles.md");
    assert_non_null(d);
    assert_string_equal(d->title, "Triển khai chuyển đổi số năm 2025 tại huyện Tam Dương");
    assert_int_equal(d->ntasks, 5); /* "PHẦN I. ĐÁNH GIÁ KẾT QUẢ NĂM 2024" reports, it does not assign */
    const struct plan_task *t = task(d, "1.1");
    names(t->lead, t->nlead, "Phòng Văn hóa và Thông tin", NULL);
    names(t->partners, t->npartners, "Viettel Tam Dương", "VNPT Tam Dương", NULL);
    due_is(t, "2025-09-30", NULL, NULL);
    t = task(d, "1.2");
    names(t->partners, t->npartners, "Phòng Tư pháp", "Bưu điện huyện", NULL);
    due_is(t, NULL, "2025-03-01", "2025-06-30");
    t = task(d, "1.3");
    names(t->lead, t->nlead, "Văn phòng HĐND và UBND huyện", NULL);
    due_is(t, "2025-11-30", NULL, NULL);
    t = task(d, "2.1.1");
    names(t->lead, t->nlead, "Phòng Tư pháp", NULL);
    names(t->partners, t->npartners, "Công an huyện", NULL);
    due_is(t, NULL, "2025-06-01", "2025-09-30");
    due_is(task(d, "2.1.2"), "2025-10-30", NULL, NULL); /* "30/10": the year of the title */
    plan_free(d);
}

static void test_skipped_numbers_and_bad_dates(void **state)
{
    struct plan_doc *d = parse_file(FIX "skips_baddate.txt");
    assert_non_null(d);
    assert_int_equal(d->ntasks, 7);
    const struct plan_task *t = task(d, "1");
    due_is(t, NULL, NULL, NULL);
    assert_true(has_warning(t->warnings, t->nwarnings, "Ngày không hợp lệ: «31/02/2025»"));
    t = task(d, "2");
    assert_true(has_warning(t->warnings, t->nwarnings, "Không đọc được thời hạn: «sớm nhất có thể.»"));
    /* item 4 is a group (its sub-items are the tasks): its skipped number is a document warning */
    assert_true(has_warning(d->warnings, d->nwarnings, "mục 4 đứng ngay sau mục 2"));
    t = task(d, "4.a");
    names(t->lead, t->nlead, "Văn phòng Ủy ban nhân dân tỉnh", NULL);
    due_is(t, "2025-10-15", NULL, NULL);
    t = task(d, "4.b"); /* no lead or date of its own: the group's */
    names(t->lead, t->nlead, "Sở Nội vụ", NULL);
    due_is(t, "2025-11-30", NULL, NULL);
    t = task(d, "4.d");
    assert_true(has_warning(t->warnings, t->nwarnings, "mục d đứng ngay sau mục b"));
    t = task(d, "5");
    due_is(t, NULL, NULL, NULL);
    assert_true(has_warning(t->warnings, t->nwarnings, "Ngày không hợp lệ: «32/12/2025»"));
    t = task(d, "7");
    due_is(t, "2025-12-15", NULL, NULL);
    assert_true(has_warning(t->warnings, t->nwarnings, "mục 7 đứng ngay sau mục 5"));
    assert_false(has_warning(task(d, "4.a")->warnings, task(d, "4.a")->nwarnings, "Số thứ tự"));
    plan_free(d);
}

static void test_empty_documents(void **state)
{
    struct plan_doc *d = parse_file(FIX "empty.txt");
    assert_non_null(d);
    assert_int_equal(d->ntasks, 0);
    assert_string_equal(d->title, "");
    assert_true(d->nwarnings >= 1);
    plan_free(d);
    const char *blanks[] = {"", "   \n\n\t \r\n", "Nơi nhận:\n- Lưu: VT.\n", "KẾ HOẠCH\n"};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        d = plan_parse(blanks[i], strlen(blanks[i]));
        assert_non_null(d);
        assert_int_equal(d->ntasks, 0);
        assert_non_null(d->title);
        assert_true(d->nwarnings >= 1);
        plan_free(d);
    }
    d = plan_parse(NULL, 0);
    assert_non_null(d);
    plan_free(d);
    plan_free(NULL);
}

static void test_invalid_utf8_is_refused(void **state)
{
    struct plan_doc *d = parse_file(FIX "invalid_utf8.txt");
    assert_null(d);
    assert_null(plan_parse("1. Sở A\0 chủ trì", 16)); /* an embedded NUL */
    assert_null(plan_parse("\xed\xa0\x80", 3));         /* a surrogate */
    assert_null(plan_parse("abc\xc3", 4));              /* cut in the middle of a character */
    assert_null(plan_parse(NULL, 5));
}

/* ---- robustness: whatever comes in, no crash, and the results stay inside the text ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static void check_doc(const char *in, size_t len)
{
    struct plan_doc *d = plan_parse(in, len);
    if (!d)
        return;
    size_t tl = strlen(d->text);
    assert_non_null(d->title);
    assert_true(text_valid_utf8(d->title, strlen(d->title)));
    for (int i = 0; i < d->ntasks; i++) {
        const struct plan_task *t = &d->tasks[i];
        assert_non_null(t->ref);
        assert_non_null(t->title);
        assert_true(t->src_start <= t->src_end && t->src_end <= tl);
        assert_true(text_valid_utf8(t->title, strlen(t->title)));
        for (int k = 0; k < t->nlead; k++)
            assert_true(text_valid_utf8(t->lead[k], strlen(t->lead[k])) && t->lead[k][0]);
        for (int k = 0; k < t->npartners; k++)
            assert_true(text_valid_utf8(t->partners[k], strlen(t->partners[k])) && t->partners[k][0]);
        if (t->has_due)
            assert_true(date_valid(t->due));
        if (t->has_window)
            assert_true(date_valid(t->window_from) && date_cmp(t->window_from, t->window_to) <= 0);
    }
    plan_free(d);
}

static void test_garbage_does_not_crash(void **state)
{
    static const char *const pieces[] = {
        "1. ", "1.1. ", "2.3.4.5.6.7.8.9 ", "a) ", "đ) ", "- ", "+ ", "- + ", "* ", "II. ", "IV ", "II.1. ",
        "Điều 1. ", "(1) ", "|", " | ", "|---|", "\\|", "<br>", "**", "\n", "\n\n", "Sở Tài chính", "Cục",
        "các", "Các sở, ngành", " và ", ", ", "; ", ": ", ".", "(", ")", "((", "chủ trì", " phối hợp với ",
        "Đơn vị chủ trì:", "Thời gian hoàn thành:", "Kết quả, sản phẩm:", "trước ngày 15/9/2022",
        "từ ngày 01-10/10/2022", "31/02/2025", "Quý II/2025", "6/2025", "Hằng năm", "Nơi nhận:", "KẾ HOẠCH",
        "Số: 12/KH-UBND", "chủ đề “", "”", "Giao ", "đề nghị ", "báo cáo kết quả gửi Sở A trước ngày 1/1/2025",
        "Trên đây là", "“", "\xc2\xa0", "e\xcc\x81", "…", "x", "999999", "/", "-", "TM. ", "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì |",
    };
    size_t np = sizeof pieces / sizeof pieces[0];
    char *buf = malloc(1 << 16);
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0;
        int count = 1 + (int)(rnd() % 120);
        for (int k = 0; k < count; k++) {
            const char *p = pieces[rnd() % np];
            size_t pl = strlen(p);
            if (n + pl >= (1 << 16))
                break;
            memcpy(buf + n, p, pl);
            n += pl;
        }
        check_doc(buf, n);
    }
    /* found by libFuzzer: the text ends on a letter that folds like the multi-byte first letter of a phrase
     * ("U" / "Ủy ban", "d" / "đề nghị"); the match must not read past the end */
    const char *ends[] = {"1. Sở A chủ trì, phối hợp với Sở B và U", "1. Sở A chủ trì, phối hợp với Sở B d",
                          "- Giao Sở A, Sở B chủ trì; đ"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        check_doc(ends[i], strlen(ends[i]));
    /* mutations of a real-looking plan: byte flips, cuts, duplicated slices */
    size_t len;
    char *src = slurp(FIX "ministry_fields.md", &len);
    assert_non_null(src);
    char *m = malloc(len * 2 + 1);
    for (int iter = 0; iter < 400; iter++) {
        memcpy(m, src, len);
        size_t ml = len;
        int edits = 1 + (int)(rnd() % 8);
        for (int e = 0; e < edits; e++) {
            uint32_t op = rnd() % 3, at = rnd() % (uint32_t)ml;
            if (op == 0)
                m[at] = (char)(rnd() & 0xFF);
            else if (op == 1)
                ml = at;
            else if (ml + 64 < len * 2) {
                char slice[64];
                uint32_t from = rnd() % (uint32_t)ml, cnt = rnd() % 64;
                if (from + cnt > ml)
                    cnt = (uint32_t)(ml - from);
                memcpy(slice, m + from, cnt);
                memmove(m + at + cnt, m + at, ml - at);
                memcpy(m + at, slice, cnt);
                ml += cnt;
            }
            if (ml == 0)
                break;
        }
        check_doc(m, ml);
    }
    free(m);
    free(src);
    /* pathological shapes: very deep numbering, long lines, many parentheses, a huge table row */
    size_t big = 1 << 20;
    char *p = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        p[i] = "1.1.1.1.1.1.1.1.1.1 Sở A chủ trì\n"[i % 34];
    check_doc(p, big);
    memset(p, '(', big);
    check_doc(p, big);
    for (size_t i = 0; i < big; i++)
        p[i] = "- Sở B, "[i % 8];
    check_doc(p, big);
    for (size_t i = 0; i < big; i++)
        p[i] = i % 2 ? '|' : (i % 4 ? '\n' : 'a');
    check_doc(p, big);
    /* shapes that would be quadratic if a list or a parent's text were rescanned per element */
    const char *runs[] = {"Sở A, địa phương, ", "Sở A, Sở B, Cục C và Vụ D, ", "chủ trì, Sở A, ",
                          "phối hợp với Sở A, ", "\n- Sở A chủ trì.", "Sở A (b (c ", "chủ đề chủ đề “"};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        size_t rl = strlen(runs[r]), n = 0;
        n = (size_t)snprintf(p, big, "1. Một nhóm nhiệm vụ trước ngày 1/1/2025\n");
        while (n + rl < big / 2) {
            memcpy(p + n, runs[r], rl);
            n += rl;
        }
        check_doc(p, n);
    }
    free(p);
    free(buf);
}

/* ---- the seeds ---- */

/* Names compare by their folded form (case, marks and punctuation do not count). */
static bool same_name(const char *a, const char *b)
{
    char *fa = text_fold(a), *fb = text_fold(b);
    bool same = fa && fb && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

static bool in_list(const char *name, char **v, int n)
{
    for (int k = 0; k < n; k++)
        if (same_name(name, v[k]))
            return true;
    return false;
}

static bool in_json(const char *name, json_t *arr)
{
    for (size_t k = 0; k < json_array_size(arr); k++)
        if (same_name(name, json_string_value(json_array_get(arr, k))))
            return true;
    return false;
}

static bool same_names(json_t *want, char **got, int n)
{
    if ((int)json_array_size(want) != n)
        return false;
    for (size_t i = 0; i < json_array_size(want); i++)
        if (!in_list(json_string_value(json_array_get(want, i)), got, n))
            return false;
    return true;
}

static bool same_date(json_t *want, bool has, struct ymd d)
{
    if (json_is_null(want) || !want)
        return !has;
    char got[11];
    date_format_iso(d, got);
    return has && strcmp(got, json_string_value(want)) == 0;
}

static const struct plan_task *match_task(const struct plan_doc *d, json_t *e, bool *used)
{
    const char *ref = json_string_value(json_object_get(e, "ref"));
    const char *phrase = json_string_value(json_object_get(e, "match"));
    char *fp = phrase ? text_fold(phrase) : NULL;
    const struct plan_task *hit = NULL;
    for (int i = 0; i < d->ntasks && !hit; i++) {
        if (used[i])
            continue;
        if (ref && strcmp(d->tasks[i].ref, ref) == 0)
            hit = &d->tasks[i];
        else if (fp) {
            /* a prose task: the phrase occurs in its source span */
            size_t n = d->tasks[i].src_end - d->tasks[i].src_start;
            char *span = malloc(n + 1);
            memcpy(span, d->text + d->tasks[i].src_start, n);
            span[n] = '\0';
            char *fs = text_fold(span);
            if (fs && strstr(fs, fp))
                hit = &d->tasks[i];
            free(fs);
            free(span);
        }
        if (hit)
            used[i] = true;
    }
    free(fp);
    return hit;
}

static void test_seeds(void **state)
{
    struct stat st;
    if (stat(SEEDS, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("seeds: %s is absent, skipping the seed figures\n", SEEDS);
        skip();
    }
    json_error_t err;
    json_t *root = json_load_file("tests/fixtures/seeds_expected.json", 0, &err);
    if (!root)
        fail_msg("seeds_expected.json: %s (line %d)", err.text, err.line);
    json_t *seeds = json_object_get(root, "seeds");
    int expected = 0, found = 0, lead_ok = 0, due_ok = 0, extra = 0;
    int tp = 0, fp = 0, fn = 0;
    for (size_t s = 0; s < json_array_size(seeds); s++) {
        json_t *seed = json_array_get(seeds, s);
        char path[512];
        snprintf(path, sizeof path, SEEDS "%s", json_string_value(json_object_get(seed, "file")));
        size_t len;
        char *text = slurp(path, &len);
        if (!text)
            fail_msg("cannot read %s", path);
        struct plan_doc *d = plan_parse(text, len);
        free(text);
        assert_non_null(d);
        bool *used = calloc((size_t)d->ntasks + 1, 1);
        json_t *tasks = json_object_get(seed, "tasks");
        int sf = 0, sl = 0, sd = 0;
        for (size_t i = 0; i < json_array_size(tasks); i++) {
            json_t *e = json_array_get(tasks, i);
            json_t *wp = json_object_get(e, "partners");
            const struct plan_task *t = match_task(d, e, used);
            expected++;
            if (!t) {
                fn += (int)json_array_size(wp);
                print_message("  %s: missing task %s\n", path,
                              json_string_value(json_object_get(e, "ref")) ?: json_string_value(json_object_get(e, "match")));
                continue;
            }
            sf++;
            if (same_names(json_object_get(e, "lead"), t->lead, t->nlead))
                sl++;
            else
                print_message("  %s: task %s lead differs (first found: %s)\n", path, t->ref,
                              t->nlead ? t->lead[0] : "none");
            json_t *win = json_object_get(e, "window");
            bool wok = json_is_null(win) ? !t->has_window
                                         : t->has_window && same_date(json_array_get(win, 0), true, t->window_from) &&
                                               same_date(json_array_get(win, 1), true, t->window_to);
            if (same_date(json_object_get(e, "due"), t->has_due, t->due) && wok)
                sd++;
            else
                print_message("  %s: task %s deadline differs\n", path, t->ref);
            /* partners: micro-averaged over every expected task */
            for (size_t k = 0; k < json_array_size(wp); k++)
                in_list(json_string_value(json_array_get(wp, k)), t->partners, t->npartners) ? tp++ : fn++;
            for (int q = 0; q < t->npartners; q++)
                fp += !in_json(t->partners[q], wp);
        }
        for (int i = 0; i < d->ntasks; i++)
            extra += !used[i];
        print_message("seed %s: %d/%zu tasks, lead %d, deadline %d, %d found in all\n",
                      json_string_value(json_object_get(seed, "file")), sf, json_array_size(tasks), sl, sd,
                      d->ntasks);
        found += sf;
        lead_ok += sl;
        due_ok += sd;
        free(used);
        plan_free(d);
    }
    double ptask = 100.0 * found / expected, plead = 100.0 * lead_ok / expected, pdue = 100.0 * due_ok / expected;
    double prec = tp + fp ? (double)tp / (tp + fp) : 1, rec = tp + fn ? (double)tp / (tp + fn) : 1;
    double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
    print_message("seeds: %d expected tasks; found %.1f%%, lead right %.1f%%, deadline right %.1f%%, partners "
                  "F1 %.3f (P %.3f R %.3f); %d tasks found beyond the annotation\n",
                  expected, ptask, plead, pdue, f1, prec, rec, extra);
    json_decref(root);
    assert_true(ptask >= 98.0);
    assert_true(plead >= 95.0);
    assert_true(pdue >= 95.0);
    assert_true(f1 >= 0.9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_when_forms),
        cmocka_unit_test(test_unit_lists),
        cmocka_unit_test(test_ministry_fields),
        cmocka_unit_test(test_nfd_copy_reads_the_same),
        cmocka_unit_test(test_province_units),
        cmocka_unit_test(test_prose_article),
        cmocka_unit_test(test_appendix_table),
        cmocka_unit_test(test_mixed_styles),
        cmocka_unit_test(test_skipped_numbers_and_bad_dates),
        cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_invalid_utf8_is_refused),
        cmocka_unit_test(test_garbage_does_not_crash),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
