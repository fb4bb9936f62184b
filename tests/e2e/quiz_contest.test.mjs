// Browser test of a knowledge contest on a phone: a new participant opens the demo contest's open round, gives the
// profile once, starts, sees the server's countdown, answers and submits, and finds their result and the ranking; the
// closed round lists its winners on a wide screen. Screenshots: quiz-contest-round-phone.png, quiz-contest-winners.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';
import { TEST_DB, sql, q } from '../http/db.mjs';

const noDb = skip || (TEST_DB ? false : 'DXDAY_TEST_DB not set');
let browser;
before(async () => { if (!noDb) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

test('a participant takes the open round on a phone; the closed round shows its winners', { skip: noDb, timeout: 60_000 }, async () => {
  const email = `thisinh-e2e-${process.pid}-${Date.now()}@example.vn`;
  sql(`INSERT INTO app_user (email, name, password_hash, created_at) SELECT ${q(email)}, 'Người dự thi', password_hash, created_at
       FROM app_user WHERE email = 'thisinh01@dxday.vn'`);
  const rounds = JSON.parse(await (await fetch(BASE + '/api/contests/tim-hieu-chuyen-doi-so/rounds')).text()).rounds;
  const open = rounds.find((r) => r.state === 'open'), closed = rounds.find((r) => r.state === 'closed');
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  const round = `/cuoc-thi/tim-hieu-chuyen-doi-so/vong/${open.n}`;
  await p.goto(`${BASE}/dang-nhap?next=${round}`);
  await p.fill('main input[name="email"]', email);
  await p.fill('main input[name="password"]', 'dxday-demo-2026');
  await Promise.all([p.waitForURL((u) => u.pathname !== '/dang-nhap'), p.locator('main form button[type=submit]').click()]);
  await p.goto(BASE + round);
  await p.fill('main input[name="name"]', 'Phạm Thị Điện Thoại');
  await p.selectOption('main select[name="province"]', 'nghe-an');
  await p.selectOption('main select[name="age_band"]', '15-24');
  await Promise.all([p.waitForNavigation(), p.click('main .qc-start button[type=submit]')]);
  // The countdown runs from what the server said was left.
  const first = await p.locator('.qc-clock').innerText();
  assert.match(first, /^(9|10):\d\d$/, `countdown ${first}`);
  await p.waitForTimeout(1300);
  assert.notEqual(await p.locator('.qc-clock').innerText(), first, 'the clock moves');
  assert.equal(await p.locator('fieldset.q').count(), open.questions);
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scroll at 390 px (${width})`);
  for (const fs of await p.locator('fieldset.q').all()) {
    const opt = fs.locator('input[type=radio], input[type=checkbox]').first();
    if (await opt.count()) await opt.check(); else await fs.locator('input').first().fill('OTP');
  }
  // The countdown stays in sight (sticky) while the participant scrolls through the questions.
  await p.locator('fieldset.q').nth(2).scrollIntoViewIfNeeded();
  const box = await p.locator('.qc-timer').boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 100, `the countdown is in view: ${JSON.stringify(box)}`);
  await p.screenshot({ path: path.join(SHOTS, 'quiz-contest-round-phone.png'), fullPage: false });
  await Promise.all([p.waitForNavigation(), p.click('main .qc-form button[type=submit]')]);
  const text = await p.locator('main').innerText();
  assert.match(text, /Kết quả của bạn/);
  assert.match(text, /Xếp hạng chung: \d+/);
  assert.equal(await p.locator('.qc-timer').count(), 0, 'no countdown once submitted');
  await ctx.close();

  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const w = await wide.newPage();
  await w.goto(`${BASE}/cuoc-thi/tim-hieu-chuyen-doi-so/vong/${closed.n}`);
  assert.match(await w.locator('main').innerText(), /Người đoạt giải/);
  assert.equal(await w.locator('.qc-winners li').count(), closed.winners_total);
  await w.screenshot({ path: path.join(SHOTS, 'quiz-contest-winners.png'), fullPage: true });
  await wide.close();
});
