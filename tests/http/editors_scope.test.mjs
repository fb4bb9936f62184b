// Editorial rights are scoped like every other role: a unit's admin or moderator acts on its own subtree only, and
// national content (news, the identity kit and message, courses, editors' questions) needs a role held on 'vn'.
// Each refusal is checked in the database too: nothing was written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Client, OFFICER, skip as noServer, uniq } from './lib.mjs';
import { TEST_DB as DB, q, sql } from './db.mjs';

const skip = noServer || (DB ? false : 'DXDAY_TEST_DB not set: the test reads the database to see nothing was written');
const PW = 'mat-khau-bien-tap-1';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const who = {};   // name -> { email, client, id }
async function account(admin, name, role, org) {
  const email = uniq(name) + '@dxday.vn';
  const r = await admin.post('/api/users', { json: { email, name, password: PW, ...(role ? { role, org } : {}) } });
  assert.equal(r.status, 201, r.text);
  const client = new Client();
  if (role) await client.login(email, PW);
  return { email, client, id: r.data.id };
}

let admin;
before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
  who.naAdmin = await account(admin, 'qt-nghean', 'admin', 'nghe-an');
  who.naMod = await account(admin, 'kd-nghean', 'moderator', 'nghe-an');
  who.htMod = await account(admin, 'kd-hatinh', 'moderator', 'ha-tinh');
  who.natMod = await account(admin, 'kd-trunguong', 'moderator', 'vn');
  who.htOfficer = await account(admin, 'cb-hatinh', 'officer', 'ha-tinh');
  who.naSub = await account(admin, 'cb-sotttt-nghean', 'officer', 'so-tttt-nghe-an');
  who.nobody = await account(admin, 'hoc-vien', null, null);
});
const local = () => [['naAdmin', who.naAdmin], ['naMod', who.naMod], ['htMod', who.htMod]];

test('a unit admin lists only accounts holding a role in its subtree; moderators list none', { skip }, async () => {
  const r = await who.naAdmin.client.get('/api/users');
  assert.equal(r.status, 200, r.text);
  const emails = r.data.items.map((u) => u.email);
  assert.ok(emails.includes(OFFICER[0]), 'the province officer is in the list');
  assert.ok(emails.includes(who.naSub.email), 'so is a unit below the province');
  for (const outside of [who.htOfficer.email, who.htMod.email, who.natMod.email, who.nobody.email, ADMIN[0], 'dieuphoi@dxday.vn'])
    assert.ok(!r.text.includes(outside), `${outside} is not shown to a province admin`);
  const html = await who.naAdmin.client.get('/quan-tri/tai-khoan');
  assert.equal(html.status, 200);
  assert.ok(!html.text.includes(who.htOfficer.email) && !html.text.includes(who.nobody.email), 'nor on the page');
  for (const m of [who.naMod, who.htMod, who.natMod]) assert.equal((await m.client.get('/api/users')).status, 403);
  const all = (await admin.get('/api/users')).data.items.map((u) => u.email);
  assert.ok(all.includes(who.htOfficer.email) && all.includes(who.nobody.email), 'the national admin sees everyone');
});

test('a unit admin grants and revokes roles only within its subtree, on accounts it can see', { skip }, async () => {
  const c = who.naAdmin.client;
  const roles = (id) => sql(`SELECT role || '@' || o.code FROM user_role ur JOIN org_unit o ON o.id = ur.org_id WHERE ur.user_id = ${id} ORDER BY ur.id`);
  for (const org of ['ha-tinh', 'vn']) {
    assert.equal((await c.post(`/api/users/${who.naSub.id}/roles`, { json: { role: 'officer', org } })).status, 403, org);
  }
  assert.equal(roles(who.naSub.id), 'officer@so-tttt-nghe-an', 'nothing granted outside');
  // An account with no role in the subtree cannot be pulled in: that would show its e-mail.
  const pull = await c.post(`/api/users/${who.htOfficer.id}/roles`, { json: { role: 'officer', org: 'nghe-an' } });
  assert.ok([403, 404].includes(pull.status), pull.text);
  assert.ok(!pull.text.includes(who.htOfficer.email));
  assert.equal(roles(who.htOfficer.id), 'officer@ha-tinh');
  const rid = sql(`SELECT id FROM user_role WHERE user_id = ${who.htOfficer.id}`);
  assert.ok([403, 404].includes((await c.post(`/api/users/${who.htOfficer.id}/roles/${rid}/delete`)).status));
  assert.equal(roles(who.htOfficer.id), 'officer@ha-tinh', 'nothing revoked outside');
  // An account working in both provinces: the Nghệ An admin sees it with its Nghệ An role only, and keeps off the other.
  const both = await account(admin, 'cb-hai-tinh', 'officer', 'nghe-an');
  assert.equal((await admin.post(`/api/users/${both.id}/roles`, { json: { role: 'officer', org: 'ha-tinh' } })).status, 200);
  const seen = (await c.get('/api/users')).data.items.find((u) => u.id === both.id);
  assert.deepEqual(seen.roles.map((x) => x.org_code), ['nghe-an']);
  const htRole = sql(`SELECT ur.id FROM user_role ur JOIN org_unit o ON o.id = ur.org_id WHERE ur.user_id = ${both.id} AND o.code = 'ha-tinh'`);
  assert.equal((await c.post(`/api/users/${both.id}/roles/${htRole}/delete`)).status, 403);
  assert.equal(roles(both.id), 'officer@nghe-an\nofficer@ha-tinh', 'the Hà Tĩnh role stays');
  // An account it makes must hold a role it may give; otherwise it would vanish from its own list.
  const bare = await c.post('/api/users', { json: { email: uniq('x') + '@dxday.vn', name: 'Không vai trò', password: PW } });
  assert.equal(bare.status, 422, bare.text);
  const ok = await c.post(`/api/users/${who.naSub.id}/roles`, { json: { role: 'juror', org: 'nghe-an' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(roles(who.naSub.id), 'officer@so-tttt-nghe-an\njuror@nghe-an');
});

test("moderation is scoped: another province's offer is neither shown nor approved", { skip }, async () => {
  const officer = new Client();
  await officer.login(...OFFICER);
  const mk = async (c, org) => {
    const r = await c.post('/api/offers', { json: { org, province: org, title: uniq('Ưu đãi ' + org), body: 'Miễn phí.', sector: 'khac' } });
    assert.equal(r.status, 201, r.text);
    return r.data.id;
  };
  const na = await mk(officer, 'nghe-an'), ht = await mk(who.htOfficer.client, 'ha-tinh');
  const status = (id) => sql(`SELECT status FROM listing WHERE id = ${id}`);
  const audits = (id) => sql(`SELECT COUNT(*) FROM audit_log WHERE entity = 'listing' AND entity_id = ${q(id)} AND action LIKE 'listing.%' AND action != 'listing.submit'`);
  for (const [name, w] of local()) {
    const other = name === 'htMod' ? na : ht;
    const r = await w.client.post(`/api/moderation/${other}`, { json: { decision: 'approve' } });
    assert.equal(r.status, 403, `${name}: ${r.text}`);
    assert.equal(status(other), 'pending', `${name} wrote nothing`);
    assert.equal(audits(other), '0');
    const queue = await w.client.get('/api/moderation');
    assert.equal(queue.status, 200);
    assert.ok(!queue.data.offers.some((o) => o.id === other), `${name} does not see it in the queue`);
    assert.equal((await w.client.get(`/api/offers/${other}`)).status, 404, `${name} cannot read it before approval`);
  }
  const queue = await who.naMod.client.get('/api/moderation');
  assert.ok(queue.data.offers.some((o) => o.id === na), 'its own province is in its queue');
  const own = await who.naMod.client.post(`/api/moderation/${na}`, { json: { decision: 'approve' } });
  assert.equal(own.status, 200, own.text);
  assert.equal(status(na), 'approved');
  const nat = await who.natMod.client.post(`/api/moderation/${ht}`, { json: { decision: 'reject', note: 'Thiếu thông tin.' } });
  assert.equal(nat.status, 200, nat.text);
  assert.equal(status(ht), 'rejected');
});

test('national news: only a national editor writes it', { skip }, async () => {
  const count = (t) => sql(`SELECT COUNT(*) FROM article WHERE title = ${q(t)}`);
  const title = uniq('Tin toàn quốc');
  const made = await who.natMod.client.post('/api/articles', { json: { title, body_md: 'Nội dung.', status: 'draft' } });
  assert.equal(made.status, 201, made.text);
  const slug = made.data.article.slug;
  for (const [name, w] of local()) {
    const t = uniq('Tin của ' + name);
    const r = await w.client.post('/api/articles', { json: { title: t, body_md: 'Nội dung.', status: 'published' } });
    assert.equal(r.status, 403, `${name}: ${r.text}`);
    assert.equal(count(t), '0', `${name} wrote nothing`);
    const up = await w.client.post(`/api/articles/${slug}`, { json: { title: 'Đã sửa', body_md: 'Sửa.', status: 'published' } });
    assert.equal(up.status, 403, `${name}: ${up.text}`);
    assert.equal(sql(`SELECT status || '|' || title FROM article WHERE slug = ${q(slug)}`), `draft|${title}`);
    assert.equal((await w.client.get(`/api/articles/${slug}`)).status, 404, `${name} cannot read a draft`);
  }
  const pub = await who.natMod.client.post(`/api/articles/${slug}`, { json: { title, body_md: 'Nội dung.', status: 'published' } });
  assert.equal(pub.status, 200, pub.text);
});

test("the Prime Minister's message and the identity kit: national editors only", { skip }, async () => {
  const msg = () => sql("SELECT COALESCE((SELECT text FROM campaign_message WHERE year = 2025), '')");
  const items = () => sql('SELECT COUNT(*) FROM identity_item WHERE year = 2025');
  const was = msg(), n = items();
  for (const [name, w] of local()) {
    const r = await w.client.post('/api/campaigns/2025/message', { json: { text: `Thông điệp giả của ${name}`, signed_by: 'Không phải Thủ tướng' } });
    assert.equal(r.status, 403, `${name}: ${r.text}`);
    assert.equal(msg(), was, `${name} wrote nothing`);
    const fd = new FormData();
    fd.append('title', 'Giả');
    fd.append('file', new Blob([PNG]), 'gia.png');
    const up = await w.client.post('/api/campaigns/2025/identity', { raw: fd });
    assert.equal(up.status, 403, `${name}: ${up.text}`);
    assert.equal(items(), n, `${name} uploaded nothing`);
    const page = await w.client.get('/nam/2025/bo-nhan-dien');
    assert.ok(!page.text.includes('action="/nam/2025/thong-diep"'), `${name} gets no edit form`);
  }
  const text = uniq('Thông điệp năm 2025');
  const ok = await who.natMod.client.post('/api/campaigns/2025/message', { json: { text, signed_by: 'Thủ tướng Chính phủ' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(msg(), text);
});

test('courses are national: a unit editor neither opens the editor nor changes a course', { skip }, async () => {
  const slug = uniq('kh').toLowerCase().replace(/[^a-z0-9]/g, '-').slice(0, 60);
  const made = await who.natMod.client.post('/api/admin/courses', { json: { slug, title: 'Khóa học quốc gia', audience: 'citizen', area: 1 } });
  assert.equal(made.status, 200, made.text);
  const row = () => sql(`SELECT title || '|' || status || '|' || updated_at FROM course WHERE slug = ${q(slug)}`);
  const was = row();
  for (const [name, w] of local()) {
    assert.equal((await w.client.get('/api/admin/courses')).status, 403, name);
    assert.equal((await w.client.get(`/api/admin/courses/${slug}`)).status, 403, name);
    const r = await w.client.post(`/api/admin/courses/${slug}`, { json: { title: `Sửa bởi ${name}`, status: 'open' } });
    assert.equal(r.status, 403, `${name}: ${r.text}`);
    const l = await w.client.post(`/api/admin/courses/${slug}/lessons/bai-1`, { json: { body_md: 'Sửa.' } });
    assert.equal(l.status, 403, `${name}: ${l.text}`);
    const qz = await w.client.post(`/api/admin/courses/${slug}/quizzes`, { json: { quiz_title: 'Kiểm tra', quiz_slug: 'kt' } });
    assert.equal(qz.status, 403, `${name}: ${qz.text}`);
    assert.equal(row(), was, `${name} wrote nothing`);
    assert.equal((await w.client.get(`/api/courses/${slug}`)).status, 404, `${name} cannot read the draft`);
  }
  const ok = await who.natMod.client.post(`/api/admin/courses/${slug}`, { json: { title: 'Khóa học quốc gia (sửa)' } });
  assert.equal(ok.status, 200, ok.text);
  assert.match(row(), /^Khóa học quốc gia \(sửa\)\|draft\|/);
});

test("editors' questions: a unit editor neither reads nor answers them", { skip }, async () => {
  // Put in the inbox directly: asking through /api/ask/editors shares the per-address limit that
  // assistant.test.mjs exhausts on purpose.
  const question = `Câu hỏi ${uniq('ch')} gửi biên tập viên?`;
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  const id = Number(sql(`INSERT INTO asked_question (question, contact, confidence, asked_at) VALUES (${q(question)}, '0912345678', 0.10, ` +
    `${q(now)}) RETURNING id`));
  assert.ok(id > 0);
  const state = () => sql(`SELECT status || '|' || COALESCE(answer, '') FROM asked_question WHERE id = ${id}`);
  for (const [name, w] of local()) {
    const inbox = await w.client.get('/api/questions');
    assert.equal(inbox.status, 403, name);
    assert.ok(!inbox.text.includes('0912345678'), `${name} sees no citizen's contact`);
    const r = await w.client.post(`/api/questions/${id}`, { json: { answer: `Trả lời của ${name}`, faq: 'on' } });
    assert.equal(r.status, 403, `${name}: ${r.text}`);
    assert.equal(state(), 'open|', `${name} wrote nothing`);
  }
  const inbox = await who.natMod.client.get('/api/questions');
  assert.ok(inbox.data.items.some((i) => i.id === id));
  const ok = await who.natMod.client.post(`/api/questions/${id}`, { json: { answer: 'Câu trả lời chính thức.' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(state(), 'answered|Câu trả lời chính thức.');
});
