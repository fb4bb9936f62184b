/* Vietnamese labels for task buckets, statuses and kinds of unit, shared by every page that lists tasks. Pure mapping.
 * Must not query the store or know about requests. */
#include "web/labels.h"
#include <string.h>

const char *const task_buckets[] = { "done_on_time", "done_late", "not_due", "overdue", NULL };
const char *const task_bucket_labels[] = { "Hoàn thành đúng hạn", "Hoàn thành muộn", "Chưa đến hạn", "Quá hạn", NULL };
const char *const task_statuses[] = { "not_started", "in_progress", "done", NULL };
const char *const task_status_labels[] = { "Chưa thực hiện", "Đang thực hiện", "Đã hoàn thành", NULL };

const char *const org_kinds[] = { "province", "ministry", "agency", "department", "district", "commune", "youth_union",
                                  "association", "enterprise", "press", "government", "party", "nation", "other", NULL };
const char *const org_kind_labels[] = { "Tỉnh, thành phố", "Bộ, cơ quan ngang bộ", "Cục, Vụ, đơn vị thuộc Bộ",
                                        "Sở, ban, ngành địa phương", "Quận, huyện (đến 30/6/2025)", "Xã, phường", "Đoàn Thanh niên",
                                        "Hội, hiệp hội", "Doanh nghiệp", "Báo chí, truyền hình", "Chính phủ", "Cơ quan Đảng",
                                        "Cả nước", "Khác", NULL };

const char *org_kind_label(const char *k)
{
    int i = label_index(org_kinds, k);
    return i < 0 ? NULL : org_kind_labels[i];
}

int label_index(const char *const *list, const char *v)
{
    for (int i = 0; v && list[i]; i++)
        if (!strcmp(list[i], v)) return i;
    return -1;
}

void task_labels(json_t *items)
{
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t) {
        int b = label_index(task_buckets, json_string_value(json_object_get(t, "bucket")));
        int s = label_index(task_statuses, json_string_value(json_object_get(t, "status")));
        if (b >= 0) json_object_set_new(t, "bucket_label", json_string(task_bucket_labels[b]));
        if (s >= 0) json_object_set_new(t, "status_label", json_string(task_status_labels[s]));
        /* Stored as JSON text; pages and the API want the list itself. */
        json_t *w = json_object_get(t, "warnings");
        if (json_is_string(w)) json_object_set_new(t, "warnings", json_loads(json_string_value(w), 0, NULL));
        /* Each named unit keeps its own status (a shared task): worded wherever the task is shown. */
        task_labels(json_object_get(t, "lead"));
        task_labels(json_object_get(t, "partners"));
    }
}
