// api.js: calls to the server's APIs, same origin only. Every failure becomes an APIError with
// the server's error code, or "network" when no answer came.

import { state, controlToken, emit } from './store.js';

// APIError is a failed call: the HTTP status (0 for none), the error code and message of the
// {"error":{…}} envelope, and Retry-After in seconds when the server sent it.
export class APIError extends Error {
  constructor(status, code, message, retryAfter = 0) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// call sends one request and returns the parsed JSON body (null for 204), and the response.
export async function call(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res, text;
  try {
    res = await fetch(path, init);
    text = await res.text();
  } catch {
    throw new APIError(0, 'network', 'The server could not be reached or dropped the connection.');
  }
  const retryAfter = Number(res.headers.get('Retry-After')) || 0;
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new APIError(res.status, 'bad_response', `The server answered ${res.status} with a body that is not JSON.`, retryAfter);
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new APIError(res.status, e.code || 'http_' + res.status, e.message || `HTTP ${res.status}`, retryAfter);
  }
  return { data, res };
}

function controlHeaders() {
  const t = controlToken();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

// sandboxes lists (GET), creates (POST) or deletes (DELETE with an id) sandboxes.
export async function sandboxes(method = 'GET', body, id = '') {
  return controlCall(method, '/control/v1/sandboxes' + (id ? '/' + encodeURIComponent(id) : ''), body);
}

// control calls the control API under the current sandbox: control('GET', '/clock').
export async function control(method, path, body) {
  return controlCall(method, '/control/v1/sandboxes/' + encodeURIComponent(state.sandbox) + path, body);
}

// controlCall announces "control-unauthorized" when the control API asks for its token.
async function controlCall(method, url, body) {
  try {
    return (await call(method, url, { body, headers: controlHeaders() })).data;
  } catch (e) {
    if (e.code === 'unauthorized') emit('control-unauthorized');
    throw e;
  }
}
