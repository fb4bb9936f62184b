/* Campaigns: one per year with its theme and key dates. Must not know about HTTP. */
#ifndef DXDAY_STORE_CAMPAIGN_H
#define DXDAY_STORE_CAMPAIGN_H
#include "store/db.h"

/* Adds campaigns from data/campaigns.tsv that the store lacks, and one for the current year if missing.
 * Never overwrites a campaign the centre edited. 0 or -1. */
int store_campaigns_load(db *d);
/* [{year, theme, day}] newest first. */
json_t *store_campaigns_list(db *d);
/* {year, theme, day, dates: [{date, label}]} or NULL. */
json_t *store_campaign_get(db *d, int year);
/* Replaces theme and key dates of a year (creating it), in one transaction. dates: [{date, label}]. */
int store_campaign_save(db *d, int year, const char *theme, json_t *dates);
#endif
