/* The yearly measurement of digital skills as a page (with the tile map and an accessible table), a spreadsheet
 * and a PDF annual report. Reads the store only; must publish nothing skills_measure has hidden. */
#include "web/skills.h"
#include "store/skills.h"
#include "store/org_index.h"
#include "export/chart.h"
#include "export/pdf.h"
#include "export/xlsx.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* ?nam= (or ?year=) and ?tinh= (or ?province=): false with the error sent when either is wrong. */
static bool read_query(struct req *r, int *year, json_t **province)
{
    const char *y = req_str(r, "nam") ? req_str(r, "nam") : req_str(r, "year");
    const char *p = req_str(r, "tinh") ? req_str(r, "tinh") : req_str(r, "province");
    *year = date_today().y;
    *province = NULL;
    if (y && *y) {
        char *end;
        long v = strtol(y, &end, 10);
        if (*end || v < 2000 || v > 2100) { req_fail(r, 400, "Năm không hợp lệ (từ 2000 đến 2100)."); return false; }
        *year = (int)v;
    }
    if (p && *p) {
        /* Any province by its code, open or merged away: a past year's report may name one that no longer exists. */
        struct org_index *x = org_index_get(r->db);
        for (int i = 0; x && i < x->n && !*province; i++)
            if (!strcmp(x->u[i].code, p) && !strcmp(x->u[i].kind, "province"))
                *province = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)x->u[i].id, "code", x->u[i].code, "name", x->u[i].name);
        if (x) org_index_release(x);
        if (!*province) { req_fail(r, 404, "Không có tỉnh, thành phố này."); return false; }
    }
    return true;
}

int skills_measure_page(struct req *r)
{
    int year;
    json_t *prov;
    if (!read_query(r, &year, &prov)) return r->status;
    json_t *m = skills_measure(r->db, year, prov);
    char title[200];
    if (prov) snprintf(title, sizeof title, "Kỹ năng số năm %d: %s", year, str(prov, "name"));
    else snprintf(title, sizeof title, "Kỹ năng số và khoảng cách số năm %d", year);
    json_object_set_new(m, "title", json_string(title));
    json_object_set_new(m, "_nav", json_string("skills"));
    /* Pickers: every year with data plus this one; every province open today. */
    json_t *years = store_skills_years(r->db), *ys = json_array();
    bool has_now = false;
    size_t i;
    json_t *v;
    json_array_foreach(years, i, v) has_now |= json_integer_value(v) == date_today().y;
    if (!has_now) json_array_insert_new(years, 0, json_integer(date_today().y));
    json_array_foreach(years, i, v)
        json_array_append_new(ys, json_pack("{s:I, s:b}", "year", json_integer_value(v), "selected", json_integer_value(v) == year));
    json_decref(years);
    json_t *provs = store_skills_provinces(r->db);
    json_array_foreach(provs, i, v) json_object_set_new(v, "selected", json_boolean(prov && !strcmp(str(v, "code"), str(prov, "code"))));
    json_object_set_new(m, "_years", ys);
    json_object_set_new(m, "_provinces", provs);
    json_object_set_new(m, "_query", prov ? json_sprintf("nam=%d&tinh=%s", year, str(prov, "code")) : json_sprintf("nam=%d", year));
    json_decref(prov);
    return render(r, m, "skills/measure");
}

/* The published table as rows: group kind, group, respondents, at least basic, areas 1..5. Hidden cells are "—";
 * a group nobody belongs to has blanks. */
static json_t *table_rows(json_t *m)
{
    json_t *rows = json_array(), *dm, *g;
    size_t i, j;
    json_t *groups = json_pack("[O]", json_object_get(m, "total"));
    json_t *sections = json_pack("[{s:s, s:o}]", "title", "Tổng", "groups", groups);
    json_array_extend(sections, json_object_get(m, "dimensions"));
    json_array_foreach(sections, i, dm) {
        json_array_foreach(json_object_get(dm, "groups"), j, g) {
            json_t *row = json_pack("[O, O]", json_object_get(dm, "title"), json_object_get(g, "label"));
            bool hidden = json_is_true(json_object_get(g, "suppressed"));
            json_t *n = json_object_get(g, "n");
            json_array_append_new(row, hidden ? json_string("—") : json_incref(n));
            json_array_append_new(row, hidden ? json_string("—") : json_incref(json_object_get(g, "at_least_basic")));
            for (size_t k = 0; k < DIGCOMP_AREAS; k++) {
                json_t *a = json_array_get(json_object_get(g, "areas"), k);
                json_array_append_new(row, hidden ? json_string("—") : a ? json_incref(a) : json_null());
            }
            json_array_append_new(rows, row);
        }
    }
    json_decref(sections);
    return rows;
}

struct book { json_t *m; const char *title; };

static lxw_error put_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v, lxw_format *num, lxw_format *pct, lxw_format *text)
{
    if (json_is_integer(v)) return worksheet_write_number(ws, r, c, (double)json_integer_value(v), num);
    if (json_is_real(v)) return worksheet_write_number(ws, r, c, json_real_value(v), pct);
    if (json_is_string(v)) return xlsx_put_text(ws, r, c, json_string_value(v), text);
    return worksheet_write_blank(ws, r, c, text);
}

static lxw_error fill_book(lxw_workbook *wb, void *ctx)
{
    struct book *b = ctx;
    lxw_format *ftitle = workbook_add_format(wb), *fhead = workbook_add_format(wb), *ftext = workbook_add_format(wb);
    lxw_format *fnum = workbook_add_format(wb), *fpct = workbook_add_format(wb), *fpp = workbook_add_format(wb), *fnote = workbook_add_format(wb);
    format_set_bold(ftitle);
    format_set_font_size(ftitle, 14);
    format_set_bold(fhead);
    format_set_text_wrap(fhead);
    format_set_bg_color(fhead, 0xDDEBF7);
    format_set_pattern(fhead, LXW_PATTERN_SOLID);
    format_set_num_format(fnum, "#,##0");
    format_set_num_format(fpct, "0.0%");
    format_set_num_format(fpp, "+0.0;-0.0;0.0");
    format_set_italic(fnote);
    lxw_format *bordered[] = { fhead, ftext, fnum, fpct, fpp };
    for (int i = 0; i < 5; i++) format_set_border(bordered[i], LXW_BORDER_THIN);
    format_set_align(ftext, LXW_ALIGN_RIGHT);

    /* Sheet 1: shares with at least basic skills by group. */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Tỷ lệ");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = xlsx_put_text(ws, 0, 0, b->title, ftitle);
    if (!e) e = xlsx_put_text(ws, 1, 0, "Tỷ lệ người trả lời có kỹ năng số cơ bản trở lên (DigComp 2.2, cách tính của DSI 2.0). "
                                        "“—”: ẩn vì nhóm dưới 10 người trả lời, hoặc để không suy ra được nhóm đó bằng phép trừ.", fnote);
    const char *heads[4] = { "Nhóm", "Nhóm con", "Số người trả lời", "Cơ bản trở lên (chung)" };
    for (lxw_col_t c = 0; c < 4 && !e; c++) e = xlsx_put_text(ws, 3, c, heads[c], fhead);
    size_t i;
    json_t *a, *row;
    json_array_foreach(json_object_get(b->m, "areas"), i, a) if (!e) e = xlsx_put_text(ws, 3, (lxw_col_t)(4 + i), str(a, "label"), fhead);
    json_t *rows = table_rows(b->m);
    lxw_row_t r = 4;
    json_array_foreach(rows, i, row) {
        for (lxw_col_t c = 0; c < 4 + DIGCOMP_AREAS && !e; c++) {
            json_t *v = json_array_get(row, c);
            e = c < 2 ? xlsx_put_text(ws, r, c, json_string_value(v), NULL) : put_cell(ws, r, c, v, fnum, fpct, ftext);
        }
        r++;
    }
    json_decref(rows);
    if (!e) e = worksheet_set_column(ws, 0, 0, 22, NULL);
    if (!e) e = worksheet_set_column(ws, 1, 1, 28, NULL);
    if (!e) e = worksheet_set_column(ws, 2, 3 + DIGCOMP_AREAS, 14, NULL);
    if (!e) worksheet_freeze_panes(ws, 4, 2);

    /* Sheet 2: the digital divide in percentage points. */
    lxw_worksheet *wg = workbook_add_worksheet(wb, "Khoảng cách");
    if (!wg) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!e) e = xlsx_put_text(wg, 0, 0, "Khoảng cách số: chênh lệch tỷ lệ có kỹ năng cơ bản trở lên, điểm phần trăm (nhóm thứ nhất trừ nhóm thứ hai)", ftitle);
    const char *gh[4] = { "So sánh", "Nhóm thứ nhất", "Nhóm thứ hai", "Chung" };
    for (lxw_col_t c = 0; c < 4 && !e; c++) e = xlsx_put_text(wg, 2, c, gh[c], fhead);
    json_array_foreach(json_object_get(b->m, "areas"), i, a) if (!e) e = xlsx_put_text(wg, 2, (lxw_col_t)(4 + i), str(a, "label"), fhead);
    r = 3;
    json_array_foreach(json_object_get(b->m, "gaps"), i, row) {
        if (e) break;
        e = xlsx_put_text(wg, r, 0, str(row, "title"), NULL);
        if (!e) e = xlsx_put_text(wg, r, 1, str(row, "a") ? str(row, "a") : "", NULL);
        if (!e) e = xlsx_put_text(wg, r, 2, str(row, "b") ? str(row, "b") : "", NULL);
        json_t *pp = json_object_get(row, "pp");
        if (!e) e = json_is_number(pp) ? worksheet_write_number(wg, r, 3, json_number_value(pp), fpp) : xlsx_put_text(wg, r, 3, "—", ftext);
        for (size_t k = 0; k < DIGCOMP_AREAS && !e; k++) {
            json_t *x = json_array_get(json_object_get(row, "areas_pp"), k);
            e = json_is_number(x) ? worksheet_write_number(wg, r, (lxw_col_t)(4 + k), json_number_value(x), fpp) : xlsx_put_text(wg, r, (lxw_col_t)(4 + k), "—", ftext);
        }
        r++;
    }
    if (!e) e = worksheet_set_column(wg, 0, 0, 36, NULL);
    if (!e) e = worksheet_set_column(wg, 1, 2, 22, NULL);
    if (!e) e = worksheet_set_column(wg, 3, 3 + DIGCOMP_AREAS, 14, NULL);
    return e;
}

int skills_measure_xlsx(struct req *r)
{
    int year;
    json_t *prov;
    if (!read_query(r, &year, &prov)) return r->status;
    json_t *m = skills_measure(r->db, year, prov);
    char title[200];
    snprintf(title, sizeof title, "Kỹ năng số năm %d – %s", year, prov ? str(prov, "name") : "cả nước");
    struct book b = { m, title };
    size_t len = 0;
    char *data = xlsx_build(fill_book, &b, &len);
    json_decref(m);
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"ky-nang-so-%d%s%s.xlsx\"", year, prov ? "-" : "", prov ? str(prov, "code") : "");
    json_decref(prov);
    if (!data) return req_fail(r, 500, "Không tạo được tệp Excel.");
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len);
}

/* A PDF table block of one breakdown, numbers as the page writes them. */
static json_t *pdf_table(json_t *m, json_t *groups, const char *first)
{
    json_t *cols = json_pack("[{s:s, s:i}, {s:s, s:s}, {s:s, s:s}]", "title", first, "width", 3, "title", "Số người", "align", "right",
                             "title", "Cơ bản trở lên", "align", "right");
    size_t i, j;
    json_t *a, *g, *c;
    json_array_foreach(json_object_get(m, "areas"), i, a)
        json_array_append_new(cols, json_pack("{s:o, s:s}", "title", json_sprintf("LV %d", (int)i + 1), "align", "right"));
    json_t *rows = json_array();
    json_array_foreach(groups, i, g) {
        json_t *row = json_pack("[O, O]", json_object_get(g, "label"), json_object_get(g, "_n_text"));
        json_array_foreach(json_object_get(g, "_cells"), j, c) json_array_append(row, c);
        json_array_append_new(rows, row);
    }
    return json_pack("{s:s, s:o, s:o}", "type", "table", "columns", cols, "rows", rows);
}

static void add(json_t *blocks, const char *type, const char *text)
{
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", type, "text", text));
}

int skills_measure_pdf(struct req *r)
{
    int year;
    json_t *prov;
    if (!read_query(r, &year, &prov)) return r->status;
    json_t *m = skills_measure(r->db, year, prov), *blocks = json_array(), *charts = json_object_get(m, "_charts");
    char title[200], made[64], today[11], line[600];
    snprintf(title, sizeof title, "Báo cáo kỹ năng số và khoảng cách số năm %d", year);
    date_format_vn(date_today(), today);
    snprintf(made, sizeof made, "Số liệu đến ngày %s", today);
    json_t *total = json_object_get(m, "total");
    add(blocks, "h2", "1. Tổng quan");
    if (json_is_integer(json_object_get(m, "respondents")) && json_is_real(json_object_get(total, "at_least_basic"))) {
        char n[32];
        chart_format_number((double)json_integer_value(json_object_get(m, "respondents")), 0, n, sizeof n);
        snprintf(line, sizeof line, "%s người đã trả lời bảng tự đánh giá trong năm %d%s. Tỷ lệ có kỹ năng số cơ bản trở lên (đạt ít nhất mức cơ bản ở "
                 "cả 5 lĩnh vực của DigComp 2.2): %s.", n, year, prov ? "" : " trên cả nước", json_string_value(json_array_get(json_object_get(total, "_cells"), 0)));
        add(blocks, "p", line);
        json_t *lv = json_array(), *l;
        size_t i;
        json_array_foreach(json_object_get(m, "levels"), i, l) json_array_append_new(lv, json_pack("[O, O]", json_object_get(l, "label"), json_object_get(l, "_text")));
        json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:i}, {s:s, s:s}], s:o}", "type", "table", "columns", "title", "Mức chung", "width", 3,
                                                "title", "Tỷ lệ", "align", "right", "rows", lv));
        json_array_append_new(blocks, json_pack("{s:s, s:O, s:i, s:s}", "type", "svg", "svg", json_object_get(charts, "areas"), "width_mm", 140,
                                                "caption", "Tỷ lệ có kỹ năng cơ bản trở lên trong từng lĩnh vực"));
    } else {
        add(blocks, "p", "Chưa đủ 10 người trả lời để công bố số liệu.");
    }
    if (json_object_get(m, "demo") && json_integer_value(json_object_get(m, "demo")) > 0)
        add(blocks, "p", "Lưu ý: số liệu năm nay có kèm câu trả lời minh họa (dữ liệu demo), không phải số liệu thật.");
    size_t i;
    json_t *dm, *g, *a;
    int sec = 2, used = 0;
    used += snprintf(line, sizeof line, "Trong các bảng: LV 1–5 là tỷ lệ đạt ít nhất mức cơ bản trong từng lĩnh vực (");
    json_array_foreach(json_object_get(m, "areas"), i, a)
        used += snprintf(line + used, sizeof line - (size_t)used, "%s%s", i ? "; " : "", str(a, "label"));
    snprintf(line + used, sizeof line - (size_t)used, "); “—”: không công bố vì nhóm dưới 10 người trả lời.");
    add(blocks, "p", line);
    json_array_append_new(blocks, json_pack("{s:s}", "type", "pagebreak"));
    json_array_foreach(json_object_get(m, "dimensions"), i, dm) {
        snprintf(line, sizeof line, "%d. %s", sec++, str(dm, "title"));
        add(blocks, "h2", line);
        if (!strcmp(str(dm, "key"), "province"))
            json_array_append_new(blocks, json_pack("{s:s, s:O, s:i, s:O}", "type", "svg", "svg", json_object_get(charts, "map"), "width_mm", 90,
                                                    "caption", json_object_get(charts, "map_title")));
        json_array_append_new(blocks, pdf_table(m, json_object_get(dm, "groups"), str(dm, "column")));
    }
    snprintf(line, sizeof line, "%d. Khoảng cách số", sec++);
    add(blocks, "h2", line);
    json_array_foreach(json_object_get(m, "gaps"), i, g) {
        snprintf(line, sizeof line, "%s: %s", str(g, "title"), str(g, "_text"));
        add(blocks, "p", line);
    }
    snprintf(line, sizeof line, "%d. Phương pháp", sec);
    add(blocks, "h2", line);
    add(blocks, "p", "Mỗi lĩnh vực: chưa làm việc nào được hỏi là “không có”, từ 1 việc là “cơ bản”; “trên cơ bản” cần từ 2 việc ở lĩnh vực 1 và 2, "
                     "từ 3 việc ở lĩnh vực 3, 4 và 5 (cách đếm "
                     "của Chỉ số kỹ năng số DSI 2.0 của Liên minh châu Âu). Có kỹ năng số cơ bản trở lên là đạt ít nhất mức cơ bản ở cả 5 lĩnh vực.");
    add(blocks, "p", "Nhóm dưới 10 người trả lời không được công bố (“—”); khi cần, một nhóm khác cũng được ẩn để không suy ra được nhóm đó bằng phép trừ. "
                     "Số liệu do người dân tự khai và tự nguyện tham gia, chưa gia quyền theo dân số, nên chưa đại diện cho toàn bộ dân số.");
    json_t *doc = json_pack("{s:s, s:s, s:[s], s:o, s:s}", "title", title, "subtitle", prov ? str(prov, "name") : "Cả nước", "meta", made,
                            "blocks", blocks, "footer", "Ngày Chuyển đổi số quốc gia – dxday");
    char err[200] = "";
    size_t len = 0;
    char *bytes = pdf_report(doc, &len, err, sizeof err);
    json_decref(doc);
    json_decref(m);
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"bao-cao-ky-nang-so-%d%s%s.pdf\"", year, prov ? "-" : "", prov ? str(prov, "code") : "");
    json_decref(prov);
    if (!bytes) return req_fail(r, 500, err[0] ? err : "Không tạo được tệp PDF.");
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/pdf", bytes, len);
}
