/* Internals shared by src/core/plan_*.c: folded view, tokens, unit lists, date scanner, outline, task assembly.
 * Not an API: nothing outside src/core/plan_*.c may include it; it declares no state. */
#ifndef DXDAY_PLAN_INTERNAL_H
#define DXDAY_PLAN_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"

/* ---- folded view (plan_fold.c) ----
 * One byte per kept code point of the NFC text: ASCII letters keep their case, Vietnamese letters lose their
 * marks (ộ → o, Đ → D), every run of spaces becomes one ' ', typographic quotes/dashes become ASCII, markdown
 * emphasis and zero-width characters are dropped. off[] maps each folded byte back to its code point, so a match
 * found in the cheap ASCII view can be cut out of the original text exactly. */
struct fview {
    const char *text;  /* NFC UTF-8, not owned */
    size_t tlen;
    char *f;           /* folded bytes, NUL at f[n]; '\n' separates lines */
    uint32_t *off;     /* off[i] = byte offset in text of the code point folded to f[i]; off[n] == tlen */
    size_t n;
    unsigned char *memo; /* optional cache of fold results for code points < 0x2000 (0 = not yet known) */
    void *lex;           /* optional index of the phrase tables by first letter (pp_units_index), owned here */
};

bool pp_fv_build(struct fview *v, const char *text, size_t len);
void pp_fv_free(struct fview *v);
int pp_fv_fold_cp(int32_t cp, unsigned char *memo);
int32_t pp_fv_cp(const struct fview *v, size_t i);
/* Original text of folded range [a,b): spaces normalised, trimmed; never NULL (aborts on no memory). */
char *pp_fv_extract(const struct fview *v, size_t a, size_t b);
/* True when the original code points from folded index i spell pat (NFC) as a whole word or phrase; a ' ' in pat
 * matches one folded space. ci: the first letter may differ in case ("Chủ trì" for "chủ trì"). */
bool pp_fv_word(const struct fview *v, size_t i, const char *pat, bool ci, size_t *end);
/* True when the folded text at i spells the lower-case ASCII key, ignoring case, as a whole word or phrase. */
bool pp_fv_key(const struct fview *v, size_t i, const char *key, size_t *end);
static inline bool fv_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool fv_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline bool fv_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline bool fv_digit(char c) { return c >= '0' && c <= '9'; }
static inline char fv_tolower(char c) { return fv_upper(c) ? (char)(c + 32) : c; }

/* ---- tokens: words (runs of letters and digits) and single punctuation characters ---- */
struct tok {
    uint32_t s, e; /* folded range */
    char c;        /* 0 for a word, else the punctuation character */
};
struct toks {
    struct tok *t;
    size_t n, cap;
};
void pp_toks_scan(struct toks *ts, const struct fview *v, size_t s, size_t e);
void pp_toks_free(struct toks *ts);
/* Index of the first token starting at or after folded index i (ts->n when none). */
size_t pp_toks_at(const struct toks *ts, size_t from, size_t i);

/* ---- growable string list; every element malloc'd ---- */
struct slist {
    char **v;
    int n, cap;
};
void pp_sl_push(struct slist *l, char *s); /* takes ownership */
void pp_sl_free(struct slist *l);
bool pp_sl_has(const struct slist *l, const char *s);
void *pp_xmalloc(size_t n);
void *pp_xrealloc(void *p, size_t n);
char *pp_xstrdup(const char *s);
char *pp_xstrndup(const char *s, size_t n);

/* ---- unit names (plan_units.c) ---- */
enum ul_mode { UL_PROSE, UL_FIELD, UL_HEADING };
#define UNITS_MAX 64 /* names kept per list */
/* Reads a list of unit names from token k0; returns the token index where it stopped. *why tells what stopped it:
 * 0 end of range, 1 a verb or preposition (the predicate), 2 sentence punctuation. */
size_t pp_units_parse(const struct fview *v, const struct toks *ts, size_t k0, size_t kend, enum ul_mode mode,
                   struct slist *out, int *why);
/* Does token k begin a unit name? strict: "các" must be followed by a unit noun ("các sở", not "các hoạt động"). */
bool pp_units_starter(const struct fview *v, const struct toks *ts, size_t k, bool strict);
/* Is token k a verb or preposition that ends a unit name in prose? *kafter: the token after the phrase. */
bool pp_units_stop(const struct fview *v, const struct toks *ts, size_t k, size_t *kafter);
/* Indexes the phrase tables by folded first letter into v->lex, so each word is tried against ~10 phrases instead of
 * ~250. Optional: without it the tables are scanned whole. */
void pp_units_index(struct fview *v);
/* Cleans one extracted name: drops lower-case notes in parentheses and stray punctuation; NULL when nothing is
 * left. Takes ownership of s. */
char *pp_units_clean(char *s);

/* ---- dates (plan_when.c) ---- */
struct when_hit {
    bool has_due, has_win, bad;
    struct ymd due, from, to;
    const char *rec;          /* static recurrence name or NULL */
    size_t bad_s, bad_e;      /* folded range of a date-like text that is not a calendar date */
};
/* Scans folded range [s,e). strict (prose): bare dates need a cue (trước ngày, hoàn thành, vào ngày …) and no
 * recurrence is read; lenient (a field or a table cell): every form counts. year: for dates written without one. */
void pp_when_scan(const struct fview *v, size_t s, size_t e, bool strict, int year, struct when_hit *h);

/* ---- prose (plan_prose.c) ---- */
enum { LEAD_ALLOW_DO = 1 }; /* also read "do X chủ trì" (in numbered items, not in news prose) */
/* Lead unit(s) of a sentence run: "X chủ trì", "giao X", "đề nghị X", "do X chủ trì" (when allowed). */
bool pp_prose_lead(const struct fview *v, size_t s, size_t e, int flags, struct slist *out);
/* Partners: "phối hợp với X", "cùng với X", "X chủ trì, Y phối hợp". */
void pp_prose_partners(const struct fview *v, size_t s, size_t e, struct slist *out);
/* Does the range open with a verb that continues the previous paragraph's assignment ("Phối hợp với …")? */
bool pp_prose_continues(const struct fview *v, size_t s, size_t e);
/* Report deadlines ("báo cáo … gửi X trước ngày …") in [s,e), appended to the doc. */
struct plan_doc;
void pp_prose_deadlines(const struct fview *v, size_t s, size_t e, int year, struct plan_doc *doc);

/* ---- structure (plan_struct.c, plan_table.c) ---- */
enum item_kind { IK_ROOT, IK_ARTICLE, IK_ROMAN, IK_ROMAN_SUB, IK_ARABIC, IK_LETTER, IK_PAREN, IK_DASH, IK_PLUS,
                 IK_TGROUP, IK_TROW, IK_PROSE };
enum field_kind { FK_LEAD = 1, FK_PARTNER, FK_DUE, FK_DELIV, FK_TITLE, FK_REF, FK_OTHER };

struct pfield {
    int item;
    int kind;
    uint32_t s, e;   /* folded range of the value */
    bool cont;       /* continuation line of the previous field */
};

struct pitem {
    int kind, rank, parent;
    int nchild;          /* items directly below */
    char num[24];        /* printed number: "II", "II.1", "1.2", "a", "đ"; "" for bullets */
    int seq;             /* index among the parent's children of the same kind, 1-based */
    uint32_t ts, te;     /* folded range of the title (the marker line after its marker) */
    int line0, line1;    /* own lines [line0, line1): the marker line and paragraphs before the first child */
    uint32_t src_s, src_e; /* folded range covered by the item and its children */
    bool excluded;       /* purpose/requirements/funding … section, or a recipients list */
    bool article;        /* inside "Điều N." of a decision */
    char *warn;          /* numbering warning, or NULL */
};

struct pline {
    uint32_t s, e;  /* folded range, trimmed */
    int item;       /* owning item */
    int kind;       /* LK_* */
};
enum { LK_BLANK, LK_TEXT, LK_MARK, LK_FIELD, LK_TABLE, LK_CAPS, LK_SKIP };

struct pstruct {
    struct pitem *it;
    int nit, capit;
    struct pline *ln;
    int nln;
    struct pfield *fd;
    int nfd, capfd;
    int first_mark_line; /* first line with a section/item marker, or nln */
    int ttab[32][2];     /* targets tables: [first line, end line) each, for plan_targets.c */
    int nttab;
};

void pp_pstruct_build(const struct fview *v, struct pstruct *ps);
void pp_pstruct_free(struct pstruct *ps);
int pp_pstruct_add_item(struct pstruct *ps, int kind, int rank, int parent);
void pp_pstruct_add_field(struct pstruct *ps, int item, int kind, uint32_t s, uint32_t e, bool cont);
/* Pipe table starting at line l0; returns the first line after it. */
int pp_ptable_read(const struct fview *v, struct pstruct *ps, int l0, int parent);
/* Field kind of a label ("Đơn vị chủ trì", "Thời gian hoàn thành" …) given as a folded range, or 0. */
int pp_field_label_kind(const struct fview *v, size_t s, size_t e);
/* Excluded section title? (Mục đích, Yêu cầu, Kinh phí …) */
bool pp_title_excluded(const struct fview *v, size_t s, size_t e);

/* ---- targets (plan_targets.c) ----
 * A header row naming an indicator column ("Chỉ tiêu", "Tiêu chí") and no task column: a targets table. */
bool pp_targets_header(const struct fview *v, size_t s, size_t e);
/* Splits one pipe-table row into trimmed cells (folded ranges); returns how many (at most max). */
int pp_table_cells(const struct fview *v, size_t s, size_t e, uint32_t (*cells)[2], int max);
/* Targets from the targets tables the outline recorded and from target sentences outside tasks. year: the plan's. */
void pp_targets_collect(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc, int year);

/* ---- head of the document (plan_header.c) and tasks (plan_tasks.c) ---- */
void pp_header_parse(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc);
/* Appends the tasks found to doc; articles: also read tasks inside "Điều N." (decisions without a plan). */
void pp_tasks_collect(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc, int year, bool articles);
void pp_add_warning(char ***arr, int *n, const char *msg);
#endif
