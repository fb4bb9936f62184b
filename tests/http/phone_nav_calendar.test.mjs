// Issue 15 on a phone: the menu's "Nhiệm vụ" opens the officer's own unit inbox (the centre keeps the whole list),
// and /lich leads with upcoming dates, then the past grouped by year, newest year first, in the page and its JSON twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ADMIN, COORD, OFFICER, skip } from './lib.mjs';
import { sql, q, TEST_DB } from './db.mjs';

const tasksLink = (html) => {
  const nav = html.match(/<nav class="nav"[\s\S]*?<\/nav>/);
  assert.ok(nav, 'the page has the main menu');
  const m = nav[0].match(/<a href="([^"]+)"[^>]*>Nhiệm vụ<\/a>/);
  return m && m[1];
};

test('the menu\'s "Nhiệm vụ" opens an officer\'s unit inbox, the centre\'s whole task list', { skip: skip || (!TEST_DB && 'DXDAY_TEST_DB not set') }, async () => {
  const ngheAn = sql("SELECT id FROM org_unit WHERE code = 'nghe-an'");
  assert.match(ngheAn, /^\d+$/);
  const officer = new Client();
  await officer.login(...OFFICER);
  const page = await officer.get('/bao-cao');
  assert.equal(page.status, 200);
  assert.equal(tasksLink(page.text), `/don-vi/${ngheAn}/nhiem-vu`);
  // The link opens, and the inbox page marks the menu entry as the current one.
  const inbox = await officer.get(`/don-vi/${ngheAn}/nhiem-vu`);
  assert.equal(inbox.status, 200);
  assert.match(inbox.text, new RegExp(`<a href="/don-vi/${ngheAn}/nhiem-vu" aria-current="page">Nhiệm vụ</a>`));
  for (const who of [ADMIN, COORD]) {
    const c = new Client();
    await c.login(...who);
    assert.equal(tasksLink((await c.get('/bao-cao')).text), '/nhiem-vu', who[0]);
  }
  // Signed out there is no "Nhiệm vụ" at all.
  assert.equal(tasksLink((await new Client().get('/')).text), null);
});

const todayVN = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

test('/lich: upcoming dates first (oldest first), then the past by year, newest year first', { skip: skip || (!TEST_DB && 'DXDAY_TEST_DB not set') }, async () => {
  // Two dates ahead of today whatever day the suite runs (the demo's may all be past), removed at the end.
  const label = `Mốc thử ${process.pid}-${Date.now()}`;
  const ahead = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  sql(`INSERT INTO campaign_date (year, date, label) VALUES (2026, ${q(ahead(40))}, ${q(label + ' B')}), (2026, ${q(ahead(5))}, ${q(label + ' A')})`);
  try { await calendarOrder(label); } finally { sql(`DELETE FROM campaign_date WHERE label LIKE ${q(label + '%')}`); }
});

async function calendarOrder(label) {
  const c = new Client();
  const bust = `?t=${Date.now()}`; // public pages are cached for a while; a new address reads the inserted dates
  const api = await c.get('/api/events' + bust);
  assert.equal(api.status, 200);
  const { items, upcoming, past } = api.data;
  assert.ok(Array.isArray(items) && items.length > 10, 'items keeps every date');
  assert.ok(Array.isArray(upcoming) && Array.isArray(past), 'upcoming and past groups');
  const today = todayVN();
  assert.ok(past.length > 1, 'the demo has past dates in several years');
  assert.deepEqual(upcoming.filter((e) => e.label.startsWith(label)).map((e) => e.label), [label + ' A', label + ' B'], 'soonest first');
  assert.ok(upcoming.every((e) => e.date >= today), 'upcoming: from today on');
  assert.deepEqual(upcoming.map((e) => e.date), [...upcoming.map((e) => e.date)].sort(), 'upcoming: soonest first');
  const years = past.map((g) => g.year);
  assert.deepEqual(years, [...years].sort((a, b) => b - a), 'past: newest year first');
  assert.equal(new Set(years).size, years.length, 'one group a year');
  for (const g of past) {
    assert.ok(g.items.length > 0);
    assert.ok(g.items.every((e) => e.date < today && +e.date.slice(0, 4) === g.year), `year ${g.year}`);
  }
  assert.equal(upcoming.length + past.reduce((n, g) => n + g.items.length, 0), items.length, 'every date once');

  // The page reads in the same order: the upcoming heading, its first date, then year headings newest first.
  const page = await c.get('/lich' + bust);
  assert.equal(page.status, 200);
  const html = page.text;
  const at = (s) => { const i = html.indexOf(s); assert.ok(i >= 0, `page has ${s}`); return i; };
  const next = at('>Sắp tới</h2>');
  assert.ok(next < at(`datetime="${upcoming[0].date}"`), 'the soonest date under "Sắp tới"');
  const heads = [...html.matchAll(/<h3 id="cal-(\d{4})">Năm \d{4}<\/h3>/g)].map((m) => +m[1]);
  assert.deepEqual(heads, years, 'a year heading for each past group, newest first');
  assert.ok(next < html.indexOf('<h3 id="cal-'), 'upcoming before the past');
  const firstPast = past[0].items[0].date;
  assert.ok(at(`datetime="${firstPast}"`) > html.indexOf(`<h3 id="cal-${years[0]}">`));
}
