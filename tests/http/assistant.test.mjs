// The virtual assistant: answers with the sentence that answers and its sources, says when it is not sure, sends
// questions to the editors whose answers become FAQ entries it then uses; bad questions get 400/413/429; nothing a
// user typed comes back unescaped. On the seed documents (read from ../shared/seeds, skipped when absent) the first
// source must hold the answer for at least 85 % of citizen-style questions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { COORD, Client, skip, uniq } from './lib.mjs';

const SEEDS = path.resolve('..', 'shared', 'seeds');
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase()
  .replace(/[^a-z0-9/]+/g, ' ').trim()
  // "30/06/2024" and "30/6/2024" are the same date (as `make eval` reads them): a number's leading zeros dropped.
  .replace(/(^|[^0-9])0+(?=[0-9])/g, '$1');
const ask = (c, q) => c.post('/api/ask', { json: { q }, csrf: false });

test('the assistant answers from a saved plan and cites it', { skip }, async () => {
  const c = new Client();
  const r = await ask(c, 'dot cao diem huong dan nguoi dan su dung dich vu cong truc tuyen do don vi nao chu tri');
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.data.answer, 'string');
  assert.ok(r.data.confidence >= 0 && r.data.confidence <= 1);
  assert.ok(r.data.sources.length >= 1);
  for (const s of r.data.sources) for (const k of ['title', 'url', 'snippet', 'score']) assert.ok(k in s, k);
  assert.match(r.data.sources[0].url, /^\/(ke-hoach|nhiem-vu)\/\d+$/);
  assert.match(r.data.sources[0].snippet, /cao điểm/);
});

test('bad questions: empty 400, over 1,000 characters 413, and HTML never comes back unescaped', { skip }, async () => {
  const c = new Client();
  assert.equal((await ask(c, '')).status, 400);
  assert.equal((await ask(c, '   ')).status, 400);
  assert.equal((await c.post('/api/ask', { json: {}, csrf: false })).status, 400);
  assert.equal((await ask(c, 'ư'.repeat(1001))).status, 413);
  assert.equal((await ask(c, 'ư'.repeat(1000))).status, 200, 'exactly 1,000 characters is allowed');
  const xss = '<script>alert(1)</script><img src=x onerror=alert(2)> ngay chuyen doi so';
  const page = await c.get('/tro-ly?q=' + encodeURIComponent(xss));
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('<script>alert(1)'), 'the question is escaped');
  assert.ok(!page.text.includes('<img src=x'), 'the question is escaped');
  assert.ok(page.text.includes('&lt;script&gt;'));
});

test('unsure answers offer the editors; their answer becomes an FAQ the assistant then cites', { skip }, async () => {
  const c = new Client();
  const word = uniq('zqx').replace(/[^a-z0-9]/g, '');
  const q = `Mã ưu đãi ${word} dùng ở đâu?`;
  const before = await ask(c, q);
  assert.equal(before.status, 200);
  assert.ok(before.data.confidence < 0.6, 'nothing known about it yet');   // 0.6: ANSWER_CONFIDENT
  const token = (await c.get('/api/login')).data.csrf;
  c.csrf = token;
  const sent = await c.post('/api/ask/editors', { json: { q, contact: 'nguoidan@example.vn' } });
  assert.equal(sent.status, 201, sent.text);
  const editor = new Client();
  await editor.login(...COORD);
  const inbox = await editor.get('/api/questions');
  const item = inbox.data.items.find((i) => i.question === q);
  assert.ok(item, 'the question reaches the editors');
  assert.equal((await new Client().get('/api/questions')).status, 401);
  const ans = await editor.post(`/api/questions/${item.id}`, { json: { answer: `Mã ${word} dùng trên ứng dụng VNeID đến hết năm.`, faq: 'on' } });
  assert.equal(ans.status, 200, ans.text);
  assert.ok(ans.data.faq_id > 0);
  const after = await ask(c, `ma ${word} dung o dau`);
  assert.equal(after.status, 200);
  assert.ok(after.data.confidence >= 0.6, JSON.stringify(after.data));
  assert.match(after.data.sources[0].url, /^\/hoi-dap#faq-/);
  assert.match(after.data.answer, /VNeID/);
  assert.match((await c.get('/hoi-dap')).text, new RegExp(word));
});

test('on the seed documents the first source holds the answer for at least 85 % of questions', {
  skip: skip || (!existsSync(SEEDS) && `seed documents not found at ${SEEDS}: skipped`),
  timeout: 120_000,
}, async () => {
  for (const f of readdirSync(SEEDS).filter((n) => n.endsWith('.txt')).sort())
    execFileSync('build/dxday', ['--db', process.env.DXDAY_TEST_DB, 'import-plan', path.join(SEEDS, f), '--save'], { stdio: 'pipe' });
  const lines = readFileSync(new URL('../fixtures/ask/seed_questions.tsv', import.meta.url), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  const c = new Client();
  const misses = [];
  for (const [q, want] of lines) {
    const r = await ask(c, q);
    assert.equal(r.status, 200, r.text);
    const first = r.data.sources[0];
    if (!first || !want.split('|').some((w) => fold(first.snippet).includes(fold(w)))) misses.push(`${q} → ${first ? first.snippet.slice(0, 120) : '(no source)'}`);
  }
  const rate = 1 - misses.length / lines.length;
  console.log(`assistant on the seeds: ${lines.length - misses.length}/${lines.length} first sources hold the answer (${(rate * 100).toFixed(0)} %)`);
  for (const m of misses) console.log('  miss: ' + m);
  assert.ok(rate >= 0.85, `${(rate * 100).toFixed(0)} % < 85 %`);
});

test('one search box: with or without diacritics, NFD, any case find the same, grouped, words marked', { skip }, async () => {
  const c = new Client();
  const forms = ['chuyen doi so', 'Chuyển đổi số', 'CHUYỂN ĐỔI SỐ', 'chuyển đổi số'.normalize('NFD')];
  const totals = [];
  for (const q of forms) {
    const r = await c.get('/api/search?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    assert.ok(r.data.total > 0, q);
    totals.push(r.data.total);
    assert.match(r.data.groups[0].items[0].snippet, /<mark>/);
  }
  assert.equal(new Set(totals).size, 1, `the same results for every spelling: ${totals}`);
  const a = await c.get('/api/search?q=' + encodeURIComponent('đổi'));
  const b = await c.get('/api/search?q=doi');
  assert.equal(a.data.total, b.data.total);
  const odd = await c.get('/api/search?q=' + encodeURIComponent('"NEAR( * - : <script>'));
  assert.equal(odd.status, 200, 'query syntax never becomes an error');
  const page = await c.get('/tim-kiem?q=' + encodeURIComponent('<script>alert(1)</script> so'));
  assert.ok(!page.text.includes('<script>alert(1)'));
  assert.equal((await c.get('/api/search?q=so&loai=khac')).status, 400);
});

test('generative mode: the question and the found passages go to DXDAY_LLM_URL; its reply comes back with the same sources', {
  skip: skip || (!process.env.DXDAY_LLM_TEST_PORT && 'DXDAY_LLM_TEST_PORT not set (tests/run.sh sets it): skipped'),
}, async () => {
  const { createServer } = await import('node:http');
  const seen = [];
  // A stand-in endpoint: answers only this test's question (500 otherwise), so every other test keeps the extract.
  const peer = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const j = JSON.parse(body);
      seen.push(j);
      const prompt = j.messages.map((m) => m.content).join('\n');
      if (!prompt.includes('Câu hỏi: dot cao diem huong dan nguoi dan su dung')) { res.writeHead(500); res.end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'Theo kế hoạch mẫu, UBND tỉnh Nghệ An chủ trì đợt cao điểm [1].' } }] }));
    });
  });
  await new Promise((ok) => peer.listen(+process.env.DXDAY_LLM_TEST_PORT, '127.0.0.1', ok));
  try {
    const c = new Client();
    const r = await ask(c, 'dot cao diem huong dan nguoi dan su dung dich vu cong truc tuyen do don vi nao chu tri');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.mode, 'generative');
    assert.match(r.data.answer, /UBND tỉnh Nghệ An chủ trì/);
    assert.ok(r.data.sources.length >= 1, 'the sources are the retrieved passages');
    const sent = seen.at(-1);
    assert.equal(sent.messages[0].role, 'system');
    assert.match(sent.messages[1].content, /\[1\] /, 'the passages are numbered for citation');
    const other = await ask(c, 'to cong nghe so cong dong la gi');
    assert.equal(other.data.mode === 'generative', false, 'a failing endpoint falls back to the extract');
  } finally {
    await new Promise((ok) => peer.close(ok));
  }
});

test('asking too fast from one address gets 429 with Retry-After', { skip }, async () => {
  const c = new Client();
  let last;
  for (let i = 0; i < 400; i++) {
    last = await ask(c, 'chu de nam 2024');
    if (last.status === 429) break;
  }
  assert.equal(last.status, 429);
  assert.ok(+last.headers.get('retry-after') > 0);
});
