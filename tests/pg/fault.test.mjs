// PostgreSQL stops while dxday serves: every request is answered (503 in Vietnamese, JSON for the API, Retry-After),
// nothing crashes, and once the server is back dxday carries on without a restart, with every write it acknowledged.
// Runs its own PostgreSQL (tests/pg/start.sh into a temporary directory) so stopping it disturbs no other test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, SANITIZER_REPORT } from '../http/ownserver.mjs';
import { Client, ADMIN, uniq } from '../http/lib.mjs';

const skip = process.env.DXDAY_TEST_PG ? false : 'DXDAY_TEST_PG not set: tests/run.sh starts PostgreSQL and sets it';
const pgBin = () => ['/usr/lib/postgresql/15/bin', ...readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`)]
  .find((b) => existsSync(join(b, 'pg_ctl')));
const asPg = (cmd, args) => (process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

function startPg(dir, ports) {
  const r = spawnSync('bash', [join(ROOT, 'tests/pg/start.sh'), dir], { encoding: 'utf8', env: { ...process.env, DXDAY_PG_PORTS: ports } });
  if (r.status !== 0) throw new Error(`tests/pg/start.sh: ${r.stderr}`);
  return r.stdout.trim();
}
// -m immediate: the server dies as on a crash or a lost machine, with no chance to finish anything.
function stopPg(dir) {
  const [cmd, args] = asPg(join(pgBin(), 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl stop: ${r.stderr}`);
}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

test('PostgreSQL stops and comes back: 503 meanwhile, no crash, every acknowledged write kept', { skip, timeout: 180000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxday-pgfault-'));
  let url = startPg(dir, process.env.DXDAY_PG_FAULT_PORTS || '15900-15999');
  const port = url.match(/:(\d+)\//)[1];
  const env = { ...process.env, DXDAY_NO_REMINDERS: '1' };
  delete env.DXDAY_LLM_URL;
  for (const cmd of ['migrate', 'seed-demo']) {
    const r = spawnSync(BIN, ['--db', url, cmd], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const web = 19990 - Math.floor(Math.random() * 200);
  const logFile = join(mkdtempSync(join(tmpdir(), 'dxday-pgfault-log-')), 'dxday.log');
  const out = openSync(logFile, 'w');
  const child = spawn(BIN, ['--db', url, 'serve', '--port', String(web), '--bind', '127.0.0.1'], { env, stdio: ['ignore', out, out] });
  const base = `http://127.0.0.1:${web}`;
  try {
    for (let i = 0; ; i++) {
      try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
      assert.ok(i < 300 && child.exitCode === null, `dxday did not start: ${readFileSync(logFile, 'utf8')}`);
      await sleep(100);
    }
    const admin = new Client(base);
    await admin.login(...ADMIN);
    const acked = [];
    const write = async () => {
      const title = uniq('Tin thử khi mất cơ sở dữ liệu');
      const r = await admin.post('/api/articles', { json: { title, summary: 'x', body_md: 'Nội dung.', status: 'draft' } });
      if (r.status === 201 || r.status === 200) acked.push(title);
      return r;
    };
    for (let i = 0; i < 5; i++) assert.ok([200, 201].includes((await write()).status));

    stopPg(dir);
    // Writes, a signed-in page, a public page and an API read, while the database is gone.
    const during = [await write(), await write(), await admin.get('/api/me'), await admin.get('/tai-khoan'),
      await admin.get('/api/plans'), await new Client(base).get('/ke-hoach')];
    for (const r of during) {
      assert.equal(r.status, 503, `expected 503 while PostgreSQL is down, got ${r.status}: ${r.text.slice(0, 200)}`);
      assert.ok(r.headers.get('retry-after'), 'a 503 says when to try again');
      assert.match(r.text, /Cơ sở dữ liệu tạm thời không sẵn sàng/);
    }
    assert.match(during[0].headers.get('content-type'), /application\/json/);
    assert.equal(typeof during[0].data.error, 'string');
    assert.match(during[5].headers.get('content-type'), /text\/html/);
    assert.equal(child.exitCode, null, 'dxday is still running');

    url = startPg(dir, `${port}-${port}`);
    // Back without a restart of dxday: the same session, new writes, and every write acknowledged before.
    let me;
    for (let i = 0; i < 50; i++) {
      me = await admin.get('/api/me');
      if (me.status === 200) break;
      await sleep(200);
    }
    assert.equal(me.status, 200, `dxday did not recover: ${me.status} ${me.text.slice(0, 200)}`);
    for (let i = 0; i < 3; i++) assert.ok([200, 201].includes((await write()).status));
    const r = spawnSync('psql', ['-X', '-A', '-t', url, '-c', 'SELECT title FROM article'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const stored = new Set(r.stdout.split('\n'));
    const lost = acked.filter((t) => !stored.has(t));
    assert.deepEqual(lost, [], 'acknowledged writes lost');
    assert.equal(acked.length, 8);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((ok) => (child.exitCode !== null ? ok() : child.once('exit', ok)));
    spawnSync('bash', [join(ROOT, 'tests/pg/stop.sh'), dir]);
  }
  const log = readFileSync(logFile, 'utf8');
  assert.doesNotMatch(log, SANITIZER_REPORT, log.match(new RegExp(`.*${SANITIZER_REPORT.source}[\\s\\S]{0,2000}`))?.[0]);
});
