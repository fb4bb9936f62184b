/* HTML templates: a Mustache subset over jansson values that escapes by default.
 * {{x}} escaped, {{{x}}} raw (only for HTML we produced), {{#x}}…{{/x}} section/loop, {{^x}}…{{/x}} inverted,
 * {{>name}} partial, {{!…}} comment, dotted names, {{.}}, and filters {{x|date}} (ISO → dd/mm/yyyy),
 * {{x|num}} (1.234.567), {{x|pct}} (0.875 → 87,5 %), {{x|datetime}} (UTC ISO → dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh),
 * {{x|url}} (percent-encoded for a URL's query or path component: every value of free text inside an href).
 * Templates are compiled once at startup and read-only afterwards. Must not fail at request time for what loading
 * could tell: a syntax error, an unknown filter or a missing partial refuses the whole set. */
#ifndef DXDAY_TMPL_H
#define DXDAY_TMPL_H
#include <jansson.h>
#include "core/buf.h"

struct tmpl_set;
/* Compiles every embedded templates/NAME.html; NULL, with the template and line on stderr, on a syntax error, an
 * unknown filter (or a filter on a section or partial) and a {{>partial}} that names no template of the set. */
struct tmpl_set *tmpl_load(void);
/* Compiles templates from (name, source) pairs ending with a NULL name, refusing what tmpl_load refuses; for tests. */
struct tmpl_set *tmpl_load_sources(const char *const *pairs);
void tmpl_free(struct tmpl_set *set);
/* Renders template `name` ("home", "orgs/index") with ctx into out; -1 when there is no such template, or when the
 * render runs past its budget (8M nodes or 64 MB: a partial or loop multiplying without bound), out then unchanged. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out);
#endif
