/* Scoring of the digital-skills self-assessment (the yearly tables' suppression is core/suppress.c's).
 * Must stay pure: no I/O, no JSON, no SQL; the questionnaire's wording lives in data/digcomp.json. */
#include "core/digcomp.h"
#include "core/suppress.h"
#include <string.h>

/* The rule is the EU Digital Skills Indicator 2.0 (DSI 2.0, Eurostat isoc_sk_dskl_i21, from the 2021 ICT household
 * survey on; JRC technical report JRC130341, 2022), which counts self-reported activities of the last 3 months in
 * the five DigComp areas. Per area: no activity → no skills, one → basic; above basic takes more than one activity in
 * information and data literacy and in communication and collaboration, more than two in digital content creation,
 * safety and problem solving (as Statistics Netherlands, CBS, describes the DSI 2.0 it publishes).
 * Overall: above basic in all five areas → above basic; at least basic in all five → basic (the headline "at least
 * basic digital skills" is these two together: the EU's Digital Decade target, published by Eurostat as sdg_04_70).
 * Below that the DSI names four further levels (low, narrow, limited, no overall digital skills) by how many
 * areas reach basic; we keep the count itself (areas_at_least_basic) and show "below basic" for 1–4 areas and
 * "no skills" for none, so nothing here depends on the exact cut-offs between those lower DSI levels.
 * ITU's SDG 4.4.1 asks the same way (has the person done activity X in the last 3 months, yes or no), which is
 * why every question is a yes/no about a concrete activity rather than a self-rating. */
int digcomp_above_basic_from(int area) { return area <= 2 ? 2 : 3; }

enum digcomp_level digcomp_area_level(int area, int activities_done)
{
    if (activities_done <= 0) return DIGCOMP_NONE;
    return activities_done < digcomp_above_basic_from(area) ? DIGCOMP_BASIC : DIGCOMP_ABOVE_BASIC;
}

struct digcomp_result digcomp_score(const int done[DIGCOMP_AREAS])
{
    struct digcomp_result r = { .areas_at_least_basic = 0 };
    int above = 0;
    for (int i = 0; i < DIGCOMP_AREAS; i++) {
        r.area[i] = digcomp_area_level(i + 1, done[i]);
        if (r.area[i] >= DIGCOMP_BASIC) r.areas_at_least_basic++;
        if (r.area[i] == DIGCOMP_ABOVE_BASIC) above++;
    }
    if (above == DIGCOMP_AREAS) r.overall = DIGCOMP_OVERALL_ABOVE_BASIC;
    else if (r.areas_at_least_basic == DIGCOMP_AREAS) r.overall = DIGCOMP_OVERALL_BASIC;
    else if (r.areas_at_least_basic > 0) r.overall = DIGCOMP_BELOW_BASIC;
    else r.overall = DIGCOMP_NO_SKILLS;
    return r;
}

bool digcomp_at_least_basic(enum digcomp_overall o) { return o == DIGCOMP_OVERALL_BASIC || o == DIGCOMP_OVERALL_ABOVE_BASIC; }

static const char *const level_codes[] = { "none", "basic", "above_basic" };
static const char *const level_labels[] = { "Không có", "Cơ bản", "Trên cơ bản" };
static const char *const overall_codes[] = { "no_skills", "below_basic", "basic", "above_basic" };
static const char *const overall_labels[] = { "Chưa có kỹ năng số", "Dưới cơ bản", "Cơ bản", "Trên cơ bản" };

const char *digcomp_level_code(enum digcomp_level l) { return (unsigned)l < 3 ? level_codes[l] : NULL; }
const char *digcomp_level_label(enum digcomp_level l) { return (unsigned)l < 3 ? level_labels[l] : NULL; }
const char *digcomp_overall_code(enum digcomp_overall o) { return (unsigned)o < 4 ? overall_codes[o] : NULL; }
const char *digcomp_overall_label(enum digcomp_overall o) { return (unsigned)o < 4 ? overall_labels[o] : NULL; }

static int index_of(const char *const *list, int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (!strcmp(list[i], code)) return i;
    return -1;
}

int digcomp_level_from_code(const char *code) { return index_of(level_codes, 3, code); }
int digcomp_overall_from_code(const char *code) { return index_of(overall_codes, 4, code); }

size_t digcomp_suppress(const long *n, size_t count, long min, bool *hidden) { return suppress_cells(n, count, min, hidden); }
