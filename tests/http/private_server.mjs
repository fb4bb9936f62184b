// A server of a test's own: a fresh database (migrated, demo seeded) on a free loopback port, with the environment the
// test needs (limits, trusted proxies). For tests that hold the write lock, count global rows or exhaust a per-address
// budget: on the shared server those would disturb the test files running beside them.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

const BIN = existsSync('build/dxday-asan') ? 'build/dxday-asan' : 'build/dxday';

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

export async function startPrivateServer(env = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dxday-private-'));
  const db = path.join(dir, 'test.db');
  const fullEnv = { ...process.env, DXDAY_NO_REMINDERS: '1', ...env };
  delete fullEnv.DXDAY_LLM_URL;
  execFileSync(BIN, ['--db', db, 'migrate'], { stdio: 'pipe', env: fullEnv });
  execFileSync(BIN, ['--db', db, 'seed-demo'], { stdio: 'pipe', env: fullEnv });
  const port = await freePort();
  const log = path.join(dir, 'server.log');
  const { openSync } = await import('node:fs');
  const fd = openSync(log, 'w');
  const child = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--bind', '127.0.0.1', '--threads', '4'],
    { env: fullEnv, stdio: ['ignore', fd, fd] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(url + '/healthz')).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, db, dir, port,
    sql(q) { return execFileSync('sqlite3', [db, q]).toString().trim(); },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      const text = readFileSync(log, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      const m = text.match(/(ERROR: (Address|Leak)Sanitizer|runtime error:)[\s\S]{0,2000}/);
      if (m) throw new Error('sanitizer report from the private server:\n' + m[0]);
    },
  };
}
