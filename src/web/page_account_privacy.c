/* /quyen-rieng-tu: what dxday keeps about the people who use it, why, for how long, and how to take it away. The text is
 * in templates/account_privacy.html. Must not read or write anything of anyone's. */
#include "http/app.h"

static int privacy(struct req *r)
{
    return render(r, json_pack("{s:s, s:s}", "title", "Quyền riêng tư", "_nav", "privacy"), "account_privacy");
}

const struct route page_account_privacy_routes[] = {
    { "GET", "/quyen-rieng-tu", "/api/privacy", privacy, PUBLIC, true, 0 },
    { 0 },
};
