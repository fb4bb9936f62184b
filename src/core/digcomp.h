/* Scoring of the digital-skills self-assessment (DigComp 2.2, counted the way the EU Digital Skills Indicator 2.0
 * counts activities); the yearly figures' small-cell suppression is core/suppress.h. Pure: no I/O, no JSON, no SQL. */
#ifndef DXDAY_DIGCOMP_H
#define DXDAY_DIGCOMP_H
#include <stdbool.h>
#include <stddef.h>

#define DIGCOMP_AREAS 5
/* Cells (groups of respondents) smaller than this are never published. */
#define DIGCOMP_MIN_CELL 10

/* The level in one competence area. */
enum digcomp_level { DIGCOMP_NONE = 0, DIGCOMP_BASIC = 1, DIGCOMP_ABOVE_BASIC = 2 };

/* The overall level. BELOW_BASIC: at least basic in 1–4 areas; NO_SKILLS: in none. */
enum digcomp_overall { DIGCOMP_NO_SKILLS = 0, DIGCOMP_BELOW_BASIC = 1, DIGCOMP_OVERALL_BASIC = 2, DIGCOMP_OVERALL_ABOVE_BASIC = 3 };

struct digcomp_result {
    enum digcomp_level area[DIGCOMP_AREAS];
    int areas_at_least_basic;      /* 0..5 */
    enum digcomp_overall overall;
};

/* How many activities make "above basic" in area 1–5: 2 in information and data literacy and in communication and
 * collaboration, 3 in digital content creation, safety and problem solving (basic is 1 everywhere). */
int digcomp_above_basic_from(int area);
/* The level of area 1–5 from the number of its activities done in the last 3 months (negative counts as 0). */
enum digcomp_level digcomp_area_level(int area, int activities_done);
/* Scores one respondent: done[i] activities done in area i+1. */
struct digcomp_result digcomp_score(const int done[DIGCOMP_AREAS]);
/* True for basic and above basic overall: the headline indicator ("at least basic digital skills"). */
bool digcomp_at_least_basic(enum digcomp_overall o);

/* Stable codes (stored and in JSON) and Vietnamese labels. Out-of-range values give NULL. */
const char *digcomp_level_code(enum digcomp_level l);      /* none, basic, above_basic */
const char *digcomp_level_label(enum digcomp_level l);     /* Không có, Cơ bản, Trên cơ bản */
const char *digcomp_overall_code(enum digcomp_overall o);  /* no_skills, below_basic, basic, above_basic */
const char *digcomp_overall_label(enum digcomp_overall o);
/* The inverse of the code functions; -1 for an unknown code. */
int digcomp_level_from_code(const char *code);
int digcomp_overall_from_code(const char *code);

/* suppress_cells (core/suppress.h) under the name the measurement's first tests know. */
size_t digcomp_suppress(const long *n, size_t count, long min, bool *hidden);
#endif
