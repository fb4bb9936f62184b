/* Reads a Vietnamese plan document (kế hoạch, quyết định) given as plain text or markdown and finds its number,
 * date, issuer, title, theme, cited plans, numbered tasks and report deadlines. Pure: no I/O, no globals, no
 * store; unit names come out as written (resolving them to units is the caller's job). */
#ifndef DXDAY_PLAN_PARSE_H
#define DXDAY_PLAN_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"

struct plan_task {
    char *ref;             /* as printed: "1.3", "II.2.1.5", "2.1.a" */
    char *title;
    char **lead;           /* unit names as written, NFC */
    int nlead;
    char **partners;
    int npartners;
    bool has_due;
    struct ymd due;
    bool has_window;
    struct ymd window_from, window_to;
    char *recurrence;      /* "Hằng năm", "Hằng quý", "Quý I hằng năm", "Thường xuyên" … or NULL */
    char *deliverable;     /* or NULL */
    char **warnings;       /* Vietnamese messages for the reviewer: unreadable date, skipped numbering … */
    int nwarnings;
    size_t src_start, src_end;  /* byte range of the task in the NFC text the parser worked on */
};

struct plan_deadline {
    char *what;            /* what is to be sent: "báo cáo kết quả …" */
    char *to;              /* to whom, as written, or NULL */
    struct ymd due;
};

/* A value a target sets, as far as it can be read: "≥ 30 %" (ge 30), "trên 30%" (gt 30), "≤ 3" (le 3), "20–50 %"
 * (range 20..50), "100%" (eq 100), "Top 30" (le 30: a rank). op is "" when nothing was understood. */
struct plan_value {
    char op[6];            /* ge gt le lt eq range, or "" */
    double lo, hi;         /* ge/gt/eq: lo; le/lt: hi; range: both */
    bool percent;          /* the value carries a "%" */
};
bool plan_parse_value(const char *text, struct plan_value *out);

/* A target (chỉ tiêu): read from a targets table (TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi) or a
 * target sentence ("đến năm 2030, kinh tế số chiếm trên 30 % GDP"). Never a task. */
struct plan_target {
    char *ref;             /* as printed, or "" */
    char *indicator;       /* never NULL ("" when the row names none: then warned) */
    char *measure;         /* unit of measure as written, or NULL */
    char *value;           /* the target as written, or NULL */
    struct plan_value v;
    int year;              /* 0: not stated */
    char *agency;          /* monitoring agency as written, or NULL */
    char **warnings;
    int nwarnings;
    size_t src_start, src_end;
};

struct plan_doc {
    char *text;            /* the NFC text that offsets refer to */
    char *number;          /* "1092/QĐ-BTTTT" or NULL */
    bool has_issued;
    struct ymd issued;
    char *issuer;          /* as written, or NULL */
    char *title;           /* never NULL ("" when none) */
    char *theme;           /* the year's theme when the document states it, or NULL */
    char **cites;          /* numbers of cited documents: "505/QĐ-TTg" */
    int ncites;
    struct plan_task *tasks;
    int ntasks;
    struct plan_deadline *deadlines;
    int ndeadlines;
    char **warnings;       /* document-level warnings */
    int nwarnings;
    struct plan_target *targets;
    int ntargets;
    int nleft_out;         /* table rows neither a task nor a target the reader could complete: warned, not saved */
};

/* Parses len bytes of UTF-8 (NFC or NFD). NULL only when the input is not valid UTF-8; an empty or
 * task-less document gives a plan_doc with ntasks == 0 and a warning. */
struct plan_doc *plan_parse(const char *text, size_t len);
void plan_free(struct plan_doc *doc);

/* A deadline as plans write it in a table cell or a sentence: "15/9/2022", "trước ngày 15/9/2022",
 * "6/2025" (→ 2025-06-30), "Quý II/2025" (→ 2025-06-30), "2025" / "Năm 2025" (→ 2025-12-31),
 * "01/10/2024 – 10/10/2024" or "từ ngày 01-10/10/2022" (a window). "Thường xuyên", "Hằng năm",
 * "Hằng quý", "Quý I hằng năm" give a recurrence and no date. Returns false when nothing was understood. */
struct plan_when {
    bool has_due;
    struct ymd due;
    bool has_window;
    struct ymd from, to;
    const char *recurrence;   /* static string or NULL */
};
bool plan_parse_when(const char *text, struct plan_when *out);
#endif
