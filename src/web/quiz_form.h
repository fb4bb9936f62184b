/* The HTML quiz form's fields read back as typed answers: one reader for the MOOC's quizzes (page_mooc_courses.c) and
 * the knowledge contests' rounds (page_quiz_contest.c). Must not score or validate: the store does (store/learning.h). */
#ifndef DXDAY_WEB_QUIZ_FORM_H
#define DXDAY_WEB_QUIZ_FORM_H
#include "http/http.h"

/* The form's fields (q3 = "1", q4_0 = "on", q5 = "true", q6 = "text") of questions [{seq, kind, options}] as typed
 * answers {"3": 1, "4": [0], "5": true, "6": "text"}; an unanswered question is absent (a multiple choice: []). */
json_t *quiz_form_answers(struct req *r, json_t *questions);
#endif
