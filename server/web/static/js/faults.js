// faults.js: switching the sandbox's scheduled faults on and off.

import { $, h, say, busy } from './dom.js';
import { on } from './store.js';
import { control } from './api.js';
import { faultPresets, faultBody, describeFault } from './format.js';

export function init() {
  $('#fault-kind').replaceChildren(...Object.entries(faultPresets).map(([key, p]) => h('option', { value: key }, p.label)));
  $('#fault-kind').addEventListener('change', fitFields);
  $('#fault-form').addEventListener('submit', add);
  $('#fault-clear').addEventListener('click', clearAll);
  on('sandbox', load);
  fitFields();
}

// fitFields enables the fields the chosen fault uses.
function fitFields() {
  const kind = $('#fault-kind').value;
  $('#fault-retry').disabled = !(kind === 'maintenance' || kind === 'rateLimit');
  $('#fault-delay').disabled = kind !== 'slow';
}

// load lists the active faults.
export async function load() {
  try {
    render((await control('GET', '/faults')).faults);
    if ($('#fault-status').dataset.kind === 'error') say($('#fault-status'), '');
  } catch (e) {
    say($('#fault-status'), `Could not list the faults: ${e.message}`, 'error');
  }
}

function render(list) {
  $('#fault-clear').disabled = list.length === 0;
  if (list.length === 0) {
    $('#fault-list').replaceChildren(h('li', { class: 'hint' }, 'None: every request is served normally.'));
    return;
  }
  $('#fault-list').replaceChildren(...list.map((f) => h('li', { class: 'row', 'data-fault': f.id },
    h('span', {}, describeFault(f)),
    h('button', { type: 'button', onclick: (e) => remove(f, e.currentTarget) }, 'Switch off', h('span', { class: 'sr-only' }, `: ${describeFault(f)}`)))));
}

async function add(e) {
  e.preventDefault();
  const body = faultBody($('#fault-kind').value, $('#fault-route').value, {
    retryAfter: Number($('#fault-retry').value) || 0,
    delay: Number($('#fault-delay').value) || 1,
    count: Number($('#fault-count').value) || 0,
  });
  await busy(e.submitter, null, async () => {
    try {
      const f = await control('POST', '/faults', body);
      say($('#fault-status'), `On: ${describeFault(f)}.`, 'ok');
      await load();
    } catch (err) {
      say($('#fault-status'), `The fault was not added: ${err.message}`, 'error');
    }
  });
}

async function remove(f, button) {
  await busy(button, null, async () => {
    try {
      await control('DELETE', `/faults/${encodeURIComponent(f.id)}`);
      say($('#fault-status'), `Off: ${describeFault(f)}.`, 'ok');
    } catch (err) {
      say($('#fault-status'), `Could not switch the fault off: ${err.message}`, 'error');
    }
    await load();
  });
  $('#fault-kind').focus();
}

async function clearAll(e) {
  await busy(e.currentTarget, null, async () => {
    try {
      await control('DELETE', '/faults');
      say($('#fault-status'), 'Every fault is off.', 'ok');
    } catch (err) {
      say($('#fault-status'), `Could not switch the faults off: ${err.message}`, 'error');
    }
    await load();
  });
}
