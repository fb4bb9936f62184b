/* Lists of unit names as plans write them ("Cục A, Cục B và các đơn vị liên quan"): where a name starts, ends, splits.
 * Must not split inside a name ("Bộ Văn hóa, Thể thao và Du lịch") nor look past the token range it is given. */
#include "core/plan_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>


/* Words that open a unit name, written as in NFC text with their capital. cap_next: the word is also common
 * outside names ("Ban hành", "Báo cáo", "Bộ nhận diện"), so the next word must be capitalised (or a comma, as in
 * "Bộ, ngành"). Longer entries come first so that "Ủy ban" wins over nothing and "Báo điện tử" over "Báo". */
static const struct {
    const char *w;
    bool cap_next;
} starters[] = {
    {"Bộ Chỉ huy", 0}, {"Bộ Tư lệnh", 0}, {"Ủy ban", 0}, {"Uỷ ban", 0}, {"UBND", 0}, {"HĐND", 0}, {"UBMTTQ", 0},
    {"Hội đồng", 0}, {"Hiệp hội", 0}, {"Liên hiệp", 0}, {"Liên đoàn", 0}, {"Trung tâm", 0}, {"Báo điện tử", 0},
    {"Tạp chí", 0}, {"Văn phòng", 0}, {"Thanh tra", 0}, {"Học viện", 0}, {"Tập đoàn", 0}, {"Tổng công ty", 0},
    {"Tổng Công ty", 0}, {"Tổng Công Ty", 0}, {"Công ty", 0}, {"Tỉnh đoàn", 0}, {"Thành đoàn", 0}, {"Tỉnh ủy", 0},
    {"Tỉnh uỷ", 0}, {"Thành ủy", 0}, {"Thành uỷ", 0}, {"Huyện ủy", 0}, {"Huyện uỷ", 0}, {"Đảng ủy", 0},
    {"Đảng uỷ", 0}, {"Trung ương", 0}, {"Công an", 0}, {"Nhà xuất bản", 0}, {"Nhà Xuất bản", 0},
    {"Nhà Xuất Bản", 0}, {"Thông tấn xã", 0}, {"Cổng thông tin", 0}, {"Cổng Thông tin", 0}, {"Ngân hàng", 0},
    {"Kho bạc", 0}, {"Bảo hiểm xã hội", 0}, {"Chi cục", 0}, {"Tổng cục", 0}, {"Bệnh viện", 0},
    {"Tổ công tác", 0}, {"Tổ công nghệ", 0}, {"Tổ Công nghệ", 0}, {"Mặt trận", 0}, {"Cảnh sát", 0},
    {"Hải quan", 0}, {"Chủ tịch", 0}, {"Giám đốc", 0}, {"Thủ trưởng", 0}, {"Bưu điện", 0}, {"Hợp tác xã", 0},
    {"Đại học", 0}, {"BCH", 0}, {"BQL", 0}, {"Cục", 1}, {"Vụ", 1}, {"Sở", 1}, {"Bộ", 1}, {"Ban", 1},
    {"Hội", 1}, {"Báo", 1}, {"Đài", 1}, {"Đoàn", 1}, {"Trường", 1}, {"Phòng", 1}, {"Quỹ", 1}, {"Viện", 1},
    {"TW", 1}, {"Viettel", 0}, {"MobiFone", 0}, {"Mobifone", 0}, {"Vinaphone", 0},
};

/* An acronym of three or more capitals ("VNPT Tam Đảo", "FPT") names an organisation in a list. */
static bool acronym(const struct fview *v, const struct tok *t)
{
    size_t n = t->e - t->s, caps = 0;
    for (size_t i = t->s; i < t->e; i++)
        caps += fv_upper(v->f[i]);
    return n >= 3 && caps == n;
}

/* Nouns that make "các X" a collective of units rather than of things ("các sở", not "các hoạt động"). */
static const char *const unit_nouns[] = {
    "bo", "so", "ban", "nganh", "co quan", "don vi", "to chuc", "doanh nghiep", "hoi", "hiep hoi", "tinh",
    "thanh pho", "huyen", "xa", "phuong", "dia phuong", "co so", "truong", "tap doan", "tong cong ty", "cong ty",
    "bao", "dai", "phong", "cuc", "vu", "uy ban", "ubnd", "doan", "chi doan", "doan the", "thanh vien", "ngan hang",
    "vien", "hoc vien", "trung tam", "nha xuat ban", "tap chi", "san", "nha mang", "hop tac xa", "quan", "thi xa",
    "benh vien", "chuyen gia", "nha khoa hoc", "chi bo", "dang bo", "lien doan", "nen tang", "chu quan", "to",
    "thanh doan", "tinh doan", "nha truong", "chinh quyen", "cap uy",
};

/* Verbs that open the predicate after a unit name. Only lower case counts, so a capitalised word inside a name
 * ("Vụ Tổ chức cán bộ") never ends it. Words that also occur in lower case inside names (truyền hình, truyền
 * thông, phát hành, bồi dưỡng, quản lý, đào tạo, cấp huyện) are deliberately absent. */
static const char *const verbs[] = {
    "chủ trì", "phối hợp", "chủ động", "giao", "yêu cầu", "phân công", "tham mưu", "đề xuất", "đề nghị", "dự thảo", "biên tập", "biên soạn",
    "biên dịch", "tổ chức", "hướng dẫn", "phát động", "triển khai", "xây dựng", "thực hiện", "chỉ đạo", "thúc đẩy",
    "làm việc", "cập nhật", "đăng tải", "tuyên truyền", "phổ biến", "rà soát", "nghiên cứu", "hỗ trợ", "theo dõi",
    "đôn đốc", "kiểm tra", "tổng hợp", "báo cáo", "gửi", "trình", "ban hành", "liên tục", "có trách nhiệm",
    "chịu trách nhiệm", "tích cực", "tiên phong", "đưa tin", "đưa", "cung cấp", "vận động", "khuyến khích",
    "tìm kiếm", "tham khảo", "lựa chọn", "sản xuất", "đánh giá", "giám sát", "bảo đảm", "đảm bảo", "duy trì", "nâng cao", "tăng cường",
    "đẩy mạnh", "tiếp tục", "thẩm định", "xem xét", "phê duyệt", "tham gia", "tiếp nhận", "thu thập", "công bố",
    "vận hành", "soạn thảo", "hoàn thành", "hoàn thiện", "chuẩn bị", "bố trí", "phân bổ", "sắp xếp", "tập trung",
    "quán triệt", "phát huy", "phát hiện", "tôn vinh", "khen thưởng", "trao", "mời", "treo", "thiết kế", "in ấn",
    "sáng tác", "sưu tầm", "giới thiệu", "lan tỏa", "lan toả", "lan truyền", "thông báo", "nhận", "cử", "lập",
    "ký", "đăng ký", "sử dụng", "khảo sát", "thống kê", "tập huấn", "phát triển", "ứng dụng", "thành lập",
    "kiện toàn", "quảng bá", "vinh danh", "chia sẻ", "bổ sung", "điều chỉnh", "hướng tới",
    "tiến hành", "huy động", "kết nối", "mở", "làm", "ra quân", "vừa", "đã", "đang", "sẽ", "được", "cần", "phải",
    "là", "nhằm", "để",
};
/* Prepositions and conjunctions that close a name in prose. */
static const char *const preps[] = {
    "tại", "trong", "trước", "theo", "từ", "khi", "nếu", "bằng", "thông qua", "cho", "đến", "vào", "như sau",
    "về việc", "cùng với", "cùng", "đồng thời", "nhân dịp", "trên cơ sở", "căn cứ",
};

/* ---- index of the phrase tables by folded first letter ---- */
enum { T_STARTERS, T_VERBS, T_PREPS, T_COUNT };
#define NSTARTERS (sizeof starters / sizeof starters[0])
#define NVERBS (sizeof verbs / sizeof verbs[0])
#define NPREPS (sizeof preps / sizeof preps[0])
#define MAXP (NVERBS > NSTARTERS ? NVERBS : NSTARTERS)

struct lexidx {
    unsigned short start[T_COUNT][28]; /* bucket b of table t: idx[t][start[t][b] .. start[t][b+1]) */
    unsigned short idx[T_COUNT][MAXP];
};

static const char *entry(int t, size_t i)
{
    return t == T_STARTERS ? starters[i].w : t == T_VERBS ? verbs[i] : preps[i];
}

static int bucket(char c)
{
    c = fv_tolower(c);
    return c >= 'a' && c <= 'z' ? c - 'a' : 26;
}

void pp_units_index(struct fview *v)
{
    struct lexidx *x = calloc(1, sizeof *x);
    if (!x)
        return; /* the tables are then scanned whole */
    const size_t n[T_COUNT] = {NSTARTERS, NVERBS, NPREPS};
    for (int t = 0; t < T_COUNT; t++) {
        unsigned char b[MAXP];
        unsigned short count[28] = {0};
        for (size_t i = 0; i < n[t]; i++) {
            utf8proc_int32_t cp;
            utf8proc_iterate((const utf8proc_uint8_t *)entry(t, i), -1, &cp);
            b[i] = (unsigned char)bucket((char)pp_fv_fold_cp(cp, v->memo));
            count[b[i] + 1]++;
        }
        for (int k = 1; k < 28; k++)
            count[k] += count[k - 1];
        memcpy(x->start[t], count, sizeof count);
        for (size_t i = 0; i < n[t]; i++)
            x->idx[t][count[b[i]]++] = (unsigned short)i; /* stable: table order kept within a bucket */
    }
    v->lex = x;
}

static bool word_is(const struct fview *v, const struct toks *ts, size_t k, const char *w, bool ci)
{
    return k < ts->n && !ts->t[k].c && pp_fv_word(v, ts->t[k].s, w, ci, NULL);
}

bool pp_units_starter(const struct fview *v, const struct toks *ts, size_t k, bool strict)
{
    if (k >= ts->n || ts->t[k].c)
        return false;
    const struct tok *t = ts->t;
    char c0 = v->f[t[k].s];
    if (fv_lower(c0)) {
        /* Lower case: only the collective determiners ("các sở", "mỗi hội") open a unit. */
        if (!word_is(v, ts, k, "các", false) && !word_is(v, ts, k, "mỗi", false) &&
            !word_is(v, ts, k, "những", false))
            return false;
    } else if (word_is(v, ts, k, "Các", false) || word_is(v, ts, k, "Mỗi", false) ||
               word_is(v, ts, k, "Những", false)) {
        /* fall through to the noun check below */
    } else if (!strict && acronym(v, &t[k]) && !(k + 1 < ts->n && !t[k + 1].c && fv_lower(v->f[t[k + 1].s]))) {
        return true;
    } else {
        const struct lexidx *x = v->lex;
        int b = bucket(c0);
        size_t lo = x ? x->start[T_STARTERS][b] : 0, hi = x ? x->start[T_STARTERS][b + 1] : NSTARTERS;
        for (size_t j = lo; j < hi; j++) {
            size_t i = x ? x->idx[T_STARTERS][j] : j, end;
            if (!pp_fv_word(v, t[k].s, starters[i].w, false, &end))
                continue;
            if (!starters[i].cap_next)
                return true;
            size_t j = pp_toks_at(ts, k, end);
            if (j >= ts->n)
                return false;
            if (t[j].c)
                return t[j].c == ',' || t[j].c == '&' || t[j].c == '(';
            char n0 = v->f[t[j].s];
            return fv_upper(n0) || fv_digit(n0) || word_is(v, ts, j, "ngành", false) ||
                   word_is(v, ts, j, "ban", false);
        }
        return false;
    }
    if (!strict)
        return true;
    if (k + 1 >= ts->n || t[k + 1].c)
        return false;
    for (size_t i = 0; i < sizeof unit_nouns / sizeof unit_nouns[0]; i++)
        if (pp_fv_key(v, t[k + 1].s, unit_nouns[i], NULL))
            return true;
    return false;
}

/* Is token k (lower case) an entry of table t? Only the entries of the word's first-letter bucket are tried. */
static bool match_list(const struct fview *v, const struct toks *ts, size_t k, int t, size_t *kafter)
{
    if (k >= ts->n || ts->t[k].c || !fv_lower(v->f[ts->t[k].s]))
        return false;
    const struct lexidx *x = v->lex;
    size_t n = t == T_VERBS ? NVERBS : NPREPS;
    int b = bucket(v->f[ts->t[k].s]);
    size_t lo = x ? x->start[t][b] : 0, hi = x ? x->start[t][b + 1] : n;
    for (size_t j = lo; j < hi; j++) {
        size_t end;
        if (pp_fv_word(v, ts->t[k].s, entry(t, x ? x->idx[t][j] : j), false, &end)) {
            if (kafter)
                *kafter = pp_toks_at(ts, k, end);
            return true;
        }
    }
    return false;
}

bool pp_units_stop(const struct fview *v, const struct toks *ts, size_t k, size_t *kafter)
{
    /* "cấp" issues something ("cấp tài khoản") unless a level follows, as in "Đài … cấp huyện". */
    if (word_is(v, ts, k, "cấp", false)) {
        static const char *const levels[] = {"tinh", "huyen", "xa", "trung uong", "co so", "bo", "thanh pho",
                                             "quan", "phuong", "thi xa", "thi tran", "uy", "co"};
        for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
            if (k + 1 < ts->n && pp_fv_key(v, ts->t[k + 1].s, levels[i], NULL))
                return false;
        if (kafter)
            *kafter = k + 1;
        return true;
    }
    return match_list(v, ts, k, T_VERBS, kafter) || match_list(v, ts, k, T_PREPS, kafter);
}

/* Does the folded range denote "the relevant units" (các cơ quan, đơn vị có liên quan) rather than a unit? */
static bool filler(const struct fview *v, const struct toks *ts, size_t a, size_t b)
{
    static const char *const dets[] = {"va", "voi", "cac", "moi", "nhung", "toan bo"};
    size_t k = a, end;
    for (bool again = true; again && k < b;) {
        again = false;
        if (ts->t[k].c) {
            k++;
            again = true;
            continue;
        }
        for (size_t i = 0; i < sizeof dets / sizeof dets[0] && !again; i++)
            if (pp_fv_key(v, ts->t[k].s, dets[i], &end)) {
                k = pp_toks_at(ts, k, end);
                again = true;
            }
    }
    static const char *const heads[] = {"co quan", "don vi", "to chuc", "bo phan", "ca nhan"};
    bool head = false;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0] && !head && k < b; i++)
        head = pp_fv_key(v, ts->t[k].s, heads[i], &end);
    if (!head)
        return false;
    if (pp_toks_at(ts, k, end) >= b)
        return true; /* "Cơ quan, đơn vị" alone */
    for (size_t j = k; j < b; j++)
        if (!ts->t[j].c && pp_fv_key(v, ts->t[j].s, "lien quan", NULL))
            return true;
    return false;
}

static bool is_ws_or(char c, const char *set)
{
    return c == ' ' || strchr(set, c) != NULL;
}

char *pp_units_clean(char *s)
{
    if (!s)
        return NULL;
    /* Drop notes in parentheses that start in lower case ("(đối với …)", "(bao gồm …)"); keep abbreviations and
     * enumerations of units ("(VDCA)", "(Bộ Y tế, …)"). */
    size_t n = strlen(s), w = 0;
    for (size_t r = 0; r < n;) {
        if (s[r] == '(') {
            size_t q = r + 1;
            while (q < n && s[q] == ' ')
                q++;
            utf8proc_int32_t cp = -1;
            if (q < n)
                utf8proc_iterate((const utf8proc_uint8_t *)s + q, (utf8proc_ssize_t)(n - q), &cp);
            if (cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL) {
                int depth = 0;
                size_t e = r;
                for (; e < n; e++) {
                    if (s[e] == '(')
                        depth++;
                    else if (s[e] == ')' && --depth == 0)
                        break;
                }
                r = e < n ? e + 1 : n;
                while (w > 0 && s[w - 1] == ' ')
                    w--;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    s[w] = '\0';
    /* Trim separators and list words left at either end. */
    char *p = s;
    for (;;) {
        while (*p && is_ws_or(*p, ",;:.-+"))
            p++;
        if (strncmp(p, "và ", 4) == 0 || strncmp(p, "với ", 5) == 0)
            p += strncmp(p, "và ", 4) == 0 ? 4 : 5;
        else
            break;
    }
    size_t len = strlen(p);
    for (;;) {
        while (len > 0 && is_ws_or(p[len - 1], ",;:.-/"))
            len--;
        if (len >= 3 && memcmp(p + len - 3, "\xE2\x80\xA6", 3) == 0) /* … */
            len -= 3;
        else if (len >= 3 && (memcmp(p + len - 3, "\xE2\x80\x93", 3) == 0)) /* – */
            len -= 3;
        else
            break;
    }
    /* An opening parenthesis left unclosed at the end is a cut note. */
    int depth = 0;
    size_t last_open = len;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '(') {
            if (depth++ == 0)
                last_open = i;
        } else if (p[i] == ')' && depth > 0) {
            depth--;
        }
    }
    if (depth > 0) {
        len = last_open;
        while (len > 0 && is_ws_or(p[len - 1], ",;:.-"))
            len--;
    }
    memmove(s, p, len);
    s[len] = '\0';
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

static void emit(const struct fview *v, const struct toks *ts, size_t a, size_t b, struct slist *out)
{
    /* A list longer than any plan writes is garbage; the cap bounds the duplicate check. */
    if (a >= b || b > ts->n || out->n >= UNITS_MAX || filler(v, ts, a, b))
        return;
    char *s = pp_units_clean(pp_fv_extract(v, ts->t[a].s, ts->t[b - 1].e));
    if (s && !pp_sl_has(out, s))
        pp_sl_push(out, s);
    else
        free(s);
}

/* A named unit ("Đài Tiếng nói Việt Nam": one name, ending in a proper noun), as opposed to a collective ("các bộ,
 * ngành", "Bộ, ngành"), may be followed by a bare "địa phương" that is a separate partner. */
static bool named_unit(const struct fview *v, const struct toks *ts, size_t a, size_t b)
{
    if (b <= a + 1 || !pp_units_starter(v, ts, a, false) || !fv_upper(v->f[ts->t[a].s]) ||
        word_is(v, ts, a, "Các", false) || word_is(v, ts, a, "Mỗi", false) || word_is(v, ts, a, "Những", false))
        return false;
    if (b - a > 32)
        return false; /* names are short; also keeps a comma-run from being rescanned again and again */
    for (size_t k = a; k < b; k++)
        if (ts->t[k].c == ',')
            return false;
    size_t last = b - 1;
    while (last > a && ts->t[last].c)
        last--;
    return fv_upper(v->f[ts->t[last].s]);
}

size_t pp_units_parse(const struct fview *v, const struct toks *ts, size_t k0, size_t kend, enum ul_mode mode,
                   struct slist *out, int *why)
{
    const struct tok *t = ts->t;
    if (kend > ts->n)
        kend = ts->n;
    size_t k = k0, cur = k0, stop = kend;
    int words = 0, w = 0;
    while (k < kend) {
        char c = t[k].c;
        if (c == '(') {
            /* A parenthesis belongs to the name before it: "(VDCA)", "(thông qua …)". */
            int depth = 0;
            size_t j = k;
            for (; j < kend; j++) {
                if (t[j].c == '(')
                    depth++;
                else if (t[j].c == ')' && --depth == 0)
                    break;
            }
            if (j >= kend) {
                stop = k;
                w = 2;
                break;
            }
            k = j + 1;
            words++;
            continue;
        }
        if (c == ',') {
            if (k + 1 < kend && pp_units_starter(v, ts, k + 1, false)) {
                emit(v, ts, cur, k, out);
                cur = k + 1;
                words = 0;
                k++;
                continue;
            }
            if (k + 1 < kend && word_is(v, ts, k + 1, "địa phương", false) && named_unit(v, ts, cur, k)) {
                emit(v, ts, cur, k, out);
                cur = k + 1;
                words = 0;
                k++;
                continue;
            }
            if (mode != UL_FIELD && k + 1 < kend && pp_units_stop(v, ts, k + 1, NULL)) {
                stop = k;
                w = 1;
                break;
            }
            k++;
            continue;
        }
        if (c == ';') {
            if (mode == UL_FIELD) {
                emit(v, ts, cur, k, out);
                cur = k + 1;
                words = 0;
                k++;
                continue;
            }
            stop = k;
            w = 2;
            break;
        }
        if (c == '.') {
            bool end = t[k].e >= v->n || v->f[t[k].e] == ' ' || v->f[t[k].e] == '\n' || k + 1 >= kend;
            if (end) {
                stop = k;
                w = 2;
                break;
            }
            k++;
            continue;
        }
        if (c == ':' || c == '!' || c == '?' || c == '|') {
            stop = k;
            w = 2;
            break;
        }
        if (c) {
            k++;
            continue;
        }
        if (words > 0) {
            size_t after;
            /* "Văn phòng HĐND và UBND huyện" is one office, not two units. */
            bool one_office = word_is(v, ts, cur, "Văn phòng", false) && k + 1 < kend &&
                              (word_is(v, ts, k + 1, "UBND", false) || word_is(v, ts, k + 1, "Ủy ban", false) ||
                               word_is(v, ts, k + 1, "Uỷ ban", false));
            if ((word_is(v, ts, k, "và", false) || word_is(v, ts, k, "hoặc", false) ||
                 word_is(v, ts, k, "với", false)) &&
                !one_office && k + 1 < kend && pp_units_starter(v, ts, k + 1, false)) {
                emit(v, ts, cur, k, out);
                cur = k + 1;
                words = 0;
                k++;
                continue;
            }
            bool incl = word_is(v, ts, k, "như", false) || word_is(v, ts, k, "gồm", false);
            bool bao = pp_fv_word(v, t[k].s, "bao gồm", false, &after);
            if (incl || bao) {
                /* "các đơn vị thuộc Bộ, như: Vụ A, Cục B" names the units: keep the names, not the collective. */
                size_t j = bao ? pp_toks_at(ts, k, after) : k + 1;
                if (j < kend && t[j].c == ':')
                    j++;
                if (j < kend && pp_units_starter(v, ts, j, false) && fv_upper(v->f[t[j].s])) {
                    cur = j;
                    words = 0;
                    k = j;
                    continue;
                }
            }
            /* After a determiner the next word is the noun ("các tổ chức"), never the predicate. */
            bool after_det = k > 0 && !t[k - 1].c &&
                             (word_is(v, ts, k - 1, "các", true) || word_is(v, ts, k - 1, "mỗi", true) ||
                              word_is(v, ts, k - 1, "những", true));
            if (mode != UL_FIELD && !after_det && pp_units_stop(v, ts, k, NULL)) {
                stop = k;
                w = 1;
                break;
            }
        }
        words++;
        k++;
    }
    if (k >= kend && w == 0)
        stop = kend;
    emit(v, ts, cur, stop, out);
    if (why)
        *why = w;
    return stop;
}
