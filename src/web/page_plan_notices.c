/* Reminders in the app ("Thông báo"): what the units a user is responsible for must act on. Reads only.
 * Must not show a user the reminders of units outside their roles. */
#include "http/app.h"
#include "store/remind.h"

static int list(struct req *r)
{
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Thông báo nhắc việc", "_nav", "notices", "items",
                            store_remind_for_user(r->db, r->user->id, 200));
    return render(r, ctx, "notices");
}

const struct route page_notices_routes[] = {
    { "GET", "/thong-bao", "/api/notifications", list, STAFF, false, 0 },
    { 0 },
};
