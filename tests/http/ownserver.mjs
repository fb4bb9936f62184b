// A private dxday server for a test that must see every write: its own fresh database (migrated, demo data), its own
// loopback port, a cookie-keeping client for it, and a fingerprint of its tables. Must not touch the suite's server.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from './lib.mjs';
import { TEST_DB, engineOf, isPg, sqlOn } from './db.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const asan = join(ROOT, 'build/dxday-asan');
export const BIN = existsSync(asan) ? asan : join(ROOT, 'build/dxday');
export const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

function run(args, env) {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`dxday ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// The environment tests/run.sh gives the suite's server, so leak reports mean the same here; no generative assistant,
// whose stand-in another test file runs, and no reminder thread writing behind the test's back.
function serverEnv() {
  const env = { ...process.env, DXDAY_NO_REMINDERS: '1' };
  delete env.DXDAY_LLM_URL;
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1';
  env.LSAN_OPTIONS ??= `suppressions=${join(ROOT, 'tests/lsan.supp')}`;
  env.G_SLICE ??= 'always-malloc';
  return env;
}

export function routes() {
  return run(['routes'], serverEnv()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// The cluster a PostgreSQL server of the test's own goes on: the suite's own database when it is on PostgreSQL, else
// the one tests/run.sh started (DXDAY_TEST_PG).
function pgCluster() {
  if (isPg(TEST_DB)) return TEST_DB;
  if (isPg(process.env.DXDAY_TEST_PG)) return process.env.DXDAY_TEST_PG;
  return null;
}

// A fresh database on that cluster, named so a left-over one says where it came from; its URL.
function createPgDatabase(cluster) {
  const name = `own_${process.pid}_${randomBytes(6).toString('hex')}`;
  sqlOn(cluster, `CREATE DATABASE ${name}`);
  const u = new URL(cluster);
  u.pathname = `/${name}`;
  return { name, url: u.toString() };
}

// Options: engine ('sqlite' or 'postgresql'; default: the suite's, from DXDAY_TEST_DB); every other key is an
// environment variable for the server (DXDAY_TRUSTED_PROXIES: '…').
export async function startServer({ engine, ...extraEnv } = {}) {
  const env = { ...serverEnv(), ...extraEnv };
  engine ??= engineOf(TEST_DB);
  const dir = mkdtempSync(join(tmpdir(), 'dxday-own-'));
  const logFile = join(dir, 'server.log');
  let db = join(dir, 't.db'), pgdb = null, cluster = null;
  if (engine === 'postgresql') {
    cluster = pgCluster();
    if (!cluster) throw new Error('a PostgreSQL server of our own needs DXDAY_TEST_PG or a postgresql:// DXDAY_TEST_DB');
    pgdb = createPgDatabase(cluster);
    db = pgdb.url;
  } else if (engine !== 'sqlite') throw new Error(`unknown engine ${engine}`);
  // FORCE ends our own sessions, not an autovacuum worker that may be visiting the new database (only a superuser may):
  // then try again a moment later; a database left behind goes with the throwaway cluster at the end of the run.
  const dropDb = () => {
    for (let i = 0; pgdb && i < 20; i++) {
      try { sqlOn(cluster, `DROP DATABASE IF EXISTS ${pgdb.name} WITH (FORCE)`); pgdb = null; } catch (e) {
        if (!/pg_signal_backend|being accessed by other users/.test(String(e.stderr || e.message)) || i === 19) throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      }
    }
    pgdb = null;
  };
  let child;
  try {
    run(['--db', db, 'migrate'], env);
    run(['--db', db, 'seed-demo'], env);
    const port = await freePort();
    const out = openSync(logFile, 'w');
    child = spawn(BIN, ['--db', db, 'serve', '--port', String(port), '--bind', '127.0.0.1'], { env, stdio: ['ignore', out, out] });
    const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(url + '/healthz')).ok) break; } catch { /* not listening yet */ }
      if (i > 300 || child.exitCode !== null) throw new Error(`own server did not start: ${readFileSync(logFile, 'utf8')}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
    return {
      url, db, dir, port, engine,
      log: () => readFileSync(logFile, 'utf8'),
      sql: (q) => sqlOn(db, q),
      // Stops the server gracefully (leak reports are written at exit) and returns its log; the directory and a
      // PostgreSQL database go too.
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20000);
        await exited;
        clearTimeout(t);
        const log = readFileSync(logFile, 'utf8');
        rmSync(dir, { recursive: true, force: true });
        dropDb();
        return log;
      },
    };
  } catch (e) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    try { dropDb(); } catch { /* the first error says more */ }
    throw e;
  }
}

// A cookie-keeping client of one server (lib.mjs's Client), which signs in strictly and can take the public's token.
export class OwnClient extends Client {
  // The public's token (cookie + header), so a refusal of the public is about its role, not about CSRF.
  async publicToken() {
    const f = await this.get('/api/login');
    this.csrf = f.data.csrf;
    return this;
  }
  async login(email, password) {
    await this.publicToken();
    const r = await this.post('/api/login', { json: { email, password } });
    if (r.status >= 400) throw new Error(`login ${email}: ${r.status} ${r.text}`);
    const page = await this.get('/tai-khoan');
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token for ${email}`);
    this.csrf = m[1];
    return this;
  }
}

// Row count and hash of every ordinary table's content, without what signing in writes by itself (sessions, failed
// attempts, login audit rows) and the rate windows PostgreSQL counts every asking client in. One reader process (sqlite3 -readonly, or psql in read-only transactions) serves every
// take(). SQLite: SHA3 of each table (FTS5 tables are read through their shadow tables, so no tokenizer is needed),
// hashed again only when PRAGMA data_version says someone committed. PostgreSQL: md5 of the ordered rows of every
// base table in information_schema, hashed again only when the cluster's snapshot (next transaction id and those in
// progress) moved, which any committed write does.
const END = '__fingerprint_end__';
export class Fingerprints {
  constructor(db) {
    this.db = db;
    this.pg = isPg(db);
    this.proc = this.pg
      ? spawn('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-d', db], { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('sqlite3', ['-readonly', '-batch', db], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (this.pg) this.proc.stdin.write('SET default_transaction_read_only = on;\n');
    this.out = '';
    this.err = '';
    this.waiting = null;
    this.proc.stdout.setEncoding('utf8').on('data', (d) => { this.out += d; this.poke(); });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => { this.err += d; });
    this.last = null;
  }
  poke() {
    const i = this.out.indexOf(`${END}\n`);
    if (i < 0 || !this.waiting) return;
    const text = this.out.slice(0, i), err = this.err;
    this.out = this.out.slice(i + END.length + 1);
    this.err = '';
    const w = this.waiting;
    this.waiting = null;
    if (err) w.fail(new Error(`${this.pg ? 'psql' : 'sqlite3'}: ${err}`)); else w.ok(text);
  }
  query(sql) {
    return new Promise((ok, fail) => {
      this.waiting = { ok, fail };
      this.proc.stdin.write(this.pg ? `${sql};\n\\echo ${END}\n` : `${sql};\n.print ${END}\n`);
    });
  }
  async fullQuery() {
    if (this.sql) return this.sql;
    if (this.pg) {
      const tables = (await this.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() " +
        "AND table_type = 'BASE TABLE' AND table_name NOT IN ('session', 'login_failure', 'rate_window') ORDER BY table_name")).split('\n').filter(Boolean);
      this.sql = tables.map((t) => {
        const rows = t === 'audit_log' ? "SELECT * FROM audit_log WHERE action NOT IN ('login', 'login.fail')" : `SELECT * FROM "${t}"`;
        return `SELECT '${t}', count(*), md5(COALESCE(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM (${rows}) r`;
      }).join(' UNION ALL ');
      return this.sql;
    }
    const tables = (await this.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
      "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT IN ('session', 'login_failure', 'rate_window') ORDER BY name")).split('\n').filter(Boolean);
    this.sql = tables.map((t) => {
      const rows = t === 'audit_log' ? "SELECT * FROM audit_log WHERE action NOT IN (''login'', ''login.fail'') ORDER BY id" : `SELECT * FROM "${t}"`;
      return `SELECT '${t}', (SELECT count(*) FROM (${rows.replaceAll("''", "'")})), hex(sha3_query('${rows}'))`;
    }).join(' UNION ALL ');
    return this.sql;
  }
  // The current fingerprint: a Map of table → "rows hash".
  async take() {
    const v = (await this.query(this.pg ? 'SELECT pg_current_snapshot()' : 'PRAGMA data_version')).trim();
    if (this.last && this.last.version === v) return this.last.fp;
    const text = await this.query(await this.fullQuery());
    const fp = new Map(text.split('\n').filter(Boolean).map((l) => { const [t, n, h] = l.split('|'); return [t, `${n} ${h}`]; }));
    this.last = { version: v, fp };
    return fp;
  }
  close() { this.proc.stdin.end(); }
}

// The tables whose content differs between two fingerprints, with their row counts before and after.
export function changed(a, b) {
  const out = [];
  for (const k of new Set([...a.keys(), ...b.keys()]))
    if (a.get(k) !== b.get(k)) out.push(`${k} (${(a.get(k) || '0').split(' ')[0]} → ${(b.get(k) || '0').split(' ')[0]} rows)`);
  return out;
}
