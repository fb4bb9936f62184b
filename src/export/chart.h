/* Server-rendered SVG charts (bars, a 34-province tile map, a ring gauge) for pages and for PDFs via librsvg.
 * Pure: JSON in, malloc'd SVG out; no store, no web, no CSS or scripts in the output. */
#ifndef DXDAY_CHART_H
#define DXDAY_CHART_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Fill of a tile with no data; exposed so pages can draw a matching legend in HTML. */
#define CHART_NODATA_FILL "#ededed"

/* Horizontal bar chart. items: [{"label": "Nghệ An", "value": 12.5, "href": "/..." (optional)}]; title is the
 * accessible name; unit (may be NULL) is appended to value labels ("người"). When as_rate is true values are 0..1,
 * drawn on a 0–100 % axis and labelled like "87,5 %". Returns malloc'd SVG, never NULL. */
char *chart_bars(json_t *items, const char *title, const char *unit, bool as_rate);
/* Tile map of Viet Nam's 34 provinces (since 1/7/2025). rates: object keyed by province code →
 * {"name": "Nghệ An", "rate": 0.83 or null, "href": optional}. Each province is one square tile placed on a
 * fixed grid that roughly follows geography (north at top, Hà Nội / Hải Phòng / Quảng Ninh in the Red River
 * area, the long central strip, the Mekong delta at the bottom). Tiles coloured on a 5-step sequential scale by
 * rate (<20 %, <40, <60, <80, ≥80 %), grey with a hatch-free light fill for null (no data); each tile shows a 2–3
 * letter abbreviation and carries <title>Name: 83 %</title>; wrapped in <a href> when href is given. A legend
 * below. Codes not on the grid are ignored. */
char *chart_tile_map(json_t *rates, const char *title);
/* A ring gauge for one rate (0..1) with the percentage in the middle and label beneath. */
char *chart_gauge(double rate, const char *label);
/* Formats n the Vietnamese way: thousands with '.', decimals with ',' (1.234.567; 12,5); at most `decimals`
 * decimals, trailing zeros dropped. */
void chart_format_number(double n, int decimals, char *out, size_t outlen);

/* A rate 0..1 as a percentage with at most one decimal: 0.875 → "87,5 %". NaN/inf give "–". */
void chart_format_rate(double rate, char *out, size_t outlen);
/* The tile map's provinces in grid order: code, name and 0-based grid cell. i runs 0..chart_province_count()-1;
 * returns false past the end. Lets callers check codes without rendering. */
size_t chart_province_count(void);
bool chart_province(size_t i, const char **code, const char **name, int *col, int *row);
#endif
