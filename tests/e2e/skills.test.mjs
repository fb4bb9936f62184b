// Browser test of the digital-skills self-assessment: a citizen on a phone answers the questionnaire (yes to most
// things, no to the safety area), sees the levels per area and a course recommended for the weak one, then the
// yearly measurement page. Screenshots: skills-result.png, skills-measure.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

test('a self-assessment recommends a course for the weak area; the measurement page shows the divide', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + '/danh-gia-ky-nang');
  const names = await p.locator('main input[type="radio"][value="yes"]').evaluateAll((els) => els.map((e) => e.name));
  assert.ok(names.length >= 21, `one question or more per competence, got ${names.length}`);
  for (const n of names) await p.check(`input[name="${n}"][value="${n.startsWith('q_4.') ? 'no' : 'yes'}"]`);
  await p.selectOption('main select[name="province"]', 'nghe-an');
  await Promise.all([p.waitForNavigation(), p.click('button.skills-submit')]);
  const text = await p.locator('main').innerText();
  assert.match(text, /Trên cơ bản/);
  assert.match(text, /Không có/);
  const course = p.locator('main a[href="/khoa-hoc/nhan-biet-lua-dao-truc-tuyen"]');
  assert.ok(await course.count() > 0, 'the safety course is recommended');
  await p.screenshot({ path: path.join(SHOTS, 'skills-result.png'), fullPage: true });

  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const m = await wide.newPage();
  await m.goto(BASE + '/ky-nang-so');
  assert.match(await m.locator('main').innerText(), /Khoảng cách số/);
  assert.ok(await m.locator('main svg').count() >= 2, 'area bars and the tile map');
  await m.screenshot({ path: path.join(SHOTS, 'skills-measure.png'), fullPage: false });
  await wide.close();
  await ctx.close();
});
