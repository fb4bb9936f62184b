// Browser test of the guidance log on a 390 px phone: a team member signs in, opens the form, loses the network (the
// page reloads from its service worker), logs two visits that wait in the phone, gets the network back and sees them
// sent; the database then holds exactly two entries, counted once in the unit's aggregates. Screenshot:
// guidance-form.png. The team, member and account are made with SQL (tests/http/db.mjs), on either engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, SHOTS, launch, skip } from './lib.mjs';
import { sql, q, TEST_DB } from '../http/db.mjs';

const PW = 'dxday-demo-2026';   // the demo officer's: the member's account copies his password hash
let browser, team, org, email;

before(async () => {
  if (skip) return;
  if (!TEST_DB) throw new Error('DXDAY_TEST_DB names the server\'s database (tests/run.sh sets it)');
  browser = await launch();
  const tag = `${process.pid}-${Date.now().toString(36)}`, suffix = `${process.pid % 100}.${Date.now() % 10000}`;
  org = +sql("SELECT id FROM org_unit WHERE path LIKE '/1/120/%' AND kind = 'commune' ORDER BY id LIMIT 1");
  team = +sql(`INSERT INTO cdt_team (org_id, name, name_folded, active, founded_on, created_at)
    VALUES (${org}, ${q('Tổ CNS cộng đồng khối ' + suffix)}, ${q('to cns cong dong khoi ' + suffix)}, 1, '2024-01-01', '2026-01-01T00:00:00Z') RETURNING id`);
  email = `to-vien-${tag}@dxday.vn`;
  const user = +sql(`INSERT INTO app_user (email, name, password_hash, active, created_at)
    SELECT ${q(email)}, 'Trần Thị Hướng Dẫn', password_hash, 1, '2026-01-01T00:00:00Z' FROM app_user WHERE email = 'nghean@dxday.vn' RETURNING id`);
  sql(`INSERT INTO user_role (user_id, role, org_id) VALUES (${user}, 'team_member', ${org})`);
  sql(`INSERT INTO cdt_member (team_id, name, user_id, active, created_at) VALUES (${team}, 'Trần Thị Hướng Dẫn', ${user}, 1, '2026-01-01T00:00:00Z')`);
  // A place the team used before, for the datalist.
  sql(`INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, place, people, services, created_at)
    VALUES (${q('e2e-earlier-' + tag)}, ${team}, ${org}, ${user}, '2024-06-01', 'Thôn Yên Bình', 1, '["vneid"]', '2024-06-01T00:00:00Z')`);
  // With the unit's daily totals the store would have kept, so the suite's database stays consistent for other tests.
  sql(`INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p)
    VALUES (${org}, '2024-06-01', 1, 1, 0, 0, 0, 0, 0, 0) ON CONFLICT (org_id, day) DO UPDATE SET entries = guidance_day.entries + 1,
    people = guidance_day.people + 1`);
  sql(`INSERT INTO guidance_day_service (org_id, day, service, people) VALUES (${org}, '2024-06-01', 'vneid', 1)
    ON CONFLICT (org_id, day, service) DO UPDATE SET people = guidance_day_service.people + 1`);
});
after(async () => { if (browser) await browser.close(); });

async function logVisit(p, { place, people, services, male, female }) {
  await p.fill('#gl-place', place);
  for (let i = 1; i < people; i++) await p.click('.gl-step[data-step="1"]');
  if (male !== undefined) {
    await p.click('details.gl-split summary');
    await p.fill('input[name="male"]', String(male));
    await p.fill('input[name="female"]', String(female));
  }
  for (const s of services) await p.click(`.gl-toggle:has(input[value="${s}"])`);
  await p.click('.gl-save');
}

test('two visits logged with the network cut wait in the phone and are sent once when it returns', { skip, timeout: 90_000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(`${BASE}/dang-nhap?next=/to-cong-nghe-so/ghi-nhan`);
  await p.fill('#email', email);
  await p.fill('#password', PW);
  await Promise.all([p.waitForURL(/\/to-cong-nghe-so\/ghi-nhan/), p.click('main button[type="submit"]')]);

  // The worker takes the page in hand, and keeps a copy of it on the next load.
  await p.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await p.reload();
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await p.reload();
  assert.match(await p.inputValue('#gl-day'), /^\d\d\/\d\d\/\d{4}$/, 'today, dd/mm/yyyy');
  assert.equal(await p.locator('#gl-places-' + team + ' option[value="Thôn Yên Bình"]').count(), 1, 'places used before');
  const noScroll = await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(noScroll, 'no sideways scroll at 390 px');

  // No network: the form still opens (from the worker) and keeps what is logged.
  await ctx.setOffline(true);
  await p.reload();
  await p.waitForSelector('#gl-form');
  await p.waitForFunction(() => /Không có mạng/.test(document.getElementById('gl-net').textContent));
  await logVisit(p, { place: 'Thôn Yên Bình', people: 4, services: ['vneid', 'dvc'], male: 1, female: 3 });
  await p.waitForFunction(() => document.getElementById('gl-waiting-title').textContent === 'Đang chờ gửi (1)');
  await logVisit(p, { place: 'Tổ dân phố 5', people: 2, services: ['cashless'] });
  await p.waitForFunction(() => document.getElementById('gl-waiting-title').textContent === 'Đang chờ gửi (2)');
  assert.equal(await p.locator('#gl-waiting li').count(), 2);
  assert.equal(+sql(`SELECT COUNT(*) FROM guidance_entry WHERE team_id = ${team}`), 1, 'nothing reached the server yet');
  // A reload offline loses nothing: the entries are in the phone, not in the page.
  await p.reload();
  await p.waitForFunction(() => document.getElementById('gl-waiting-title').textContent === 'Đang chờ gửi (2)');
  await p.fill('#gl-place', 'Thôn Yên Bình');
  await p.click('.gl-toggle:has(input[value="vneid"])');
  await p.screenshot({ path: path.join(SHOTS, 'guidance-form.png'), fullPage: true });
  await p.click('.gl-toggle:has(input[value="vneid"])');

  await p.setViewportSize({ width: 1280, height: 900 });
  await p.screenshot({ path: path.join(SHOTS.replace(/docs[\\/]screenshots$/, 'tests/out'), 'guidance-form-1280.png'), fullPage: true });
  await p.setViewportSize({ width: 390, height: 844 });

  // The network returns: both are sent, once each.
  await ctx.setOffline(false);
  await p.waitForFunction(() => document.getElementById('gl-waiting-title').textContent === 'Đang chờ gửi (0)', null, { timeout: 30_000 });
  await p.waitForFunction(() => document.querySelectorAll('#gl-sent li').length >= 3);
  const sent = await p.locator('#gl-sent').innerText();
  assert.match(sent, /4 người · Thôn Yên Bình/);
  assert.match(sent, /2 người · Tổ dân phố 5/);
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  assert.equal(sql(`SELECT COUNT(*) FROM guidance_entry WHERE team_id = ${team} AND day = ${q(today)}`), '2');
  assert.equal(sql(`SELECT place, people, male, female, services FROM guidance_entry WHERE team_id = ${team} AND day = ${q(today)} ORDER BY people`),
    'Tổ dân phố 5|2|||["cashless"]\nThôn Yên Bình|4|1|3|["vneid","dvc"]');
  // The aggregates hold both entries once (other tests may log for this unit today: count this team's share).
  const agg = +sql(`SELECT entries FROM guidance_day WHERE org_id = ${org} AND day = ${q(today)}`);
  const all = +sql(`SELECT COUNT(*) FROM guidance_entry WHERE org_id = ${org} AND day = ${q(today)}`);
  assert.equal(agg, all, 'guidance_day counts each entry once');
  // Back once more: the queue stays empty and nothing is sent twice.
  await p.reload();
  await p.waitForFunction(() => document.getElementById('gl-waiting-title').textContent === 'Đang chờ gửi (0)');
  assert.equal(sql(`SELECT COUNT(*) FROM guidance_entry WHERE team_id = ${team} AND day = ${q(today)}`), '2');
  await ctx.close();

  // The campaign page counts them once: the centre opens a campaign over today and looks at the ward.
  const centre = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const c = await centre.newPage();
  await c.goto(`${BASE}/dang-nhap?next=/chien-dich`);
  await c.fill('#email', 'dieuphoi@dxday.vn');
  await c.fill('#password', PW);
  await Promise.all([c.waitForURL(/\/chien-dich/), c.click('main button[type="submit"]')]);
  const csrf = await c.evaluate(() => fetch('/api/guidance').then((r) => r.json()).then((j) => j.csrf));
  const opened = await c.evaluate(async ({ day, csrf }) => {
    const r = await fetch('/api/door-to-door', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ name: 'Chiến dịch thử ghi nhận ngoại tuyến', starts_on: day, ends_on: day,
        services: ['vneid', 'dvc', 'cashless', 'ecommerce', 'health', 'signature', 'safe_internet'] }) });
    return { status: r.status, body: await r.json() };
  }, { day: today, csrf });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const ward = sql(`SELECT code FROM org_unit WHERE id = ${org}`);
  await c.goto(`${BASE}/chien-dich/${opened.body.id}?org=${ward}`);
  const live = await c.evaluate(() => fetch(location.pathname + location.search, { headers: { Accept: 'application/json' } }).then((r) => r.json()));
  const want = +sql(`SELECT COALESCE(SUM(people), 0) FROM guidance_entry WHERE org_id = ${org} AND day = ${q(today)}`);
  assert.ok(want >= 6, `this test's 4 + 2 people are in the log (${want})`);
  assert.equal(live.total.people, want, 'the campaign page counts every entry of the ward today once');
  assert.match(await c.locator('main').innerText(), new RegExp(`${want.toLocaleString('vi-VN')}\\s*người`));
  await centre.close();
});
