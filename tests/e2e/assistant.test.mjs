// Browser test of the assistant: a citizen on a phone types a question without diacritics into the box at the foot
// of the home page and gets the sentence that answers with its source linked. Screenshot: assistant.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

test('a question without diacritics gets a cited answer', { skip, timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + '/');
  await p.fill('#ask-q', 'dot cao diem huong dan nguoi dan dung dich vu cong truc tuyen do ai chu tri');
  await Promise.all([p.waitForURL(/\/tro-ly\?q=/), p.click('.ask-box button')]);
  const answer = await p.locator('.answer-text').innerText();
  assert.match(answer, /cao điểm/);
  const first = p.locator('ol.sources li a').first();
  assert.match(await first.getAttribute('href'), /^\/(ke-hoach|nhiem-vu)\/\d+$/);
  assert.match(await p.locator('main').innerText(), /Độ tin cậy: \d+ %/);
  await p.screenshot({ path: path.join(SHOTS, 'assistant.png'), fullPage: true });
  await Promise.all([p.waitForURL(/\/(ke-hoach|nhiem-vu)\/\d+$/), first.click()]);
});
