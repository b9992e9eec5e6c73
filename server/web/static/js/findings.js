// findings.js: a live view of what the sandbox's vendor traffic did wrong, polled beside the
// journal. The server judges every journaled request (docs/findings.md); a finding is
// updated in place as the same rule is broken again.

import { $, h, say } from './dom.js';
import { on } from './store.js';
import { control } from './api.js';
import { formatStamp } from './format.js';
import { livePoller } from './poll.js';

let poller;

export function init() {
  poller = livePoller(poll);
  on('sandbox', () => {
    $('#findings tbody').replaceChildren();
    poller.restart();
  });
}

// start polls the findings while the control panel shows and Live is ticked.
export const start = () => poller.start();
export const stop = () => poller.stop();

async function poll() {
  try {
    const page = await control('GET', '/findings?limit=1000');
    render(page);
  } catch (e) {
    say($('#findings-status'), `Could not read the findings: ${e.message}`, 'error');
  }
}

function render(page) {
  $('#findings tbody').replaceChildren(...page.findings.map(row));
  const errors = page.findings.filter((f) => f.severity === 'error').length;
  let text = `No findings: the ${page.evaluated} requests judged so far broke no rule.`;
  if (page.findings.length > 0) {
    text = `${page.findings.length} finding(s), ${errors} of them errors, from ${page.evaluated} requests judged.`;
  }
  if (page.dropped > 0) text += ` ${page.dropped} later breaches were not recorded: the sandbox keeps 1,000 findings.`;
  say($('#findings-status'), text, errors > 0 ? 'warn' : 'ok');
}

function row(f) {
  return h('tr', { class: f.severity === 'error' ? 'failed' : '', 'data-rule': f.rule },
    h('td', {}, h('code', {}, f.rule), h('br'), f.title),
    h('td', {}, f.severity),
    h('td', {}, [f.lea, f.username].filter(Boolean).join(' · ')),
    h('td', { class: 'count' }, String(f.count)),
    h('td', {}, f.detail, h('br'), h('strong', {}, 'Fix: '), f.fix),
    h('td', {}, f.evidence.map((s) => `#${s}`).join(' '), h('br'),
      h('time', { datetime: f.lastAt }, formatStamp(f.lastAt))));
}
