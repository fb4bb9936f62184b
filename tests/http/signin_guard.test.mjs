// The sign-in guard and sign-up answers: wrong passwords slow an account down for untrusted clients but never lock out
// the right password from a browser that signed in before (device cookie) or after a short wait; failures are counted
// atomically; one account's failures do not lock out another behind the same address; sign-up answers the same whether
// or not a login is taken; `next` never leads off the site. Accounts are fresh, so the demo accounts stay unlocked.
// Waits are not slept: the test ages the recorded attempts in DXDAY_TEST_DB by the Retry-After it was given.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, COORD, Client, skip, uniq } from './lib.mjs';
import { TEST_DB as DB, sql } from './db.mjs';

const noDb = skip || (DB ? false : 'DXDAY_TEST_DB not set');
const esc = (s) => s.replace(/'/g, "''");
const PW = 'mat-khau-dung-2026';

let admin;
before(async () => {
  if (skip) return;
  admin = new Client();
  await admin.login(...ADMIN);
});

async function account() {
  const email = uniq('dn').toLowerCase() + '@example.vn';
  const r = await admin.post('/api/users', { json: { email, name: 'Người thử đăng nhập', password: PW } });
  assert.equal(r.status, 201, r.text);
  return email;
}

// One sign-in from client c (a fresh one by default): the response, and c for its cookies.
async function attempt(email, password, c = new Client()) {
  const f = await c.get('/api/login');
  c.csrf = f.data.csrf;
  const r = await c.post('/api/login', { json: { email, password } });
  return { r, c };
}

// Signs c out with its session's CSRF token (read from a signed-in page), as the browser's button does.
async function logout(c) {
  const page = await c.get('/tai-khoan');
  c.csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await c.post('/api/logout');
  assert.equal(r.status, 200, r.text);
}

const retryAfter = (r) => Number(r.headers.get('retry-after'));
// Moves the recorded attempts on this login back in time, as if the client had waited that long.
const wait = (email, s) => sql(`UPDATE login_attempt SET at = at - ${s} WHERE login = '${esc(email)}'`);

test('a browser that signed in before keeps signing in after 5 and after 20 wrong passwords from elsewhere', { skip }, async () => {
  const email = await account();
  const first = await attempt(email, PW);
  assert.equal(first.r.status, 200, first.r.text);
  const device = first.c.cookies.dxday_device;
  assert.ok(device && device.length >= 40, 'a successful sign-in leaves a device cookie');
  await logout(first.c);
  assert.ok(!first.c.cookies.dxday_session, 'signed out');
  assert.equal(first.c.cookies.dxday_device, device, 'signing out keeps the device cookie');

  for (let i = 0; i < 5; i++) assert.equal((await attempt(email, 'sai-' + i)).r.status, 401);
  const blocked = await attempt(email, PW);
  assert.equal(blocked.r.status, 429, 'an untrusted client waits, even with the right password');
  assert.ok(retryAfter(blocked.r) > 0 && retryAfter(blocked.r) <= 30, `a short wait, not 15 minutes: ${retryAfter(blocked.r)}`);

  // The owner's browser: a device cookie, no session.
  const again = await attempt(email, PW, first.c);
  assert.equal(again.r.status, 200, again.r.text);
  assert.equal((await first.c.get('/api/me')).data.user.email, email);
  assert.notEqual(first.c.cookies.dxday_device, device, 'the device cookie is renewed at each sign-in');
  await logout(first.c);

  for (let i = 5; i < 20; i++) {
    const r = (await attempt(email, 'sai-' + i)).r;
    assert.equal(r.status, 429);
    assert.ok(retryAfter(r) > 0 && retryAfter(r) <= 300, `capped at a few minutes: ${retryAfter(r)}`);
  }
  // A typo from the known browser is a plain 401, and the right password goes on working.
  assert.equal((await attempt(email, 'go-nham', first.c)).r.status, 401);
  const third = await attempt(email, PW, first.c);
  assert.equal(third.r.status, 200, third.r.text);
  // Someone else's copy of a device cookie for another account vouches for nothing.
  const other = await account();
  const stranger = new Client();
  stranger.cookies.dxday_device = first.c.cookies.dxday_device;
  for (let i = 0; i < 5; i++) assert.equal((await attempt(other, 'sai-' + i, stranger)).r.status, 401);
  assert.equal((await attempt(other, PW, stranger)).r.status, 429);
});

test('without a device cookie the right password works after the short wait, which grows to a cap of minutes', { skip: noDb }, async () => {
  const email = await account();
  for (let i = 0; i < 5; i++) assert.equal((await attempt(email, 'sai-' + i)).r.status, 401);
  let waits = [];
  for (let i = 5; i < 20; i++) {
    const r = (await attempt(email, 'sai-' + i)).r;
    assert.equal(r.status, 429, `attempt ${i + 1} comes before the wait is over`);
    const s = retryAfter(r);
    assert.ok(s > 0 && s <= 300, `attempt ${i + 1}: Retry-After ${s}`);
    assert.match(r.data.error, /thử lại sau/);
    waits.push(s);
    wait(email, s);
    assert.equal((await attempt(email, 'sai-' + i)).r.status, 401, `attempt ${i + 1}, after the wait, is checked`);
  }
  assert.ok(waits[0] <= 30, `first wait ${waits[0]}`);
  assert.ok(waits[3] > waits[0], `waits grow: ${waits}`);
  assert.ok(waits.every((s) => s <= 300), `never more than a few minutes: ${waits}`);
  const before = (await attempt(email, PW)).r;
  assert.equal(before.status, 429);
  wait(email, retryAfter(before));
  const ok = await attempt(email, PW);
  assert.equal(ok.r.status, 200, ok.r.text);
  // The success clears the slate: a later typo is an ordinary 401.
  assert.equal((await attempt(email, 'sai-lan-sau')).r.status, 401);
});

test('20 concurrent wrong passwords: at most 5 are checked before the slowing starts', { skip }, async () => {
  const email = await account();
  const clients = await Promise.all(Array.from({ length: 20 }, async () => {
    const c = new Client();
    c.csrf = (await c.get('/api/login')).data.csrf;
    return c;
  }));
  const rs = await Promise.all(clients.map((c, i) => c.post('/api/login', { json: { email, password: 'dong-thoi-' + i } })));
  const codes = rs.map((r) => r.status);
  const checked = codes.filter((s) => s === 401).length;
  assert.ok(checked >= 1 && checked <= 5, `checked ${checked}: ${codes}`);
  assert.equal(codes.filter((s) => s === 429).length, 20 - checked, `${codes}`);
});

test('many failures on one account from an address do not lock out another account from that address', { skip }, async () => {
  const victim = await account(), neighbour = await account();
  for (let i = 0; i < 20; i++) assert.ok([401, 429].includes((await attempt(victim, 'sai-' + i)).r.status));
  assert.equal((await attempt(neighbour, 'sai-mot-lan')).r.status, 401, 'a typo on another account is not slowed');
  const ok = await attempt(neighbour, PW);
  assert.equal(ok.r.status, 200, ok.r.text);
  // The demo coordinator, used by every other test from this address, signs in too.
  assert.equal((await attempt(...COORD)).r.status, 200);
});

const phone = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function signup(body) {
  const c = new Client();
  c.csrf = (await c.get('/api/signup')).data.csrf;
  const t0 = performance.now();
  const r = await c.post('/api/signup', { json: body });
  return { r, c, ms: performance.now() - t0 };
}

const shape = (r) => ({ status: r.status, keys: Object.keys(r.data || {}).sort(), message: r.data && r.data.message });

test('sign-up answers the same for a taken and a free e-mail or phone, and tells the owner instead', { skip: noDb }, async () => {
  const email = uniq('hv').toLowerCase() + '@example.vn';
  const free = await signup({ name: 'Học viên Mới', login: email, password: 'mat-khau-dai-1' });
  const taken = await signup({ name: 'Kẻ dò tìm', login: email.toUpperCase(), password: 'mat-khau-khac-2' });
  assert.deepEqual(shape(taken.r), shape(free.r));
  assert.ok([200, 201, 202].includes(free.r.status), free.r.text);
  const staff = await signup({ name: 'Kẻ dò tìm', login: COORD[0], password: 'mat-khau-khac-2' });
  assert.deepEqual(shape(staff.r), shape(free.r), 'a staff e-mail answers like a free one');

  const p = phone();
  const freePhone = await signup({ name: 'Học viên Điện thoại', login: p, password: 'mat-khau-dai-1' });
  const takenPhone = await signup({ name: 'Kẻ dò tìm', login: `+84 ${p.slice(1)}`, password: 'mat-khau-khac-2' });
  assert.deepEqual(shape(takenPhone.r), shape(freePhone.r));
  assert.deepEqual(shape(freePhone.r), shape(free.r));

  // Nobody is signed in by the answer itself, so a taken login cannot be told by a session either.
  for (const x of [free, taken, staff, freePhone, takenPhone]) {
    assert.ok(!x.c.cookies.dxday_session, 'no session from sign-up');
    assert.equal((await x.c.get('/api/me')).status, 401);
  }
  // The new learner goes on by signing in; the second sign-up's password opens nothing.
  assert.equal((await attempt(email, 'mat-khau-dai-1')).r.status, 200);
  assert.equal((await attempt(email, 'mat-khau-khac-2')).r.status, 401);
  assert.equal((await attempt(`84${p.slice(1)}`, 'mat-khau-dai-1')).r.status, 200);

  // The owners hear of it: one notice each, to be e-mailed (or seen) later.
  const notices = (login) => Number(sql(`SELECT COUNT(*) FROM account_notice n JOIN app_user u ON u.id = n.user_id
    WHERE u.email = '${esc(login)}' AND n.kind = 'signup.taken'`));
  assert.equal(notices(email), 1);
  assert.equal(notices(COORD[0]), 1);
  assert.equal(notices(`+84${p.slice(1)}`), 1);
  assert.equal(notices(uniq('khong-co') + '@example.vn'), 0);

  // Comparable time: both hash the password (without it a taken login answered in 2 ms against ~100).
  const tFree = [], tTaken = [];
  for (let i = 0; i < 3; i++) {
    tFree.push((await signup({ name: 'Học viên', login: uniq('tg').toLowerCase() + '@example.vn', password: 'mat-khau-dai-1' })).ms);
    tTaken.push((await signup({ name: 'Học viên', login: email, password: 'mat-khau-dai-1' })).ms);
  }
  const med = (a) => a.sort((x, y) => x - y)[1];
  assert.ok(med(tTaken) > med(tFree) * 0.4, `taken ${med(tTaken)} ms vs free ${med(tFree)} ms`);
});

const LOCAL = new URL(process.env.DXDAY_URL || 'http://127.0.0.1/');

test('after sign-in, every variant of an outside `next` ends on a local page', { skip }, async () => {
  const email = await account();
  const variants = ['/\t/evil.example', '/%09/evil.example', '/\n/evil.example', '/\r/evil.example', '//evil.example',
    '/\\evil.example', '\\\\evil.example', '/%2F/evil.example', '/%5C/evil.example', 'https://evil.example/',
    ' /evil.example', '/ /evil.example', '\t//evil.example', '/\u000b/evil.example', '/\f/evil.example', '/\u00a0/evil.example',
    '/x\\..\\\\evil.example', 'javascript:alert(1)', '/khoa-hoc\n//evil.example', ''];
  for (const next of variants) {
    const c = new Client();
    c.csrf = (await c.get('/api/login')).data.csrf;
    const r = await c.post('/api/login', { json: { email, password: PW, next } });
    assert.equal(r.status, 200, JSON.stringify(next) + ' ' + r.text);
    const loc = r.headers.get('location');
    const u = new URL(loc, LOCAL);
    assert.equal(u.origin, LOCAL.origin, `${JSON.stringify(next)} → ${JSON.stringify(loc)}`);
    assert.ok(!/[\s\\]/.test(loc) && !/^\/\//.test(loc), `${JSON.stringify(next)} → ${JSON.stringify(loc)}`);
    // The form page carries the same cleaned value.
    const form = await new Client().get('/api/login?next=' + encodeURIComponent(next));
    assert.equal(new URL(form.data.next, LOCAL).origin, LOCAL.origin, JSON.stringify(next));
    assert.ok(!/[\s\\]/.test(form.data.next), JSON.stringify(next));
  }
  // A real local target survives, query string included; the browser form path (303) too.
  const c = new Client();
  c.csrf = (await c.get('/api/login')).data.csrf;
  const good = await c.post('/api/login', { json: { email, password: PW, next: '/khoa-hoc/an-toan-so?tab=bai-hoc' } });
  assert.equal(good.headers.get('location'), '/khoa-hoc/an-toan-so?tab=bai-hoc');
  const b = new Client();
  const page = await b.get('/dang-nhap?next=%2F%09%2Fevil.example');
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const post = await b.post('/dang-nhap', { form: { csrf, email, password: PW, next: '/\t/evil.example' } });
  assert.equal(post.status, 303);
  assert.equal(new URL(post.headers.get('location'), LOCAL).origin, LOCAL.origin, post.headers.get('location'));
  // Sign-up's `next` is cleaned the same way.
  const s = await new Client().get('/api/signup?next=' + encodeURIComponent('/\t/evil.example'));
  assert.equal(new URL(s.data.next, LOCAL).origin, LOCAL.origin, s.data.next);
});

test('the owner of a taken login hears of the sign-up by e-mail from the reminder run, once', { skip: noDb }, async () => {
  const net = await import('node:net');
  const { execFile } = await import('node:child_process');
  const mails = [];
  // A minimal SMTP peer on loopback, as in plans.test.mjs, that also keeps the recipients.
  const server = net.createServer((sock) => {
    let data = false, buf = '', msg = '', rcpt = [];
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') { data = false; mails.push({ rcpt, msg }); msg = ''; rcpt = []; sock.write('250 queued\r\n'); } else msg += line + '\n';
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'RCPT') rcpt.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1'));
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 test\r\n');
        else if (cmd === 'DATA') { data = true; sock.write('354 go on\r\n'); }
        else if (cmd === 'QUIT') { sock.write('221 bye\r\n'); sock.end(); }
        else sock.write('250 ok\r\n');
      }
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const remind = () => new Promise((resolve, reject) => execFile('build/dxday', ['--db', DB, 'remind'],
    { env: { ...process.env, DXDAY_SMTP_URL: `smtp://127.0.0.1:${server.address().port}`, DXDAY_MAIL_FROM: 'dxday@example.vn' } },
    (err, so, se) => (err ? reject(err) : resolve(se))));
  try {
    const email = uniq('chu').toLowerCase() + '@example.vn';
    assert.equal((await signup({ name: 'Chủ tài khoản', login: email, password: 'mat-khau-dai-1' })).r.status, 202);
    await remind();
    assert.ok(!mails.some((m) => m.rcpt.includes(email)), 'a new account gets no notice');
    for (let i = 0; i < 2; i++) assert.equal((await signup({ name: 'Ai đó', login: email, password: 'mat-khau-khac-' + i })).r.status, 202);
    await remind();
    const mine = mails.filter((m) => m.rcpt.includes(email));
    assert.equal(mine.length, 1, 'one notice for two tries on the same day');
    assert.match(mine[0].msg, /Subject: =\?UTF-8\?B\?/);
    assert.match(mine[0].msg, /Xin chào Chủ tài khoản/);
    assert.match(mine[0].msg, /mật khẩu vẫn giữ nguyên/);
    assert.ok(!mine[0].msg.includes('mat-khau-khac'), 'the message carries nothing the prober typed');
    await remind();
    assert.equal(mails.filter((m) => m.rcpt.includes(email)).length, 1, 'sent once');
  } finally {
    server.close();
  }
});
