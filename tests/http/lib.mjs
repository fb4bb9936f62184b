// Helpers for HTTP tests: a tiny cookie-keeping client against the real server started by tests/run.sh.
export const BASE = process.env.DXDAY_URL;
export const skip = BASE ? false : 'DXDAY_URL not set: start the server (tests/run.sh does)';

// Node 18's fetch has no Headers.getSetCookie(): split the joined header at the commas that start a cookie.
export const setCookies = (h) => (h.getSetCookie ? h.getSetCookie() : (h.get('set-cookie') || '').split(/, (?=[^ ;,=]+=)/).filter(Boolean));

export class Client {
  constructor(base) { this.base = base || BASE; this.cookies = {}; }
  cookieHeader() { return Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; '); }
  async req(method, path, { json, form, headers = {}, raw, csrf = true } = {}) {
    const h = { ...headers };
    if (Object.keys(this.cookies).length) h.cookie = this.cookieHeader();
    let body;
    if (json !== undefined) { h['content-type'] = 'application/json'; body = JSON.stringify(json); }
    if (form !== undefined) { h['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
    if (raw !== undefined) body = raw;
    if (csrf && method !== 'GET' && this.csrf && !h['x-csrf-token']) h['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    for (const c of setCookies(res.headers)) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (v === '') delete this.cookies[k]; else this.cookies[k] = v;
    }
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { /* HTML */ }
    return { status: res.status, headers: res.headers, location: res.headers.get('location'), text, data };
  }
  get(path, opts) { return this.req('GET', path, opts); }
  post(path, opts) { return this.req('POST', path, opts); }
  async login(email, password) {
    const f = await this.get('/api/login');
    this.csrf = f.data.csrf;
    const r = await this.post('/api/login', { json: { email, password } });
    const me = await this.get('/api/me');
    if (me.status === 200) this.csrf = undefined;
    // A session carries its own CSRF token; fetch it from an HTML page of the signed-in user.
    const page = await this.get('/tai-khoan');
    const m = page.text.match(/name="csrf" value="([^"]+)"/);
    if (m) this.csrf = m[1];
    return r;
  }
}

export const ADMIN = ['admin@dxday.vn', 'dxday-admin-2026'];
export const COORD = ['dieuphoi@dxday.vn', 'dxday-demo-2026'];
export const OFFICER = ['nghean@dxday.vn', 'dxday-demo-2026'];
export const uniq = (p) => `${p}-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
