/* Placeholder route table for the course_editor pages (issue 6); filled in by the file's owner.
 * Must not hold anything but routes of its own area. */
#include "web/http.h"

const struct route page_course_editor_routes[] = {
    { 0 },
};
