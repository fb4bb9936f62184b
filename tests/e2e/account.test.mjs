// Browser test of account basics (issue 15): the unit picker finds "Nghệ An" from "nghe an" and the new account gets
// its role there; an admin's reset link opens the reset form; /tai-khoan, the admin's accounts, the reset pages and the
// audit log fit a 390 px phone (no sideways scroll) and a 1280 px screen; screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function signedIn(viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + '/dang-nhap');
  await p.fill('#email', 'admin@dxday.vn');
  await p.fill('#password', 'dxday-admin-2026');
  await Promise.all([p.waitForURL('**/tai-khoan'), p.click('form[action="/dang-nhap"] button[type=submit]')]);
  return p;
}

test('the unit picker, an admin\'s reset link, and the account pages on a phone and a desktop', { skip, timeout: 120_000 }, async () => {
  const p = await signedIn({ width: 390, height: 844 });
  await p.goto(BASE + '/quan-tri/tai-khoan');
  const email = `bt-${process.pid}-${Date.now()}@dxday.vn`;
  const create = p.locator('form[action^="/quan-tri/tai-khoan"]').first();
  await create.locator('input[name=email]').fill(email);
  await create.locator('input[name=name]').fill('Cán Bộ Trình Duyệt');
  await create.locator('input[name=password]').fill('mat-khau-trinh-duyet');
  await create.locator('select[name=role]').selectOption('officer');
  const unit = create.locator('input.unit-pick');
  await unit.pressSequentially('nghe an', { delay: 30 });
  const option = create.locator('.unit-list button', { hasText: /^Nghệ An/ }).first();
  await option.waitFor();
  await p.screenshot({ path: path.join(SHOTS, 'account-unit-picker-phone.png') });
  await option.click();
  assert.equal(await unit.inputValue(), 'Nghệ An');
  assert.match(await create.locator('input[type=hidden][name=org]').inputValue(), /^\d+$/, 'the chosen unit goes as its id');
  await Promise.all([p.waitForURL('**/quan-tri/tai-khoan'), create.locator('button[type=submit]').click()]);
  const card = p.locator('.user-cards > li', { hasText: email });
  assert.match(await card.innerText(), /Cán bộ đầu mối · Nghệ An/);
  assert.equal(await sideways(p), 0, 'the accounts page: no sideways scroll');
  await p.screenshot({ path: path.join(SHOTS, 'account-users-phone.png') });

  await Promise.all([p.waitForURL('**/dat-lai-mat-khau'), card.locator('button', { hasText: 'Tạo liên kết đặt lại mật khẩu' }).click()]);
  const link = await p.locator('input.copy-link').inputValue();
  assert.match(link, /\/dat-lai-mat-khau\?token=[A-Za-z0-9_-]{43}$/);
  assert.equal(await sideways(p), 0);
  await p.screenshot({ path: path.join(SHOTS, 'account-reset-link-phone.png') });

  const anon = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' })).newPage();
  await anon.goto(BASE + link.replace(/^https?:\/\/[^/]+/, ''));
  assert.equal(await anon.locator('input[name=password2]').count(), 1);
  await anon.fill('#rs-pw', 'ngan');
  await anon.fill('#rs-pw2', 'ngan');
  await anon.evaluate(() => document.querySelectorAll('input[minlength]').forEach((i) => i.removeAttribute('minlength')));
  await anon.click('form[action="/dat-lai-mat-khau"] button');
  assert.match(await anon.locator('#rs-err').innerText(), /ít nhất 10 ký tự/);
  assert.equal(await sideways(anon), 0);
  await anon.screenshot({ path: path.join(SHOTS, 'account-reset-phone.png'), fullPage: true });
  await anon.goto(BASE + '/quen-mat-khau');
  assert.equal(await sideways(anon), 0);
  await anon.screenshot({ path: path.join(SHOTS, 'account-forgot-phone.png') });

  for (const [url, name] of [['/tai-khoan', 'account-me'], ['/quan-tri/nhat-ky', 'audit-log']]) {
    await p.goto(BASE + url);
    assert.equal(await sideways(p), 0, `${url}: no sideways scroll at 390 px`);
    await p.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: url === '/tai-khoan' });
  }
  await p.context().close();
  await anon.context().close();

  const wide = await signedIn({ width: 1280, height: 900 });
  for (const [url, name] of [['/tai-khoan', 'account-me'], ['/quan-tri/nhat-ky', 'audit-log'], ['/quan-tri/tai-khoan', 'account-users']]) {
    await wide.goto(BASE + url);
    assert.equal(await sideways(wide), 0, `${url}: no sideways scroll at 1280 px`);
    await wide.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }
  await wide.context().close();
});
