// A first visit to a fresh demo meets a living portal (issue 15): the home page shows the latest news, the contests
// taking entries and the activities not yet over; offers and the FAQ are there too, and every made-up item says so.
// Either engine (the suite's server is seeded with seed-demo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, skip } from './lib.mjs';

const todayVn = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

test('the home page shows news, contests taking entries and activities ahead, and the page says what they are', { skip }, async () => {
  const c = new Client();
  const home = await c.get('/api/home');
  assert.equal(home.status, 200, home.text);
  const { news, activities, contests } = home.data;
  assert.ok(news?.length >= 1 && news.length <= 3, JSON.stringify(news));
  // The three newest of the published news (other tests of the suite publish some too).
  const all = (await c.get('/api/articles?chuyen-muc=tin-tuc')).data.items;
  assert.deepEqual(news.map((n) => n.slug), all.slice(0, 3).map((a) => a.slug));
  const dates = news.map((n) => n.published_at);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  // The demo's own news (src/store/seed/seed_portal.c) is published and says it is made up.
  for (const slug of ['demo-phat-dong-thang-chuyen-doi-so', 'demo-tap-huan-ky-nang-so-can-bo-xa', 'demo-so-tay-an-toan-thong-tin']) {
    const a = await c.get(`/api/articles/${slug}`);
    assert.equal(a.status, 200, slug);
    assert.match(JSON.stringify(a.data), /minh họa/i, `${slug} says it is made up`);
  }
  assert.ok(activities?.length >= 1, 'activities ahead');
  for (const a of activities) assert.ok((a.ends_on || a.starts_on) >= todayVn(), `${a.title} is not over`);
  const starts = activities.map((a) => a.starts_on);
  assert.deepEqual(starts, [...starts].sort(), 'soonest first');
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  for (const k of contests || []) assert.ok(k.opens_at <= now && now < k.closes_at, `${k.slug} takes entries now`);
  const page = await c.get('/');
  assert.match(page.text, /Tin mới/);
  assert.match(page.text, /Hoạt động sắp tới/);
  for (const n of news) assert.ok(page.text.includes(`/tin-tuc/${n.slug}`), n.slug);
});

test('offers, activities and the FAQ hold the demo\'s made-up items, each saying so', { skip }, async () => {
  const c = new Client();
  const offers = (await c.get('/api/offers')).data.items;
  const made = offers.filter((o) => /^\(Minh họa\)/.test(o.title));
  assert.ok(made.length >= 1, JSON.stringify(offers.map((o) => o.title)));
  for (const o of made) assert.match(o.body, /minh họa/i);
  const faq = (await c.get('/api/faq')).data;
  const items = faq.items || faq;
  assert.ok(items.some((f) => /Ngày Chuyển đổi số quốc gia là ngày nào/.test(f.question)), 'the first question anyone asks');
});
