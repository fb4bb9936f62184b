// Browser test of the phone menu (issue 15): at 390 px the header is the brand and a "Menu" button, the button opens
// the menu and its links work, nothing scrolls sideways; at 1280 px the links show with no button; and without
// JavaScript the button still opens the menu (a link to #menu the stylesheet opens).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';

let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function open(viewport, url, opts = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', ...opts });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(BASE + url);
  return p;
}
const sideways = (p) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('at 390 px the menu is behind a button that opens it; at 1280 px it shows as before', { skip, timeout: 60_000 }, async () => {
  const p = await open({ width: 390, height: 844 }, '/tin-tuc');
  const btn = p.locator('.menu-btn');
  const news = p.locator('nav.nav a', { hasText: 'Tin tức' });
  assert.equal(await btn.isVisible(), true);
  const box = await btn.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, `tap target ${box.width}x${box.height}`);
  assert.equal(await btn.getAttribute('aria-controls'), 'menu');
  assert.equal(await btn.getAttribute('aria-expanded'), 'false');
  assert.equal(await news.isVisible(), false, 'closed: the links are hidden');
  const header = await p.locator('header.top').boundingBox();
  assert.ok(header.height <= 120, `header ${header.height} px tall with the menu closed`);
  assert.equal(await sideways(p), 0, 'no sideways scroll');
  await p.screenshot({ path: path.join(SHOTS, 'phone-menu-closed.png') });

  await btn.click();
  assert.equal(await btn.getAttribute('aria-expanded'), 'true');
  assert.equal(await news.isVisible(), true);
  assert.equal(await news.getAttribute('aria-current'), 'page', 'the current page stays marked');
  for (const a of await p.locator('nav.nav a').all()) {
    const b = await a.boundingBox();
    assert.ok(b && b.height >= 44, `${await a.innerText()}: ${b && b.height} px tall`);
  }
  assert.equal(await sideways(p), 0, 'no sideways scroll with the menu open');
  await p.screenshot({ path: path.join(SHOTS, 'phone-menu-open.png') });
  await btn.click();
  assert.equal(await btn.getAttribute('aria-expanded'), 'false');
  assert.equal(await news.isVisible(), false, 'the button closes it again');
  await btn.click();
  await Promise.all([p.waitForURL('**/khoa-hoc'), p.locator('nav.nav a', { hasText: 'Khóa học' }).click()]);
  assert.equal(await p.locator('nav.nav a', { hasText: 'Khóa học' }).getAttribute('aria-current'), 'page');
  assert.equal(await p.locator('nav.nav a', { hasText: 'Khóa học' }).isVisible(), false, 'a new page starts with the menu closed');
  await p.context().close();

  const wide = await open({ width: 1280, height: 900 }, '/tin-tuc');
  assert.equal(await wide.locator('.menu-btn').isVisible(), false, 'no button on a wide screen');
  for (const name of ['Trang chủ', 'Tin tức', 'Khóa học', 'Đăng nhập'])
    assert.equal(await wide.locator('nav.nav a', { hasText: name }).isVisible(), true, name);
  assert.equal(await wide.locator('.menu-close').isVisible(), false);
  assert.equal(await sideways(wide), 0);
  await wide.screenshot({ path: path.join(SHOTS, 'wide-menu.png') });
  await wide.context().close();
});

test('without JavaScript the Menu button still opens the menu on a phone', { skip, timeout: 60_000 }, async () => {
  const p = await open({ width: 390, height: 844 }, '/tin-tuc', { javaScriptEnabled: false });
  const news = p.locator('nav.nav a', { hasText: 'Tin tức' });
  assert.equal(await news.isVisible(), false);
  await p.locator('.menu-btn').click();
  assert.equal(await news.isVisible(), true);
  await p.locator('.menu-close').click();
  assert.equal(await news.isVisible(), false, '"Đóng menu" closes it');
  await p.context().close();
});
