/* What the campaign pages share (page_dtd_campaigns.c, page_dtd_public.c): a campaign's state and its charts.
 * Private to src/web/page_dtd_*.c; must not reach the store. */
#ifndef DXDAY_WEB_DTD_H
#define DXDAY_WEB_DTD_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* Sets state (upcoming, open, closed) and state_label on a campaign by today's date. */
void dtd_mark_state(json_t *c);
/* {by_day, by_service, map (the nation's page only)} as SVG; link: the map's tiles drill down to the live page. */
json_t *dtd_charts(json_t *c, json_t *live, bool link);
/* The campaign's figures for node (staff: with the most active units and the idle teams), kept until the next write. */
json_t *dtd_figures(struct req *r, json_t *c, int64_t node, bool staff);
#endif
