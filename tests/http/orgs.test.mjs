// The directory of units and the resolver: folded search, kinds, validity on a date, merges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';

const c = new Client();
const names = (r) => r.data.items.map((i) => i.name);

test('34 provinces today, 63 on 10/10/2024', { skip }, async () => {
  const today = await c.get('/api/orgs?kind=province&valid=today&limit=500');
  assert.equal(today.status, 200);
  assert.equal(today.data.total, 34);
  const then = await c.get('/api/orgs?kind=province&valid=2024-10-10&limit=500');
  assert.equal(then.data.total, 63);
  assert.ok(names(then).includes('Hà Giang'));
  assert.ok(!names(today).includes('Hà Giang'));
});

test('search without diacritics finds units by name and alias', { skip }, async () => {
  const hn = await c.get('/api/orgs?q=' + encodeURIComponent('ha noi'));
  assert.equal(hn.status, 200);
  assert.equal(hn.data.items[0].name, 'Hà Nội');
  const bo = await c.get('/api/orgs?q=' + encodeURIComponent('bo tttt'));
  assert.equal(bo.data.items[0].name, 'Bộ Thông tin và Truyền thông');
  const cuc = await c.get('/api/orgs?q=' + encodeURIComponent('cuc chuyen doi so'));
  assert.ok(names(cuc).some((n) => n === 'Cục Chuyển đổi số quốc gia'));
});

test('NFD, upper case and NFC queries find the same units', { skip }, async () => {
  const nfc = await c.get('/api/orgs?q=' + encodeURIComponent('Đà Nẵng'));
  const nfd = await c.get('/api/orgs?q=' + encodeURIComponent('Đà Nẵng'.normalize('NFD')));
  const up = await c.get('/api/orgs?q=' + encodeURIComponent('ĐÀ NẴNG'));
  const plain = await c.get('/api/orgs?q=da+nang');
  assert.ok(nfc.data.total > 0);
  assert.deepEqual(names(nfd), names(nfc));
  assert.deepEqual(names(up), names(nfc));
  assert.deepEqual(names(plain), names(nfc));
});

test('filters: kind, parent, bad input', { skip }, async () => {
  const kids = await c.get('/api/orgs?parent=bo-tttt&limit=500');
  assert.ok(kids.data.total > 5);
  assert.ok(names(kids).includes('Cục Tin học hóa'));
  assert.equal((await c.get('/api/orgs?valid=2024-02-30')).status, 400);
  assert.equal((await c.get('/api/orgs?valid=hom-nay')).status, 400);
  assert.equal((await c.get('/api/orgs?kind=planet')).status, 400);
  assert.equal((await c.get('/api/orgs?parent=khong-co')).status, 400);
  assert.equal((await c.get('/api/orgs?limit=0')).status, 400);
  const none = await c.get('/api/orgs?q=zzzzqqq');
  assert.equal(none.data.total, 0);
});

test('a merged province shows predecessors; an old one its successor', { skip }, async () => {
  const tq = await c.get('/api/orgs/tuyen-quang-2025');
  assert.equal(tq.status, 200);
  const preds = tq.data.org.predecessors.map((p) => p.name).sort();
  assert.deepEqual(preds, ['Hà Giang', 'Tuyên Quang']);
  const hg = await c.get('/api/orgs/ha-giang');
  assert.equal(hg.data.org.valid_to, '2025-06-30');
  assert.deepEqual(hg.data.org.successors.map((s) => s.code), ['tuyen-quang-2025']);
  const byId = await c.get(`/api/orgs/${hg.data.org.id}`);
  assert.equal(byId.data.org.code, 'ha-giang');
  assert.equal((await c.get('/api/orgs/999999')).status, 404);
  const page = await c.get('/don-vi/tuyen-quang-2025');
  assert.match(page.text, /Hình thành từ/);
  assert.match(page.text, /Hà Giang/);
});

test('a unit shows its parent and children', { skip }, async () => {
  const b = await c.get('/api/orgs/bo-tttt');
  assert.equal(b.data.org.parent.code, 'vn');
  assert.ok(b.data.org.children.some((x) => x.code === 'cuc-thh'));
  assert.ok(b.data.org.aliases.includes('BTTTT'));
});

test('the resolver maps written names to units or says it cannot', { skip }, async () => {
  const r = async (q, extra = '') => (await c.get('/api/orgs/resolve?q=' + encodeURIComponent(q) + extra)).data;
  assert.equal((await r('Bộ TT&TT')).org.code, 'bo-tttt');
  assert.equal((await r('BTTTT')).org.code, 'bo-tttt');
  assert.equal((await r('bo thong tin va truyen thong')).org.code, 'bo-tttt');
  assert.equal((await r('Cục THH')).org.code, 'cuc-thh');
  assert.equal((await r('UBND tỉnh Nghệ An')).org.code, 'nghe-an');
  assert.equal((await r('Tuyên Quang', '&date=2024-10-10')).org.code, 'tuyen-quang');
  assert.equal((await r('Tuyên Quang', '&date=2026-01-01')).org.code, 'tuyen-quang-2025');
  assert.equal((await r('Hà Nội'.normalize('NFD'))).org.code, 'ha-noi');
  assert.equal((await r('Không có đơn vị này')).status, 'not_found');
  assert.equal((await c.get('/api/orgs/resolve')).status, 400);
});

test('the directory page lists today\'s units and searches without diacritics', { skip }, async () => {
  const p = await c.get('/don-vi');
  assert.equal(p.status, 200);
  assert.match(p.text, /Bộ Thông tin và Truyền thông|Bộ Khoa học và Công nghệ/);
  const s = await c.get('/don-vi?q=ha+noi');
  assert.match(s.text, />Hà Nội</);
});
