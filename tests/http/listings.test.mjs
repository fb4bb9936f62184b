// Offers for citizens and activities for the Day: a unit's officer sends one in, it stays private until a moderator
// approves it, then the catalogue shows it, filters by sector, province and "valid today" work, and search finds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COORD, Client, OFFICER, skip, uniq } from './lib.mjs';

const iso = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

test('an offer goes from a unit through moderation to the public catalogue', { skip }, async () => {
  const officer = new Client();
  await officer.login(...OFFICER);
  const word = uniq('uudai').replace(/[^a-z0-9]/g, '');
  const offer = { org: 'nghe-an', title: `Miễn phí chữ ký số ${word}`, body: 'Người dân <b>được</b> miễn phí <script>x</script> một năm.',
                  sector: 'dich-vu-cong', province: 'nghe-an', starts_on: iso(-5), ends_on: iso(30) };
  const sent = await officer.post('/api/offers', { json: offer });
  assert.equal(sent.status, 201, sent.text);
  const id = sent.data.id;
  const anon = new Client();
  assert.equal((await anon.get(`/api/offers/${id}`)).status, 404, 'not public before moderation');
  const mod = new Client();
  await mod.login(...COORD);
  const queue = await mod.get('/api/moderation');
  assert.ok(queue.data.offers.some((o) => o.id === id));
  assert.equal((await officer.post(`/api/moderation/${id}`, { json: { decision: 'approve' } })).status, 403);
  const ok = await mod.post(`/api/moderation/${id}`, { json: { decision: 'approve' } });
  assert.equal(ok.status, 200, ok.text);
  const page = await anon.get(`/uu-dai/${id}`);
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('<script>x'), 'escaped');
  const list = async (qs) => (await anon.get('/api/offers?' + qs)).data.items.map((i) => i.id);
  assert.ok((await list('linh-vuc=dich-vu-cong')).includes(id));
  assert.ok(!(await list('linh-vuc=ngan-hang')).includes(id));
  assert.ok((await list('tinh=nghe-an&con-hieu-luc=1')).includes(id));
  assert.ok(!(await list('tinh=ha-noi')).includes(id));
  const found = await anon.get('/api/search?q=' + encodeURIComponent(`chu ky so ${word}`));
  assert.equal(found.data.groups[0].kind, 'offer');
});

test('offers and activities: wrong role 403, bad fields 422, expired offers leave "valid today"', { skip }, async () => {
  const officer = new Client();
  await officer.login(...OFFICER);
  assert.equal((await officer.post('/api/offers', { json: { org: 'ha-noi', title: 'x', body: 'y', sector: 'khac' } })).status, 403);
  const bad = await officer.post('/api/offers', { json: { org: 'nghe-an', title: '', body: '', sector: 'zz', starts_on: '31/02/2026', url: 'javascript:x' } });
  assert.equal(bad.status, 422);
  for (const k of ['title', 'body', 'sector', 'starts_on', 'url']) assert.ok(bad.data.fields[k], k);
  const act = await officer.post('/api/activities', { json: { org: 'nghe-an', title: 'Ngày hội chuyển đổi số tại Vinh', body: 'Hướng dẫn cài VNeID.', starts_on: '10/10/2026' } });
  assert.equal(act.status, 201, act.text);
  const old = await officer.post('/api/offers', { json: { org: 'nghe-an', title: 'Ưu đãi đã hết', body: 'Hết hạn.', sector: 'khac', starts_on: iso(-30), ends_on: iso(-1) } });
  const mod = new Client();
  await mod.login(...COORD);
  await mod.post(`/api/moderation/${old.data.id}`, { json: { decision: 'approve' } });
  const all = (await new Client().get('/api/offers')).data.items.map((i) => i.id);
  const today = (await new Client().get('/api/offers?con-hieu-luc=1')).data.items.map((i) => i.id);
  assert.ok(all.includes(old.data.id));
  assert.ok(!today.includes(old.data.id));
  assert.equal((await new Client().get('/api/offers?linh-vuc=zz')).status, 400);
});
