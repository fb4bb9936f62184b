// Browser test of reporting: the coordinator reads the national dashboard, the Nghệ An officer fills the 2026
// results report on a phone (the draft survives a reload), submits, and the coordinator's dashboard and
// drill-down change. Screenshots go to tests/out/ (or docs/screenshots/ with DXDAY_DOCS_SCREENSHOTS=1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, ROOT, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(viewport, email, password, next) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=${encodeURIComponent(next)}`);
  await p.fill('#email', email);
  await p.fill('#password', password);
  await Promise.all([p.waitForURL(`**${next}`), p.click('main button[type=submit]')]);
  return p;
}

// The Nghệ An row of the province table and the received count on the results-report gauge.
async function readDashboard(p) {
  const row = (await p.locator('table.compact tr', { hasText: 'Nghệ An' }).first().innerText()).split('\t').map((s) => s.trim());
  const card = await p.locator('.gauge-card', { hasText: 'Báo cáo kết quả hưởng ứng' }).first().innerText();
  return { report: row[2], received: +card.match(/(\d+)\/\d+ đơn vị đã gửi/)[1] };
}

test('an officer submits on a phone and the coordinator\'s dashboard changes', { skip, timeout: 90_000 }, async () => {
  const coord = await signIn({ width: 1280, height: 900 }, 'dieuphoi@dxday.vn', 'dxday-demo-2026', '/bang-dieu-khien?nam=2026');
  const before = await readDashboard(coord);
  assert.equal(await coord.locator('svg[role=img]').first().isVisible(), true);
  assert.equal(await coord.locator('.tile-map svg g a, .tile-map svg a').count() >= 34, true, 'every province tile links to its drill-down');
  await coord.screenshot({ path: path.join(ROOT, 'tests', 'out', 'dashboard-before.png'), fullPage: false });

  const phone = await signIn({ width: 390, height: 844 }, 'nghean@dxday.vn', 'dxday-demo-2026', '/bao-cao');
  const row = phone.locator('tr', { hasText: 'Báo cáo kết quả hưởng ứng' }).filter({ hasText: 'Nghệ An' }).first();
  assert.match(await row.innerText(), /Chưa gửi/);
  await Promise.all([phone.waitForURL(/\/bao-cao\/\d+\/don-vi\/\d+/), row.locator('a').click()]);
  await phone.fill('#f-so_hoat_dong', '42');
  await phone.fill('#f-luot_tham_gia', '120.000');
  await phone.fill('#f-so_lop_tap_huan', '15');
  // A reload (a lost connection, a closed tab) keeps what was typed on this phone.
  await phone.reload();
  assert.equal(await phone.inputValue('#f-so_hoat_dong'), '42');
  assert.equal(await phone.locator('.draft-note').isVisible(), true);
  await phone.fill('#f-so_hoc_vien', '450');
  await phone.selectOption('#f-co_le_phat_dong', '1');
  await phone.selectOption('#f-muc_do', { label: 'Hoàn thành tốt' });
  await phone.screenshot({ path: path.join(SHOTS, 'report-form-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(/sent=1/), phone.click('button[value=submit]')]);
  assert.match(await phone.locator('main').innerText(), /Đã gửi báo cáo/);
  assert.match(await phone.locator('.pill').first().innerText(), /Đã gửi/);
  assert.equal(await phone.inputValue('#f-luot_tham_gia'), '120.000', 'written back as it was typed');
  assert.equal(await phone.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dxday-draft')).length), 0,
               'the kept draft is dropped once the server has the report');

  await coord.reload();
  const after = await readDashboard(coord);
  assert.equal(after.received, before.received + 1);
  assert.notEqual(after.report, before.report, `Nghệ An's report rate moves (${before.report} → ${after.report})`);
  await coord.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });
  await Promise.all([coord.waitForURL(/tien-do\?org=/), coord.locator('.tile-map a', { hasText: 'NA' }).first().click()]);
  const drill = await coord.locator('main').innerText();
  assert.match(drill, /Tiến độ nộp: Nghệ An/);
  assert.match(drill, /Phường Cửa Lò/);
  await coord.screenshot({ path: path.join(SHOTS, 'completeness.png'), fullPage: false });
});
