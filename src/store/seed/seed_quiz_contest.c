/* The demo knowledge contest: one contest of the current campaign year with two rounds of our own questions (one closed,
 * with participants and winners; one open now), and demo participants. Must run once: nothing when the contest exists. */
#include "store/seed/seed.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CONTEST_SLUG "tim-hieu-chuyen-doi-so"

struct demo_q { const char *kind, *prompt, *options, *answer, *explain; };

/* Round 1: digital government and online public services. */
static const struct demo_q round1[] = {
    { "single", "Ngày Chuyển đổi số quốc gia được tổ chức vào ngày nào hằng năm?",
      "[\"10 tháng 10\",\"2 tháng 9\",\"1 tháng 6\",\"20 tháng 11\"]", "0",
      "Ngày 10/10 được chọn là Ngày Chuyển đổi số quốc gia." },
    { "truefalse", "Tài khoản định danh điện tử mức độ 2 có thể dùng để đăng nhập Cổng Dịch vụ công quốc gia.", "[]", "true",
      "Tài khoản VNeID mức 2 dùng để đăng nhập và nộp hồ sơ trực tuyến." },
    { "single", "Dịch vụ công trực tuyến “toàn trình” nghĩa là gì?",
      "[\"Người dân làm mọi bước trên mạng, từ nộp hồ sơ đến nhận kết quả\",\"Chỉ tra cứu thông tin trên mạng\","
      "\"Tải mẫu đơn về rồi nộp tại bộ phận một cửa\",\"Chỉ thanh toán phí trên mạng\"]", "0",
      "Toàn trình: không phải đến cơ quan nhà nước ở bước nào." },
    { "multiple", "Những trụ cột của chuyển đổi số quốc gia là gì?",
      "[\"Chính phủ số\",\"Kinh tế số\",\"Xã hội số\",\"Điện khí hóa nông thôn\"]", "[0,1,2]",
      "Ba trụ cột: chính phủ số, kinh tế số và xã hội số." },
    { "truefalse", "Khi nộp hồ sơ trực tuyến, người dân vẫn luôn phải nộp thêm bản giấy có công chứng.", "[]", "false",
      "Dữ liệu đã có trong cơ sở dữ liệu quốc gia thì không phải nộp lại bản giấy." },
    { "single", "Cơ sở dữ liệu quốc gia nào là nền tảng để xác thực công dân trong dịch vụ công?",
      "[\"Cơ sở dữ liệu quốc gia về dân cư\",\"Cơ sở dữ liệu về thời tiết\",\"Danh bạ điện thoại\",\"Sổ hộ khẩu giấy\"]", "0",
      "Dữ liệu dân cư giúp xác thực và tự điền thông tin của người dân." },
    { "short", "Ứng dụng định danh điện tử quốc gia do Bộ Công an phát triển tên là gì?", "[]", "[\"VNeID\",\"VNe ID\"]",
      "VNeID là ứng dụng định danh và xác thực điện tử quốc gia." },
    { "single", "Chữ ký số dùng để làm gì?",
      "[\"Xác nhận người ký và bảo đảm văn bản không bị sửa sau khi ký\",\"Trang trí văn bản\","
      "\"Nén tệp cho nhỏ lại\",\"Đổi phông chữ\"]", "0", "Chữ ký số gắn văn bản với người ký và phát hiện mọi thay đổi." },
    { "truefalse", "Thanh toán không dùng tiền mặt là một phần của kinh tế số.", "[]", "true",
      "Thanh toán số là hạ tầng của kinh tế số." },
    { "multiple", "Những việc nào có thể làm trên Cổng Dịch vụ công quốc gia?",
      "[\"Nộp hồ sơ thủ tục hành chính\",\"Thanh toán phí, lệ phí\",\"Tra cứu tình trạng hồ sơ\",\"Mua vé xem phim\"]",
      "[0,1,2]", "Cổng phục vụ thủ tục hành chính, không phải mua sắm." },
};

/* Round 2: digital skills and safety online. */
static const struct demo_q round2[] = {
    { "single", "Mật khẩu nào an toàn nhất?",
      "[\"Một cụm từ dài, riêng cho từng tài khoản\",\"Ngày sinh của bạn\",\"123456\",\"Tên người thân\"]", "0",
      "Mật khẩu dài, không đoán được và không dùng lại là an toàn nhất." },
    { "truefalse", "Xác thực hai lớp (mã gửi qua điện thoại hoặc ứng dụng) giúp bảo vệ tài khoản khi lộ mật khẩu.", "[]", "true",
      "Kẻ gian có mật khẩu vẫn cần thêm lớp xác thực thứ hai." },
    { "single", "Bạn nhận tin nhắn báo trúng thưởng, yêu cầu bấm đường link và nhập mã OTP. Nên làm gì?",
      "[\"Không bấm, không cung cấp OTP và báo cho ngân hàng hoặc cơ quan chức năng\",\"Bấm link ngay để nhận thưởng\","
      "\"Gửi OTP cho người nhắn\",\"Chuyển tiếp cho bạn bè\"]", "0", "Không ai chính đáng hỏi mã OTP của bạn." },
    { "multiple", "Dấu hiệu nào thường gặp ở một trang web giả mạo?",
      "[\"Địa chỉ viết sai chính tả so với trang thật\",\"Thúc giục làm ngay kẻo mất quyền lợi\","
      "\"Đòi nhập mật khẩu, OTP\",\"Có địa chỉ chính thức đúng của cơ quan\"]", "[0,1,2]",
      "Kiểm tra kỹ địa chỉ trang và cảnh giác khi bị thúc giục." },
    { "truefalse", "Dùng Wi-Fi công cộng để đăng nhập ngân hàng trực tuyến là an toàn tuyệt đối.", "[]", "false",
      "Mạng công cộng có thể bị nghe lén; nên dùng dữ liệu di động." },
    { "single", "Trước khi quét mã QR dán ở nơi công cộng để thanh toán, bạn nên làm gì?",
      "[\"Kiểm tra tên người nhận hiện ra trên ứng dụng ngân hàng\",\"Quét và chuyển tiền ngay\","
      "\"Chụp lại mã gửi cho người khác\",\"Không cần kiểm tra gì\"]", "0",
      "Mã QR có thể bị dán đè: tên người nhận phải đúng." },
    { "short", "Mã dùng một lần mà ngân hàng gửi để xác nhận giao dịch thường được gọi tắt là gì?", "[]", "[\"OTP\"]",
      "OTP: mật khẩu dùng một lần, không bao giờ đưa cho người khác." },
    { "single", "Khi thấy tin tức gây sốc trên mạng xã hội, việc nên làm trước khi chia sẻ là gì?",
      "[\"Kiểm tra nguồn tin từ cơ quan, báo chí chính thống\",\"Chia sẻ ngay để mọi người biết\","
      "\"Thêm bình luận cho hấp dẫn\",\"Tin ngay vì nhiều người đã chia sẻ\"]", "0",
      "Kiểm chứng nguồn tin giúp ngăn tin giả lan rộng." },
    { "truefalse", "Cập nhật phần mềm, hệ điều hành thường xuyên giúp vá các lỗ hổng bảo mật.", "[]", "true",
      "Bản cập nhật sửa những lỗi mà kẻ gian có thể lợi dụng." },
    { "multiple", "Những kỹ năng nào thuộc kỹ năng số cơ bản của người dân?",
      "[\"Tìm kiếm và đánh giá thông tin trên mạng\",\"Giao tiếp, hợp tác qua công cụ số\","
      "\"Bảo vệ thiết bị và dữ liệu cá nhân\",\"Sửa chữa phần cứng máy chủ\"]", "[0,1,2]",
      "Khung năng lực số gồm thông tin, giao tiếp, sáng tạo nội dung, an toàn và giải quyết vấn đề." },
};

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi" };
static const char *const middle[] = { "Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Quốc", "Hải" };
static const char *const given[] = { "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Phúc", "Quân", "Sơn" };
static const char *const ages[] = { "duoi-15", "15-24", "25-34", "35-44", "45-54", "55-64", "65+" };

static int exec(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static int64_t add_round(db *d, int64_t contest, int n, const char *title, time_t opens, time_t closes, const char *prizes,
                         const struct demo_q *qs, size_t nq)
{
    char o[21], c[21];
    date_utc_iso(opens, o);
    date_utc_iso(closes, c);
    db_stmt *s = db_prepare(d, "INSERT INTO quiz_round (contest_id, n, title, opens_at, closes_at, time_limit_s, prizes) "
                               "VALUES (?, ?, ?, ?, ?, 600, ?) RETURNING id");
    db_bind_int(s, 1, contest);
    db_bind_int(s, 2, n);
    db_bind_text(s, 3, title);
    db_bind_text(s, 4, o);
    db_bind_text(s, 5, c);
    db_bind_text(s, 6, prizes);
    int64_t id = db_scalar_int(s, 0);
    for (size_t i = 0; id && i < nq; i++) {
        s = db_prepare(d, "INSERT INTO contest_question (round_id, seq, kind, prompt, options, answer, explain) VALUES (?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_text(s, 3, qs[i].kind);
        db_bind_text(s, 4, qs[i].prompt);
        db_bind_text(s, 5, qs[i].options);
        db_bind_text(s, 6, qs[i].answer);
        db_bind_text(s, 7, qs[i].explain);
        if (exec(s)) return 0;
    }
    return id;
}

/* A scored attempt of participant uid: a deterministic score and time, so both engines end with the same rows. */
static int add_attempt(db *d, int64_t round, int64_t uid, int64_t province, time_t started, int i, int nq)
{
    int score = nq - (i * 7 % 5) - (i % 3 == 0);
    int64_t ms = 120000 + (int64_t)((i * 7919) % 420000);
    char at[21], done[21];
    date_utc_iso(started, at);
    date_utc_iso(started + ms / 1000, done);
    db_stmt *s = db_prepare(d, "INSERT INTO contest_attempt (round_id, user_id, province_id, qorder, started_ms, started_at, "
                               "finished_at, time_ms, score, late, answers) VALUES (?, ?, ?, '[]', ?, ?, ?, ?, ?, 0, '{}')");
    db_bind_int(s, 1, round);
    db_bind_int(s, 2, uid);
    db_bind_int(s, 3, province);
    db_bind_int(s, 4, (int64_t)started * 1000);
    db_bind_text(s, 5, at);
    db_bind_text(s, 6, done);
    db_bind_int(s, 7, ms);
    db_bind_int(s, 8, score);
    return exec(s);
}

int store_seed_demo_quiz_contest(db *d, int (*hash)(const char *pw, char out[160]))
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest WHERE slug = ?");
    db_bind_text(s, 1, CONTEST_SLUG);
    if (db_scalar_int(s, 1)) return db_failed(d) ? -1 : 0;
    char pw[160];
    if (hash("dxday-demo-2026", pw)) return -1;
    time_t now = time(NULL), day0 = now / 86400 * 86400 + 3600;   /* 08:00 in Viet Nam */
    time_t r1o = day0 - 10 * 86400, r1c = day0 - 3 * 86400, r2c = day0 + 4 * 86400;
    char created[21], opens[21], closes[21], today[11];
    date_utc_iso(now, created);
    date_utc_iso(r1o, opens);
    date_utc_iso(r2c, closes);
    struct ymd t = date_today();
    date_format_iso(t, today);
    if (db_begin(d)) { db_rollback(d); return -1; }
    s = db_prepare(d, "INSERT INTO contest (slug, kind, year, org_id, title, title_folded, rules_md, opens_at, closes_at, status, created_at) "
                      "SELECT ?, 'quiz', (SELECT MAX(year) FROM campaign WHERE year <= ?), o.id, ?, ?, ?, ?, ?, 'open', ? "
                      "FROM org_unit o WHERE o.code = 'vn' RETURNING id");
    db_bind_text(s, 1, CONTEST_SLUG);
    db_bind_int(s, 2, t.y);
    db_bind_text(s, 3, "Cuộc thi tìm hiểu về chuyển đổi số");
    db_bind_text(s, 4, "cuoc thi tim hieu ve chuyen doi so");
    db_bind_text(s, 5, "Cuộc thi dành cho mọi người dân, cán bộ, học sinh, sinh viên. Mỗi tuần một vòng thi 10 câu hỏi, "
                       "làm trong 10 phút. Mỗi người làm một lần mỗi vòng. Xếp hạng theo số câu đúng, bằng nhau thì ai làm "
                       "nhanh hơn xếp trên, vẫn bằng nhau thì ai nộp trước xếp trên.");
    db_bind_text(s, 6, opens);
    db_bind_text(s, 7, closes);
    db_bind_text(s, 8, created);
    int64_t contest = db_scalar_int(s, 0);
    int64_t r1 = contest ? add_round(d, contest, 1, "Chính phủ số và dịch vụ công trực tuyến", r1o, r1c,
                                     "[{\"name\":\"Giải Nhất\",\"count\":1},{\"name\":\"Giải Nhì\",\"count\":2},"
                                     "{\"name\":\"Giải Ba\",\"count\":3},{\"name\":\"Giải Khuyến khích\",\"count\":5}]",
                                     round1, sizeof round1 / sizeof *round1) : 0;
    int64_t r2 = r1 ? add_round(d, contest, 2, "Kỹ năng số và an toàn trên không gian mạng", r1c, r2c,
                                "[{\"name\":\"Giải Nhất\",\"count\":1},{\"name\":\"Giải Nhì\",\"count\":2},"
                                "{\"name\":\"Giải Ba\",\"count\":3}]", round2, sizeof round2 / sizeof *round2) : 0;
    if (!r2) goto fail;
    /* Six provinces of today's map, by name: the participants' homes. */
    s = db_prepare(d, "SELECT id FROM org_unit WHERE kind = 'province' AND (valid_from IS NULL OR valid_from <= ?) "
                      "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY name_folded, id LIMIT 6");
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    int64_t prov[6];
    int np = 0;
    while (np < 6 && db_step(s) == DB_ROW) prov[np++] = db_col_int(s, 0);
    db_done(s);
    if (!np) goto fail;
    for (int i = 0; i < 40; i++) {
        char email[64], name[128];
        snprintf(email, sizeof email, "thisinh%02d@dxday.vn", i + 1);
        snprintf(name, sizeof name, "%s %s %s", family[i % 8], middle[i * 3 % 8], given[i * 5 % 13]);
        s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (email) DO NOTHING RETURNING id");
        db_bind_text(s, 1, email);
        db_bind_text(s, 2, name);
        db_bind_text(s, 3, pw);
        db_bind_text(s, 4, created);
        int64_t uid = db_scalar_int(s, 0);
        if (!uid) goto fail;
        int64_t province = prov[i % np];
        s = db_prepare(d, "INSERT INTO contest_participant (user_id, name, province_id, age_band, created_at) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, uid);
        db_bind_text(s, 2, name);
        db_bind_int(s, 3, province);
        db_bind_text(s, 4, ages[i % 7]);
        db_bind_text(s, 5, created);
        if (exec(s)) goto fail;
        if (add_attempt(d, r1, uid, province, r1o + 3600 + i * 5400, i, 10)) goto fail;
        /* A quarter of them have taken the open round already: its live ranking is not empty. */
        if (i % 4 == 0 && add_attempt(d, r2, uid, province, r1c + 1800 + i * 600, i + 3, 10)) goto fail;
    }
    /* The rank slices of what was written straight above (store_qc_slice_add's counts, made in one statement each). */
    for (int i = 0; i < 2; i++) {
        s = db_prepare(d, i ? "INSERT INTO contest_rank_slice (round_id, province_id, score, slice, n) SELECT round_id, province_id, "
                              "score, time_ms / 10000, COUNT(*) FROM contest_attempt WHERE round_id IN (?, ?) AND score IS NOT NULL "
                              "GROUP BY round_id, province_id, score, time_ms / 10000"
                            : "INSERT INTO contest_rank_slice (round_id, province_id, score, slice, n) SELECT round_id, 0, "
                              "score, time_ms / 10000, COUNT(*) FROM contest_attempt WHERE round_id IN (?, ?) AND score IS NOT NULL "
                              "GROUP BY round_id, score, time_ms / 10000");
        db_bind_int(s, 1, r1);
        db_bind_int(s, 2, r2);
        if (exec(s)) goto fail;
    }
    return db_commit(d);
fail:
    fprintf(stderr, "seed-demo (quiz contest): %s\n", db_errmsg(d));
    db_rollback(d);
    return -1;
}
