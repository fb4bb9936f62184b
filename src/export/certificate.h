/* Course-completion certificates as one A4 landscape PDF page (Vietnamese, Noto fonts, a QR code to the public
 * verification page). Pure and thread-safe: no store, no files, no request; each call owns its fonts. */
#ifndef DXDAY_CERTIFICATE_H
#define DXDAY_CERTIFICATE_H
#include <stddef.h>

struct certificate {
    const char *code;          /* the verification code, shown as is */
    const char *learner_name;  /* UTF-8, NFC or NFD: printed in NFC */
    const char *course_title;
    const char *issued_at;     /* UTC ISO-8601; printed as the Vietnamese calendar date dd/mm/yyyy */
    const char *verify_url;    /* absolute address the QR code encodes and the page prints under it */
    const char *achievement;   /* the line above the title; NULL: "đã hoàn thành khóa học". Set, the heading names a training class */
};

/* Renders the certificate. Long names and titles wrap and then shrink; nothing leaves the page. Returns malloc'd
 * bytes (*len set; free() them), or NULL with a Vietnamese message in err. */
char *certificate_pdf(const struct certificate *c, size_t *len, char *err, size_t errlen);
#endif
