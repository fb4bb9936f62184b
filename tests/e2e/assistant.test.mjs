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
  assert.match(await first.getAttribute('href'), /^\/(ke-hoach|nhiem-vu)\/\d+(#p-\d+)?$/);
  assert.match(await p.locator('main').innerText(), /Độ tin cậy: \d+ %/);
  await p.screenshot({ path: path.join(SHOTS, 'assistant.png'), fullPage: true });
  await Promise.all([p.waitForURL(/\/(ke-hoach|nhiem-vu)\/\d+(#p-\d+)?$/), first.click()]);
});

// Issue 14: a plan's passage is cited at its place; the plan page shows the plan's text with that passage highlighted,
// on a phone and on a desktop. Screenshots: assistant-passage-phone.png, assistant-passage.png.
test('the cited passage is highlighted in the plan\'s text', { skip, timeout: 60_000 }, async () => {
  for (const [width, height, name] of [[390, 844, 'assistant-passage-phone.png'], [1280, 900, 'assistant-passage.png']]) {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    p.setDefaultTimeout(15_000);
    await p.goto(BASE + '/tro-ly?q=' + encodeURIComponent('Văn bản này do dxday soạn để làm gì?'));
    const link = p.locator('ol.sources li a[href*="#p-"]').first();
    const href = await link.getAttribute('href');
    assert.match(href, /^\/ke-hoach\/\d+#p-\d+$/);
    await Promise.all([p.waitForURL(/#p-\d+$/), link.click()]);
    const target = p.locator(href.replace(/^.*#/, '#'));
    const bg = await target.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the cited passage is highlighted');
    const sideways = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(sideways, false, 'no sideways scroll');
    await p.screenshot({ path: path.join(SHOTS, name) });
    await ctx.close();
  }
});
