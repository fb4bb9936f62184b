/* Demo responses to the self-assessment for `seed-demo`: a few thousand synthetic, deterministic rows for the
 * current year, marked demo, varied by province, age and urban/rural so the map and the gaps show something, with
 * two provinces under the publication threshold. Must never run unasked: only seed-demo calls it. */
#include "store/skills.h"
#include "core/date.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Respondents per province (default 80) and how far the province's people are ahead (+) or behind (−). */
struct prov_shape { const char *code; int n; double urban, skill; };
static const struct prov_shape shapes[] = {
    { "ha-noi", 260, 0.75, 0.9 }, { "ho-chi-minh-2025", 300, 0.8, 1.0 }, { "da-nang-2025", 120, 0.7, 0.8 },
    { "hai-phong-2025", 130, 0.6, 0.5 }, { "can-tho-2025", 100, 0.55, 0.3 }, { "hue", 90, 0.5, 0.4 },
    { "bac-ninh-2025", 110, 0.5, 0.5 }, { "quang-ninh", 90, 0.6, 0.5 }, { "khanh-hoa-2025", 90, 0.5, 0.3 },
    { "dong-nai-2025", 120, 0.45, 0.3 }, { "nghe-an", 140, 0.2, -0.1 }, { "thanh-hoa", 140, 0.2, -0.1 },
    { "dien-bien", 45, 0.15, -0.9 }, { "son-la", 50, 0.15, -0.8 }, { "lao-cai-2025", 60, 0.2, -0.6 },
    { "tuyen-quang-2025", 60, 0.2, -0.6 }, { "lang-son", 45, 0.2, -0.6 }, { "gia-lai-2025", 70, 0.25, -0.5 },
    { "dak-lak-2025", 80, 0.3, -0.4 }, { "ca-mau-2025", 60, 0.25, -0.4 },
    /* Under the threshold of 10: the measurement shows "—" for them (and hides one more cell so they can not be
     * recovered by subtraction). */
    { "lai-chau", 6, 0.15, -1.0 }, { "cao-bang", 4, 0.15, -0.9 },
    { 0 },
};

/* How much harder a question is than an everyday one (0); unknown ids are of average difficulty. */
struct q_shape { const char *id; double hard; };
static const struct q_shape hardness[] = {
    { "1.1a", -1.6 }, { "1.1b", -1.0 }, { "2.1a", -2.2 }, { "2.2a", -1.2 }, { "4.1a", -1.8 }, { "5.2b", -0.8 },
    { "2.1b", 0.4 }, { "2.3a", 0.0 }, { "2.3b", 1.3 }, { "2.6a", 0.9 }, { "3.1a", 0.3 }, { "3.1b", 0.2 },
    { "3.2a", 1.2 }, { "3.3a", 1.6 }, { "3.4a", 2.8 }, { "4.2b", 0.6 }, { "4.3a", 1.0 }, { "4.4a", 1.4 },
    { "5.1b", 0.4 }, { "5.3a", 1.2 }, { "5.4a", 0.5 }, { 0 },
};

/* splitmix64: the same demo every time. */
static double rnd(unsigned long long *st)
{
    unsigned long long z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static int pick(unsigned long long *st, const double *weights, int n)
{
    double r = rnd(st), acc = 0;
    for (int i = 0; i < n; i++) if (r < (acc += weights[i])) return i;
    return n - 1;
}

static const struct prov_shape *shape_of(const char *code)
{
    for (const struct prov_shape *p = shapes; p->code; p++) if (!strcmp(p->code, code)) return p;
    return NULL;
}

static double hardness_of(const char *id)
{
    for (const struct q_shape *q = hardness; q->id; q++) if (!strcmp(q->id, id)) return q->hard;
    return 0.2;
}

/* Flat list of the questionnaire's questions: id, area, difficulty. */
struct q_flat { const char *id; int area; double hard; };

static int flatten(json_t *q, struct q_flat *out, int max)
{
    int n = 0;
    size_t i, j, k;
    json_t *a, *c, *qu;
    json_array_foreach(json_object_get(q, "areas"), i, a)
        json_array_foreach(json_object_get(a, "competences"), j, c)
            json_array_foreach(json_object_get(c, "questions"), k, qu) {
                if (n == max) return n;
                const char *id = json_string_value(json_object_get(qu, "id"));
                out[n++] = (struct q_flat){ id, (int)i, hardness_of(id) };
            }
    return n;
}

static int add_one(db *d, unsigned long long *st, int year, int seq, int64_t province, const struct prov_shape *sh,
                   const struct q_flat *qs, int nq)
{
    static const double age_w[] = { 0.2, 0.22, 0.2, 0.16, 0.13, 0.07, 0.02 };           /* last: not given */
    static const double age_skill[] = { 1.2, 1.0, 0.5, -0.1, -0.7, -1.4, 0 };
    static const double sex_w[] = { 0.48, 0.485, 0.005, 0.03 };
    double urban = sh ? sh->urban : 0.35, skill = sh ? sh->skill : 0;
    int age = pick(st, age_w, 7), sex = pick(st, sex_w, 4);
    double u = rnd(st);
    const char *setting = u < 0.02 ? NULL : u < 0.02 + 0.98 * urban ? "thanh-thi" : "nong-thon";
    double ability = -1.5 + skill + age_skill[age] + (setting && !strcmp(setting, "thanh-thi") ? 0.6 : -0.2)
                     + (sex == 1 ? -0.15 : 0) + (rnd(st) + rnd(st) + rnd(st) - 1.5) * 2.2;
    int done[DIGCOMP_AREAS] = { 0 };
    char answers[1024];
    size_t len = 0;
    answers[len++] = '{';
    for (int i = 0; i < nq; i++) {
        int yes = rnd(st) < 1 / (1 + exp(qs[i].hard - ability));
        done[qs[i].area] += yes;
        len += (size_t)snprintf(answers + len, sizeof answers - len, "%s\"%s\":%d", i ? "," : "", qs[i].id, yes);
        if (len >= sizeof answers - 2) return -1;
    }
    answers[len++] = '}';
    answers[len] = 0;
    char nonce[40];
    snprintf(nonce, sizeof nonce, "demo-%d-%05d", year, seq);
    struct skills_response r = { nonce, year, province, age < 6 ? skills_ages[age].code : NULL, skills_sexes[sex].code, setting,
                                 digcomp_score(done), answers, true };
    return store_skills_add(d, &r) < 0 ? -1 : 0;
}

int store_seed_demo_skills(db *d)
{
    int year = date_today().y;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM skill_response WHERE demo = 1 AND year = ?");
    db_bind_int(s, 1, year);
    if (db_scalar_int(s, 0) > 0) return 0;
    json_t *q = skills_questionnaire(), *provs = store_skills_provinces(d);
    struct q_flat qs[64];
    int nq = q ? flatten(q, qs, 64) : 0, seq = 0, rc = nq ? 0 : -1;
    unsigned long long st = 20221010;
    db_begin(d);
    size_t i;
    json_t *p;
    json_array_foreach(provs, i, p) {
        const struct prov_shape *sh = shape_of(json_string_value(json_object_get(p, "code")));
        int n = sh ? sh->n : 70 + (int)(rnd(&st) * 40);
        for (int k = 0; k < n && !rc; k++) rc = add_one(d, &st, year, ++seq, json_integer_value(json_object_get(p, "id")), sh, qs, nq);
    }
    /* A few people who would not say where they live. */
    for (int k = 0; k < 60 && !rc; k++) rc = add_one(d, &st, year, ++seq, 0, NULL, qs, nq);
    if (rc) {
        fprintf(stderr, "seed-demo: skills: %s\n", db_errmsg(d));
        db_rollback(d);
    } else {
        rc = db_commit(d);
    }
    json_decref(provs);
    json_decref(q);
    return rc;
}
