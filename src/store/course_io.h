/* A course folder (see store/course.h) moved in and out of the store as a .zip or a directory, and the editor's
 * in-memory copy of one course. Must not validate course content itself: store_course_import is the one judge. */
#ifndef DXDAY_STORE_COURSE_IO_H
#define DXDAY_STORE_COURSE_IO_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "store/course.h"
#include "store/db.h"

/* Files owned by the set (names and bytes malloc'd), ready for store_course_import. */
struct course_files {
    struct course_file *v;
    size_t n, cap;
};
void course_files_add(struct course_files *f, const char *name, const void *data, size_t len);
void course_files_free(struct course_files *f);
/* The export's {"files": [{"name", "text"}]} as a file set, each name prefixed with "<folder>/" when folder. */
void course_files_from_export(struct course_files *f, json_t *exported, const char *folder);

/* Reads an uploaded zip of one course folder: flat, either at the root or inside one folder. Refuses (-1, err
 * naming the entry) path traversal, absolute names, nested folders, duplicates, symlinks, encrypted entries, more
 * than a few hundred entries and more inflated bytes than a course can hold, counted as inflated, not as declared.
 * Mac archivers' __MACOSX/ and .DS_Store entries are skipped. Names come out as "<folder>/<file>" or "<file>". */
int course_io_unzip(const unsigned char *zip, size_t len, struct course_files *out, char *err, size_t errlen);

/* A zip of the course as the folder "<slug>/…" (malloc'd, *len set), or NULL when there is no such course. */
unsigned char *course_io_zip(db *d, const char *slug, size_t *len, char *err, size_t errlen);

/* The slug course.json declares (malloc'd), or NULL when course.json is missing or unreadable. */
char *course_io_slug(const struct course_files *f);
/* Gives the course a new slug: course.json's "slug" is rewritten and folder prefixes are dropped. -1 when
 * course.json is missing or not a JSON object (err set); the new slug itself is checked by the import. */
int course_io_set_slug(struct course_files *f, const char *slug, char *err, size_t errlen);

/* The command line's folder export and import. Export writes DIR/ when DIR's last component is the slug, else
 * DIR/SLUG/ (so the folder name always matches), and sets where to the folder written. Import reads the regular
 * files of DIR (subfolders refused), named under DIR's last component so the slug must match it. 0 or -1 + err. */
int course_io_export_dir(db *d, const char *slug, const char *dir, char *where, size_t wherelen, char *err,
                         size_t errlen);
int course_io_import_dir(db *d, const char *dir, bool replace, char *err, size_t errlen);

/* The editor's copy of a course: {"course": course.json as an object, "md": {lesson slug: markdown},
 * "quiz": {quiz slug: {"questions": […]}}}, or NULL when there is no such course. */
json_t *course_doc_load(db *d, const char *slug);
/* Writes a course_doc through store_course_import (replace=true for an existing course, false to create one), file
 * names made afresh from the order of lessons and quizzes in course.json. 0, or -1 with the import's message
 * ("file: problem") in err. */
int course_doc_save(db *d, json_t *doc, bool replace, char *err, size_t errlen);
#endif
