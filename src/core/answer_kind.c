/* The kinds of question the assistant tells apart (when, who, a deadline, how much money, a web address …): read from a
 * question's words, and what a sentence offers for each. Pure: must not score anything but the kind asked for. */
#include "core/answer_internal.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum intent answer_intent_of(const char *fq)
{
    static const struct { const char *s; enum intent i; } cues[] = {
        /* First the fields of a task, which the words below would also match ("đơn vị nào phối hợp"). */
        { "ai ky", ASK_SIGNER }, { "nguoi ky", ASK_SIGNER }, { "ky ten", ASK_SIGNER }, { "ky van ban", ASK_SIGNER },
        { "ky ke hoach", ASK_SIGNER }, { "ky cong van", ASK_SIGNER }, { "ky quyet dinh", ASK_SIGNER },
        { "lien he", ASK_CONTACT }, { "so dien thoai", ASK_CONTACT }, { "email", ASK_CONTACT }, { "hop thu", ASK_CONTACT },
        { "goi so", ASK_CONTACT }, { "goi ai", ASK_CONTACT }, { "hoi ai", ASK_CONTACT }, { "lien lac", ASK_CONTACT }, { "thu dien tu", ASK_CONTACT }, { "tong dai", ASK_CONTACT },
        /* Where money comes from, a web address, a place, how often, how much money, how to: before "ở đâu" and
         * "bao nhiêu", which they contain. */
        /* When a document was issued: its number and date ("công văn số 1288/… ngày 22/9/2025"). */
        { "ban hanh ngay", ASK_ISSUED }, { "ban hanh khi", ASK_ISSUED }, { "ban hanh luc", ASK_ISSUED }, { "ban hanh hom", ASK_ISSUED },
        { "ra ngay nao", ASK_ISSUED }, { "ky ngay nao", ASK_ISSUED }, { "ky khi nao", ASK_ISSUED },
        { "lay tu dau", ASK_SOURCE }, { "lay o dau", ASK_SOURCE }, { "tu nguon nao", ASK_SOURCE }, { "nguon kinh phi", ASK_SOURCE },
        { "nguon tien", ASK_SOURCE }, { "tien o dau", ASK_SOURCE }, { "tien tu dau", ASK_SOURCE },
        { "trang nao", ASK_WEB }, { "trang web", ASK_WEB }, { "website", ASK_WEB }, { "dia chi web", ASK_WEB }, { "duong link", ASK_WEB },
        { "bao lau mot lan", ASK_OFTEN }, { "may lan", ASK_OFTEN }, { "dinh ky", ASK_OFTEN }, { "bao lau", ASK_OFTEN },
        { "bao nhieu tien", ASK_MONEY }, { "tri gia", ASK_MONEY }, { "may trieu", ASK_MONEY }, { "bao nhieu trieu", ASK_MONEY },
        { "tien thuong", ASK_MONEY }, { "duoc bao nhieu", ASK_MONEY },
        { "o dau", ASK_WHERE }, { "dia chi", ASK_WHERE }, { "tai dau", ASK_WHERE }, { "cho nao", ASK_WHERE }, { "noi nao", ASK_WHERE }, { "dia diem", ASK_WHERE },
        { "the nao", ASK_HOW }, { "lam sao", ASK_HOW }, { "cach nao", ASK_HOW }, { "cac buoc", ASK_HOW }, { "huong dan cach", ASK_HOW },
        { "phoi hop", ASK_PARTNER }, { "san pham", ASK_PRODUCT }, { "ket qua cua", ASK_PRODUCT }, { "ket qua la", ASK_PRODUCT },
        /* A deadline: the date a thing is due by ("trước ngày", "hạn"), not any date. */
        { "han chot", ASK_DEADLINE }, { "han cuoi", ASK_DEADLINE }, { "het han", ASK_DEADLINE }, { "han nop", ASK_DEADLINE },
        { "thoi han", ASK_DEADLINE }, { "cham nhat", ASK_DEADLINE },
        /* A person's name, and why something is done. */
        { "ten gi", ASK_PERSON }, { "ten la gi", ASK_PERSON }, { "la ai", ASK_PERSON }, { "ai la", ASK_PERSON },
        { "vi sao", ASK_WHY }, { "tai sao", ASK_WHY }, { "de lam gi", ASK_WHY }, { "muc dich gi", ASK_WHY }, { "nham muc dich", ASK_WHY },
        { "khi nao", ASK_WHEN }, { "bao gio", ASK_WHEN }, { "ngay nao", ASK_WHEN }, 
        { "luc nao", ASK_WHEN }, { "thang nao", ASK_WHEN }, { "nam nao", ASK_WHEN }, { "ngay may", ASK_WHEN }, { "truoc ngay", ASK_WHEN },
        { "hom nao", ASK_WHEN }, { "xong truoc", ASK_WHEN },
        { "don vi nao", ASK_WHO }, { "co quan nao", ASK_WHO }, { "ai ", ASK_WHO }, { "chu tri", ASK_WHO }, { "ai chiu", ASK_WHO },
        { "bao nhieu", ASK_HOW_MANY }, { "may ", ASK_HOW_MANY }, { "chu de", ASK_THEME }, { "thong diep", ASK_THEME },
    };
    char padded[1100];
    snprintf(padded, sizeof padded, " %s ", fq);
    /* Whole words only: "ai" is not the end of "giải", "mấy" not the start of "máy tính". */
    for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
        char cue[64];
        snprintf(cue, sizeof cue, " %.*s ", (int)strcspn(cues[i].s, " ") == (int)strlen(cues[i].s) ? (int)strlen(cues[i].s) :
                 (int)(strlen(cues[i].s) - (cues[i].s[strlen(cues[i].s) - 1] == ' ')), cues[i].s);
        if (strstr(padded, cue)) return cues[i].i;
    }
    return ASK_ANY;
}

bool has_date(const char *s)
{
    for (const char *p = s; *p; p++)
        if (isdigit((unsigned char)p[0]) && (p[1] == '/' || (isdigit((unsigned char)p[1]) && p[2] == '/'))) return true;
    return strstr(s, "tháng") && strstr(s, "năm");
}

/* A year on its own ("năm 2030", "đến 2027"): a time, less precise than a date. */
bool has_year(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((p == s || !isdigit((unsigned char)p[-1])) && (!strncmp(p, "19", 2) || !strncmp(p, "20", 2)) &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4]))
            return true;
    return false;
}

bool has_digit(const char *s)
{
    for (; *s; s++) if (isdigit((unsigned char)*s)) return true;
    return false;
}

/* A figure, not the number of a heading ("3. Bồi dưỡng …") that opens the sentence. */
bool has_figure(const char *s)
{
    const char *p = s;
    while (isdigit((unsigned char)*p) || *p == '.') p++;
    return has_digit(p);
}

/* A unit named as plans name them ("Sở Y tế", "Công an xã", "Phòng Văn hóa - Thông tin", "Ủy ban nhân dân …"). */
bool has_unit(const char *s)
{
    static const char *const units[] = { "Bộ ", "Sở ", "Cục ", "Phòng ", "Ủy ban", "Uỷ ban", "UBND", "Công an", "Đoàn ", "Hội ",
                                         "Trường ", "Trạm ", "Ban ", "Văn phòng", "Trung tâm", "Bưu điện", "Viện ", "Chi cục",
                                         "Bệnh viện", "Ngân hàng", "Tổ ", "Đài ", "Quân sự", "Mặt trận", "Hợp tác xã", NULL };
    for (int i = 0; units[i]; i++) if (strstr(s, units[i])) return true;
    return false;
}

/* An amount of money: a figure followed by its unit ("30 triệu đồng", "48.500.000 đồng", "2 tỷ"), not the "đồng" of
 * "cộng đồng" or "Lâm Đồng". */
bool has_money(const char *s)
{
    static const char *const units[] = { " đồng", " triệu", " tỷ", " nghìn", " ngàn", "đ ", "đ.", "đ,", NULL };
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || isdigit((unsigned char)p[1]) || p[1] == '.' || p[1] == ',') continue;
        for (int i = 0; units[i]; i++) if (!strncmp(p + 1, units[i], strlen(units[i]))) return true;
    }
    return false;
}

/* A document's number and date as an official letter writes them: "công văn số 1288/SKHCN-CĐS ngày 22/9/2025". */
bool has_doc_number(const char *s)
{
    for (const char *p = strstr(s, "số "); p; p = strstr(p + 1, "số ")) {
        const char *q = p + strlen("số ");
        size_t d = strspn(q, "0123456789");
        if (d && q[d] == '/' && isupper((unsigned char)q[d + 1])) return true;
    }
    return false;
}

double answer_intent_bonus(enum intent in, const char *sentence)
{
    switch (in) {
    case ASK_DEADLINE:
        return !has_date(sentence) ? 0 : strstr(sentence, "trước ngày") || strstr(sentence, "Trước ngày") || strstr(sentence, "hạn") ||
               strstr(sentence, "Hạn") || strstr(sentence, "chậm nhất") || strstr(sentence, "đến hết ngày") ||
               strstr(sentence, "hoàn thành") ? 0.3 : 0.15;
    case ASK_PERSON:
        return strstr(sentence, "Người ký") || strstr(sentence, " ông ") || strstr(sentence, " bà ") || strstr(sentence, "Ông ") ||
               strstr(sentence, "Bà ") || strstr(sentence, "đồng chí ") ? 0.2 : 0;
    case ASK_WHY:
        return strstr(sentence, "nhằm") || strstr(sentence, "Nhằm") || strstr(sentence, "mục đích") || strstr(sentence, "Mục đích") ||
               strstr(sentence, "giúp") || strstr(sentence, "Giúp") || strstr(sentence, "để ") ? 0.15 : 0;
    case ASK_WHEN: return has_date(sentence) ? 0.2 : has_year(sentence) || strstr(sentence, "Quý ") || strstr(sentence, "quý ") ? 0.1 : 0;
    case ASK_ISSUED: return has_date(sentence) ? (has_doc_number(sentence) || strstr(sentence, "ban hành") ? 0.3 : 0.1) : 0;
    case ASK_WHO:
        /* A unit, or a person named by their office ("Phó Chủ tịch …", "ông …"). */
        return strstr(sentence, "chủ trì") || has_unit(sentence) || strstr(sentence, "Chủ tịch") || strstr(sentence, "Giám đốc") ||
               strstr(sentence, "Bộ trưởng") || strstr(sentence, " ông ") || strstr(sentence, " bà ") ? 0.15 : 0;
    case ASK_SIGNER:
        /* The signature block: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / name", "TM. ỦY BAN NHÂN DÂN …". */
        return strstr(sentence, "Người ký") || strstr(sentence, "KT.") || strstr(sentence, "TM.") || strstr(sentence, "GIÁM ĐỐC") || strstr(sentence, "CHỦ TỊCH") ||
               strstr(sentence, "BỘ TRƯỞNG") || strstr(sentence, "THỨ TRƯỞNG") ? 0.35 : 0;
    case ASK_CONTACT: {
        /* A phone number (a run of 7+ digits and spaces), an e-mail address, or "liên hệ". */
        int run = 0, best = 0;
        for (const char *p = sentence; *p; p++) {
            run = isdigit((unsigned char)*p) ? run + 1 : *p == ' ' || *p == '.' ? run : 0;
            if (run > best) best = run;
        }
        return best >= 7 || strchr(sentence, '@') || strstr(sentence, "liên hệ") ? 0.25 : 0;
    }
    case ASK_HOW_MANY: return has_figure(sentence) ? 0.15 : 0;
    case ASK_THEME:
        /* A theme is quoted: "Chủ đề … là “…”" says it; a sentence that only mentions the theme does not. */
        return (strstr(sentence, "chủ đề") || strstr(sentence, "Chủ đề") || strstr(sentence, "thông điệp")) ?
               (strchr(sentence, '"') || strstr(sentence, "“") ? 0.35 : 0.2) : 0;
    case ASK_PARTNER: return strstr(sentence, "phối hợp") ? 0.15 : 0;
    case ASK_SOURCE:
        return strstr(sentence, "nguồn") || strstr(sentence, "ngân sách") || strstr(sentence, "dự toán") ||
               strstr(sentence, "xã hội hóa") || strstr(sentence, "kinh phí") || strstr(sentence, "Kinh phí") ? 0.15 : 0;
    case ASK_WEB:
        /* An address: "dichvucong.gov.vn", "https://…". */
        return strstr(sentence, ".vn") || strstr(sentence, ".com") || strstr(sentence, "http") || strstr(sentence, "www.") ? 0.2 : 0;
    case ASK_WHERE: return strstr(sentence, " tại ") || strstr(sentence, " ở ") || strstr(sentence, "Tại ") || strstr(sentence, " đến ") ? 0.12 : 0;
    case ASK_HOW:
        /* Steps: "Bước 1: Truy cập …", "chọn …". */
        return strstr(sentence, "Bước ") || strstr(sentence, "bước ") || strstr(sentence, "truy cập") || strstr(sentence, "chọn ") ? 0.15 : 0;
    case ASK_OFTEN:
        return strstr(sentence, "hằng ") || strstr(sentence, "hàng tháng") || strstr(sentence, "hàng quý") || strstr(sentence, "định kỳ") ||
               strstr(sentence, "mỗi ") ? 0.15 : 0;
    case ASK_MONEY: return has_money(sentence) ? 0.2 : 0;
    case ASK_PRODUCT: return strstr(sentence, "sản phẩm") || strstr(sentence, "Sản phẩm") || strstr(sentence, "kết quả") ? 0.15 : 0;
    default: return 0;
    }
}

