/* The web layer's shared types: the app, one request, the route table, and the helpers every page uses.
 * Pages build a JSON context and call render(); they never write sockets or headers themselves. */
#ifndef DXDAY_HTTP_H
#define DXDAY_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "store/db.h"

#define MAX_BODY (1024 * 1024)

struct app;
struct req;
typedef int (*handler_fn)(struct req *r);

/* Every route says who may call it; no value means "public" by default (ACCESS_UNSET is refused at startup).
 * STAFF: signed in and holding a role on some unit (officials); ACCOUNT: signed in with any account, learners included.
 * QUERY: public, and a POST that changes nothing (asking the assistant): no CSRF token, no cache flush. */
enum access { ACCESS_UNSET = 0, PUBLIC, STAFF, QUERY, ACCOUNT };

struct route {
    const char *method;
    const char *page;     /* Vietnamese URL people share, or NULL */
    const char *api;      /* JSON twin under /api/, or NULL */
    handler_fn fn;
    enum access access;
    int cacheable;        /* false, true (CACHE_PAGE) or CACHE_DOC */
    size_t max_body;      /* 0: MAX_BODY; uploads raise it */
};

/* CACHE_PAGE: the same bytes for every anonymous visitor, served from the page cache until the next write or a second.
 * CACHE_DOC: an expensive public document (PDF, XLSX), the same for everyone: kept five minutes per URL whatever is
 * written meanwhile, and made at most DXDAY_DOCS_PER_MINUTE times a minute per address. */
enum { CACHE_PAGE = 1, CACHE_DOC = 2 };

/* A file part of a multipart/form-data body; data points into the request body. */
struct upload {
    char field[64];
    char filename[256];
    char ctype[128];
    const unsigned char *data;
    size_t len;
};

struct user {
    int64_t id;
    char email[256];
    char name[256];
    char csrf[64];
    bool staff;          /* holds a role somewhere; learners hold none */
    int64_t inbox_org;   /* the unit whose inbox the menu's "Nhiệm vụ" opens; 0: the whole task list */
};

struct header { char *name, *value; };

struct req {
    struct app *app;
    db *db;
    const char *method;
    const char *path;
    const struct route *route;
    const char *route_name;  /* the pattern, for metrics */
    bool want_json;
    bool is_api;
    char ip[64];             /* the client: the peer, or the address a trusted proxy forwarded (web/client_ip.c) */
    char peer[64];           /* the socket's peer itself */
    bool forwarded;          /* the request came through a proxy (it carries X-Forwarded-For), trusted or not */
    const char *authorization; /* the Authorization header, or NULL */
    json_t *params;          /* path parameters, query string and form/JSON fields, all strings */
    json_t *body_json;       /* the parsed JSON body, when one was sent */
    const char *cookie_session;
    const char *cookie_csrf;
    const char *cookie_device;   /* dxday_device: vouches for sign-ins from a browser that signed in before */
    const char *header_csrf;
    const char *host;        /* the Host header, as sent (unchecked), or NULL */
    char csrf_new[64];       /* a token minted for the public during this request */
    bool per_visitor;        /* the body holds something of this visitor's (a CSRF token): never shared by the cache */
    struct user *user;       /* NULL for the public */
    uint64_t generation;     /* the database's generation its caches follow (cache_generation); 0: not read */
    struct upload files[4];
    int nfiles;
    /* response */
    int status;
    char *body;
    size_t body_len;
    const char *ctype;
    struct header headers[8];
    int nheaders;
};

/* Reading a request. */
const char *req_str(struct req *r, const char *name);       /* NULL when absent */
int64_t req_int(struct req *r, const char *name, int64_t dflt);
void req_header(struct req *r, const char *name, const char *value);

/* Writing a response. All return the status so handlers can `return render(...)`. */
int render(struct req *r, json_t *ctx, const char *tmpl);    /* steals ctx */
int req_fail(struct req *r, int status, const char *message);
int req_fail_ctx(struct req *r, int status, const char *message, json_t *details); /* steals details */
int req_redirect(struct req *r, const char *location);
/* Answers a store result that is not STORE_OK: 404, 409, 422 (with its fields), 403, 503 with Retry-After, or 500 —
 * logged with the route and the engine's message. Frees res's fields. */
struct store_result;
int req_result(struct req *r, struct store_result *res);
/* A begin, a commit or a statement of the store failed: 503 with Retry-After when another writer held it, else a
 * logged 500; nothing was written either way. */
int req_store_failed(struct req *r);
/* A lookup found nothing: 404 with message — unless the lookup itself failed (db_failed), which is never a 404. */
int req_missing(struct req *r, const char *message);
int req_send(struct req *r, int status, const char *ctype, char *body, size_t len); /* takes body */

/* Sessions, CSRF, roles: web/session.c and web/authz.c. */
const char *csrf_token(struct req *r);      /* the token forms must carry; sets a cookie for the public */
bool csrf_ok(struct req *r);
bool authz(struct req *r, const char *role, int64_t org_id);  /* the one place roles are checked */
bool authz_any(struct req *r, const char *role);              /* holds role (or admin) on some unit */
/* Content of a unit (an offer, an activity): moderator, coordinator or admin on that unit or above it. */
bool authz_editor(struct req *r, int64_t org_id);
/* National content (news, the identity kit and message, courses, the FAQ and editors' questions): the same roles
 * held on the root unit 'vn'. */
bool authz_national_editor(struct req *r);
int audit(struct req *r, const char *action, const char *entity, int64_t entity_id, json_t *detail);

/* The route tables of every page area, each ending with { 0 }. */
extern const struct route page_home_routes[], page_orgs_routes[], page_campaigns_routes[], page_login_routes[],
    page_users_routes[], page_system_routes[], page_plan_import_routes[], page_plans_routes[], page_tasks_routes[], page_files_routes[], page_notices_routes[],
    page_forms_routes[], page_report_upload_routes[], page_completeness_routes[], page_reports_routes[], page_dashboard_routes[], page_assistant_routes[], page_search_routes[], page_news_routes[], page_calendar_routes[], page_listings_routes[], page_identity_routes[], page_courses_routes[], page_certificates_routes[],
    page_course_editor_routes[], page_skills_routes[], page_signup_routes[];

/* multipart/form-data: text fields into params (UTF-8 checked), files into r->files. False on a malformed body. */
bool multipart_parse(struct req *r, const char *content_type, const char *body, size_t len);
/* application/x-www-form-urlencoded (web/form.c): decodes body in place and sets its fields in params. False on a bad
 * escape or invalid UTF-8. form_url_decode decodes one component in place. */
bool form_parse(char *body, json_t *params);
bool form_url_decode(char *s);
#endif
