// The authorisation matrix: every state-changing route of `dxday routes` × every role × in/out of scope. A role that
// may not act is refused (401/403/404) and nothing is written; a route with no row here fails. Must not use the
// suite's server or database (other files write there at the same time): it starts its own.
//
// Roles: the public (holding a valid CSRF token, so a refusal is about the role), a learner, an officer of Nghệ An and
// one of Thanh Hóa, an admin of Nghệ An, a moderator of Nghệ An and one of Thanh Hóa. "in" targets lie in Nghệ An's
// subtree; "out" targets lie in another province (Hà Tĩnh), a ministry or the nation, outside every one of these
// roles. National content (the year, the identity kit and message, news, forms, courses, the FAQ) needs a national
// role: none of these roles may write it. Each row names who may succeed in scope; those, and the national admin where
// no role may, are run last as controls: they must succeed and write, which proves the row's request is well formed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprints, OwnClient, SANITIZER_REPORT, changed, routes, startServer } from './ownserver.mjs';
import { sqlOn } from './db.mjs';

const ROLES = ['anonymous', 'learner', 'officer_in', 'officer_out', 'admin_in', 'mod_in', 'mod_out'];
const ACCOUNTS = ROLES.filter((r) => r !== 'anonymous');
const PW = 'mat-khau-ma-tran-1';
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;
const today = new Date(Date.now() + 7 * 3600e3);
const iso = (days) => new Date(today.getTime() + days * 86400e3).toISOString().slice(0, 10);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PLAN_TEXT = 'ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nSố: 99/KH-UBND\n\nNghệ An, ngày 05 tháng 9 năm 2026\n\nKẾ HOẠCH\n' +
  'Hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Sở Thông tin và Truyền thông\n\n' +
  '- Chủ trì tổ chức ngày hội chuyển đổi số, hoàn thành trước ngày 10/10/2026.\n';

let srv, x;

const sql = (q) => sqlOn(srv.db, q, { readonly: true });
const orgId = (code) => +sql(`SELECT id FROM org_unit WHERE code = '${code}'`);

async function must(p, what) {
  const r = await p;
  if (r.status >= 400) throw new Error(`setup: ${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

// ---- requests -------------------------------------------------------------------------------------------------------

// A row's target: { params } fill the route's {names}; json, or multipart (fields + files) for uploads.
function send(c, pattern, t) {
  const path = pattern.replace(/\{(\w+)\}/g, (_, k) => {
    if (t.params?.[k] === undefined) throw new Error(`no value for {${k}} in ${pattern}`);
    return encodeURIComponent(t.params[k]);
  });
  if (t.multipart) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(t.multipart.fields || {})) fd.append(k, v);
    for (const [k, f] of Object.entries(t.multipart.files || {})) fd.append(k, new Blob([f.bytes], { type: f.type }), f.name);
    return c.post(path, { raw: fd });
  }
  return c.post(path, { json: t.json ?? {} });
}

const planBody = (over = {}) => ({
  number: uniq('MT/KH'), issued: '2026-09-05', issuer: 'Ủy ban nhân dân tỉnh Nghệ An', title: 'Kế hoạch thử của ma trận quyền',
  tasks: [{ ref: '1', title: 'Tổ chức ngày hội chuyển đổi số', due: '2026-10-10',
            lead: ['Sở Thông tin và Truyền thông tỉnh Nghệ An'], lead_ids: [orgId('so-tttt-nghe-an')],
            partners: ['Báo Nghệ An'], partner_ids: [orgId('bao-nghe-an')] }],
  ...over,
});
const planIn = () => ({ plan: planBody(), parent_id: x.ids.planNgheAn });
// Each one unit (or the parent) outside the saver's scope, the rest inside. A partner outside the scope is not among
// them: it is saved as a proposal that unit accepts or declines (tests/http/plan_scope.test.mjs; the proposals row).
const planOut = {
  issuer: () => ({ plan: planBody({ issuer: 'Bộ Công an' }), parent_id: x.ids.planNgheAn }),
  lead: () => {
    const p = planBody();
    Object.assign(p.tasks[0], { lead: ['Ủy ban nhân dân tỉnh Hà Tĩnh'], lead_ids: [orgId('ha-tinh')] });
    return { plan: p, parent_id: x.ids.planNgheAn };
  },
  // Another province's plan (a national plan is one every province may carry out: that is a legitimate parent).
  parent: () => ({ plan: planBody(), parent_id: x.ids.planHaTinh }),
};

// A draft of the plan import belongs to its author: the role's own when it may import, else the national admin's.
async function draftOf(role) {
  const c = ['officer_in', 'officer_out', 'admin_in'].includes(role) ? x.c[role] : x.c.national;
  // A text of its own each time: the same text saved twice is refused as a duplicate (plan_review.test.mjs).
  const r = await must(c.post('/api/plans/import', { json: { text: PLAN_TEXT.replace('99/KH-UBND', uniq('99/KH-UBND')) } }), `draft for ${role}`);
  return r.data.draft;
}

const formDef = (code, over = {}) => ({
  code, campaign_year: today.getUTCFullYear(), kind: 'report', title: `Biểu mẫu ma trận ${code}`, period_type: 'campaign',
  due: iso(30), late_days: 0, needs_approval: true, assign: [{ kind: 'province' }, { kind: 'commune' }],
  indicators: [{ code: 'so_lop', label: 'Số lớp tập huấn', type: 'integer', min: 0 }], ...over,
});

async function newForm() {
  return (await must(x.c.national.post('/api/forms', { json: formDef(uniq('mt').toLowerCase()) }), 'form')).data;
}

// A submitted report of org by the given client, on a form of its own so it can be reviewed once more.
async function submitted(c, org) {
  const f = await newForm();
  await must(c.post(`/api/forms/${f.id}/submissions/${org}`, { json: { action: 'submit', values: { so_lop: 2 } } }), `submit ${org}`);
  return { form: f.id, org };
}

async function pendingListing(org) {
  const r = await must(x.c.national.post('/api/offers', { json: { org, province: org, title: uniq('Ưu đãi thử'), body: 'Miễn phí.', sector: 'khac' } }), 'offer');
  return r.data.id;
}

// A plan of issuer's saved by c naming partner (outside c's subtree) as a task's partner: the proposal's id.
async function proposalFor(c, issuer, partner) {
  const name = sql(`SELECT name FROM org_unit WHERE code = '${issuer}'`), pname = sql(`SELECT name FROM org_unit WHERE code = '${partner}'`);
  const plan = planBody({ issuer: name });
  Object.assign(plan.tasks[0], { lead: [name], lead_ids: [orgId(issuer)],
                                 partners: [pname], partner_ids: [orgId(partner)] });
  const r = await must(c.post('/api/plans', { json: { plan } }), `plan proposing ${partner}`);
  assert.ok(r.data.proposed?.length, `saving a plan of ${issuer} naming ${partner} makes a proposal: ${r.text.slice(0, 200)}`);
  return r.data.proposed[0].id;
}

async function userWithRole(org) {
  const r = await must(x.c.national.post('/api/users', { json: { email: `${uniq('mt-role')}@dxday.vn`, name: 'Người có vai trò', password: PW, role: 'officer', org } }), 'user');
  return { id: r.data.id, rid: r.data.roles[0].id };
}

// Course editor targets live in one draft course of the test's own; destructive requests get fresh parts.
const course = () => x.ids.course;
async function freshLesson() {
  const slug = uniq('bai').toLowerCase();
  await must(x.c.national.post(`/api/admin/courses/${course()}/lessons`, { json: { lesson_title: `Bài ${slug}`, lesson_slug: slug } }), 'lesson');
  return slug;
}
async function freshQuiz() {
  const slug = uniq('kt').toLowerCase();
  await must(x.c.national.post(`/api/admin/courses/${course()}/quizzes`, { json: { quiz_title: `Kiểm tra ${slug}`, quiz_slug: slug, after: '',
    kind: 'truefalse', prompt: 'Mã QR dán đè có thể là lừa đảo.', answer: 'Đúng' } }), 'quiz');
  return slug;
}
async function freshQuestion() {
  const quiz = await freshQuiz();
  await must(x.c.national.post(`/api/admin/courses/${course()}/quizzes/${quiz}/questions`, { json: { kind: 'truefalse', prompt: 'Câu thứ hai.', answer: 'Sai' } }), 'question');
  return { quiz, n: 2 };
}

const sheet = (code) => ({
  multipart: { fields: {}, files: { file: { bytes: Buffer.from(`Mã đơn vị;Tên đơn vị;Số lớp tập huấn [so_lop]\r\n${code};${uniq('Đơn vị')};3\r\n`), type: 'text/csv', name: 'bang.csv' } } },
});

// ---- the matrix -----------------------------------------------------------------------------------------------------
// route: method and path as `dxday routes` prints them (the /api/ twin, or the page when there is none).
// allow: the roles that may succeed on the in-scope target. in(role, fresh) / out.{name}(role, fresh): the request;
// fresh is true for controls (and after a cell wrote), for targets a success consumes. noScope: why there is no out.
// public: why every role may call it. query: public and writes nothing at all, whoever calls it.
// refuse: other answers that are refusals on this route, each with the message it must carry.

// Door-to-door: a campaign body, the demo campaign (or one made once) and a team made once on the matrix's database.
const dtdCampaign = () => ({ name: uniq('Chiến dịch ma trận'), starts_on: '01/10/2026', ends_on: '10/10/2026', services: ['vneid'], targets: { 'nghe-an': 100 } });
let dtdIds = null;
function dtdMade() {
  if (dtdIds) return dtdIds;
  const w = (q) => sqlOn(srv.db, q);
  let id = +sql('SELECT COALESCE(MIN(id), 0) FROM dtd_campaign');
  if (!id) id = +w(`INSERT INTO dtd_campaign (name, starts_on, ends_on, services, created_at) VALUES ('Chiến dịch ma trận', '2026-10-01', '2026-10-10', '["vneid"]', '2026-01-01T00:00:00Z') RETURNING id`);
  const team = +w(`INSERT INTO cdt_team (org_id, name, name_folded, active, founded_on, created_at) VALUES (${orgId('nghe-an')}, '${uniq('Tổ ma trận')}', 'to ma tran', 1, '2020-01-01', '2026-01-01T00:00:00Z') RETURNING id`);
  return (dtdIds = { id, team });
}
const dtdId = () => dtdMade().id;
const dtdTeam = () => dtdMade().team;

const NATIONAL = 'national content: needs a national role';
const MATRIX = [
  { route: 'POST /api/ask', query: 'the assistant answers anyone and writes nothing of anybody\'s',
    in: () => ({ json: { q: 'Ngày Chuyển đổi số quốc gia là ngày nào?' } }) },
  { route: 'POST /api/ask/editors', public: 'anyone may send a question to the editors' },
  { route: 'POST /api/questions/{id}', allow: [], noScope: NATIONAL + ' (the FAQ the national assistant answers from)',
    in: () => ({ params: { id: x.ids.question }, json: { answer: 'Ngày 10 tháng 10 hằng năm.', faq: 'on' } }) },
  { route: 'POST /api/campaigns/{year}', allow: [], noScope: NATIONAL,
    in: () => ({ params: { year: 2026 }, json: { theme: 'Chủ đề ma trận', dates: [{ date: '2026-10-10', label: 'Ngày Chuyển đổi số quốc gia' }] } }) },
  { route: 'POST /api/admin/courses', allow: [], noScope: NATIONAL,
    in: () => ({ json: { slug: uniq('mt-khoa').toLowerCase(), title: 'Khóa học thử', audience: 'citizen', area: 1 } }) },
  { route: 'POST /api/admin/courses/import', allow: [], noScope: NATIONAL,
    in: () => ({ multipart: { fields: { slug: uniq('mt-nhap').toLowerCase() }, files: { file: { bytes: x.ids.courseZip, type: 'application/zip', name: 'khoa-hoc.zip' } } } }) },
  { route: 'POST /api/admin/courses/{slug}', allow: [], noScope: NATIONAL,
    in: () => ({ params: { slug: course() }, json: { summary: uniq('Tóm tắt') } }) },
  { route: 'POST /api/admin/courses/{slug}/lessons', allow: [], noScope: NATIONAL,
    in: () => { const s = uniq('bai-moi').toLowerCase(); return { params: { slug: course() }, json: { lesson_title: `Bài ${s}`, lesson_slug: s } }; } },
  { route: 'POST /api/admin/courses/{slug}/lessons/{lesson}', allow: [], noScope: NATIONAL,
    in: () => ({ params: { slug: course(), lesson: 'bai-1' }, json: { body_md: `# ${uniq('Nội dung')}` } }) },
  { route: 'POST /api/admin/courses/{slug}/lessons/{lesson}/delete', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), lesson: await freshLesson() }, json: {} }) },
  { route: 'POST /api/admin/courses/{slug}/lessons/{lesson}/move', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), lesson: await freshLesson() }, json: { dir: 'up' } }) },
  { route: 'POST /api/admin/courses/{slug}/quizzes', allow: [], noScope: NATIONAL,
    in: () => { const s = uniq('kt-moi').toLowerCase(); return { params: { slug: course() }, json: { quiz_title: `Kiểm tra ${s}`, quiz_slug: s, after: '', kind: 'truefalse', prompt: 'Đúng hay sai?', answer: 'Đúng' } }; } },
  { route: 'POST /api/admin/courses/{slug}/quizzes/{quiz}', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), quiz: await freshQuiz() }, json: { title: uniq('Kiểm tra đổi tên') } }) },
  { route: 'POST /api/admin/courses/{slug}/quizzes/{quiz}/delete', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), quiz: await freshQuiz() }, json: {} }) },
  { route: 'POST /api/admin/courses/{slug}/quizzes/{quiz}/questions', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), quiz: await freshQuiz() }, json: { kind: 'truefalse', prompt: uniq('Câu hỏi'), answer: 'Sai' } }) },
  { route: 'POST /api/admin/courses/{slug}/quizzes/{quiz}/questions/{n}', allow: [], noScope: NATIONAL,
    in: async () => { const q = await freshQuestion(); return { params: { slug: course(), ...q }, json: { kind: 'truefalse', prompt: uniq('Câu sửa'), answer: 'Đúng' } }; } },
  { route: 'POST /api/admin/courses/{slug}/quizzes/{quiz}/questions/{n}/delete', allow: [], noScope: NATIONAL,
    in: async () => ({ params: { slug: course(), ...(await freshQuestion()) }, json: {} }) },
  { route: 'POST /api/courses/{slug}/enrol', allow: ACCOUNTS, noScope: 'a learner enrols themself in a published course',
    in: (role) => ({ params: { slug: 'van-ban-dien-tu-chu-ky-so' } }) },
  { route: 'POST /api/courses/{slug}/quizzes/{quiz}/attempts', allow: ACCOUNTS, noScope: 'a learner answers a quiz of a course they follow',
    in: async (role) => {
      if (x.c[role]) await x.c[role].post('/api/courses/thanh-toan-ma-qr/enrol');
      return { params: { slug: 'thanh-toan-ma-qr', quiz: 'kiem-tra-1' }, json: { nonce: uniq('nonce-ma-tran'), answers: { 1: 1, 2: true, 3: [0, 2, 3], 4: 'VietQR' } } };
    } },
  { route: 'POST /api/forms', allow: [], noScope: NATIONAL + ' (the centre defines report forms)',
    in: () => ({ json: formDef(uniq('mt-moi').toLowerCase()) }) },
  { route: 'POST /api/forms/{id}', allow: [], noScope: NATIONAL + ' (the centre defines report forms)',
    in: () => ({ params: { id: x.ids.formEdit.id }, json: formDef(x.ids.formEdit.code, { title: uniq('Biểu mẫu sửa') }) }) },
  { route: 'POST /api/campaigns/{year}/identity', allow: [], noScope: NATIONAL + ' (the year\'s identity kit)',
    in: () => ({ params: { year: 2026 }, multipart: { fields: { title: uniq('Logo') }, files: { file: { bytes: PNG, type: 'image/png', name: 'logo.png' } } } }) },
  { route: 'POST /api/campaigns/{year}/message', allow: [], noScope: NATIONAL + ' (the Prime Minister\'s message)',
    in: () => ({ params: { year: 2026 }, json: { text: uniq('Chuyển đổi số vì người dân'), signed_by: 'Thủ tướng Chính phủ' } }) },
  { route: 'POST /api/offers', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: { org: 'nghe-an', title: uniq('Ưu đãi'), body: 'Miễn phí gói dữ liệu.', sector: 'khac' } }),
    out: { province: () => ({ json: { org: 'ha-tinh', title: uniq('Ưu đãi'), body: 'Miễn phí.', sector: 'khac' } }),
           nation: () => ({ json: { org: 'vn', title: uniq('Ưu đãi'), body: 'Miễn phí.', sector: 'khac' } }) } },
  { route: 'POST /api/activities', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: { org: 'so-tttt-nghe-an', title: uniq('Hoạt động'), body: 'Ngày hội tại Vinh.' } }),
    out: { province: () => ({ json: { org: 'ha-tinh', title: uniq('Hoạt động'), body: 'Ngày hội.' } }) } },
  { route: 'POST /api/moderation/{id}', allow: ['mod_in', 'admin_in'],
    in: async () => ({ params: { id: await pendingListing('nghe-an') }, json: { decision: 'approve' } }),
    out: { province: async () => ({ params: { id: await pendingListing('ha-tinh') }, json: { decision: 'approve' } }),
           nation: async () => ({ params: { id: await pendingListing('vn') }, json: { decision: 'approve' } }) } },
  { route: 'POST /api/login', public: 'signing in is open to anyone' },
  { route: 'POST /api/logout', public: 'signing out ends only the caller\'s own session' },
  { route: 'POST /api/articles', allow: [], noScope: NATIONAL + ' (the portal\'s news)',
    in: () => ({ json: { title: uniq('Tin thử'), summary: 'Tóm tắt', body_md: 'Nội dung.', section: 'tin-tuc', status: 'published' } }) },
  { route: 'POST /api/articles/{slug}', allow: [], noScope: NATIONAL + ' (the portal\'s news)',
    in: () => ({ params: { slug: x.ids.article }, json: { title: uniq('Tin sửa'), summary: 'Tóm tắt', body_md: 'Nội dung sửa.', status: 'published' } }) },
  { route: 'POST /api/plans/import', allow: ['officer_in', 'officer_out', 'admin_in'],
    noScope: 'a draft is private to its author and reaches no unit; confirming it is where scope applies',
    in: () => ({ json: { text: PLAN_TEXT } }) },
  { route: 'POST /api/plans/drafts/{draft}', allow: ['officer_in', 'admin_in'],
    in: async (role) => ({ params: { draft: await draftOf(role) }, json: planIn() }),
    out: Object.fromEntries(Object.entries(planOut).map(([k, f]) => [k, async (role) => ({ params: { draft: await draftOf(role) }, json: f() })])) },
  { route: 'POST /api/plans', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: planIn() }),
    out: Object.fromEntries(Object.entries(planOut).map(([k, f]) => [k, () => ({ json: f() })])) },
  { route: 'POST /api/forms/{form}/upload', allow: ['officer_in', 'admin_in'],
    refuse: { 422: /ngoài phạm vi/ },
    in: () => ({ params: { form: x.ids.form.id }, ...sheet('nghe-an') }),
    out: { province: () => ({ params: { form: x.ids.form.id }, ...sheet('ha-tinh') }) } },
  { route: 'POST /api/forms/{form}/submissions/{org}', allow: ['officer_in', 'admin_in'],
    in: async (role, fresh) => ({ params: { form: fresh ? (await newForm()).id : x.ids.form.id, org: 'nghe-an' }, json: { action: 'submit', values: { so_lop: 1 } } }),
    out: { province: async (role, fresh) => ({ params: { form: fresh ? (await newForm()).id : x.ids.form.id, org: 'ha-tinh' }, json: { action: 'submit', values: { so_lop: 1 } } }) } },
  // The in-scope report was submitted by the officer of Nghệ An himself: the approver must be another person.
  { route: 'POST /api/forms/{form}/submissions/{org}/review', allow: ['admin_in'],
    in: async (role, fresh) => ({ params: fresh || !x.ids.reviewIn ? (x.ids.reviewIn = await submitted(x.c.officer_in, 'demo-vinh-1')) : x.ids.reviewIn, json: { decision: 'approve' } }),
    out: { province: async (role, fresh) => ({ params: fresh || !x.ids.reviewOut ? (x.ids.reviewOut = await submitted(x.c.officer_out, 'thanh-hoa')) : x.ids.reviewOut, json: { decision: 'approve' } }) } },
  { route: 'POST /api/signup', public: 'anyone may open a learner account' },
  { route: 'POST /api/skills/responses', public: 'anyone may answer the self-assessment' },
  { route: 'POST /api/tasks/{id}/updates', allow: ['officer_in', 'admin_in'],
    in: () => ({ params: { id: x.ids.taskNgheAn }, json: { status: 'in_progress', progress: 30, note: uniq('Đang làm') } }),
    out: { task: () => ({ params: { id: x.ids.taskNational }, json: { status: 'in_progress', progress: 30, note: uniq('Đang làm') } }),
           // A task shared with Hà Tĩnh, reported for Hà Tĩnh.
           unit: () => ({ params: { id: x.ids.taskShared }, json: { org: orgId('ha-tinh'), status: 'in_progress', progress: 30, note: uniq('Đang làm') } }) } },
  { route: 'POST /api/users', allow: ['admin_in'],
    in: () => ({ json: { email: `${uniq('mt-moi')}@dxday.vn`, name: 'Cán bộ mới', password: PW, role: 'officer', org: 'so-tttt-nghe-an' } }),
    out: { province: () => ({ json: { email: `${uniq('mt-moi')}@dxday.vn`, name: 'Cán bộ mới', password: PW, role: 'officer', org: 'ha-tinh' } }),
           nation: () => ({ json: { email: `${uniq('mt-moi')}@dxday.vn`, name: 'Quản trị mới', password: PW, role: 'admin', org: 'vn' } }) } },
  // The account already holds a role in Nghệ An (an admin of Nghệ An does not see accounts outside its subtree).
  { route: 'POST /api/users/{id}/roles', allow: ['admin_in'],
    in: async (role, fresh) => ({ params: { id: fresh || !x.ids.grantee ? (x.ids.grantee = (await userWithRole('so-tttt-nghe-an')).id) : x.ids.grantee },
                                  json: { role: 'moderator', org: 'nghe-an' } }),
    out: { province: async () => ({ params: { id: x.ids.grantee ??= (await userWithRole('so-tttt-nghe-an')).id }, json: { role: 'officer', org: 'ha-tinh' } }),
           nation: async () => ({ params: { id: x.ids.grantee ??= (await userWithRole('so-tttt-nghe-an')).id }, json: { role: 'admin', org: 'vn' } }),
           account: () => ({ params: { id: x.ids.plainUser }, json: { role: 'officer', org: 'nghe-an' } }) } },
  // A partner named from outside the saver's subtree waits for that unit's officers: Nghệ An's proposal is Nghệ An's.
  { route: 'POST /api/tasks/proposals/{id}', allow: ['officer_in', 'admin_in'],
    in: async () => ({ params: { id: await proposalFor(x.c.officer_out, 'thanh-hoa', 'so-tttt-nghe-an') }, json: { decision: 'accept' } }),
    out: { province: async () => ({ params: { id: await proposalFor(x.c.officer_in, 'nghe-an', 'ha-tinh') }, json: { decision: 'accept' } }) } },
  { route: 'POST /api/users/{id}/roles/{rid}/delete', allow: ['admin_in'],
    in: async (role, fresh) => ({ params: fresh || !x.ids.roleIn ? (x.ids.roleIn = await userWithRole('so-tttt-nghe-an')) : x.ids.roleIn }),
    out: { province: async (role, fresh) => ({ params: fresh || !x.ids.roleOut ? (x.ids.roleOut = await userWithRole('ha-tinh')) : x.ids.roleOut }) } },
  // Community Digital Technology Teams (issue 16): officers, coordinators and admins of the team's unit or above write;
  // a moderator, another province's officer, a learner and the public may not. The "in" team is the demo team of a
  // ward of Vinh (Nghệ An); the "out" team belongs to the Hà Tĩnh Youth Union, outside every role here.
  ...(() => {
    const team = { in: () => (x.ids.teamIn ??= +sql("SELECT t.id FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE o.code = 'demo-vinh-1' ORDER BY t.id LIMIT 1")),
                   fresh: async () => (await must(x.c.national.post('/api/teams', { json: { org: 'demo-vinh-6', name: uniq('Tổ sẽ chuyển'), founded_on: '2024-09-01' } }), 'team to move')).data.id,
                   out: async () => (x.ids.teamOut ??= (await must(x.c.national.post('/api/teams', { json: { org: 'doan-ha-tinh', name: uniq('Tổ ngoài phạm vi'), founded_on: '2024-09-01' } }), 'team out')).data.id) };
    const member = async (id) => (await must(x.c.national.post(`/api/teams/${id}/members`, { json: { name: uniq('Thành viên ma trận') } }), 'member')).data.id;
    const csv = () => ({ multipart: { fields: {}, files: { file: { bytes: Buffer.from(`Họ và tên,Vai trò trong tổ\r\n${uniq('Người trong danh sách')},Thành viên\r\n`), type: 'text/csv', name: 'danh-sach.csv' } } } });
    const ALLOW = ['officer_in', 'admin_in'];
    return [
      { route: 'POST /api/teams', allow: ALLOW,
        in: () => ({ json: { org: 'demo-vinh-6', name: uniq('Tổ ma trận'), founded_on: '2024-09-01' } }),
        out: { province: () => ({ json: { org: 'doan-ha-tinh', name: uniq('Tổ ma trận'), founded_on: '2024-09-01' } }) } },
      { route: 'POST /api/teams/{id}', allow: ALLOW,
        in: () => ({ params: { id: team.in() }, json: { contact: uniq('lien-he') } }),
        out: { province: async () => ({ params: { id: await team.out() }, json: { contact: uniq('lien-he') } }),
               // Moving a team of Nghệ An (a fresh one: the control moves it) into a unit outside the caller's scope.
               move: async () => ({ params: { id: await team.fresh() }, json: { org: 'doan-ha-tinh' } }) } },
      { route: 'POST /api/teams/{id}/members', allow: ALLOW,
        in: () => ({ params: { id: team.in() }, json: { name: uniq('Thành viên mới') } }),
        out: { province: async () => ({ params: { id: await team.out() }, json: { name: uniq('Thành viên mới') } }) } },
      { route: 'POST /api/teams/{id}/members/{mid}', allow: ALLOW,
        in: async () => ({ params: { id: team.in(), mid: x.ids.memberIn ??= await member(team.in()) }, json: { name: uniq('Tên sửa') } }),
        out: { province: async () => ({ params: { id: await team.out(), mid: x.ids.memberOut ??= await member(await team.out()) }, json: { name: uniq('Tên sửa') } }) } },
      // A member's account: a fresh member each time (one account per member), the team_member role on the team's unit.
      { route: 'POST /api/teams/{id}/members/{mid}/account', allow: ALLOW,
        in: async () => ({ params: { id: team.in(), mid: await member(team.in()) }, json: { email: `${uniq('mt-to')}@dxday.vn`, password: PW } }),
        out: { province: async () => ({ params: { id: await team.out(), mid: await member(await team.out()) }, json: { email: `${uniq('mt-to')}@dxday.vn`, password: PW } }) } },
      // The preview keeps the sheet by its hash (a write); confirming it is the same person's, tested in teams.test.mjs.
      { route: 'POST /api/teams/{id}/roster', allow: ALLOW,
        in: () => ({ params: { id: team.in() }, ...csv() }),
        out: { province: async () => ({ params: { id: await team.out() }, ...csv() }) } },
    ];
  })(),
  // Door-to-door campaigns (issue 16): only the centre (a coordinator or an admin of the root unit) opens, edits and
  // marks honours; no province officer or admin, moderator, learner, team member nor the public may.
  { route: 'POST /api/door-to-door', allow: [], noScope: NATIONAL + ' (the centre opens campaigns)',
    in: () => ({ json: dtdCampaign() }) },
  { route: 'POST /api/door-to-door/{id}', allow: [], noScope: NATIONAL + ' (the centre edits campaigns)',
    in: () => ({ params: { id: dtdId() }, json: dtdCampaign() }) },
  { route: 'POST /api/door-to-door/{id}/honours', allow: [], noScope: NATIONAL + ' (the centre marks honours)',
    in: () => ({ params: { id: dtdId() }, json: { team_id: dtdTeam(), citation: uniq('Tổ tiêu biểu') } }) },
  // Guidance log (issue 16): officers and admins of a team's unit or above log on its behalf (a team's own members, who
  // hold team_member, are tested in guidance.test.mjs); a moderator, a learner, the public and the officers and
  // moderators of another province may not log for Nghệ An's team, nor anyone here for Hà Tĩnh's.
  { route: 'POST /api/guidance', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: guidanceEntry('nghe-an') }),
    out: { province: () => ({ json: guidanceEntry('ha-tinh') }) } },
  // Award contests (issue 17): any account enters (a unit it names needs a role there: contest_award.test.mjs) and only
  // its owner edits or withdraws an entry; only the organiser (officer or coordinator of the organising unit, or the
  // centre; the demo VDA is the root's) creates contests, assigns jurors, decides and closes rounds; only a juror of
  // the entry's category scores or declares a conflict (no role here is one; the national admin is made one).
  ...(() => {
    const VDA = `giai-thuong-chuyen-doi-so-viet-nam-${today.getUTCFullYear()}`;
    const body = (action = 'save') => ({ category: 'doanh-nghiep', applicant_kind: 'enterprise', enterprise: 'Công ty Ma Trận',
      applicant_name: 'Công ty Ma Trận', title: uniq('Hồ sơ ma trận'), action, values: { tom_tat: 'Tóm tắt.', linh_vuc: 'Kinh tế số' } });
    const entryBy = async (who) => (await must((x.c[who === 'anonymous' ? 'national' : who] || x.c.national).post(`/api/contests/${VDA}/entries`, { json: body() }), `entry of ${who}`)).data.id;
    // A learner's submitted entry in the shortlist, the national admin its juror.
    const judged = async () => {
      const id = (await must(x.c.learner.post(`/api/contests/${VDA}/entries`, { json: body('submit') }), 'submitted entry')).data.id;
      if (!x.ids.vdaJuror) x.ids.vdaJuror = await must(x.c.national.post(`/api/contests/${VDA}/jurors`, { json: { email: 'admin@dxday.vn', category: 'doanh-nghiep' } }), 'juror');
      for (const decision of ['eligible', 'advance']) await must(x.c.national.post(`/api/contests/${VDA}/entries/${id}/decision`, { json: { decision } }), decision);
      return id;
    };
    const contestDef = (org) => ({ slug: uniq('mt-giai').toLowerCase(), org, title: 'Giải ma trận', opens_at: '2020-01-01T00:00:00Z', closes_at: '2099-01-01T00:00:00Z',
      categories: [{ code: 'a', name: 'A', eligible: ['enterprise'] }], criteria: [{ code: 'k', name: 'K', weight: 1 }], rounds: [{ name: 'Vòng 1', kind: 'final' }] });
    const mine = async (role, fresh) => ({ params: { slug: VDA, id: await entryBy(role) }, json: body() });
    return [
      { route: 'POST /api/contests', allow: ['officer_in', 'admin_in'],
        in: () => ({ json: contestDef('nghe-an') }), out: { province: () => ({ json: contestDef('ha-tinh') }) } },
      { route: 'POST /api/contests/{slug}/entries', allow: ACCOUNTS, noScope: 'any account enters; a named unit needs a role (contest_award.test.mjs)',
        in: () => ({ params: { slug: VDA }, json: body() }) },
      { route: 'POST /api/contests/{slug}/entries/{id}', allow: ACCOUNTS, noScope: 'an entry is its owner\'s: each role edits its own, the public none',
        in: mine },
      { route: 'POST /api/contests/{slug}/entries/{id}/withdraw', allow: ACCOUNTS, noScope: 'an entry is its owner\'s: each role withdraws its own',
        in: mine },
      { route: 'POST /api/contests/{slug}/jurors', allow: [], noScope: NATIONAL + ' (the demo VDA is organised by the root unit)',
        in: () => ({ params: { slug: VDA }, json: { email: 'hocvien@dxday.vn', category: 'giai-phap' } }) },
      { route: 'POST /api/contests/{slug}/entries/{id}/decision', allow: [], noScope: NATIONAL + ' (the VDA\'s organiser decides)',
        in: async () => ({ params: { slug: VDA, id: (await must(x.c.learner.post(`/api/contests/${VDA}/entries`, { json: body('submit') }), 'entry')).data.id }, json: { decision: 'eligible' } }) },
      { route: 'POST /api/contests/{slug}/judging-rounds/{seq}/close', allow: [], noScope: NATIONAL + ' (the organiser closes rounds)',
        in: async (role, fresh) => ({ params: { slug: fresh || !x.ids.roundContest ? (x.ids.roundContest = (await must(x.c.national.post('/api/contests', { json: contestDef('vn') }), 'contest')).data.slug) : x.ids.roundContest, seq: 1 } }) },
      { route: 'POST /api/contests/{slug}/judging/{id}', allow: [], noScope: 'only a juror of the category scores (the national admin is made one)',
        in: async () => ({ params: { slug: VDA, id: x.ids.judged ??= await judged() }, json: { scores: { tac_dong: 7 } } }) },
      { route: 'POST /api/contests/{slug}/judging/{id}/conflict', allow: [], noScope: 'only a juror of the category declares a conflict',
        in: async (role, fresh) => ({ params: { slug: VDA, id: fresh || !x.ids.conflicted ? (x.ids.conflicted = await judged()) : x.ids.conflicted }, json: { reason: 'Người thân' } }) },
    ];
  })(),
  // Trainings for officials (issue 18): officers, coordinators and admins of the organising unit or above open and run a
  // class (confirmations, attendance, certificates, materials); officers of a unit nominate its people and those below
  // it. A moderator, another province's officer, a learner and the public may do none of it, and nobody here runs Hà
  // Tĩnh's class or nominates (or imports) a Hà Tĩnh official. Targets that a success uses up are made fresh each time.
  ...(() => {
    const body = (org) => ({ title: uniq('Lớp ma trận'), audience: 'officials', org, starts_on: iso(-2), ends_on: iso(2), place: 'Vinh',
                             capacity: 1000, min_sessions: 1, sessions: [{ starts_at: `${iso(-1)}T08:00` }, { starts_at: `${iso(1)}T08:00` }] });
    const klass = async (org) => (await must(x.c.national.post('/api/trainings', { json: body(org) }), 'training')).data.id;
    const cls = { in: async () => (x.ids.trainingIn ??= await klass('nghe-an')), out: async () => (x.ids.trainingOut ??= await klass('ha-tinh')) };
    const nominee = async (id, org) => (await must(x.c.national.post(`/api/trainings/${id}/nominees`, { json: { org, name: uniq('Học viên ma trận') } }), 'nominee')).data.id;
    const decide = async (id, org) => ({ params: { id, nid: await nominee(id, org) }, json: { status: 'confirmed' } });
    const attendance = async (org) => {
      const id = await klass(org), nid = await nominee(id, org);
      await must(x.c.national.post(`/api/trainings/${id}/nominees/${nid}`, { json: { status: 'confirmed' } }), 'confirm');
      const sid = (await x.c.national.get(`/api/trainings/${id}`)).data.training.session_list[0].id;
      return { params: { id, sid }, json: { present: [nid] } };
    };
    const certify = async (org) => {
      const a = await attendance(org);
      await must(x.c.national.post(`/api/trainings/${a.params.id}/sessions/${a.params.sid}/attendance`, { json: a.json }), 'attendance');
      return { params: { id: a.params.id }, json: {} };
    };
    const file = () => ({ multipart: { fields: { title: 'Tài liệu ma trận' }, files: { file: { bytes: Buffer.from(uniq('Tài liệu ma trận')), type: 'text/plain', name: 'tai-lieu.txt' } } } });
    const roster = (org) => ({ multipart: { fields: {}, files: { file: { bytes: Buffer.from(`Họ và tên,Mã đơn vị\r\n${uniq('Người trong danh sách')},${org}\r\n`), type: 'text/csv', name: 'hoc-vien.csv' } } } });
    const ALLOW = ['officer_in', 'admin_in'];
    return [
      { route: 'POST /api/trainings', allow: ALLOW,
        in: () => ({ json: body('nghe-an') }), out: { province: () => ({ json: body('ha-tinh') }) } },
      { route: 'POST /api/trainings/{id}/nominees', allow: ALLOW,
        in: async () => ({ params: { id: await cls.in() }, json: { org: 'nghe-an', name: uniq('Người được đề cử') } }),
        out: { province: async () => ({ params: { id: await cls.in() }, json: { org: 'ha-tinh', name: uniq('Người được đề cử') } }) } },
      { route: 'POST /api/trainings/{id}/nominees/{nid}', allow: ALLOW,
        in: async () => decide(await cls.in(), 'nghe-an'), out: { province: async () => decide(await cls.out(), 'ha-tinh') } },
      { route: 'POST /api/trainings/{id}/sessions/{sid}/attendance', allow: ALLOW,
        in: () => attendance('nghe-an'), out: { province: () => attendance('ha-tinh') } },
      { route: 'POST /api/trainings/{id}/certificates', allow: ALLOW,
        in: () => certify('nghe-an'), out: { province: () => certify('ha-tinh') } },
      { route: 'POST /api/trainings/{id}/materials', allow: ALLOW,
        in: async () => ({ params: { id: await cls.in() }, ...file() }), out: { province: async () => ({ params: { id: await cls.out() }, ...file() }) } },
      // The preview keeps the sheet (a write); a row of a unit outside the caller's subtree is refused by name.
      { route: 'POST /api/trainings/{id}/import', allow: ALLOW, refuse: { 422: /ngoài phạm vi/ },
        in: async () => ({ params: { id: await cls.in() }, ...roster('nghe-an') }),
        out: { province: async () => ({ params: { id: await cls.in() }, ...roster('ha-tinh') }) } },
      ];
    })(),
  // Account basics (issue 15). One's own name and password: every account, only its own (the routes name no other
  // account; a body naming one is ignored, tested in account_self.test.mjs). Deleting one's account: a learner only
  // (staff accounts are their unit's); the control deletes a fresh learner, signed in on the learner's client for that
  // one request only. Reset links by e-mail: anyone (the answer is the same for every address). An admin's reset link:
  // Nghệ An's admin for Nghệ An's staff, never for Hà Tĩnh's nor for an account also holding a role outside Nghệ An.
  ...(() => {
    const ALL = ['learner', 'officer_in', 'officer_out', 'admin_in', 'mod_in', 'mod_out'];
    const pwOf = (who) => (['officer_in', 'learner'].includes(who) ? 'dxday-demo-2026' : PW);
    async function freshLearner() {
      const email = `${uniq('mt-xoa')}@example.vn`;
      const c = await new OwnClient(srv.url).publicToken();
      await must(c.post('/api/signup', { json: { name: 'Học viên sẽ xóa', login: email, password: PW } }), 'learner to delete');
      const f = await new OwnClient(srv.url).login(email, PW);
      const home = x.c.learner, post = f.post.bind(f);
      f.post = async (...a) => { try { return await post(...a); } finally { x.c.learner = home; } };
      x.c.learner = f;
    }
    return [
      { route: 'POST /api/me/name', allow: ALL, noScope: 'one\'s own account only: the route names no other',
        in: () => ({ json: { name: uniq('Tên ma trận') } }) },
      { route: 'POST /api/me/password', allow: ALL, noScope: 'one\'s own account only, with its current password',
        in: (who) => ({ json: { current: pwOf(who), password: pwOf(who) } }) },
      { route: 'POST /api/me/delete', allow: ['learner'], noScope: 'one\'s own learner account only; staff accounts are refused',
        in: async (who) => { if (who === 'learner') await freshLearner(); return { json: { password: who === 'learner' ? PW : pwOf(who) } }; } },
      { route: 'POST /api/password/forgot', public: 'anyone may ask for a link: the answer is the same for every address, the link goes to the owner' },
      { route: 'POST /api/password/reset', public: 'whoever holds a valid link sets that account\'s password' },
      { route: 'POST /api/users/{id}/password-reset', allow: ['admin_in'],
        in: async () => ({ params: { id: (await userWithRole('so-tttt-nghe-an')).id } }),
        out: { province: async () => ({ params: { id: (await userWithRole('ha-tinh')).id } }),
               wider: async () => { const u = await userWithRole('so-tttt-nghe-an');
                                    await must(x.c.national.post(`/api/users/${u.id}/roles`, { json: { role: 'admin', org: 'ha-tinh' } }), 'wider role');
                                    return { params: { id: u.id } }; } } },
    ];
  })(),
  // Knowledge contests (issue 17): any signed-in account takes part for itself (a profile asked once, its own attempt);
  // the public may not start or submit. Each cell gets a fresh open round of the demo contest, so every control writes.
  { route: 'POST /api/contests/{slug}/rounds/{n}/start', allow: ACCOUNTS, noScope: 'a participant starts only their own attempt',
    in: () => ({ params: { slug: QC_SLUG, n: qcRound() }, json: { name: 'Người dự thi ma trận', province: 'nghe-an', age_band: '25-34' } }) },
  { route: 'POST /api/contests/{slug}/rounds/{n}/answers', allow: ACCOUNTS, noScope: 'a participant submits only their own attempt',
    in: async (role) => {
      const n = qcRound();
      await x.c[role]?.post(`/api/contests/${QC_SLUG}/rounds/${n}/start`, { json: { name: 'Người dự thi ma trận', province: 'nghe-an', age_band: '25-34' } });
      return { params: { slug: QC_SLUG, n }, json: { answers: { 1: true } } };
    } },
  // Plan targets and plan edits (issues 14, 15): an actual value of a target is reported by officers and admins of the
  // monitoring agency or above it (Nghệ An's here); no moderator, learner, the public, nor anyone of another province,
  // and nobody here for Hà Tĩnh's target. A saved plan is edited by its owner: who saved it, a coordinator or admin over
  // its issuer, or the centre; not an officer who did not save it, nor anyone outside, nor anyone here for Hà Tĩnh's.
  { route: 'POST /api/plans/{id}/targets/{target}/values', allow: ['officer_in', 'admin_in'],
    in: async () => ({ params: await targetOf('nghe-an'), json: { year: 2026, value: String(Math.floor(Math.random() * 1e6) / 10) } }),
    out: { province: async () => ({ params: await targetOf('ha-tinh'), json: { year: 2026, value: String(Math.floor(Math.random() * 1e6) / 10) } }) } },
  { route: 'POST /api/plans/{id}/edit', allow: ['admin_in'],
    in: async () => ({ params: { id: (await targetOf('nghe-an')).id }, json: { title: uniq('Kế hoạch chỉ tiêu sửa') } }),
    out: { province: async () => ({ params: { id: (await targetOf('ha-tinh')).id }, json: { title: uniq('Kế hoạch chỉ tiêu sửa') } }) } },
  // Expert network (issue 18): a unit's officers (or its admin) nominate experts and ask for one for their subtree only;
  // matching is the centre's or the requesting unit's parent's (the "in" request is a ward of Nghệ An's; the "out" one
  // Hà Tĩnh's, whose parent is the nation); decisions on profiles, the import, answers given by phone and activities for
  // any expert are the centre's. No moderator, learner, other province nor the public may do any of it; an expert's own
  // writes (their profile, answers, activities) are tested in expert_profiles and expert_requests.test.mjs.
  { route: 'POST /api/experts', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: expertBody({ org: 'nghe-an' }) }),
    out: { province: () => ({ json: expertBody({ org: 'ha-tinh' }) }) } },
  { route: 'POST /api/experts/{id}', allow: [], noScope: 'an expert edits only their own profile; the centre any profile',
    in: () => ({ params: { id: approvedExpertId() }, json: { bio: uniq('Giới thiệu ma trận') } }) },
  { route: 'POST /api/experts/{id}/status', allow: [], noScope: NATIONAL + ' (the centre decides on profiles)',
    in: async (role, fresh) => ({ params: { id: fresh || !x.ids.expertPending ? (x.ids.expertPending = await nominee()) : x.ids.expertPending },
                                  json: { status: 'paused', reason: 'Tạm dừng để thử ma trận.' } }) },
  { route: 'POST /api/experts/import', allow: [], noScope: NATIONAL + ' (the centre imports its list)',
    in: () => ({ multipart: { fields: {}, files: { file: { bytes: Buffer.from(`Họ và tên,Tỉnh/thành phố,Lĩnh vực\r\n${uniq('Chuyên gia nhập')},Nghệ An,Dữ liệu\r\n`), type: 'text/csv', name: 'chuyen-gia.csv' } } } }) },
  { route: 'POST /api/expert-requests', allow: ['officer_in', 'admin_in'],
    in: () => ({ json: expertAsk('nghe-an') }),
    out: { province: () => ({ json: expertAsk('ha-tinh') }) } },
  { route: 'POST /api/expert-requests/{id}/match', allow: ['officer_in', 'admin_in'],
    in: async () => ({ params: { id: await expertRequest('demo-vinh-1') }, json: { expert_ids: [approvedExpertId()] } }),
    out: { province: async () => ({ params: { id: await expertRequest('ha-tinh') }, json: { expert_ids: [approvedExpertId()] } }) } },
  { route: 'POST /api/expert-requests/{id}/answer', allow: [], noScope: 'only the expert proposed answers; the centre records an answer given by phone',
    in: async (role, fresh) => ({ params: { id: fresh || !x.ids.expertAnswer ? (x.ids.expertAnswer = await expertRequest('nghe-an', true)) : x.ids.expertAnswer },
                                  json: { decision: 'accept', expert_id: approvedExpertId() } }) },
  { route: 'POST /api/expert-activities', allow: [], noScope: 'an expert records their own activities; the centre any expert\'s',
    in: () => ({ json: { expert_id: approvedExpertId(), kind: 'seminar', held_on: iso(0), org: 'nghe-an', participants: 10 } }) },
  // experts2 (issue 18): a nominee's account is given by the centre or an officer of the unit that nominated them (a
  // Hà Tĩnh nominee is out of scope here); a class is edited or cancelled by its organising unit's officers only; no
  // moderator, learner, other province nor the public may do either. Each success uses its target up: fresh each time.
  ...(() => {
    const upcoming = (org) => ({ title: uniq('Lớp ma trận sửa'), audience: 'officials', org, starts_on: iso(5), ends_on: iso(6), place: 'Vinh',
                                 capacity: 100, min_sessions: 1, sessions: [{ starts_at: `${iso(5)}T08:00` }, { starts_at: `${iso(6)}T08:00` }] });
    const klass = async (org) => (await must(x.c.national.post('/api/trainings', { json: upcoming(org) }), 'training')).data.id;
    const nominated = async (org) => (await must(x.c.national.post('/api/experts', { json: expertBody({ org }) }), 'nominee')).data.id;
    const acct = () => ({ email: `${uniq('mt-cg').toLowerCase()}@dxday.vn`, password: PW });
    return [
      { route: 'POST /api/experts/{id}/account', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { id: await nominated('nghe-an') }, json: acct() }),
        out: { province: async () => ({ params: { id: await nominated('ha-tinh') }, json: acct() }) } },
      { route: 'POST /api/trainings/{id}', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { id: await klass('nghe-an') }, json: upcoming('nghe-an') }),
        out: { province: async () => ({ params: { id: await klass('ha-tinh') }, json: upcoming('ha-tinh') }) } },
      { route: 'POST /api/trainings/{id}/cancel', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { id: await klass('nghe-an') }, json: { reason: 'Hủy để thử ma trận.' } }),
        out: { province: async () => ({ params: { id: await klass('ha-tinh') }, json: { reason: 'Hủy để thử ma trận.' } }) } },
    ];
  })(),
  // Contests in the browser (issue 17, second round: contests2). A contest's definition is its organiser's: officers
  // and admins of the organising unit (Nghệ An's here) or the centre; no moderator, learner, the public nor another
  // province's officer, and nobody here for Hà Tĩnh's. The same for knowledge contests, their rounds and questions.
  ...(() => {
    const later = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 19) + 'Z';
    const def = (org) => ({ slug: uniq('mt-giai2').toLowerCase(), org, title: 'Giải ma trận hai', opens_at: '2020-01-01T00:00:00Z', closes_at: '2099-01-01T00:00:00Z',
      categories: [{ code: 'a', name: 'A', eligible: ['enterprise'] }], criteria: [{ code: 'k', name: 'K', weight: 1 }], rounds: [{ name: 'Vòng 1', kind: 'final' }] });
    const award = async (org) => (await must(x.c.national.post('/api/contests', { json: def(org) }), 'contest')).data.slug;
    const quiz = async (org) => {
      const slug = uniq('mt-tim-hieu').toLowerCase();
      await must(x.c.national.post('/api/quiz-contests/new', { json: { slug, org, title: 'Tìm hiểu ma trận', opens_at: later(0), closes_at: later(30) } }), 'quiz contest');
      await must(x.c.national.post(`/api/quiz-contests/${slug}/rounds`, { json: { title: 'Vòng 1', opens_at: later(2), closes_at: later(9), time_limit_s: 300 } }), 'round');
      await must(x.c.national.post(`/api/quiz-contests/${slug}/rounds/1/questions`, { form: { kind: 'truefalse', prompt: 'Đúng hay sai?', answer: 'Đúng' } }), 'question');
      return slug;
    };
    const round = { title: 'Vòng ma trận', opens_at: later(3), closes_at: later(10), time_limit_s: 600 };
    const question = { kind: 'truefalse', prompt: 'Câu ma trận', answer: 'Sai' };
    return [
      { route: 'POST /api/contests/new', allow: ['officer_in', 'admin_in'],
        in: () => ({ json: def('nghe-an') }), out: { province: () => ({ json: def('ha-tinh') }) } },
      { route: 'POST /api/contests/{slug}/definition', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await award('nghe-an') }, json: { ...def('nghe-an'), slug: undefined, title: 'Giải đã sửa' } }),
        out: { province: async () => ({ params: { slug: await award('ha-tinh') }, json: { ...def('ha-tinh'), slug: undefined, title: 'Giải đã sửa' } }) } },
      { route: 'POST /api/quiz-contests/new', allow: ['officer_in', 'admin_in'],
        in: () => ({ json: { slug: uniq('mt-th').toLowerCase(), org: 'nghe-an', title: 'Tìm hiểu', opens_at: later(0), closes_at: later(20) } }),
        out: { province: () => ({ json: { slug: uniq('mt-th').toLowerCase(), org: 'ha-tinh', title: 'Tìm hiểu', opens_at: later(0), closes_at: later(20) } }) } },
      { route: 'POST /api/quiz-contests/{slug}/rounds', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await quiz('nghe-an') }, json: round }), out: { province: async () => ({ params: { slug: await quiz('ha-tinh') }, json: round }) } },
      { route: 'POST /api/quiz-contests/{slug}/rounds/{n}', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await quiz('nghe-an'), n: 1 }, json: round }), out: { province: async () => ({ params: { slug: await quiz('ha-tinh'), n: 1 }, json: round }) } },
      { route: 'POST /api/quiz-contests/{slug}/rounds/{n}/questions', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await quiz('nghe-an'), n: 1 }, multipart: { fields: question } }), out: { province: async () => ({ params: { slug: await quiz('ha-tinh'), n: 1 }, multipart: { fields: question } }) } },
      { route: 'POST /api/quiz-contests/{slug}/rounds/{n}/questions/{seq}', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await quiz('nghe-an'), n: 1, seq: 1 }, multipart: { fields: question } }), out: { province: async () => ({ params: { slug: await quiz('ha-tinh'), n: 1, seq: 1 }, multipart: { fields: question } }) } },
      { route: 'POST /api/quiz-contests/{slug}/rounds/{n}/questions/{seq}/delete', allow: ['officer_in', 'admin_in'],
        in: async () => ({ params: { slug: await quiz('nghe-an'), n: 1, seq: 1 } }), out: { province: async () => ({ params: { slug: await quiz('ha-tinh'), n: 1, seq: 1 } }) } },
    ];
  })(),
];

// Expert network targets: a profile body, a demo expert who is approved and accepts requests, a pending nominee, and a
// request of a unit (made by the national admin), matched to that expert when asked.
const expertBody = (over = {}) => ({ name: uniq('Chuyên gia ma trận'), province: 'nghe-an', fields: ['data'], ...over });
const approvedExpertId = () => (x.ids.expertApproved ??= +sql("SELECT MIN(id) FROM expert WHERE status = 'approved' AND accepts_requests = 1"));
const nominee = async () => (await must(x.c.national.post('/api/experts', { json: expertBody({ org: 'nghe-an' }) }), 'nominee')).data.id;
const expertAsk = (org) => ({ org, topic: uniq('Yêu cầu ma trận'), field: 'data', starts_on: iso(3), ends_on: iso(4), mode: 'online' });
async function expertRequest(org, matched = false) {
  const id = (await must(x.c.national.post('/api/expert-requests', { json: expertAsk(org) }), `request of ${org}`)).data.id;
  if (matched) await must(x.c.national.post(`/api/expert-requests/${id}/match`, { json: { expert_ids: [approvedExpertId()] } }), 'match');
  return id;
}

// A plan of the province's with one target monitored by its own People's Committee, saved once by the centre.
async function targetOf(code) {
  const key = `target_${code}`;
  if (!x.ids[key]) {
    const issuer = sql(`SELECT name FROM org_unit WHERE code = '${code}'`);
    const plan = planBody({ issuer, targets: [{ ref: '1', indicator: 'Tỷ lệ hồ sơ trực tuyến', measure: '%', value: '≥ 50 %', op: 'ge', lo: 50,
      year: 2026, agency: issuer, agency_id: orgId(code) }] });
    Object.assign(plan.tasks[0], { lead: [issuer], lead_ids: [orgId(code)], partners: [], partner_ids: [] });
    const id = (await must(x.c.national.post('/api/plans', { json: { plan } }), `a plan with a target of ${code}`)).data.id;
    const target = (await must(x.c.national.get(`/api/plans/${id}`), 'its targets')).data.plan.targets[0].id;
    x.ids[key] = { id, target };
  }
  return x.ids[key];
}

// A new open round of the demo knowledge contest with one true/false question; its number.
const QC_SLUG = 'tim-hieu-chuyen-doi-so';
function qcRound() {
  const w = (q) => sqlOn(srv.db, q);
  const at = (ms) => new Date(Date.now() + ms).toISOString().slice(0, 19) + 'Z';
  const id = +w(`INSERT INTO quiz_round (contest_id, n, title, opens_at, closes_at, time_limit_s)
    SELECT c.id, (SELECT MAX(r.n) + 1 FROM quiz_round r WHERE r.contest_id = c.id), 'Vòng ma trận', '${at(-3600e3)}', '${at(3600e3)}', 600
    FROM contest c WHERE c.slug = '${QC_SLUG}' RETURNING id`);
  w(`INSERT INTO contest_question (round_id, seq, kind, prompt, answer) VALUES (${id}, 1, 'truefalse', 'Câu ma trận.', 'true')`);
  return +w(`SELECT n FROM quiz_round WHERE id = ${id}`);
}

// A guidance entry for a team of the province's (made once, with portable SQL: the teams' pages are not needed here).
function guidanceEntry(province) {
  const key = `guidanceTeam_${province}`;
  x.ids[key] ??= +sqlOn(srv.db, `INSERT INTO cdt_team (org_id, name, name_folded, active, founded_on, created_at)
    SELECT id, 'Tổ ma trận ${province}', 'to ma tran ${province}', 1, '2020-01-01', '2026-01-01T00:00:00Z' FROM org_unit
    WHERE code = '${province}' RETURNING id`);
  const day = new Date(Date.now() + 7 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  return { client_id: crypto.randomUUID(), team_id: x.ids[key], day, place: 'Thôn ma trận', people: 3, services: ['vneid'] };
}

// ---- running it -----------------------------------------------------------------------------------------------------

const keyOf = (r) => `${r.method} ${r.api ?? r.page}`;
const isWrite = (r) => r.method !== 'GET' && r.method !== 'HEAD';

function refused(row, res) {
  if ([401, 403, 404].includes(res.status)) return true;
  if ([302, 303].includes(res.status) && /^\/dang-nhap/.test(res.location || '')) return true;
  const m = row.refuse?.[res.status];
  return !!m && m.test(res.text);
}

async function cell(pattern, who, make, fresh) {
  const t = await make(who, fresh);
  const before = await x.fp.take();
  const res = await send(x.c[who], pattern, t);
  const wrote = changed(before, await x.fp.take());
  return { res, wrote };
}

function describe(res) { return `${res.status} ${(res.location || res.text.replace(/\s+/g, ' ')).slice(0, 160)}`; }

async function checkRow(routeInfo, row) {
  const pattern = routeInfo.api ?? routeInfo.page;
  const problems = [];
  const variants = [['in', row.in], ...Object.entries(row.out || {}).map(([k, f]) => [`out:${k}`, f])];
  if (row.query) {
    for (const who of ROLES) {
      const { res, wrote } = await cell(pattern, who, row.in, false);
      if (res.status !== 200) problems.push(`${who}: expected 200, got ${describe(res)}`);
      if (wrote.length) problems.push(`${who}: a QUERY route wrote ${wrote.join(', ')}`);
    }
    return problems;
  }
  let fresh = false;
  for (const [scope, make] of variants)
    for (const who of ROLES) {
      if (scope === 'in' && row.allow.includes(who)) continue;
      const { res, wrote } = await cell(pattern, who, make, fresh);
      const ok = refused(row, res);
      if (!ok || wrote.length)
        problems.push(`${who} ${scope}: should be refused; got ${describe(res)}${wrote.length ? `; WROTE ${wrote.join(', ')}` : ''}`);
      fresh = wrote.length > 0;   // a wrongly accepted request may have used its target up
    }
  // The page twin answers a form post through the same handler; the public is sent to sign in, a learner refused.
  if (routeInfo.page && routeInfo.api)
    for (const who of ['anonymous', 'learner'].filter((w) => !row.allow.includes(w))) {
      const { res, wrote } = await cell(routeInfo.page, who, row.in, fresh);
      if (!refused(row, res) || wrote.length)
        problems.push(`${who} in (page ${routeInfo.page}): should be refused; got ${describe(res)}${wrote.length ? `; WROTE ${wrote.join(', ')}` : ''}`);
    }
  // Controls: who may succeed does, and writes; where nobody here may, the national admin does (in and out).
  const controls = row.allow.length ? row.allow.map((w) => [w, 'in', row.in]) : [['national', 'in', row.in]];
  for (const [scope, make] of variants.slice(1)) controls.push(['national', scope, make]);
  for (const [who, scope, make] of controls) {
    const { res, wrote } = await cell(pattern, who, make, true);
    const success = res.status < 300 || ([302, 303].includes(res.status) && !/^\/dang-nhap/.test(res.location || ''));
    if (!success || !wrote.length)
      problems.push(`control ${who} ${scope}: should succeed and write; got ${describe(res)}${wrote.length ? '' : ', wrote nothing'}`);
  }
  return problems;
}

let ROUTES = [];
before(async () => {
  ROUTES = routes();
  srv = await startServer();
  x = { c: {}, ids: {}, fp: new Fingerprints(srv.db) };
  const c = (who) => (x.c[who] = new OwnClient(srv.url));
  await c('national').login('admin@dxday.vn', 'dxday-admin-2026');
  const accounts = { officer_out: ['officer', 'thanh-hoa'], admin_in: ['admin', 'nghe-an'], mod_in: ['moderator', 'nghe-an'], mod_out: ['moderator', 'thanh-hoa'] };
  for (const [who, [role, org]] of Object.entries(accounts)) {
    const email = `${uniq(who.replace('_', '-'))}@dxday.vn`;
    await must(x.c.national.post('/api/users', { json: { email, name: `Ma trận ${who}`, password: PW, role, org } }), who);
    await c(who).login(email, PW);
  }
  await c('officer_in').login('nghean@dxday.vn', 'dxday-demo-2026');
  await c('learner').login('hocvien@dxday.vn', 'dxday-demo-2026');
  await c('anonymous').publicToken();

  x.ids.planNgheAn = +sql("SELECT id FROM plan WHERE issuer_id = (SELECT id FROM org_unit WHERE code = 'nghe-an') ORDER BY id LIMIT 1");
  x.ids.planNational = +sql("SELECT id FROM plan WHERE parent_id IS NULL AND issuer_id <> (SELECT id FROM org_unit WHERE code = 'nghe-an') ORDER BY id LIMIT 1");
  const haTinh = planBody({ issuer: sql("SELECT name FROM org_unit WHERE code = 'ha-tinh'") });
  Object.assign(haTinh.tasks[0], { lead: [haTinh.issuer], lead_ids: [orgId('ha-tinh')], partners: [], partner_ids: [] });
  x.ids.planHaTinh = (await must(x.c.national.post('/api/plans', { json: { plan: haTinh } }), 'a plan of Hà Tĩnh')).data.id;
  const leadOnly = (code) => `SELECT task_id FROM task_unit tu JOIN org_unit o ON o.id = tu.org_id GROUP BY task_id
    HAVING sum(CASE WHEN o.code = '${code}' AND tu.role = 'lead' THEN 1 ELSE 0 END) > 0
      AND sum(CASE WHEN o.code = 'ha-tinh' THEN 1 ELSE 0 END) = 0 ORDER BY task_id LIMIT 1`;
  x.ids.taskNgheAn = +sql(leadOnly('nghe-an'));
  x.ids.taskNational = +sql(`SELECT task_id FROM task_unit tu JOIN org_unit o ON o.id = tu.org_id GROUP BY task_id
    HAVING sum(CASE WHEN o.path LIKE '/1/120/%' OR o.path LIKE '/1/119/%' THEN 1 ELSE 0 END) = 0 ORDER BY task_id LIMIT 1`);
  x.ids.taskShared = +sql(`SELECT task_id FROM task_unit tu JOIN org_unit o ON o.id = tu.org_id GROUP BY task_id
    HAVING sum(CASE WHEN o.code = 'nghe-an' THEN 1 ELSE 0 END) > 0 AND sum(CASE WHEN o.code = 'ha-tinh' THEN 1 ELSE 0 END) > 0 ORDER BY task_id LIMIT 1`);
  for (const k of ['planNgheAn', 'planNational', 'taskNgheAn', 'taskNational', 'taskShared']) assert.ok(x.ids[k] > 0, `demo data: ${k}`);

  x.ids.form = await newForm();
  const fe = formDef(uniq('mt-sua').toLowerCase());
  x.ids.formEdit = { id: (await must(x.c.national.post('/api/forms', { json: fe }), 'form to edit')).data.id, code: fe.code };
  const asked = await must(x.c.anonymous.post('/api/ask/editors', { json: { q: 'Ngày Chuyển đổi số quốc gia năm nay tổ chức ở đâu?' } }), 'question');
  x.ids.question = asked.data.id;
  const art = await must(x.c.national.post('/api/articles', { json: { title: uniq('Tin gốc'), summary: 'Tóm tắt', body_md: 'Nội dung.', status: 'draft' } }), 'article');
  x.ids.article = art.data.article.slug;
  x.ids.course = uniq('mt-khoa-goc').toLowerCase();
  await must(x.c.national.post('/api/admin/courses', { json: { slug: x.ids.course, title: 'Khóa học của ma trận', audience: 'citizen', area: 1 } }), 'course');
  const zip = await fetch(`${srv.url}/api/admin/courses/${x.ids.course}/export`, { headers: { cookie: x.c.national.cookieHeader() } });
  assert.equal(zip.status, 200, 'course export');
  x.ids.courseZip = Buffer.from(await zip.arrayBuffer());
  x.ids.plainUser = (await must(x.c.national.post('/api/users', { json: { email: `${uniq('mt-nguoi')}@dxday.vn`, name: 'Người chưa có vai trò', password: PW } }), 'plain user')).data.id;
});

after(async () => {
  if (!srv) return;
  x?.fp.close();
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report from the matrix's own server:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('every state-changing route has exactly one row in the authorisation matrix', () => {
  const writes = ROUTES.filter(isWrite).map(keyOf);
  const rows = MATRIX.map((r) => r.route);
  const missing = writes.filter((k) => !rows.includes(k));
  const stale = rows.filter((k) => !writes.includes(k));
  const twice = rows.filter((k, i) => rows.indexOf(k) !== i);
  assert.ok(writes.length > 30, 'dxday routes lists the state-changing routes');
  assert.deepEqual(missing, [], `state-changing routes with no row in tests/http/authz_matrix.test.mjs (add one: who may call it, in and out of scope): ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `matrix rows for routes that no longer exist: ${stale.join(', ')}`);
  assert.deepEqual(twice, [], `routes with two rows: ${twice.join(', ')}`);
  for (const r of MATRIX) {
    assert.ok(r.public || r.query || (Array.isArray(r.allow) && r.in), `${r.route}: needs allow and in, or public/query`);
    assert.ok(r.public || r.query || r.out || r.noScope, `${r.route}: needs out-of-scope targets, or noScope saying why there are none`);
    for (const w of r.allow || []) assert.ok(ROLES.includes(w), `${r.route}: unknown role ${w}`);
  }
});

// One test per row, one request at a time so each fingerprint sees only its own request. Public rows have none: the
// first test holds them to a reason.
for (const row of MATRIX.filter((r) => !r.public)) {
  test(`authz: ${row.route}`, async () => {
    const info = ROUTES.find((r) => keyOf(r) === row.route);
    assert.ok(info, `${row.route} is not in dxday routes`);
    const problems = await checkRow(info, row);
    if (problems.length) assert.fail(`${row.route}:\n  ${problems.join('\n  ')}`);
  });
}
