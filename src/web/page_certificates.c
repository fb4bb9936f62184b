/* Placeholder route table for the certificates pages (issue 6); filled in by the file's owner.
 * Must not hold anything but routes of its own area. */
#include "web/http.h"

const struct route page_certificates_routes[] = {
    { 0 },
};
