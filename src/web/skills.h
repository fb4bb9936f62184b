/* What the self-assessment pages share: the yearly measurement as one JSON context (figures, suppression, gaps,
 * charts) and the handlers of its page, spreadsheet and PDF. Private to src/web/page_skills*.c and skills_*.c. */
#ifndef DXDAY_WEB_SKILLS_H
#define DXDAY_WEB_SKILLS_H
#include "http/app.h"

/* The measurement of one year, nationwide (province NULL) or in one province ({id, code, name}). Every cell with
 * fewer than DIGCOMP_MIN_CELL respondents, and its complement, is already hidden. Keys starting with '_' hold
 * display strings and SVG for the page; they never reach JSON. */
json_t *skills_measure(db *d, int year, json_t *province);

/* GET /ky-nang-so, its spreadsheet and its PDF annual report. */
int skills_measure_page(struct req *r);
int skills_measure_xlsx(struct req *r);
int skills_measure_pdf(struct req *r);
#endif
