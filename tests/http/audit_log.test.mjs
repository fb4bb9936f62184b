// The audit log is complete: every editorial change (the Prime Minister's message, a moderation, an article, a course
// edit) leaves exactly one entry, written in the change's own transaction — when the entry cannot be written, the
// change is not written either and the client is told so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COORD, Client, OFFICER, skip as noServer, uniq } from './lib.mjs';
import { PG, TEST_DB as DB, q, sql } from './db.mjs';

const skip = noServer || (DB ? false : 'DXDAY_TEST_DB not set: the test reads the database');
const entries = (entity, id, action) =>
  Number(sql(`SELECT COUNT(*) FROM audit_log WHERE entity = ${q(entity)} AND entity_id = ${q(id)}${action ? ` AND action = ${q(action)}` : ''}`));

async function editor() {
  const c = new Client();
  await c.login(...COORD);
  return c;
}
async function offer() {
  const officer = new Client();
  await officer.login(...OFFICER);
  const r = await officer.post('/api/offers', { json: { org: 'nghe-an', title: uniq('Ưu đãi'), body: 'Miễn phí.', sector: 'khac' } });
  assert.equal(r.status, 201, r.text);
  return r.data.id;
}
const courseSlug = (p) => uniq(p).toLowerCase().replace(/[^a-z0-9]/g, '-').slice(0, 60);

/* While it exists, the audit entry for that entity cannot be written (as a full disk or a broken log would). */
async function refusingAudit(entity, id, fn) {
  const name = `refuse_${entity}_${String(id).replace(/[^a-z0-9]/gi, '_')}`;
  const when = `NEW.entity = ${q(entity)} AND NEW.entity_id = ${q(id)}`;
  if (PG) {
    sql(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$;
         CREATE TRIGGER ${name} BEFORE INSERT ON audit_log FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}();`);
  } else {
    sql(`CREATE TRIGGER ${name} BEFORE INSERT ON audit_log WHEN ${when} BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END;`);
  }
  try { return await fn(); } finally { sql(PG ? `DROP TRIGGER ${name} ON audit_log; DROP FUNCTION ${name}();` : `DROP TRIGGER ${name};`); }
}

test("the message, a moderation, an article and a course edit each leave exactly one audit entry", { skip }, async () => {
  const ed = await editor();
  const before = entries('campaign', '2024', 'campaign.message');
  const msg = await ed.post('/api/campaigns/2024/message', { json: { text: uniq('Thông điệp 2024'), signed_by: 'Thủ tướng Chính phủ' } });
  assert.equal(msg.status, 200, msg.text);
  assert.equal(entries('campaign', '2024', 'campaign.message'), before + 1, 'the message is audited');

  const id = await offer();
  const mod = await ed.post(`/api/moderation/${id}`, { json: { decision: 'approve' } });
  assert.equal(mod.status, 200, mod.text);
  assert.equal(entries('listing', id, 'listing.approve'), 1);
  assert.equal(entries('listing', id), 2, 'its submission and its approval, nothing else');

  const made = await ed.post('/api/articles', { json: { title: uniq('Bài kiểm toán'), body_md: 'Nội dung.', status: 'draft' } });
  assert.equal(made.status, 201, made.text);
  const aid = made.data.article.id;
  assert.equal(entries('article', aid, 'article.create'), 1);
  const up = await ed.post(`/api/articles/${made.data.article.slug}`, { json: { title: made.data.article.title, body_md: 'Sửa.', status: 'published' } });
  assert.equal(up.status, 200, up.text);
  assert.equal(entries('article', aid, 'article.update'), 1);
  assert.equal(entries('article', aid), 2);

  const slug = courseSlug('nk');
  const c = await ed.post('/api/admin/courses', { json: { slug, title: 'Khóa học nhật ký', audience: 'citizen', area: 2 } });
  assert.equal(c.status, 200, c.text);
  const cid = sql(`SELECT id FROM course WHERE slug = ${q(slug)}`);
  assert.equal(entries('course', cid, 'course.create'), 1);
  const s = await ed.post(`/api/admin/courses/${slug}`, { json: { title: 'Khóa học nhật ký (sửa)' } });
  assert.equal(s.status, 200, s.text);
  assert.equal(entries('course', cid, 'course.save'), 1);
  assert.equal(entries('course', cid), 2);
});

test('a change whose audit entry cannot be written is not written either', { skip }, async () => {
  const ed = await editor();

  // The message of a year no other test writes.
  const msgBefore = sql("SELECT COALESCE((SELECT text FROM campaign_message WHERE year = 2023), '')");
  const msg = await refusingAudit('campaign', '2023', () =>
    ed.post('/api/campaigns/2023/message', { json: { text: uniq('Không được ghi'), signed_by: 'X' } }));
  assert.ok(msg.status >= 500, `message: ${msg.status} ${msg.text}`);
  assert.equal(sql("SELECT COALESCE((SELECT text FROM campaign_message WHERE year = 2023), '')"), msgBefore, 'the message is unchanged');

  const id = await offer();
  const mod = await refusingAudit('listing', id, () => ed.post(`/api/moderation/${id}`, { json: { decision: 'approve' } }));
  assert.ok(mod.status >= 500, `moderation: ${mod.status} ${mod.text}`);
  assert.equal(sql(`SELECT status FROM listing WHERE id = ${id}`), 'pending', 'the offer is not approved');
  assert.equal((await new Client().get(`/api/offers/${id}`)).status, 404, 'nor public');

  const title = uniq('Bài không sửa được');
  const made = await ed.post('/api/articles', { json: { title, body_md: 'Nội dung.', status: 'draft' } });
  assert.equal(made.status, 201, made.text);
  const art = made.data.article;
  const up = await refusingAudit('article', art.id, () =>
    ed.post(`/api/articles/${art.slug}`, { json: { title: 'Đã sửa', body_md: 'Sửa.', status: 'published' } }));
  assert.ok(up.status >= 500, `article: ${up.status} ${up.text}`);
  assert.equal(sql(`SELECT status || '|' || title FROM article WHERE id = ${art.id}`), `draft|${title}`, 'the article is unchanged');

  const slug = courseSlug('nk-loi');
  const c = await ed.post('/api/admin/courses', { json: { slug, title: 'Khóa học giữ nguyên', audience: 'citizen', area: 2 } });
  assert.equal(c.status, 200, c.text);
  const cid = sql(`SELECT id FROM course WHERE slug = ${q(slug)}`);
  const s = await refusingAudit('course', cid, () => ed.post(`/api/admin/courses/${slug}`, { json: { title: 'Không được ghi' } }));
  assert.ok(s.status >= 500, `course: ${s.status} ${s.text}`);
  assert.equal(sql(`SELECT title FROM course WHERE id = ${cid}`), 'Khóa học giữ nguyên', 'the course is unchanged');
  assert.equal(entries('course', cid), 1, 'only its creation is in the log');
});
