/* Reporting forms: the built-ins every campaign gets, reading a definition with its indicators, rules,
 * assignment and lock exceptions, checking and saving the centre's edits, and checking submitted values.
 * Must not know about HTTP. */
#ifndef DXDAY_STORE_FORM_H
#define DXDAY_STORE_FORM_H
#include "store/db.h"
#include "store/result.h"
#include "core/rperiod.h"

/* Creates the built-in forms (data/forms.json) of every campaign that lacks them; never edits existing ones. */
int store_forms_builtin(db *d);
/* [{id, code, title, kind, campaign_year, period_type, due, ...}] of a year (0: all years), plan before report. */
json_t *store_forms_list(db *d, int year);
/* The whole definition by id or code, or NULL. */
json_t *store_form_get(db *d, const char *id_or_code);
/* The form's period rules as the pure period module wants them; false when the definition is unusable. */
bool form_rform(json_t *form, struct rform *out);
/* Checks a definition (the shape store_form_get returns, ids ignored). NULL when it can be saved, else
 * {field: message}. */
json_t *store_form_check(db *d, json_t *def, int64_t id);
/* Checks (store_form_check) and saves a definition in one transaction, so the code stays unique: a new form when id
 * is 0; *out_id is the form's. Indicators are matched by code; one that already has values cannot be dropped. STORE_OK,
 * INVALID with per-field messages, CONFLICT (an indicator with values dropped), BUSY or ERROR: then nothing is written. */
enum store_status store_form_put(db *d, json_t *def, int64_t id, int64_t *out_id, struct store_result *res);
/* The same for a definition the caller has checked (the built-ins, the unit tests): the id, -2 when an indicator with
 * values would be dropped, or -1. */
int64_t store_form_save(db *d, json_t *def, int64_t id);

/* Checks values (object code → string or JSON scalar) against the form. Returns an object code → normalised
 * value (number, true/false, string; missing optional values absent) and fills errors {code: message} for
 * every bad field, including cross-field rules (keyed by their left code). `complete` demands required fields
 * (a submission); drafts may be partial. */
json_t *form_values_check(json_t *form, json_t *values, bool complete, json_t *errors);
/* The same for what a person typed (the report form, text in the JSON API): a lone dot not followed by three digits
 * ("1.5") is refused with how to write the number, where a spreadsheet's "1.5" is one and a half. */
json_t *form_values_check_typed(json_t *form, json_t *values, bool complete, json_t *errors);
#endif
