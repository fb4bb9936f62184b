/* Demo content for the public portal, so a citizen's first visit to a fresh `make run` meets a living site: news,
 * questions and answers, offers and activities, all made up for the demo and saying so, written through the same store
 * functions the editors' pages use (search indexes them). Must not run twice nor touch a portal that has content. */
#include "store/seed/seed.h"
#include "store/article.h"
#include "store/faq.h"
#include "store/listing.h"
#include <stdio.h>
#include <string.h>

/* Every demo item says what it is: the news in its summary, offers and activities in their title. */
#define DEMO_NOTE "Tin minh họa của bản demo, không phải tin thật. "

static const struct { const char *slug, *title, *summary, *body, *published; } NEWS[] = {
    { "demo-phat-dong-thang-chuyen-doi-so", "Phường Trường Vinh phát động Tháng Chuyển đổi số",
      DEMO_NOTE "Tổ công nghệ số cộng đồng ra quân hướng dẫn người dân kích hoạt định danh điện tử.",
      "Sáng 01/10, Ủy ban nhân dân phường Trường Vinh tổ chức lễ phát động Tháng Chuyển đổi số.\n\n"
      "Trong mười ngày, các tổ công nghệ số cộng đồng đến từng khu dân cư để hướng dẫn người dân:\n\n"
      "- kích hoạt tài khoản định danh điện tử mức 2 trên ứng dụng VNeID;\n"
      "- nộp hồ sơ dịch vụ công trực tuyến và thanh toán lệ phí không dùng tiền mặt;\n"
      "- nhận biết tin nhắn, cuộc gọi lừa đảo trên mạng.\n\n"
      "Người dân cần hỗ trợ có thể đến nhà văn hóa khu dân cư vào sáng thứ Bảy hằng tuần.",
      "2026-10-01T02:00:00Z" },
    { "demo-tap-huan-ky-nang-so-can-bo-xa", "Tập huấn kỹ năng số cho cán bộ xã, phường tỉnh Nghệ An",
      DEMO_NOTE "Hai ngày tập huấn về chữ ký số, dịch vụ công trực tuyến và an toàn thông tin.",
      "Sở Khoa học và Công nghệ tỉnh Nghệ An tổ chức lớp tập huấn kỹ năng số cho 120 cán bộ, công chức cấp xã.\n\n"
      "Học viên thực hành ký số văn bản, tiếp nhận hồ sơ trực tuyến và xử lý sự cố mất an toàn thông tin thường gặp. "
      "Sau khóa học, học viên làm bài kiểm tra trên nền tảng học trực tuyến mở và nhận chứng chỉ có mã xác minh.",
      "2026-10-20T03:00:00Z" },
    { "demo-ngay-chuyen-doi-so-quoc-gia-2026", "Nhiều hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia 10/10",
      DEMO_NOTE "Triển lãm sản phẩm số, hội thảo và các điểm hỗ trợ người dân tại nhiều địa phương.",
      "Hưởng ứng Ngày Chuyển đổi số quốc gia (10/10), nhiều địa phương tổ chức triển lãm sản phẩm số của doanh nghiệp, "
      "hội thảo về dữ liệu số và các điểm hỗ trợ người dân sử dụng dịch vụ công trực tuyến.\n\n"
      "Các trường học tổ chức cuộc thi tìm hiểu về an toàn trên không gian mạng cho học sinh.",
      "2026-10-10T01:00:00Z" },
    { "demo-so-tay-an-toan-thong-tin", "Phát hành sổ tay an toàn thông tin cho người dân",
      DEMO_NOTE "Sổ tay ngắn gọn giúp người dân nhận biết các thủ đoạn lừa đảo qua mạng phổ biến.",
      "Sổ tay gồm năm phần: bảo vệ tài khoản, nhận biết đường dẫn giả mạo, cuộc gọi mạo danh cơ quan nhà nước, "
      "mua bán trực tuyến an toàn và cách báo cáo khi bị lừa đảo.\n\n"
      "Người dân có thể tải sổ tay tại cổng thông tin và nhờ tổ công nghệ số cộng đồng giải thích thêm.",
      "2026-11-05T02:00:00Z" },
};

static const struct { const char *q, *a; } FAQ[] = {
    { "Ngày Chuyển đổi số quốc gia là ngày nào?",
      "Ngày 10 tháng 10 hằng năm là Ngày Chuyển đổi số quốc gia, theo Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ." },
    { "Tổ công nghệ số cộng đồng làm gì?",
      "Tổ công nghệ số cộng đồng ở xã, phường đến từng hộ gia đình để hướng dẫn người dân dùng các dịch vụ số: định danh điện tử "
      "VNeID, dịch vụ công trực tuyến, thanh toán không dùng tiền mặt, mua bán trực tuyến và nhận biết lừa đảo trên mạng." },
    { "Học khóa kỹ năng số trên cổng có mất phí không?",
      "Không. Các khóa học kỹ năng số trên cổng là miễn phí; học xong và đạt bài kiểm tra cuối khóa, người học nhận chứng chỉ "
      "có mã xác minh." },
    { "Làm sao để tự đánh giá kỹ năng số của mình?",
      "Vào mục Kỹ năng số, trả lời bộ câu hỏi tự đánh giá khoảng 10 phút; kết quả cho biết mức kỹ năng theo từng lĩnh vực và "
      "gợi ý khóa học phù hợp." },
};

static const struct { const char *kind, *org, *province, *sector, *title, *body, *starts, *ends; } ITEMS[] = {
    { "offer", "hh-dn-nghe-an", "nghe-an", "thuong-mai-dien-tu", "(Minh họa) Mở gian hàng trực tuyến miễn phí cho hộ kinh doanh",
      "Ưu đãi minh họa của bản demo. Hộ kinh doanh trong tỉnh được hỗ trợ mở gian hàng trên sàn thương mại điện tử và chụp ảnh "
      "sản phẩm miễn phí trong ba tháng đầu.", "2026-10-01", "2027-03-31" },
    { "offer", "hoi-tin-hoc-nghe-an", "nghe-an", "giao-duc", "(Minh họa) Lớp tin học cơ bản miễn phí cho người cao tuổi",
      "Ưu đãi minh họa của bản demo. Mỗi tối thứ Ba, hội viên hướng dẫn người cao tuổi dùng điện thoại thông minh, gọi video và "
      "tra cứu dịch vụ công.", "2026-09-15", "2027-06-30" },
    { "offer", "vnisa", NULL, "khac", "(Minh họa) Kiểm tra an toàn thông tin miễn phí cho doanh nghiệp nhỏ",
      "Ưu đãi minh họa của bản demo. Doanh nghiệp nhỏ và vừa đăng ký để được rà soát cấu hình an toàn cho website và thư điện "
      "tử một lần, không mất phí.", "2026-10-01", "2027-09-30" },
    { "activity", "hoi-tin-hoc-nghe-an", "nghe-an", NULL, "(Minh họa) Ngày hội kỹ năng số cho học sinh",
      "Hoạt động minh họa của bản demo. Học sinh thi giải đố về an toàn trên mạng và thực hành lập trình với robot.",
      "2026-12-19", "2026-12-19" },
    { "activity", "hh-dn-nghe-an", "nghe-an", NULL, "(Minh họa) Hội thảo chuyển đổi số cho doanh nghiệp nhỏ",
      "Hoạt động minh họa của bản demo. Chia sẻ kinh nghiệm dùng hóa đơn điện tử, bán hàng đa kênh và quản lý kho trên điện thoại.",
      "2027-01-08", "2027-01-08" },
    { "activity", "via", NULL, NULL, "(Minh họa) Tuần lễ an toàn trên không gian mạng",
      "Hoạt động minh họa của bản demo. Chuỗi buổi nói chuyện trực tuyến về nhận biết lừa đảo, bảo vệ tài khoản và dữ liệu cá nhân.",
      "2026-10-05", "2026-10-11" },
};

static int64_t org_id(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ?");
    db_bind_text(s, 1, code);
    return db_scalar_int(s, 0);
}

int store_seed_demo_portal(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM article) + (SELECT COUNT(*) FROM faq) + (SELECT COUNT(*) FROM listing)");
    if (db_scalar_int(s, 0) > 0) return 0;
    s = db_prepare(d, "SELECT id FROM app_user WHERE email = 'dieuphoi@dxday.vn'");
    int64_t editor = db_scalar_int(s, 0);
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(d)) return -1;
    for (size_t i = 0; i < sizeof NEWS / sizeof *NEWS; i++) {
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "slug", NEWS[i].slug, "title", NEWS[i].title, "summary",
                               NEWS[i].summary, "body_md", NEWS[i].body, "status", "published", "section", "tin-tuc");
        int64_t id = 0;
        enum store_status st = store_article_save(d, in, 0, editor, &id, NULL, &res);
        json_decref(in);
        if (st != STORE_OK) goto fail;
        /* Dated as the news it pretends to be, not as the moment the demo was made. */
        s = db_prepare(d, "UPDATE article SET published_at = ?, created_at = ?, updated_at = ? WHERE id = ?");
        for (int k = 1; k <= 3; k++) db_bind_text(s, k, NEWS[i].published);
        db_bind_int(s, 4, id);
        if (db_step(s) == DB_ERROR) { db_done(s); goto fail; }
        db_done(s);
    }
    for (size_t i = 0; i < sizeof FAQ / sizeof *FAQ; i++) {
        int64_t qid = 0, faq = 0;
        if (store_question_add(d, FAQ[i].q, NULL, 0, &qid, &res) != STORE_OK) goto fail;
        struct question_answer a = { qid, FAQ[i].q, FAQ[i].a, false, true, editor };
        if (store_question_answer(d, &a, &faq, &res) != STORE_OK) goto fail;
    }
    for (size_t i = 0; i < sizeof ITEMS / sizeof *ITEMS; i++) {
        struct listing_in in = { ITEMS[i].kind, ITEMS[i].title, ITEMS[i].body, ITEMS[i].sector, ITEMS[i].starts, ITEMS[i].ends,
                                 NULL, org_id(d, ITEMS[i].org), ITEMS[i].province ? org_id(d, ITEMS[i].province) : 0, editor };
        int64_t id = 0;
        if (!in.org_id || store_listing_add(d, &in, &id, &res) != STORE_OK) goto fail;
        if (store_listing_moderate(d, id, true, NULL, editor, &res) != STORE_OK) goto fail;
    }
    return db_commit(d);
fail:
    fprintf(stderr, "seed-demo: portal: %s %s\n", res.detail, db_errmsg(d));
    db_rollback(d);
    return -1;
}
