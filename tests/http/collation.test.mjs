// One Vietnamese order everywhere units are listed (core/collate.c, org_unit.sort_key): Cà Mau before Cao Bằng, the
// Đ- provinces after the D- and before Gia Lai, Lạng Sơn before Lâm Đồng. Byte order and the folded name got these
// wrong. Either engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, COORD, skip } from './lib.mjs';
import { sql } from './db.mjs';

const opts = { skip };

function inOrder(names, what) {
  const pos = (n) => { const i = names.indexOf(n); assert.ok(i >= 0, `${what}: ${n} is listed`); return i; };
  const want = ['An Giang', 'Cà Mau', 'Cao Bằng', 'Cần Thơ', 'Điện Biên', 'Đồng Tháp', 'Gia Lai', 'Lai Châu', 'Lạng Sơn', 'Lâm Đồng', 'Vĩnh Long'];
  for (let i = 0; i + 1 < want.length; i++)
    assert.ok(pos(want[i]) < pos(want[i + 1]), `${what}: ${want[i]} comes before ${want[i + 1]} (got ${names.join(', ')})`);
}

test('the units directory lists provinces in the Vietnamese order', opts, async () => {
  const r = await new Client().get('/api/orgs?kind=province&limit=200&valid=2026-12-01');
  assert.equal(r.status, 200, r.text);
  inOrder(r.data.items.map((u) => u.name), '/api/orgs');
});

test('a door-to-door campaign form lists the provinces in the Vietnamese order', opts, async () => {
  const c = new Client();
  await c.login(...COORD);
  const page = await c.get('/chien-dich/moi');
  assert.equal(page.status, 200);
  const names = [...page.text.matchAll(/<label for="t-[^"]+">([^<]+)<\/label>/g)].map((m) => m[1]);
  inOrder(names, '/chien-dich/moi');
});

test('every unit has its sort key, made from its name', opts, () => {
  assert.equal(+sql('SELECT COUNT(*) FROM org_unit WHERE sort_key IS NULL OR sort_key = \'\''), 0);
  const keys = sql("SELECT name || '|' || sort_key FROM org_unit WHERE code IN ('ca-mau-2025', 'cao-bang')").split('\n');
  assert.equal(keys.length, 2);
});

test('the national dashboard lists the provinces in the Vietnamese order', opts, async () => {
  const c = new Client();
  await c.login(...COORD);
  const r = await c.get('/api/dashboard');
  assert.equal(r.status, 200, r.text);
  const form = (r.data.forms || []).find((f) => (f.provinces || []).length > 20);
  assert.ok(form, 'a form with the provinces');
  inOrder(form.provinces.map((p) => p.name), '/api/dashboard');
});
