// journal.js: a live view of the vendor requests the sandbox received, polled with ?after=N.

import { $, h, say } from './dom.js';
import { on } from './store.js';
import { control } from './api.js';
import { formatStamp } from './format.js';
import { livePoller } from './poll.js';

// maxRows bounds the rows kept on the page; older rows scroll away.
const maxRows = 300;

let after = 0;
let poller;

export function init() {
  poller = livePoller(poll);
  $('#journal-clear').addEventListener('click', () => {
    $('#journal tbody').replaceChildren();
    say($('#journal-status'), '');
  });
  on('sandbox', () => {
    after = 0;
    $('#journal tbody').replaceChildren();
    say($('#journal-status'), '');
    poller.restart();
  });
}

// start polls the journal while the control panel shows and Live is ticked.
export const start = () => poller.start();
export const stop = () => poller.stop();

async function poll() {
  try {
    const page = await control('GET', `/journal?after=${after}&limit=500`);
    if (page.missed > 0) say($('#journal-status'), `${page.missed} requests were dropped from the journal before they could be shown (it keeps the newest ones).`, 'warn');
    after = page.next;
    add(page.entries);
    if (page.missed === 0 && $('#journal-status').dataset.kind === 'error') say($('#journal-status'), '');
  } catch (e) {
    say($('#journal-status'), `Could not read the journal: ${e.message}`, 'error');
  }
}

function add(entries) {
  if (entries.length === 0) return;
  const body = $('#journal tbody');
  // Newest first.
  body.prepend(...entries.reverse().map(row));
  while (body.rows.length > maxRows) body.lastElementChild.remove();
}

function row(e) {
  const ok = e.status >= 200 && e.status < 400;
  const cred = [e.credential, e.tokenState && `token ${e.tokenState}`, e.secretInUrl && 'secret in URL!'].filter(Boolean).join(', ');
  return h('tr', { class: ok ? '' : 'failed' },
    h('td', {}, String(e.seq)),
    h('td', {}, h('time', { datetime: e.at }, formatStamp(e.at))),
    h('td', { class: 'path' }, `${e.method} ${e.path}`),
    h('td', {}, [e.lea, e.username, e.client && `from ${e.client}`].filter(Boolean).join(' · ')),
    h('td', {}, cred),
    h('td', {}, e.status ? String(e.status) : '—', e.code ? ` ${e.code}` : '', e.retryAfter ? ` (Retry-After ${e.retryAfter}s)` : ''),
    h('td', {}, e.faultId || ''));
}
