// SQL on a test database of either engine: DXDAY_TEST_DB (or a server's own database) is a SQLite path or a
// postgresql:// URL, and the answer is printed the way sqlite3 prints it. Must not be used by the server or on real data.
import { execFileSync, spawn } from 'node:child_process';

export const TEST_DB = process.env.DXDAY_TEST_DB || '';
export const isPg = (db) => /^postgres(ql)?:\/\//.test(db || '');
export const engineOf = (db) => (isPg(db) ? 'postgresql' : 'sqlite');
// The suite's engine, for tests that branch.
export const PG = isPg(TEST_DB);

// Runs SQL (one statement or several) on db; returns the rows as trimmed text, one per line, columns joined by |,
// NULL as nothing. SQL errors throw. Writers wait for SQLite's lock up to 10 s; on PostgreSQL rows lock as usual.
// Portable SQL only, or pick(): PostgreSQL prints a boolean as t/f, not 1/0, and sums no booleans.
export function sqlOn(db, query, { readonly = false } = {}) {
  if (!db) throw new Error('no test database (DXDAY_TEST_DB)');
  if (isPg(db)) {
    const env = readonly ? { ...process.env, PGOPTIONS: '-c default_transaction_read_only=on' } : process.env;
    return execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', db, '-f', '-'],
      { input: query.trimEnd().endsWith(';') ? query : query + ';', env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  }
  return execFileSync('sqlite3', [...(readonly ? ['-readonly'] : ['-cmd', '.timeout 10000']), db, query],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export const sql = (query, opts) => sqlOn(TEST_DB, query, opts);

// A quoted SQL string literal (both engines double the quote).
export const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

// Both forms of an engine-specific expression: pick({ sqlite: …, postgresql: … }, db).
export const pick = (forms, db = TEST_DB) => forms[engineOf(db)];

// Holds the database's write lock for ms from another connection, as a second writer would (a backup, a migration,
// `dxday remind` from cron): SQLite's RESERVED lock (BEGIN IMMEDIATE), or on PostgreSQL the advisory lock every dxday
// write transaction takes (src/store/pg/pg.c WRITE_LOCK_KEY; its writers give up after a 5 s lock_timeout). Returns a
// promise of the release, whose .locked resolves once the lock is held.
export const WRITE_LOCK_KEY = '431349744641';
export function holdWriteLock(db, ms) {
  const pg = isPg(db);
  const p = pg ? spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db], { stdio: ['pipe', 'pipe', 'ignore'] })
    : spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'ignore'] });
  p.stdin.write(pg ? `SELECT pg_advisory_lock(${WRITE_LOCK_KEY}) \\g /dev/null\n\\echo locked\n` : 'BEGIN IMMEDIATE;\n.print locked\n');
  const exited = new Promise((ok) => p.once('exit', ok));
  const locked = new Promise((ok) => {
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { out += d; if (out.includes('locked')) ok(); });
    exited.then(ok);
  });
  const unlock = pg ? `SELECT pg_advisory_unlock(${WRITE_LOCK_KEY}) \\g /dev/null\n` : 'COMMIT;\n';
  const released = locked.then(() => new Promise((ok) => setTimeout(ok, ms))).then(() => { p.stdin.end(unlock); return exited; });
  released.locked = locked;
  return released;
}
