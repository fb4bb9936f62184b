/* The paraphrase lexicon's entries and matching: a question's words → the words documents write for them.
 * Must not rewrite the question itself (answer.c decides how an equivalent counts) nor hold anything but the domain's
 * common usage: no entry is made for one document. */
#include "core/lexicon.h"
#include <string.h>

/* Folded (no diacritics, lower case, one space between words). One direction: what people type → what documents say;
 * a pair both sides use is listed both ways. */
static const struct { const char *from, *to; } entries[] = {
    /* Abbreviations of the domain. */
    { "cds", "chuyen doi so" },
    { "tt tt", "thong tin va truyen thong" },
    { "tttt", "thong tin va truyen thong" },
    { "btttt", "bo thong tin va truyen thong" },
    { "kh cn", "khoa hoc va cong nghe" },
    { "khcn", "khoa hoc va cong nghe" },
    { "ubnd", "uy ban nhan dan" },
    { "hdnd", "hoi dong nhan dan" },
    { "gd dt", "giao duc va dao tao" },
    { "gddt", "giao duc va dao tao" },
    { "dvc", "dich vu cong" },
    { "dvctt", "dich vu cong truc tuyen" },
    { "tcns", "to cong nghe so" },
    { "cntt", "cong nghe thong tin" },
    { "htx", "hop tac xa" },
    { "attt", "an toan thong tin" },
    { "tp", "thanh pho" },
    { "sdt", "dien thoai" },
    /* Deadlines. */
    { "han chot", "thoi han" },
    { "han cuoi", "thoi han" },
    { "deadline", "thoi han" },
    { "han nop", "truoc ngay" },
    { "xong", "hoan thanh" },
    { "nop tre", "cham" },
    { "gui tre", "cham" },
    { "tre han", "cham" },
    { "qua han", "cham" },
    { "ket thuc", "den het ngay" },
    /* Who: plans say "đơn vị" where people say "cơ quan", and the other way round. */
    { "co quan", "don vi" },
    { "don vi", "co quan" },
    { "ai", "don vi" },
    { "ai lam", "chu tri" },
    { "ai lo", "chu tri" },
    { "ai phu trach", "chu tri" },
    /* Amounts and limits. */
    { "it nhat", "toi thieu" },
    { "toi thieu", "it nhat" },
    { "toi da", "khong qua" },
    { "nhieu nhat", "toi da" },
    { "khong qua", "toi da" },
    { "may tieng", "gio" },
    { "bao nhieu tieng", "gio" },
    { "muc 2", "muc do 2" },
    { "hoc nhung gi", "noi dung" },
    { "hoc gi", "noi dung" },
    { "day nhung gi", "noi dung" },
    { "day gi", "noi dung" },
    { "vi sao", "muc dich" },
    { "tai sao", "muc dich" },
    { "de lam gi", "muc dich" },
    { "lay tu dau", "nguon" },
    { "lay o dau", "nguon" },
    { "tien thuong", "giai thuong" },
    { "chung ket", "chung khao" },
    /* People. */
    { "cong dan", "nguoi dan" },
    { "nguoi dan", "cong dan" },
    { "ba con", "nguoi dan" },
    { "nguoi lon", "truong thanh" },
    { "nguoi gia", "nguoi cao tuoi" },
    { "ong ba", "nguoi cao tuoi" },
    { "lon tuoi", "cao tuoi" },
    { "thanh nien", "doan vien" },
    { "ky", "kt" },
    { "lanh dao", "chu tich" },
    /* A campaign year's theme is also called its message. */
    { "chu de", "thong diep" },
    { "thong diep", "chu de" },
    /* Channels and money. */
    { "online", "truc tuyen" },
    { "tren mang", "truc tuyen" },
    { "qua mang", "truc tuyen" },
    { "email", "thu dien tu" },
    { "thu dien tu", "email" },
    { "mail", "hop thu" },
    { "goi so", "dien thoai" },
    { "goi ai", "lien he" },
    { "hoi ai", "lien he" },
    { "tien", "kinh phi" },
    { "ton tien", "mien phi" },
    { "mat tien", "mien phi" },
    { "mat tien", "mat phi" },
    { "ton tien", "mat phi" },
    { "mat phi", "mien phi" },
    { "nop bai", "nop ho so" },
    { "bai du thi", "ho so du thi" },
    { "app", "ung dung" },
    { "dien thoai thong minh", "smartphone" },
    { "tham gia", "du thi" },
    { "dan toc", "dong bao dan toc thieu so" },
};

int lexicon_has_phrase(const char *f, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = strstr(f, phrase); p; p = strstr(p + 1, phrase))
        if ((p == f || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return 1;
    return 0;
}

int lexicon_match(const char *fq, lexicon_fn fn, void *ctx)
{
    int n = 0;
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        if (lexicon_has_phrase(fq, entries[i].from)) {
            fn(entries[i].from, entries[i].to, ctx);
            n++;
        }
    return n;
}

/* Provinces and centrally-run cities, folded: a place named in a question constrains the answer as a year does. */
static const char *const places[] = {
    "ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "an giang", "ba ria vung tau", "bac giang", "bac kan",
    "bac lieu", "bac ninh", "ben tre", "binh dinh", "binh duong", "binh phuoc", "binh thuan", "ca mau", "cao bang",
    "dak lak", "dak nong", "dien bien", "dong nai", "dong thap", "gia lai", "ha giang", "ha nam", "ha tinh", "hai duong",
    "hau giang", "hoa binh", "hung yen", "khanh hoa", "kien giang", "kon tum", "lai chau", "lam dong", "lang son",
    "lao cai", "long an", "nam dinh", "nghe an", "ninh binh", "ninh thuan", "phu tho", "phu yen", "quang binh",
    "quang nam", "quang ngai", "quang ninh", "quang tri", "soc trang", "son la", "tay ninh", "thai binh", "thai nguyen",
    "thanh hoa", "thua thien hue", "tien giang", "tra vinh", "tuyen quang", "vinh long", "vinh phuc", "yen bai", NULL };

int lexicon_places(const char *f, const char **out, int max)
{
    int n = 0;
    for (int i = 0; places[i] && n < max; i++)
        if (lexicon_has_phrase(f, places[i])) out[n++] = places[i];
    return n;
}
