// The digital-skills self-assessment and the yearly measurement: the questionnaire covers DigComp 2.2, a response is
// scored per area and overall and recommends open courses of the weak areas, bad input gets 422 per field and writes
// nothing, a submission sent twice counts once, small groups are hidden until their 10th respondent, and the
// spreadsheet, PDF and JSON twin carry the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { BASE, Client, skip } from './lib.mjs';
import { TEST_DB as DB, pick, sql } from './db.mjs';

const nonce = () => randomBytes(16).toString('hex');
const year = Number(new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 4));

async function start() {
  const c = new Client();
  const q = await c.get('/api/skills/questionnaire');
  assert.equal(q.status, 200, q.text);
  c.csrf = q.data.csrf;
  const byArea = q.data.areas.map((a) => a.competences.flatMap((comp) => comp.questions.map((x) => x.id)));
  return { c, q: q.data, byArea };
}

// Answers with exactly perArea[i] activities done in area i+1.
const answersFor = (byArea, perArea) =>
  Object.fromEntries(byArea.flatMap((ids, i) => ids.map((id, k) => [id, k < perArea[i] ? 'yes' : 'no'])));

test('the questionnaire: 5 areas, 21 numbered competences, 25–35 yes/no questions, anonymous form', { skip }, async () => {
  const { q, byArea } = await start();
  assert.equal(q.areas.length, 5);
  const comps = q.areas.flatMap((a) => a.competences.map((c) => c.id));
  assert.deepEqual(comps, ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.1', '3.2', '3.3', '3.4',
    '4.1', '4.2', '4.3', '4.4', '5.1', '5.2', '5.3', '5.4']);
  const ids = byArea.flat();
  assert.ok(ids.length >= 25 && ids.length <= 35, `${ids.length} questions`);
  assert.equal(new Set(ids).size, ids.length, 'question ids are unique');
  assert.equal(q.count, ids.length);
  for (const a of q.areas) for (const c of a.competences) assert.ok(c.questions.length >= 1 && c.questions.length <= 2, c.id);
  assert.equal(q.provinces.length, 34);
  assert.deepEqual(q.ages.map((a) => a.code), ['15-24', '25-34', '35-44', '45-54', '55-64', '65+']);
  assert.match(q.nonce, /^[0-9a-f]{32}$/);
  const page = await new Client().get('/danh-gia-ky-nang');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="nonce" value="[0-9a-f]{32}"/);
  assert.match(page.text, /type="radio" name="q_1\.1a" value="yes" required/);
  // No script of its own: the layout's menu.js only improves a menu that opens without it (tests/e2e/phone_menu).
  const ownScript = (html) => /<script(?![^>]*src="\/static\/menu\.js")/i.test(html);
  assert.ok(!ownScript(page.text), 'works with no JavaScript');
  const method = await new Client().get('/danh-gia-ky-nang/phuong-phap');
  assert.equal(method.status, 200);
  for (const words of ['DigComp 2.2', 'điểm phần trăm', 'dưới 10 người', 'Tự khai', 'Chưa gia quyền']) assert.ok(method.text.includes(words), words);
});

test('a response is scored per area and overall and recommends the open courses of the weak areas', { skip }, async () => {
  const { c, byArea } = await start();
  const n = nonce();
  // Area 1: one activity (basic); 2: two (above basic); 3: none; 4: all; 5: one.
  const r = await c.post('/api/skills/responses', { json: { nonce: n, answers: answersFor(byArea, [1, 2, 0, 99, 1]), province: 'nghe-an', age: '35-44', sex: 'nu', setting: 'nong-thon' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.data.areas.map((a) => a.level), ['basic', 'above_basic', 'none', 'above_basic', 'basic']);
  assert.equal(r.data.areas[3].done, byArea[3].length);
  assert.equal(r.data.overall.level, 'below_basic');
  assert.equal(r.data.overall.areas_at_least_basic, 4);
  assert.equal(r.data.overall.at_least_basic, false);
  assert.equal(r.data.year, year);
  assert.deepEqual(r.data.recommended.map((x) => x.n), [1, 3, 5], 'courses for every area not above basic');
  if (DB) {
    for (const rec of r.data.recommended) {
      // No role given: a citizen's courses first, then the others.
      const want = sql(`SELECT slug FROM course WHERE status = 'open' AND area = ${rec.n} AND audience <> 'team'
        ORDER BY CASE WHEN audience = 'citizen' THEN 0 ELSE 1 END, title, id`).split('\n').filter(Boolean);
      assert.deepEqual(rec.courses.map((x) => x.slug), want, `area ${rec.n}`);
      for (const x of rec.courses) assert.equal(x.url, `/khoa-hoc/${x.slug}`);
    }
    const row = sql(`SELECT year, lvl1, lvl2, lvl3, lvl4, lvl5, overall, age_band, sex, setting, demo FROM skill_response WHERE nonce = '${n}'`);
    assert.equal(row, `${year}|1|2|0|2|1|below_basic|35-44|nu|nong-thon|0`);
    const cols = sql(pick({ sqlite: "SELECT group_concat(name) FROM pragma_table_info('skill_response')",
      postgresql: "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'skill_response'" }));
    assert.match(cols, /\blvl1\b/, 'the columns were read');
    assert.ok(!/ip|user|session|created|at\b/.test(cols), `nothing that identifies a respondent: ${cols}`);
  }
  // All five areas above basic: no weak area.
  const top = await c.post('/api/skills/responses', { json: { nonce: nonce(), answers: answersFor(byArea, [9, 9, 9, 9, 9]) } });
  assert.equal(top.status, 201, top.text);
  assert.equal(top.data.overall.level, 'above_basic');
  assert.equal(top.data.recommended.length, 0);
  // Nothing at all: every area recommended; an area without open courses says so on the page.
  const none = await c.post('/api/skills/responses', { json: { nonce: nonce(), answers: Object.fromEntries(byArea.flat().map((id) => [id, false])) } });
  assert.equal(none.data.overall.level, 'no_skills');
  assert.equal(none.data.recommended.length, 5);
  // The teams' own courses (how to guide others) are never a respondent's path.
  assert.ok(none.data.recommended.every((a) => a.courses.every((x) => x.audience !== 'team')),
    JSON.stringify(none.data.recommended.map((a) => a.courses.map((x) => x.audience))));
});

test('the courses for the respondent\'s own audience come first, marked; an unknown role is 422 and nothing is written', { skip }, async () => {
  const { c, byArea } = await start();
  const none = (extra) => ({ nonce: nonce(), answers: Object.fromEntries(byArea.flat().map((id) => [id, false])), ...extra });
  for (const role of ['official', 'enterprise', 'youth']) {
    const r = await c.post('/api/skills/responses', { json: none({ role }) });
    assert.equal(r.status, 201, r.text);
    for (const area of r.data.recommended) {
      const aud = area.courses.map((x) => x.audience);
      const order = (a) => (a === role ? 0 : a === 'citizen' ? 1 : 2);
      assert.deepEqual(aud, [...aud].sort((x, y) => order(x) - order(y)), `${role}, area ${area.n}: ${aud}`);
      for (const x of area.courses) assert.equal(x.for_you, x.audience === role, `${role}: ${x.slug}`);
    }
    const all = r.data.recommended.flatMap((a) => a.courses);
    if (all.some((x) => x.audience === role)) assert.ok(all.some((x) => x.for_you), `${role}: a course of their own is marked`);
  }
  // The demo's area 5 has a course for officials and one for citizens: an official sees theirs first.
  const off = await c.post('/api/skills/responses', { json: none({ role: 'official' }) });
  const five = off.data.recommended.find((a) => a.n === 5).courses.map((x) => x.audience);
  if (five.includes('official') && five.includes('citizen')) assert.equal(five[0], 'official');
  const before = DB ? +sql('SELECT COUNT(*) FROM skill_response') : 0;
  const bad = await c.post('/api/skills/responses', { json: none({ role: 'minister' }) });
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.data.fields.role, bad.text);
  if (DB) assert.equal(+sql('SELECT COUNT(*) FROM skill_response'), before);
});

test('the HTML form posts without JavaScript; the result is private', { skip }, async () => {
  const { c, byArea } = await start();
  const form = { csrf: c.csrf, nonce: nonce(), province: '', age: '25-34', sex: '', setting: 'thanh-thi' };
  for (const [id, v] of Object.entries(answersFor(byArea, [1, 1, 1, 1, 1]))) form[`q_${id}`] = v;
  const saved = c.csrf;
  c.csrf = undefined;   // the token travels in the form, as a browser sends it
  const r = await c.post('/danh-gia-ky-nang', { form });
  c.csrf = saved;
  assert.equal(r.status, 201, r.text.slice(0, 400));
  assert.match(r.text, /Mức kỹ năng số của bạn: Cơ bản/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  // Missing answers come back as the form with the given answers kept and the gap marked.
  delete form['q_3.1a'];
  form.nonce = nonce();
  const bad = await c.post('/danh-gia-ky-nang', { form });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Bạn chưa trả lời câu này/);
  assert.match(bad.text, /name="q_1\.1a" value="yes" required checked/);
  assert.ok(bad.text.includes(`value="${form.nonce}"`), 'the same nonce, so the corrected form still counts once');
});

test('bad input: 422 per field and nothing written; 413 for an over-long body; 403 without CSRF', { skip }, async () => {
  const { c, byArea } = await start();
  const good = answersFor(byArea, [1, 1, 1, 1, 1]);
  const cases = [
    [{ answers: { ...good, '9.9z': 'yes' } }, 'q_9.9z', /Không có câu hỏi/],
    [{ answers: { ...good, '1.1a': 'maybe' } }, 'q_1.1a', /Đã làm/],
    [{ answers: { ...good, '2.1a': 3 } }, 'q_2.1a', /Đã làm/],
    [{ answers: Object.fromEntries(Object.entries(good).filter(([k]) => k !== '4.2a')) }, 'q_4.2a', /chưa trả lời/],
    [{ answers: good, province: 'ha-tay' }, 'province', /34 tỉnh/],
    [{ answers: good, province: 'vn' }, 'province', /34 tỉnh/],
    [{ answers: good, age: '10-14' }, 'age', /tuổi/],
    [{ answers: good, sex: 'x' }, 'sex', /Giới tính/],
    [{ answers: good, setting: 'ngoai-o' }, 'setting', /thành thị/],
  ];
  for (const [body, field, msg] of cases) {
    const n = nonce();
    const r = await c.post('/api/skills/responses', { json: { nonce: n, ...body } });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.match(r.data.fields[field] || '', msg, `${field}: ${r.text}`);
    if (DB) assert.equal(sql(`SELECT COUNT(*) FROM skill_response WHERE nonce = '${n}'`), '0');
  }
  const noNonce = await c.post('/api/skills/responses', { json: { answers: good } });
  assert.equal(noNonce.status, 422);
  assert.ok(noNonce.data.fields.nonce);
  const flat = await c.post('/api/skills/responses', { json: { nonce: nonce(), ...Object.fromEntries(Object.entries(good).map(([k, v]) => [`q_${k}`, v])) } });
  assert.equal(flat.status, 201, 'flat q_<id> fields work in JSON too');
  const huge = await c.post('/api/skills/responses', { json: { nonce: nonce(), answers: good, pad: 'x'.repeat(20000) } });
  assert.equal(huge.status, 413);
  const anon = new Client();
  const forged = await anon.post('/api/skills/responses', { json: { nonce: nonce(), answers: good } });
  assert.equal(forged.status, 403);
});

test('the same submission twice counts once', { skip }, async () => {
  const { c, byArea } = await start();
  const before = (await c.get(`/api/skills/measurement?year=${year}`)).data.respondents;
  const n = nonce();
  const body = { nonce: n, answers: answersFor(byArea, [3, 3, 3, 3, 3]), setting: 'thanh-thi' };
  const first = await c.post('/api/skills/responses', { json: body });
  assert.equal(first.status, 201);
  assert.equal(first.data.duplicate, false);
  const again = await c.post('/api/skills/responses', { json: { ...body, answers: answersFor(byArea, [0, 0, 0, 0, 0]) } });
  assert.equal(again.status, 200);
  assert.equal(again.data.duplicate, true);
  assert.equal(again.data.overall.level, 'above_basic', 'the first answers stand');
  const after = (await c.get(`/api/skills/measurement?year=${year}`)).data.respondents;
  assert.equal(after - before, 1);
  if (DB) assert.equal(sql(`SELECT COUNT(*) FROM skill_response WHERE nonce = '${n}'`), '1');
});

test('a group is hidden with its complement at 9 respondents and shown at the 10th', { skip: skip || (!DB && 'needs DXDAY_TEST_DB') }, async () => {
  const { c, byArea } = await start();
  const provinces = (await c.get('/api/skills/questionnaire')).data.provinces.map((p) => p.code);
  // The (province, sex) table this run owns: a province with fewer than 9 respondents of sex "khác" this year.
  const count = (code, cond) => Number(sql(`SELECT COUNT(*) FROM skill_response r JOIN org_unit o ON o.id = r.province_id
    WHERE r.year = ${year} AND o.code = '${code}' AND ${cond}`));
  const KHAC = "r.sex = 'khac'";
  const [prov] = provinces.map((code) => [code, count(code, KHAC), count(code, '1 = 1')]).filter(([, k]) => k < 9).sort((a, b) => b[2] - a[2])[0] || [];
  assert.ok(prov, 'a province with fewer than 9 respondents of sex "khác"');
  const post = async (sex) => {
    const r = await c.post('/api/skills/responses', { json: { nonce: nonce(), answers: answersFor(byArea, [9, 9, 9, 9, 9]), province: prov, sex, age: '65+' } });
    assert.equal(r.status, 201, r.text);
  };
  // Every other group of the table at 0 or at least 10, so "khác" is the only small cell.
  for (const [sex, cond] of [['nam', "r.sex = 'nam'"], ['nu', "r.sex = 'nu'"], ['khong-noi', "(r.sex IS NULL OR r.sex = 'khong-noi')"]]) {
    const k = count(prov, cond);
    for (let i = k; i > 0 && i < 10; i++) await post(sex);
  }
  for (let i = count(prov, KHAC); i < 9; i++) await post('khac');
  const cellOf = async () => {
    const m = await c.get(`/api/skills/measurement?year=${year}&province=${prov}`);
    assert.equal(m.status, 200, m.text);
    const sex = m.data.dimensions.find((d) => d.key === 'sex');
    return { m: m.data, sex, cell: sex.groups.find((g) => g.key === 'khac') };
  };
  let { m, sex, cell } = await cellOf();
  assert.equal(cell.suppressed, true);
  assert.equal(cell.n, null);
  assert.equal(cell.at_least_basic, null);
  assert.equal(cell.areas, null);
  assert.equal(sex.groups.filter((g) => g.suppressed).length, 2, 'a complement is hidden too, so total − shown does not reveal the cell');
  const page = await new Client().get(`/ky-nang-so?nam=${year}&tinh=${prov}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<th scope="row">Khác<\/th><td>—<\/td>/);
  await post('khac');
  ({ m, sex, cell } = await cellOf());
  assert.equal(cell.suppressed, false);
  assert.equal(cell.n, 10);
  // The shares of exactly those 10 people (seed-demo may have put one there before this run).
  const share = (cond) => `CAST(AVG(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS DOUBLE PRECISION)`;
  const want = sql(`SELECT ${[`overall IN ('basic', 'above_basic')`, 'lvl1 > 0', 'lvl2 > 0', 'lvl3 > 0', 'lvl4 > 0', 'lvl5 > 0'].map(share).join(', ')}
    FROM skill_response r JOIN org_unit o ON o.id = r.province_id WHERE r.year = ${year} AND o.code = '${prov}' AND ${KHAC}`).split('|').map(Number);
  assert.equal(cell.at_least_basic, want[0]);
  assert.deepEqual(cell.areas, want.slice(1));
  assert.ok(cell.at_least_basic >= 0.9, 'at least the 9 or 10 of this run, all above basic');
  assert.equal(sex.groups.filter((g) => g.suppressed).length, 0);
  assert.equal(m.province.code, prov);
});

test('the measurement: JSON twin fields, map and table, gaps in points, XLSX and PDF', { skip }, async () => {
  const c = new Client();
  const r = await c.get(`/api/skills/measurement?year=${year}`);
  assert.equal(r.status, 200);
  const m = r.data;
  assert.equal(m.year, year);
  assert.equal(m.min_cell, 10);
  assert.ok(m.respondents >= 10);
  assert.ok(m.total.at_least_basic >= 0 && m.total.at_least_basic <= 1);
  assert.equal(m.total.areas.length, 5);
  assert.deepEqual(m.levels.map((l) => l.level), ['above_basic', 'basic', 'below_basic', 'no_skills']);
  assert.deepEqual(m.dimensions.map((d) => d.key), ['province', 'age', 'sex', 'setting']);
  const prov = m.dimensions[0];
  assert.equal(prov.groups.filter((g) => g.key).length >= 34, true);
  assert.equal(prov.groups.at(-1).key, null, '"not given" is a group, so the groups add up to the total');
  for (const d of m.dimensions) {
    const shown = d.groups.filter((g) => !g.suppressed).reduce((s, g) => s + g.n, 0);
    const hiddenCount = d.groups.filter((g) => g.suppressed).length;
    assert.ok(hiddenCount !== 1, `${d.key}: never exactly one hidden cell`);
    if (hiddenCount) assert.ok(m.respondents - shown >= 10, `${d.key}: hidden cells hold at least 10 people`);
    else assert.equal(shown, m.respondents, d.key);
  }
  assert.deepEqual(m.gaps.map((g) => g.key), ['setting', 'sex', 'age', 'province']);
  const setting = m.gaps[0], groups = m.dimensions[3].groups;
  const urban = groups.find((g) => g.key === 'thanh-thi'), rural = groups.find((g) => g.key === 'nong-thon');
  if (!urban.suppressed && !rural.suppressed) assert.ok(Math.abs(setting.pp - (urban.at_least_basic - rural.at_least_basic) * 100) < 0.06);
  assert.ok(!JSON.stringify(m).includes('"_'), 'no private keys in JSON');
  const page = await c.get(`/ky-nang-so?nam=${year}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg[^>]*>[\s\S]*<\/svg>/);
  assert.match(page.text, /điểm phần trăm/);
  assert.match(page.text, /<caption class="sr">Theo tỉnh, thành phố/);
  assert.ok(!/<script(?![^>]*src="\/static\/menu\.js")/i.test(page.text), 'no script of its own');
  assert.equal((await c.get('/api/skills/measurement?year=20x6')).status, 400);
  assert.equal((await c.get('/api/skills/measurement?province=atlantis')).status, 404);

  const x = await fetch(`${BASE}/ky-nang-so/bang.xlsx?nam=${year}`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const zip = Buffer.from(await x.arrayBuffer());
  assert.equal(zip.subarray(0, 2).toString(), 'PK');
  const files = unzip(zip);
  assert.ok(files['xl/worksheets/sheet1.xml'] && files['xl/worksheets/sheet2.xml']);
  assert.match(files['xl/workbook.xml'], /name="Tỷ lệ"/);
  assert.match(files['xl/workbook.xml'], /name="Khoảng cách"/);
  assert.match(files['xl/sharedStrings.xml'], /Theo tỉnh, thành phố/);

  const p = await fetch(`${BASE}/ky-nang-so/bao-cao.pdf?nam=${year}`);
  assert.equal(p.status, 200);
  assert.equal(p.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await p.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
});

// The entries of a zip file (stored or deflated) as text, read through its central directory.
function unzip(buf) {
  const out = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip end record');
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20), nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32), local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString();
    p += 46 + nlen + xlen + clen;
  }
  return out;
}
