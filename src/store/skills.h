/* The digital-skills self-assessment in the store: the questionnaire (data/digcomp.json), anonymous responses,
 * the counts the yearly measurement is made of, and the courses recommended for an area. Must not know about HTTP,
 * and must never store anything that identifies a respondent (no account, no IP, no timestamp finer than a year). */
#ifndef DXDAY_STORE_SKILLS_H
#define DXDAY_STORE_SKILLS_H
#include "store/db.h"
#include "core/digcomp.h"

/* A closed list of answers to a respondent question: stable code and Vietnamese label. */
struct skills_choice { const char *code, *label; };
extern const struct skills_choice skills_ages[], skills_sexes[], skills_settings[], skills_roles[];  /* each ends with { 0 } */
/* The label of code in set, NULL when the code is not in it. */
const char *skills_choice_label(const struct skills_choice *set, const char *code);

/* The questionnaire: {"framework", "lead", "areas": [{"n", "name", "about", "competences": [{"id", "name",
 * "questions": [{"id", "text"}]}]}]}, as compiled in; NULL when the file is missing or broken. */
json_t *skills_questionnaire(void);
/* The area (1..5) of question id in q, 0 when there is no such question. */
int skills_question_area(json_t *q, const char *id);
/* Number of questions in q, per area (count[0] for area 1) and in all (returned). */
int skills_question_counts(json_t *q, int count[DIGCOMP_AREAS]);

struct skills_response {
    const char *nonce;        /* the form's one-time token: the same submission twice counts once */
    int year;                 /* of submission, Asia/Ho_Chi_Minh */
    int64_t province_id;      /* 0: not given */
    const char *age_band, *sex, *setting;   /* codes of the lists above; NULL: not given */
    struct digcomp_result score;
    const char *answers;      /* JSON object {"1.1a": 1, ...} */
    bool demo;
};
/* 1 when stored, 0 when the nonce was used before (nothing written), -1 on error. */
int store_skills_add(db *d, const struct skills_response *r);
/* The stored score of the response with this nonce: {year, levels: ["basic", ...], overall}; NULL when none. */
json_t *store_skills_get(db *d, const char *nonce);

/* Open courses whose DigComp area is area: [{slug, title, summary, audience, minutes}], by title. */
json_t *store_skills_courses(db *d, int area, const char *audience);
/* Provinces open today: [{id, code, name}] in alphabetical order. */
json_t *store_skills_provinces(db *d);

/* Counts for one year, in one province when province_id is not 0. by: NULL for the totals, or "province", "age",
 * "sex" or "setting" for one row per group. Each row: {key (the group's code, null for "not given"), label
 * (provinces only), n, ok (at least basic overall), areas: [at least basic in area 1..5], levels: [no_skills,
 * below_basic, basic, above_basic], demo}. Sex "khong-noi" counts as not given. NULL on an unknown by. */
json_t *store_skills_counts(db *d, int year, int64_t province_id, const char *by);
/* Years with at least one response, newest first: [2026, 2025]. */
json_t *store_skills_years(db *d);

/* Deterministic synthetic responses for the current year, marked demo, once. 0 or -1. */
int store_seed_demo_skills(db *d);
#endif
