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
  assert.match(await first.getAttribute('href'), /^\/(ke-hoach|nhiem-vu)\/\d+(#p-\d+(:~:text=[^#]+)?)?$/);
  assert.match(await p.locator('main').innerText(), /Độ tin cậy: \d+ %/);
  await p.screenshot({ path: path.join(SHOTS, 'assistant.png'), fullPage: true });
  await Promise.all([p.waitForURL(/\/(ke-hoach|nhiem-vu)\/\d+(#p-\d+(:~:text=[^#]+)?)?$/), first.click()]);
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
    // The text fragment is the page script's (it may be absent); the passage's anchor is the server's.
    await link.evaluate((a) => a.setAttribute('href', a.getAttribute('href').replace(/:~:.*$/, '')));
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

// The link goes further than the passage: to the cited sentence, which Chromium scrolls to the middle of the screen and
// highlights (::target-text) when the link's text fragment matches; a fragment that does not match would leave the
// passage as the :target instead. Screenshots: assistant-sentence-phone.png, assistant-sentence.png.
test('the cited sentence itself is highlighted and in view', { skip, timeout: 90_000 }, async () => {
  const questions = ['Văn bản này do dxday soạn để làm gì?', 'Tọa đàm chuyển đổi số hằng quý do ai chủ trì?'];
  for (const [width, height, name] of [[390, 844, 'assistant-sentence-phone.png'], [1280, 900, 'assistant-sentence.png']]) {
    for (const [qi, question] of questions.entries()) {
      const ctx = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
      const p = await ctx.newPage();
      p.setDefaultTimeout(15_000);
      await p.goto(BASE + '/tro-ly');
      await p.fill('#ask-main', question);
      await Promise.all([p.waitForURL(/\/tro-ly\?q=/), p.click('.ask-form button')]);
      const source = p.locator('ol.sources li').filter({ has: p.locator('a[href*="#p-"]') }).first();
      const link = source.locator('a').first();
      const snippet = (await source.locator('mark').innerText()).trim();
      const href = await link.getAttribute('href');
      assert.match(href, /^\/ke-hoach\/\d+#p-\d+:~:text=[^#]+$/, `${question}: the link carries a text fragment`);
      const id = href.match(/#(p-\d+)/)[1];
      await Promise.all([p.waitForURL(/\/ke-hoach\/\d+/), link.click()]);
      await p.waitForFunction((pid) => document.getElementById(pid) && document.readyState === 'complete', id);
      await p.waitForTimeout(300);   // the text fragment is scrolled to after the load
      const seen = await p.evaluate(({ pid, sentence }) => {
        const el = document.getElementById(pid);
        // The sentence's last words in the passage, as a range: where the reader's eyes should land.
        const esc = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const words = new RegExp(sentence.split(/\s+/).slice(-3).map(esc).join('\\s+'));
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let rect = null;
        for (let n = walker.nextNode(); n && !rect; n = walker.nextNode()) {
          const m = words.exec(n.textContent);
          if (m) {
            const r = document.createRange();
            r.setStart(n, m.index);
            r.setEnd(n, m.index + m[0].length);
            rect = r.getBoundingClientRect();
          }
        }
        return { target: document.querySelector(':target')?.id || '', rect: rect && { top: rect.top, bottom: rect.bottom },
                 height: innerHeight, scrolled: scrollY };
      }, { pid: id, sentence: snippet });
      assert.equal(seen.target, '', `${question}: the text fragment matched (else the passage ${id} is the :target)`);
      assert.ok(seen.rect, `${question}: the sentence's words are in passage ${id}`);
      assert.ok(seen.rect.top >= 0 && seen.rect.bottom <= seen.height, `${question}: the sentence is on screen ${JSON.stringify(seen)}`);
      assert.ok(seen.scrolled > 0, 'the page scrolled to it');
      if (qi === 1) await p.screenshot({ path: path.join(SHOTS, name) });
      await ctx.close();
    }
  }
});
