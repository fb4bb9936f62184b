/* Vietnamese labels for task buckets and statuses. Must not query the store. */
#ifndef DXDAY_LABELS_H
#define DXDAY_LABELS_H
#include <jansson.h>

extern const char *const task_buckets[], *const task_bucket_labels[], *const task_statuses[], *const task_status_labels[];
extern const char *const org_kinds[], *const org_kind_labels[];
/* "Tỉnh, thành phố" for "province"; NULL for an unknown kind. */
const char *org_kind_label(const char *kind);
int label_index(const char *const *list, const char *v);
/* Adds bucket_label and status_label to each task and turns stored warnings into a list. */
void task_labels(json_t *items);
#endif
