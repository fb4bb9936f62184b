// Training the members of Community Digital Technology Teams: the MOOC's 'team' audience (catalogue filter, course
// editor, import), our own course for them, and a team's page listing which members with an account have finished
// which team course (certificate) or are taking it; on SQLite, migration 0020's in-place CHECK change on an upgraded
// database. Runs on a server of its own (tests/http/ownserver.mjs) on the suite's engine (DXDAY_TEST_DB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, OwnClient, ROOT, SANITIZER_REPORT, startServer } from './ownserver.mjs';
import { q, sqlOn } from './db.mjs';

const SLUG = 'huong-dan-vneid-dich-vu-cong';
const TEAM_LABEL = 'Tổ công nghệ số cộng đồng';
const T2 = 'Tổ công nghệ số cộng đồng phường Thành Vinh';
const T1 = 'Tổ công nghệ số cộng đồng phường Trường Vinh';
const PW = 'mat-khau-hoc-tap-1';
let srv, c = {};
let n = 0;
const uniq = (p) => `${p}-${process.pid}-${++n}`;
const sql = (s) => sqlOn(srv.db, s);
const teamId = (name) => +sql(`SELECT id FROM cdt_team WHERE name = ${q(name)}`);

function dxday(args) {
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
}

before(async () => {
  srv = await startServer();
  c.nghean = await new OwnClient(srv.url).login('nghean@dxday.vn', 'dxday-demo-2026');
  c.admin = await new OwnClient(srv.url).login('admin@dxday.vn', 'dxday-admin-2026');
  const email = `${uniq('officer')}@dxday.vn`;
  const r = await c.admin.post('/api/users', { json: { email, name: 'Cán bộ Thanh Hóa', password: PW, role: 'officer', org: 'thanh-hoa' } });
  assert.equal(r.status, 201, r.text);
  c.thanhhoa = await new OwnClient(srv.url).login(email, PW);
  c.learner = await new OwnClient(srv.url).login('hocvien@dxday.vn', 'dxday-demo-2026');
});

after(async () => {
  if (!srv) return;
  const log = await srv.stop();
  const m = log.match(SANITIZER_REPORT);
  assert.ok(!m, `sanitizer report:\n${m ? log.slice(Math.max(0, m.index - 200), m.index + 3000) : ''}`);
});

test('the catalogue lists the team course under the team audience, labelled; an unknown audience is still 400', async () => {
  const anon = new OwnClient(srv.url);
  const r = await anon.get('/api/courses?doi-tuong=team');
  assert.equal(r.status, 200, r.text);
  const items = r.data.items;
  assert.ok(items.some((i) => i.slug === SLUG), items.map((i) => i.slug).join(' '));
  assert.ok(items.every((i) => i.audience === 'team' && i.audience_label === TEAM_LABEL));
  assert.ok(!(await anon.get('/api/courses?doi-tuong=citizen')).data.items.some((i) => i.slug === SLUG));
  const page = await anon.get('/khoa-hoc?doi-tuong=team');
  assert.equal(page.status, 200);
  assert.match(page.text, /<option value="team" selected>Tổ công nghệ số cộng đồng<\/option>/);
  assert.match(page.text, new RegExp(`href="/khoa-hoc/${SLUG}"`));
  assert.equal((await anon.get('/api/courses?doi-tuong=alien')).status, 400);
  // The course editor offers the audience too.
  const ed = await c.admin.get('/quan-tri/khoa-hoc');
  assert.equal(ed.status, 200);
  assert.match(ed.text, /<option value="team">Tổ công nghệ số cộng đồng<\/option>/);
});

test('the course folder passes import validation; the same folder with an unknown audience does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxday-train-'));
  try {
    const db = join(dir, 't.db');
    assert.equal(dxday(['--db', db, 'migrate']).status, 0);
    const ok = dxday(['--db', db, 'import-course', join(ROOT, 'data/courses', SLUG)]);
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    assert.equal(sqlOn(db, `SELECT audience || '|' || status FROM course WHERE slug = ${q(SLUG)}`), 'team|open');
    const lessons = +sqlOn(db, `SELECT COUNT(*) FROM lesson l JOIN course c ON c.id = l.course_id WHERE c.slug = ${q(SLUG)}`);
    assert.ok(lessons >= 3 && lessons <= 4, `lessons: ${lessons}`);
    const final = +sqlOn(db, `SELECT COUNT(*) FROM question k JOIN quiz z ON z.id = k.quiz_id JOIN course c ON c.id = z.course_id
                              WHERE c.slug = ${q(SLUG)} AND z.lesson_id IS NULL`);
    assert.ok(final >= 6 && final <= 8, `final quiz questions: ${final}`);
    const bad = join(dir, SLUG);
    cpSync(join(ROOT, 'data/courses', SLUG), bad, { recursive: true });
    const cj = JSON.parse(readFileSync(join(bad, 'course.json'), 'utf8'));
    writeFileSync(join(bad, 'course.json'), JSON.stringify({ ...cj, audience: 'alien' }));
    const no = dxday(['--db', db, 'import-course', bad, '--replace']);
    assert.notEqual(no.status, 0);
    assert.match(no.stderr, /audience.*team/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the database itself refuses an unknown audience and takes team', () => {
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  const ins = (slug, aud) => sql(`INSERT INTO course (slug, title, audience, area, updated_at) VALUES (${q(slug)}, 'x', ${q(aud)}, 1, '${now}')`);
  assert.throws(() => ins(uniq('kt-alien'), 'alien'), /check/i);
  const s = uniq('kt-team');
  ins(s, 'team');
  assert.equal(sql(`SELECT audience FROM course WHERE slug = ${q(s)}`), 'team');
  sql(`DELETE FROM course WHERE slug = ${q(s)}`);
});

// A member of the team with an account of their own, made by the province officer as the team pages do.
async function member(team, name) {
  const add = await c.nghean.post(`/api/teams/${team}/members`, { json: { name, origin: 'youth_union' } });
  assert.equal(add.status, 201, add.text);
  const email = `${uniq('hoc')}@dxday.vn`;
  const acc = await c.nghean.post(`/api/teams/${team}/members/${add.data.id}/account`, { json: { email, password: PW } });
  assert.equal(acc.status, 201, acc.text);
  return { id: add.data.id, client: await new OwnClient(srv.url).login(email, PW) };
}

const training = async (cl, team) => {
  const r = await cl.get(`/api/teams/${team}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.data.team.training, 'the team JSON has its training block');
  return r.data.team.training;
};
const row = (tr, mid) => tr.members.find((m) => m.member_id === mid);

test('a member who completes the team course shows as finished with the certificate; one who has not, as not yet', async () => {
  const team = teamId(T2);
  const done = await member(team, 'Nguyễn Văn Học Xong');
  const not = await member(team, 'Trần Thị Chưa Học');
  const me = done.client;
  assert.equal((await me.post(`/api/courses/${SLUG}/enrol`)).status, 200);
  const course = (await me.get(`/api/courses/${SLUG}`)).data.course;
  for (const l of course.lessons) assert.equal((await me.get(`/khoa-hoc/${SLUG}/${l.slug}`)).status, 200);
  let tr = await training(c.nghean, team);
  assert.ok(tr.courses.some((x) => x.slug === SLUG));
  let mine = row(tr, done.id).courses.find((x) => x.slug === SLUG);
  assert.equal(mine.status, 'taking');
  assert.ok(mine.percent > 0 && mine.percent < 100, `percent ${mine.percent}`);
  // Pass every quiz with the stored keys (a short answer's first accepted text), through the API.
  const keys = sql(`SELECT z.slug, k.seq, k.kind, k.answer FROM quiz z JOIN question k ON k.quiz_id = z.id JOIN course c ON c.id = z.course_id
                    WHERE c.slug = ${q(SLUG)} ORDER BY z.seq, k.seq`).split('\n').map((l) => l.split('|'));
  const quizzes = {};
  for (const [quiz, seq, kind, answer] of keys) {
    const key = JSON.parse(answer);
    (quizzes[quiz] ??= {})[seq] = kind === 'short' ? key[0] : key;
  }
  let last;
  for (const [quiz, answers] of Object.entries(quizzes)) {
    last = await me.post(`/api/courses/${SLUG}/quizzes/${quiz}/attempts`, { json: { nonce: uniq('nonce').replace(/[^a-z0-9-]/g, ''), answers } });
    assert.equal(last.status, 200, last.text);
    assert.equal(last.data.passed, true, `${quiz}: ${last.text.slice(0, 300)}`);
  }
  const code = sql(`SELECT cert.code FROM certificate cert JOIN course c ON c.id = cert.course_id JOIN cdt_member m ON m.user_id = cert.user_id
                    WHERE c.slug = ${q(SLUG)} AND m.id = ${done.id}`);
  assert.ok(code.length >= 26, `certificate issued: ${code}`);

  tr = await training(c.nghean, team);
  mine = row(tr, done.id).courses.find((x) => x.slug === SLUG);
  assert.equal(mine.status, 'done');
  assert.equal(mine.percent, 100);
  assert.ok(mine.completed_at);
  assert.deepEqual(mine.certificate, { code, url: `/chung-chi/${code}` });
  const other = row(tr, not.id).courses.find((x) => x.slug === SLUG);
  assert.equal(other.status, 'not_started');
  assert.equal(other.certificate, null);
  // A member without an account is not in the block; the team's own members read it too.
  const noAccount = +sql(`SELECT MIN(id) FROM cdt_member WHERE team_id = ${team} AND user_id IS NULL`);
  assert.ok(noAccount && !row(tr, noAccount));
  assert.ok(row(await training(not.client, team), done.id));

  const page = await c.nghean.get(`/to-cong-nghe-so/${team}`);
  assert.equal(page.status, 200);
  const block = page.text.slice(page.text.indexOf('id="hoc-tap"'));
  assert.ok(block.length > 20, 'the page has its training section');
  assert.ok(block.includes(`href="/chung-chi/${code}"`), 'the certificate is linked');
  assert.match(block, /Nguyễn Văn Học Xong[\s\S]*Đã hoàn thành/);
  assert.match(block, /Trần Thị Chưa Học[\s\S]*Chưa học/);
});

test('the demo member tocns@dxday.vn has finished the team course, and the demo team page shows it', async () => {
  const tr = await training(c.nghean, teamId(T1));
  const tocns = tr.members.find((m) => m.user_email === 'tocns@dxday.vn');
  assert.ok(tocns, JSON.stringify(tr.members));
  const x = tocns.courses.find((y) => y.slug === SLUG);
  assert.equal(x.status, 'done');
  assert.match(x.certificate.url, /^\/chung-chi\/[A-Z2-7]{26}$/);
  const page = await c.nghean.get(`/to-cong-nghe-so/${teamId(T1)}`);
  assert.ok(page.text.includes(x.certificate.url));
});

test('an officer of another province, or a learner outside the team, cannot see the team or its training', async () => {
  const team = teamId(T2);
  // As today: out of scope reads as no team (404); an account with no staff role and no team is refused (403).
  for (const [cl, status] of [[c.thanhhoa, 404], [c.learner, 403]]) {
    const j = await cl.get(`/api/teams/${team}`);
    assert.equal(j.status, status);
    assert.ok(!j.text.includes('training'));
    const h = await cl.get(`/to-cong-nghe-so/${team}`);
    assert.equal(h.status, status);
    assert.ok(!h.text.includes('Nguyễn Văn Học Xong'));
  }
});

// SQLite only: migration 0020 edits course's stored SQL (writable_schema). A database as it was at 0019, with demo
// data, is made by taking a migrated one back: the team course removed, the old CHECK text restored, 0020 forgotten.
test('SQLite: 0020 on a fresh database and on one upgraded from 0019 with data passes integrity_check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxday-train-up-'));
  const check = (db) => sqlOn(db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;');
  const courseSql = (db) => sqlOn(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'course'");
  const counts = (db) => sqlOn(db, `SELECT (SELECT COUNT(*) FROM course), (SELECT COUNT(*) FROM lesson), (SELECT COUNT(*) FROM quiz),
    (SELECT COUNT(*) FROM question), (SELECT COUNT(*) FROM enrolment), (SELECT COUNT(*) FROM lesson_view),
    (SELECT COUNT(*) FROM quiz_attempt), (SELECT COUNT(*) FROM certificate)`);
  try {
    const db = join(dir, 'fresh.db');
    for (const cmd of ['migrate', 'seed-demo']) assert.equal(dxday(['--db', db, cmd]).status, 0, cmd);
    assert.equal(check(db), 'ok');
    const fresh = courseSql(db);
    assert.match(fresh, /'youth', 'team'\)\)/);

    const old = join(dir, 'old.db');
    cpSync(db, old);
    sqlOn(old, `PRAGMA foreign_keys = ON;
      DELETE FROM certificate WHERE course_id IN (SELECT id FROM course WHERE audience = 'team');
      DELETE FROM course WHERE audience = 'team';
      DELETE FROM schema_migration WHERE version = 20;
      DROP INDEX course_audience;
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, ', ''team''))', '))') WHERE type = 'table' AND name = 'course';
      PRAGMA writable_schema = RESET;
      CREATE TABLE bump_cookie (x); DROP TABLE bump_cookie;`);
    assert.match(courseSql(old), /'enterprise', 'youth'\)\)/);
    assert.doesNotMatch(courseSql(old), /team/);
    assert.equal(check(old), 'ok');
    assert.throws(() => sqlOn(old, "INSERT INTO course (slug, title, audience, area, updated_at) VALUES ('x', 'x', 'team', 1, 'x')"), /CHECK/);
    const before = counts(old);
    assert.ok(+sqlOn(old, 'SELECT COUNT(*) FROM enrolment') > 0 && +sqlOn(old, 'SELECT COUNT(*) FROM certificate') > 0, 'learners\' data to keep');

    const up = dxday(['--db', old, 'migrate']);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(sqlOn(old, 'SELECT MAX(version) FROM schema_migration'), sqlOn(db, 'SELECT MAX(version) FROM schema_migration'));
    assert.equal(check(old), 'ok');
    assert.equal(courseSql(old), fresh, 'the upgraded table reads exactly as a fresh one');
    assert.equal(counts(old), before, 'courses, lessons, enrolments, attempts and certificates all kept');
    sqlOn(old, "INSERT INTO course (slug, title, audience, area, updated_at) VALUES ('kt-team', 'x', 'team', 1, 'x')");
    assert.throws(() => sqlOn(old, "INSERT INTO course (slug, title, audience, area, updated_at) VALUES ('kt-alien', 'x', 'alien', 1, 'x')"), /CHECK/);
    // The upgraded database still serves: seeding it again imports the team course and its demo progress.
    assert.equal(dxday(['--db', old, 'seed-demo']).status, 0);
    assert.equal(sqlOn(old, `SELECT audience FROM course WHERE slug = ${q(SLUG)}`), 'team');
    assert.equal(check(old), 'ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
