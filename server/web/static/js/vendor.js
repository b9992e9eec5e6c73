// vendor.js: the demo portal's client of the vendor API, as a vendor's back end would hold
// it: a token from the User Name and Secret Key, renewed once when the service refuses it,
// never retried in a loop.

import { call, APIError } from './api.js';

// mark labels the portal's requests in the sandbox's journal (X-SSRMock-Client); the browser
// loading a report into the page's frame sends no such mark.
const mark = { 'X-SSRMock-Client': 'demo-portal' };

// VendorClient talks to /api/v1 with one LEA's pair.
export class VendorClient {
  constructor() {
    this.token = '';
    this.tokenFor = '';
  }

  // forget drops the token, as after new settings.
  forget() {
    this.token = '';
    this.tokenFor = '';
  }

  async signIn(settings) {
    const { data } = await call('POST', '/api/v1/token', {
      body: { username: settings.username, secretKey: settings.secretKey },
      headers: mark,
    });
    this.token = data.access_token;
    this.tokenFor = settings.username + '\n' + settings.secretKey;
  }

  // reports lists a student's released reports: {ssid, reports:[…]}.
  async reports(settings, ssid) {
    if (!settings.username || !settings.secretKey) {
      throw new APIError(0, 'not_configured', 'The vendor settings have no User Name and Secret Key.');
    }
    if (this.tokenFor !== settings.username + '\n' + settings.secretKey) this.forget();
    for (let attempt = 0; ; attempt++) {
      if (!this.token) await this.signIn(settings);
      try {
        const path = `/api/v1/students/${encodeURIComponent(ssid)}/reports`;
        return (await call('GET', path, { headers: { ...mark, Authorization: 'Bearer ' + this.token } })).data;
      } catch (e) {
        // A token dies when it expires or when its pair is regenerated: sign in once more,
        // and let a refused pair speak for itself.
        if (attempt === 0 && (e.code === 'invalid_token' || e.code === 'token_expired')) {
          this.forget();
          continue;
        }
        throw e;
      }
    }
  }

  // checkLink asks for a report link's headers (HEAD) so that the portal can explain a
  // failure instead of framing an error page.
  async checkLink(url) {
    let res;
    try {
      res = await fetch(url, { method: 'HEAD', cache: 'no-store', headers: mark });
    } catch {
      throw new APIError(0, 'network', 'The report could not be fetched.');
    }
    if (res.ok) return res.headers.get('Content-Type');
    const retryAfter = Number(res.headers.get('Retry-After')) || 0;
    const code = { 403: 'link_expired', 429: 'rate_limited', 503: 'maintenance' }[res.status] || 'http_' + res.status;
    throw new APIError(res.status, code, `The report link answered ${res.status}.`, retryAfter);
  }
}
