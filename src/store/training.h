/* Trainings for officials in SQL: classes with their sessions, trainers (approved experts) and materials; the people
 * units nominate, attendance per session, certificates of completion, and the figures reports and the dashboard read.
 * Must not know about HTTP nor decide who may write (web/ asks authz()); writes run inside the caller's transaction. */
#ifndef DXDAY_STORE_TRAINING_H
#define DXDAY_STORE_TRAINING_H
#include <stdbool.h>
#include "store/result.h"

/* The audiences a class is for, NULL-terminated, and their Vietnamese labels at the same index. */
extern const char *const training_audiences[], *const training_audience_labels[];
const char *training_audience_label(const char *code);
/* Nominee statuses and their labels. */
const char *training_status_label(const char *code);

struct training_session_in { const char *starts_at; const char *topic; };   /* 'YYYY-MM-DDTHH:MM' local */

struct training_in {
    const char *title, *audience, *place, *online_url, *description;
    int64_t org_id;
    const char *starts_on, *ends_on;           /* YYYY-MM-DD */
    int64_t capacity, min_sessions;
    const struct training_session_in *sessions;
    int nsessions;
    const int64_t *trainers;                   /* expert ids */
    int ntrainers;
    const char *const *courses;                /* MOOC course slugs */
    int ncourses;
};
/* A new class with its sessions, trainers and course materials; STORE_INVALID (field "trainers" or "courses") when
 * an expert is not an approved one or a course does not exist. */
enum store_status store_training_create(db *d, const struct training_in *in, int64_t by, const char *now, int64_t *id,
                                        struct store_result *res);
/* A file material already stored under sha (the caller saved it in the same transaction). */
enum store_status store_training_material_file(db *d, int64_t training_id, const char *title, const char *sha,
                                               const char *now, int64_t *id, struct store_result *res);
/* {title, file_sha256} of a file material of the class, or NULL. */
json_t *store_training_material_get(db *d, int64_t training_id, int64_t material_id);

/* Classes, the latest first: [{id, title, audience, org_id, org_code, org_name, starts_on, ends_on, place, online_url,
 * capacity, seats_taken, waiting, sessions}]. within: 0 or a unit whose subtree's classes are listed; upcoming: only
 * those not ended before today (YYYY-MM-DD). NULL on an engine error. */
json_t *store_trainings_find(db *d, int64_t within, const char *upcoming_from, int limit);

/* One class {…the list's fields, min_sessions, description, created_at, org_path, sessions: [{id, seq, starts_at,
 * topic, present}], trainers: [{id, name, title, organisation}], materials: [{id, kind, title, file_sha256,
 * course_slug, course_title}]}; STORE_NOT_FOUND when none. */
enum store_status store_training_get(db *d, int64_t id, json_t **out, struct store_result *res);
/* Its nominees [{id, user_id, name, org_id, org_code, org_name, status, attended, certificate}] by status, unit, name. */
json_t *store_training_nominees(db *d, int64_t id);
/* One session of the class {id, seq, starts_at, topic}, or NULL. */
json_t *store_training_session(db *d, int64_t training_id, int64_t session_id);
/* The session's attendance {nominee_id: present} for the confirmed nominees. */
json_t *store_training_attendance_of(db *d, int64_t session_id);

/* Approved experts for the trainer picker [{id, name, title, organisation}], by name; at most 500. */
json_t *store_training_experts(db *d);
/* The units where uid holds officer, coordinator or admin [{id, code, name}]: where a class may be organised or from
 * where people are nominated (their subtrees, which the caller checks with authz). */
json_t *store_training_my_units(db *d, int64_t uid);
/* The id of the account whose login is this e-mail (lower case) and its display name into name; 0 when none. */
int64_t store_training_account(db *d, const char *email, char name[256]);

struct nominee_in {
    int64_t user_id;      /* 0: a person without an account */
    const char *name;     /* NFC */
    int64_t org_id;
    bool waiting;         /* the nominating unit accepts the waiting list when the class is full */
};
/* A nomination. STORE_CONFLICT "full" when the class has no seat left and !waiting (the caller offers the waiting
 * list), or when the person is nominated already. *status gets 'nominated' or 'waiting'. */
enum store_status store_training_nominate(db *d, int64_t training_id, const struct nominee_in *in, int64_t by,
                                          const char *now, int64_t *id, const char **status, struct store_result *res);
/* Whether the person (an account, or a name and unit) is nominated to the class already, whatever the status. */
bool store_training_is_nominated(db *d, int64_t training_id, const struct nominee_in *in);
/* Seats taken (nominated + confirmed), the waiting list, and the capacity. */
void store_training_seats(db *d, int64_t training_id, int64_t *taken, int64_t *waiting, int64_t *capacity);
/* The organiser's decision: 'confirmed' or 'declined'. Confirming someone on the waiting list needs a free seat
 * (STORE_CONFLICT). STORE_NOT_FOUND when the class has no such nominee. */
enum store_status store_training_decide(db *d, int64_t training_id, int64_t nominee_id, const char *status,
                                        const char *now, struct store_result *res);
/* Attendance of one session for the confirmed nominees: present those listed, absent the others. STORE_INVALID
 * when a listed id is no confirmed nominee of the class. */
enum store_status store_training_attend(db *d, int64_t session_id, int64_t training_id, json_t *present, int64_t by,
                                        const char *now, int *count, struct store_result *res);
/* Certificates for the confirmed nominees who attended at least min_sessions sessions and hold none yet: the
 * [{nominee_id, name, code}] issued now into *issued. */
enum store_status store_training_certify(db *d, int64_t training_id, const char *now, json_t **issued,
                                         struct store_result *res);

/* The organiser's edit of a class not cancelled: title, audience, dates, place, link, capacity, threshold, description,
 * sessions and trainers (org and materials stay). Sessions that started by local_now must come back at the same time
 * (their topic may change), else STORE_CONFLICT (field "sessions"); new ones must be later (STORE_INVALID); a capacity
 * below the seats taken is STORE_CONFLICT (field "capacity"); a cancelled class STORE_CONFLICT. */
enum store_status store_training_update(db *d, int64_t id, const struct training_in *in, const char *local_now,
                                        struct store_result *res);
/* Cancels a class none of whose sessions has started by local_now (else STORE_CONFLICT), with the reason. */
enum store_status store_training_cancel(db *d, int64_t id, const char *reason, const char *now, const char *local_now,
                                        struct store_result *res);
/* A notice (kind 'changed' or 'cancelled') to each nominee not declined; *count gets how many. */
enum store_status store_training_notify(db *d, int64_t id, const char *kind, const char *message, const char *now, int *count,
                                        struct store_result *res);
/* The notices an account reads, newest first: those to it as a nominee and those to units within its subtrees (where
 * it is an officer, coordinator or admin) [{training_id, title, kind, message, created_at}]; NULL on an engine error. */
json_t *store_training_notices(db *d, int64_t uid, int limit);

/* What reports and the dashboard read for a unit's subtree (classes it and the units under it organised) between
 * from and to (YYYY-MM-DD): {classes: classes with a session held in the span, people: distinct confirmed nominees
 * present at one of those sessions at least, from, to}. NULL for an unknown unit or an engine error. */
json_t *store_training_report(db *d, int64_t org_id, const char *from, const char *to);
#endif
