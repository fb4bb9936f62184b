// What the browser tests share: the server's address (DXDAY_URL; without it every test is skipped), where
// screenshots go (docs/screenshots/ with DXDAY_DOCS_SCREENSHOTS=1, else tests/out/), and launching Debian's chromium.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const BASE = (process.env.DXDAY_URL || '').replace(/\/+$/, '');
export const skip = BASE ? false : 'DXDAY_URL not set: start the server and set DXDAY_URL (tests/run.sh does both)';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = process.env.DXDAY_DOCS_SCREENSHOTS ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, 'tests', 'out');

export async function launch() {
  const { chromium } = await import('playwright-core');
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(path.join(ROOT, 'tests', 'out'), { recursive: true });
  return chromium.launch({
    executablePath: process.env.DXDAY_CHROMIUM || '/usr/bin/chromium', headless: true, timeout: 20_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}
