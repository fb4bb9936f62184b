// Two dxday nodes on one PostgreSQL database behave as one: a write on A is seen on B at once (page and result caches),
// a session made on A works on B, failed sign-ins on A throttle B, a rate limit is shared, and the hourly reminder scan
// runs once however many nodes start. Needs DXDAY_TEST_PG (a postgresql:// URL of a running server); makes its own
// database there and drops it at the end. Must not touch the suite's server or database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, COORD, Client, OFFICER, uniq } from '../http/lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = existsSync(join(ROOT, 'build/dxday-asan')) ? join(ROOT, 'build/dxday-asan') : join(ROOT, 'build/dxday');
const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;
const PG = process.env.DXDAY_TEST_PG;
const skip = PG ? false : 'DXDAY_TEST_PG not set: no PostgreSQL server to run two nodes on';
if (skip) console.log(`# skipped: ${skip}`);

const ASKS_PER_MINUTE = 3;
let dbName, dbUrl, dir, nodes = [], smtp, mails = [];

const psql = (url, q) => {
  const r = spawnSync('psql', [url, '-XAtqc', q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${q}: ${r.stderr}`);
  return r.stdout.trim();
};
const sql = (q) => psql(dbUrl, q);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// The environment tests/run.sh gives its server (so leak reports mean the same), with reminders on: the scan is tested.
function nodeEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env.DXDAY_NO_REMINDERS;
  delete env.DXDAY_LLM_URL;
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1';
  env.LSAN_OPTIONS ??= `suppressions=${join(ROOT, 'tests/lsan.supp')}`;
  env.G_SLICE ??= 'always-malloc';
  return env;
}

function run(args, env) {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`dxday ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

async function startNode(name, env) {
  const port = await freePort();
  const logFile = join(dir, `${name}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(BIN, ['--db', dbUrl, 'serve', '--port', String(port), '--bind', '127.0.0.1'], { env, stdio: ['ignore', out, out] });
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  return { name, url: `http://127.0.0.1:${port}`, child, exited, log: () => readFileSync(logFile, 'utf8') };
}

async function healthy(n) {
  for (let i = 0; ; i++) {
    try { if ((await fetch(n.url + '/healthz')).ok) return; } catch { /* not listening yet */ }
    if (i > 300 || n.child.exitCode !== null) throw new Error(`node ${n.name} did not start: ${n.log()}`);
    await sleep(100);
  }
}

async function stopNode(n) {
  if (n.child.exitCode === null) n.child.kill('SIGTERM');
  const t = setTimeout(() => n.child.kill('SIGKILL'), 20000);
  await n.exited;
  clearTimeout(t);
  return n.log();
}

// A mail server that accepts everything and keeps each message with its recipients: the reminder e-mails show how
// many times the scan ran.
function startSmtp() {
  const server = createServer((sock) => {
    let buf = '', data = false, rcpt = [], body = '';
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (data) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          body = buf.slice(0, end);
          buf = buf.slice(end + 5);
          data = false;
          mails.push({ rcpt: rcpt.join(','), body: body.replace(/^Date: .*\r\n/m, '') });
          rcpt = [];
          sock.write('250 kept\r\n');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'RCPT') { rcpt.push(line.slice(8)); sock.write('250 ok\r\n'); }
        else if (verb === 'DATA') { data = true; sock.write('354 go on\r\n'); }
        else if (verb === 'QUIT') { sock.end('221 bye\r\n'); return; }
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const A = () => nodes[0], B = () => nodes[1];
const client = (n) => new Client(n.url);
async function signedIn(n, [email, password]) {
  const c = client(n);
  await c.login(email, password);
  assert.equal((await c.get('/api/me')).data?.user?.email, email, `signed in as ${email} on ${n.name}`);
  return c;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'dxday-nodes-'));
  dbName = `dxday_nodes_${process.pid}_${Date.now()}`;
  psql(PG, `CREATE DATABASE ${dbName}`);
  const u = new URL(PG);
  u.pathname = '/' + dbName;
  dbUrl = u.toString();
  smtp = await startSmtp();
  const env = nodeEnv({ DXDAY_ASK_PER_MINUTE: String(ASKS_PER_MINUTE), DXDAY_SMTP_URL: `smtp://127.0.0.1:${smtp.address().port}`,
    DXDAY_MAIL_FROM: 'dxday@example.vn' });
  run(['--db', dbUrl, 'migrate'], env);
  run(['--db', dbUrl, 'seed-demo'], env);
  // Both at once, as after a deployment: each node's reminder thread starts its scan right away.
  nodes = [await startNode('A', env), await startNode('B', env)];
  await Promise.all(nodes.map(healthy));
});

after(async () => {
  if (skip) return;
  const logs = await Promise.all(nodes.map(stopNode));
  if (smtp) smtp.close();
  try { psql(PG, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`); } finally { rmSync(dir, { recursive: true, force: true }); }
  logs.forEach((log, i) => assert.doesNotMatch(log, SANITIZER_REPORT, `node ${nodes[i].name}: ${log}`));
});

test('an article published on A is on B\'s cached public list at once', { skip }, async () => {
  const anonB = client(B());
  const before = await anonB.get('/api/articles');
  assert.equal(before.status, 200);
  const ed = await signedIn(A(), COORD);
  const title = `Tin hai máy ${uniq('n')}`;
  const r = await ed.post('/api/articles', { json: { title, summary: 'Hai máy chủ', body_md: 'Nội dung', status: 'published' } });
  assert.equal(r.status, 201, r.text);
  const now = await anonB.get('/api/articles');
  assert.ok(now.text.includes(title), 'B served its cached list from before A\'s write');
});

// A write the store makes outside a transaction (a skills response) must move the generation too.
test('a skills response sent to A is counted on B\'s cached measurement at once', { skip }, async () => {
  const year = Number(new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 4));
  const anonB = client(B());
  const respondents = async () => {
    const m = await anonB.get(`/api/skills/measurement?year=${year}`);
    assert.equal(m.status, 200, m.text);
    return m.data.respondents;
  };
  const was = await respondents();
  const c = client(A());
  const q = await c.get('/api/skills/questionnaire');
  c.csrf = q.data.csrf;
  const answers = Object.fromEntries(q.data.areas.flatMap((x) => x.competences.flatMap((comp) => comp.questions.map((k) => [k.id, 'yes']))));
  const r = await c.post('/api/skills/responses', { json: { nonce: randomBytes(16).toString('hex'), answers, setting: 'thanh-thi' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(await respondents(), was + 1, 'B served its cached measurement from before A\'s write');
});

test('a report submitted on A is on B\'s dashboard at once', { skip }, async () => {
  const iso = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  const year = +iso(0).slice(0, 4);
  const coordA = await signedIn(A(), COORD), officerA = await signedIn(A(), OFFICER), coordB = await signedIn(B(), COORD);
  const code = uniq('bm').toLowerCase();
  const f = await coordA.post('/api/forms', { json: {
    code, campaign_year: year, kind: 'report', title: `Biểu mẫu hai máy ${code}`, period_type: 'campaign', due: iso(30),
    late_days: 0, needs_approval: false, assign: [{ kind: 'province' }],
    indicators: [{ code: 'so_lop', label: 'Số lớp', type: 'integer', required: true, min: 0 }] } });
  assert.equal(f.status, 201, f.text);
  const received = async () => {
    const d = await coordB.get(`/api/dashboard?campaign=${year}`);
    assert.equal(d.status, 200, d.text);
    const form = d.data.forms.find((x) => x.code === code);
    assert.ok(form, `B's dashboard lists the form made on A: ${d.data.forms.map((x) => x.code)}`);
    return form.nation.received;
  };
  const was = await received();
  const s = await officerA.post(`/api/forms/${f.data.id}/submissions/nghe-an`, { json: { action: 'submit', values: { so_lop: 4 } } });
  assert.equal(s.status, 201, s.text);
  assert.equal(await received(), was + 1, 'B\'s dashboard counts the report submitted on A');
});

test('a session made on A works on B, and signing out on B ends it on A', { skip }, async () => {
  const a = await signedIn(A(), OFFICER);
  const b = client(B());
  b.cookies = { ...a.cookies };
  assert.equal((await b.get('/api/me')).data?.user?.email, OFFICER[0]);
  const page = await b.get('/tai-khoan');
  b.csrf = page.text.match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(b.csrf, 'the session\'s CSRF token, read on B');
  assert.ok((await b.post('/api/logout')).status < 400);
  assert.notEqual((await a.get('/api/me')).data?.user?.email, OFFICER[0], 'the session ended on B is gone on A');
});

test('failed sign-ins on A make B wait', { skip }, async () => {
  const admin = await signedIn(A(), ADMIN);
  const email = uniq('hm').toLowerCase() + '@example.vn', pw = 'mat-khau-hai-may-2026';
  const u = await admin.post('/api/users', { json: { email, name: 'Người thử hai máy', password: pw } });
  assert.equal(u.status, 201, u.text);
  const attempt = async (n, password) => {
    const c = client(n);
    c.csrf = (await c.get('/api/login')).data.csrf;
    return c.post('/api/login', { json: { email, password } });
  };
  for (let i = 0; i < 5; i++) assert.equal((await attempt(A(), 'sai-' + i)).status, 401);
  const onB = await attempt(B(), pw);
  assert.equal(onB.status, 429, 'B counts the failures made on A');
  assert.ok(+onB.headers.get('retry-after') > 0);
});

test('the assistant\'s rate limit is one budget across nodes', { skip }, async () => {
  // The budget is per minute of the clock: start early in one, so the asks do not straddle two.
  const s = new Date().getSeconds();
  if (s > 50) await sleep((61 - s) * 1000);
  const ask = (n) => client(n).post('/api/ask', { json: { q: 'ai chủ trì ngày chuyển đổi số' }, csrf: false });
  assert.equal((await ask(A())).status, 200);
  assert.equal((await ask(A())).status, 200);
  assert.equal((await ask(B())).status, 200);
  const over = await ask(B());
  assert.equal(over.status, 429, `B knows of A's asks: ${over.status} ${over.text.slice(0, 200)}`);
  assert.ok(+over.headers.get('retry-after') > 0);
});

test('the reminder scan ran once for both nodes', { skip }, async () => {
  // Both nodes started their reminder thread before the tests: wait until the e-mails stop coming.
  const want = +sql('SELECT COUNT(*) FROM notification');
  assert.ok(want > 0, 'the demo data has tasks that need reminders');
  for (let i = 0; i < 100 && +sql('SELECT COUNT(*) FROM notification WHERE emailed_at IS NULL') > 0; i++) await sleep(100);
  await sleep(1500);
  const seen = new Map();
  for (const m of mails) seen.set(m.rcpt + m.body, (seen.get(m.rcpt + m.body) || 0) + 1);
  const twice = [...seen.values()].filter((n) => n > 1).length;
  assert.ok(mails.length > 0, 'the reminders were e-mailed');
  assert.equal(twice, 0, `${twice} reminder e-mail(s) sent more than once (${mails.length} in all)`);
  const runs = sql("SELECT period FROM job_run WHERE job = 'remind'").split('\n').filter(Boolean);
  assert.equal(runs.length, 1, `one run of the hour's scan, not one per node: ${runs}`);
  assert.equal(sql("SELECT COUNT(*) FROM job_run WHERE job = 'remind' AND finished_at IS NULL"), '0', 'the run says it finished');

  // A node started later in the same hour finds the hour done. (Started in the next hour, it rightly runs that one.)
  const sent = mails.length;
  const late = await startNode('C', nodeEnv({ DXDAY_SMTP_URL: `smtp://127.0.0.1:${smtp.address().port}` }));
  nodes.push(late);
  await healthy(late);
  await sleep(1500);
  const pid = late.child.pid;
  assert.equal(sql(`SELECT COUNT(*) FROM job_run WHERE job = 'remind' AND period = '${runs[0]}' AND node LIKE '%:${pid}'`), '0',
    'the node started later ran the hour again');
  if (sql(`SELECT COUNT(*) FROM job_run WHERE job = 'remind' AND node LIKE '%:${pid}'`) === '0')
    assert.equal(mails.length, sent, 'no e-mail from the node started later');
});
