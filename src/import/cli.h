/* Command-line entry points of the importer. Must not parse argv: main.c does. */
#ifndef DXDAY_IMPORT_CLI_H
#define DXDAY_IMPORT_CLI_H
#include <stdbool.h>
#include <stdint.h>
#include "store/db.h"

/* Prints the plan's JSON (save = false) or saves it; returns the process exit code. */
int cli_import_plan(db *d, const char *path, bool save, int64_t parent_id);
/* Imports the demo plans (the .md files of data/demo, compiled in) when the store has no plan yet, and records a little
 * progress so every bucket shows. 0 or -1. */
int seed_demo_plans(db *d);
#endif
