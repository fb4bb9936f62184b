// News and special sections: editors write markdown (raw HTML never reaches a reader), publish, and the article is
// public with Open Graph tags, in the Atom feed and in search without diacritics; drafts stay private.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COORD, Client, OFFICER, skip, uniq } from './lib.mjs';

test('an editor publishes markdown; readers get it safe, findable and in the feed', { skip }, async () => {
  const ed = new Client();
  await ed.login(...COORD);
  const word = uniq('xq').replace(/[^a-z0-9]/g, '');
  const body = `## Ưu đãi ${word}\n\nNgười dân được **giảm cước**.<script>alert(1)</script>\n\n[bấm](javascript:alert(2))\n\n| Gói | Giá |\n|---|---|\n| A | 0 |`;
  const draft = await ed.post('/api/articles', { json: { title: `Tháng tiêu dùng số ${word}`, summary: 'Giảm giá dịch vụ số', body_md: body, status: 'draft' } });
  assert.equal(draft.status, 201, draft.text);
  const a = draft.data.article;
  assert.ok(!a.body_html.includes('<script'), 'raw HTML is left out');
  assert.ok(!a.body_html.includes('javascript:'), 'dangerous links are not made');
  assert.match(a.body_html, /<table>/);
  assert.match(a.body_html, /<strong>giảm cước<\/strong>/);
  const anon = new Client();
  assert.equal((await anon.get(`/tin-tuc/${a.slug}`)).status, 404, 'a draft is not public');
  assert.equal((await anon.get('/api/search?q=' + word)).data.total, 0, 'nor searchable');
  const pub = await ed.post(`/api/articles/${a.slug}`, { json: { title: a.title, summary: a.summary, body_md: body, status: 'published' } });
  assert.equal(pub.status, 200, pub.text);
  const page = await anon.get(`/tin-tuc/${a.slug}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<meta property="og:title" content="Tháng tiêu dùng số/);
  assert.match(page.text, /<meta property="og:type" content="article">/);
  const found = await anon.get('/api/search?q=' + encodeURIComponent(`thang tieu dung so ${word}`));
  assert.equal(found.data.groups[0].kind, 'article');
  // The same query as before publishing: searches are kept by query, but never past a write.
  assert.equal((await anon.get('/api/search?q=' + word)).data.total, 1, 'not the result kept from before publishing');
  const feed = await anon.get('/tin-tuc/atom.xml');
  assert.match(feed.headers.get('content-type'), /application\/atom\+xml/);
  assert.ok(feed.text.includes(`/tin-tuc/${a.slug}`));
});

test('only editors write; bad articles say what is wrong', { skip }, async () => {
  const officer = new Client();
  await officer.login(...OFFICER);
  assert.equal((await officer.post('/api/articles', { json: { title: 'x', body_md: 'y' } })).status, 403);
  const ed = new Client();
  await ed.login(...COORD);
  const bad = await ed.post('/api/articles', { json: { title: '', body_md: '', section: 'khac', status: 'x' } });
  assert.equal(bad.status, 422);
  for (const k of ['title', 'body_md', 'section', 'status']) assert.ok(bad.data.fields[k], k);
  assert.equal((await new Client().get('/tin-tuc?chuyen-muc=khong-co')).status, 404);
});

test('the events calendar as a page and an iCalendar feed; sitemap.xml lists public pages', { skip }, async () => {
  const c = new Client();
  const page = await c.get('/lich');
  assert.equal(page.status, 200);
  assert.match(page.text, /10\/10\/2026/);
  const ics = await c.get('/lich.ics');
  assert.match(ics.headers.get('content-type'), /text\/calendar/);
  assert.ok(ics.text.startsWith('BEGIN:VCALENDAR\r\n'));
  assert.ok(ics.text.includes('DTSTART;VALUE=DATE:20261010'));
  assert.ok(ics.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
  assert.equal((ics.text.match(/BEGIN:VEVENT/g) || []).length, (ics.text.match(/END:VEVENT/g) || []).length);
  const map = await c.get('/sitemap.xml');
  assert.match(map.text, /<urlset/);
  assert.match(map.text, /\/nam\/2024<\/loc>/);
  // Courses and their lessons too (the demo seeds open ones); drafts never.
  assert.match(map.text, /\/khoa-hoc\/thanh-toan-ma-qr<\/loc>/);
  assert.match(map.text, /\/khoa-hoc\/thanh-toan-ma-qr\/[a-z0-9-]+<\/loc>/);
  assert.equal((await c.get('/lich?nam=99')).status, 400);
});
