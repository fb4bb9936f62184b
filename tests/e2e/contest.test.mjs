// Browser test of an award contest: an enterprise submits an entry to the demo VDA on a phone, the organiser finds it
// eligible and moves it on, one juror scores it while the other declares a conflict and no longer sees it, the
// organiser awards it, and once the results date passes the winner is in the hall of honour with a certificate that
// verifies at /chung-nhan/{code}. Screenshots at 390 and 1280 px go to tests/out/ (or docs/screenshots/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';
import { sql, q } from '../http/db.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function signIn(viewport, email, next, password = 'dxday-demo-2026') {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=${encodeURIComponent(next)}`);
  await p.fill('#email', email);
  await p.fill('#password', email === 'admin@dxday.vn' ? 'dxday-admin-2026' : password);
  await Promise.all([p.waitForURL(`**${next}`), p.click('main button[type=submit]')]);
  return p;
}

const noSideScroll = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('an entry is submitted, judged despite a conflict, awarded and verified in the hall of honour', { skip, timeout: 120_000 }, async () => {
  const slug = sql('SELECT slug FROM contest WHERE slug LIKE \'giai-thuong-chuyen-doi-so-viet-nam-%\' ORDER BY year DESC LIMIT 1');
  const name = `Công ty Thử nghiệm ${Date.now()}`, title = `Sàn thương mại số ${Date.now()}`;
  const phone = await signIn({ width: 390, height: 844 }, 'doanhnghiep@dxday.vn', `/cuoc-thi/${slug}`);
  assert.equal(await noSideScroll(phone), true, 'no sideways scroll on the contest page');
  await phone.screenshot({ path: path.join(SHOTS, 'contest-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(`**/cuoc-thi/${slug}/du-thi`), phone.click('text=Nộp hồ sơ dự thi')]);
  await phone.selectOption('#e-cat', 'doanh-nghiep');
  await phone.selectOption('#e-kind', 'enterprise');
  await phone.fill('#e-name', name);
  await phone.fill('#e-ent', name);
  await phone.fill('#e-title', title);
  await phone.fill('#f-tom_tat', 'Sàn giúp hộ kinh doanh bán hàng trực tuyến, thanh toán không tiền mặt.');
  await phone.selectOption('#f-linh_vuc', 'Kinh tế số');
  await phone.fill('#f-nguoi_dung', '25000');
  await phone.screenshot({ path: path.join(SHOTS, 'contest-entry-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(/\/du-thi\/\d+$/), phone.click('button[value=submit]')]);
  assert.match(await phone.locator('.entry-status').innerText(), /Đã nộp/);
  assert.equal(await noSideScroll(phone), true);

  const admin = await signIn({ width: 1280, height: 900 }, 'admin@dxday.vn', `/cuoc-thi/${slug}/quan-ly`);
  const decide = async (decision, award) => {
    const li = admin.locator('li.admin-entry', { hasText: title });
    await li.locator('select[name=decision]').selectOption(decision);
    if (award) await li.locator('input[name=award]').fill(award);
    await Promise.all([admin.waitForURL(`**/cuoc-thi/${slug}/quan-ly`), li.locator('button').click()]);
  };
  await decide('eligible');
  await decide('advance');

  const j2 = await signIn({ width: 390, height: 844 }, 'giamkhao2@dxday.vn', `/cuoc-thi/${slug}/cham-diem`);
  const card2 = j2.locator('li.judge-card', { hasText: title });
  await card2.locator('summary').click();
  await card2.locator('input[name=reason]').fill('Từng tư vấn cho doanh nghiệp này');
  await Promise.all([j2.waitForURL(`**/cuoc-thi/${slug}/cham-diem`), card2.locator('button', { hasText: 'Khai báo' }).click()]);
  assert.equal(await j2.locator('li.judge-card', { hasText: title }).count(), 0, 'a declared conflict hides the entry');

  const j1 = await signIn({ width: 390, height: 844 }, 'giamkhao1@dxday.vn', `/cuoc-thi/${slug}/cham-diem`);
  const card = j1.locator('li.judge-card', { hasText: title });
  for (const [k, v] of [['tac_dong', '9'], ['doi_moi', '8'], ['nhan_rong', '9']]) await card.locator(`input[name=s_${k}]`).fill(v);
  await card.locator('input[name=c_tac_dong]').fill('Tác động rộng');
  await j1.screenshot({ path: path.join(SHOTS, 'contest-judge-phone.png'), fullPage: true });
  await Promise.all([j1.waitForURL(`**/cuoc-thi/${slug}/cham-diem`), card.locator('button', { hasText: 'Lưu điểm' }).click()]);
  assert.match(await j1.locator('li.judge-card', { hasText: title }).innerText(), /Đã chấm/);
  assert.equal(await noSideScroll(j1), true);

  await admin.goto(`${BASE}/cuoc-thi/${slug}/quan-ly?vong=2`);
  assert.match(await admin.locator('main').innerText(), /50 \+ 10·z/);
  await admin.screenshot({ path: path.join(SHOTS, 'contest-admin.png'), fullPage: false });
  await decide('advance');
  await decide('winner', 'Giải Nhất');

  // Nothing public before the results date; then the hall of honour and the certificate.
  const anon = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' })).newPage();
  await anon.goto(`${BASE}/vinh-danh`);
  assert.doesNotMatch(await anon.locator('main').innerText(), new RegExp(name));
  const saved = sql(`SELECT results_at FROM contest WHERE slug = ${q(slug)}`);
  sql(`UPDATE contest SET results_at = ${q(new Date(Date.now() - 60e3).toISOString().slice(0, 19) + 'Z')} WHERE slug = ${q(slug)}`);
  try {
    await anon.goto(`${BASE}/vinh-danh`);
    const card3 = anon.locator('li.honour-card', { hasText: name });
    assert.match(await card3.innerText(), /Giải Nhất/);
    assert.equal(await noSideScroll(anon), true);
    await anon.screenshot({ path: path.join(SHOTS, 'honours-phone.png'), fullPage: false });
    await Promise.all([anon.waitForURL(/\/chung-nhan\/[A-Z2-7]{26}$/), card3.locator('a', { hasText: 'Chứng nhận' }).click()]);
    assert.match(await anon.locator('.cert-ok').innerText(), /Chứng nhận hợp lệ/);
    assert.match(await anon.locator('main').innerText(), new RegExp(name));
    await anon.screenshot({ path: path.join(SHOTS, 'honour-verify-phone.png'), fullPage: true });
    const pdf = await anon.request.get(`${anon.url()}/pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const wide = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })).newPage();
    await wide.goto(`${BASE}/vinh-danh`);
    await wide.screenshot({ path: path.join(SHOTS, 'honours.png'), fullPage: false });
    await wide.goto(`${BASE}/cuoc-thi`);
    await wide.screenshot({ path: path.join(SHOTS, 'contests.png'), fullPage: false });
  } finally {
    sql(`UPDATE contest SET results_at = ${q(saved)} WHERE slug = ${q(slug)}`);
  }
});
