// Links that carry what a visitor typed: a search for "Bộ TT&TT" (and "#", "+") must reach the next page whole, from
// the search page to the assistant and from one page of the directory to the next, with the directory's filters.
// Must not ask the assistant itself: its per-address budget belongs to tests/http/assistant.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, Client, skip } from './lib.mjs';

const c = new Client();
const typed = 'Bộ TT&TT';
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// The href of the first <a> whose href starts with prefix, as a browser would read it.
function link(html, prefix) {
  const m = html.match(new RegExp(`href="(${prefix.replace(/[?]/g, '\\?')}[^"]*)"`));
  assert.ok(m, `a link to ${prefix}`);
  return new URL(unescape(m[1]), BASE);
}

test('the search page asks the assistant the same words: "&", "#" and "+" survive the link', { skip }, async () => {
  for (const q of [typed, 'C++ & Bộ TT&TT #2']) {
    const page = await c.get('/tim-kiem?q=' + encodeURIComponent(q));
    assert.equal(page.status, 200);
    const url = link(page.text, '/tro-ly?q=');
    assert.equal(url.searchParams.get('q'), q);
    assert.equal(url.hash, '', 'no part of the question becomes a fragment');
    assert.deepEqual([...url.searchParams.keys()], ['q'], 'no part of the question becomes a parameter');
    // The server reads the link's query as the browser does. Read back through the search page with the same query
    // string: asking the assistant itself would spend the per-address budget the assistant's own tests need.
    const back = await c.get('/tim-kiem' + url.search, { headers: { accept: 'application/json' } });
    assert.equal(back.status, 200);
    assert.equal(back.data.query, q);
  }
});

test('the directory\'s next page keeps the words typed and the kind chosen', { skip }, async () => {
  const page = await c.get('/don-vi?q=' + encodeURIComponent(typed) + '&kind=agency&limit=1');
  assert.equal(page.status, 200);
  const url = link(page.text, '/don-vi?q=');
  assert.equal(url.searchParams.get('q'), typed);
  assert.equal(url.searchParams.get('kind'), 'agency');
  assert.equal(url.searchParams.get('offset'), '1');
  const next = await c.get(url.pathname + url.search, { headers: { accept: 'application/json' } });
  assert.equal(next.status, 200);
  assert.equal(next.data.q, typed);
  assert.ok(next.data.items.length > 0);
  assert.ok(next.data.items.every((o) => o.kind === 'agency'), 'only agencies on the next page too');
});
