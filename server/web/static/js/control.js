// control.js: the control panel: the sandbox clock and its calendar, faults, the journal, its
// findings and the list of sandboxes.

import { $, h, say, busy } from './dom.js';
import { state, on, emit, setSandbox } from './store.js';
import { control, sandboxes } from './api.js';
import { moveClock } from './clock.js';
import { leaName } from './leas.js';
import { formatTime, formatDate, pacificToISO, pacificParts, plural } from './format.js';
import * as faults from './faults.js';
import * as journal from './journal.js';
import * as findings from './findings.js';

let credentials = null;
// movedTo is where this panel last moved the clock; a move from elsewhere clears its message.
let movedTo = '';
let sandboxList = [];
// toEdited is set once someone types in the "move the clock to" date, which then stops
// following the clock.
let toEdited = false;

export function init() {
  for (const b of document.querySelectorAll('[data-advance]')) {
    b.addEventListener('click', () => move({ advance: b.dataset.advance }, b));
  }
  $('#clock-to-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const to = pacificToISO($('#clock-to-date').value, $('#clock-to-time').value);
    if (!to) {
      say($('#clock-status'), 'Give a date and a time.', 'error');
      return;
    }
    move({ to }, e.submitter);
  });
  $('#clock-to-date').addEventListener('input', () => { toEdited = true; });
  $('#clock-follow').addEventListener('change', (e) => move({ followRealTime: e.target.checked }, e.target));
  $('#sandbox-form').addEventListener('submit', createSandbox);
  on('clock', () => {
    if (movedTo && movedTo !== state.now) {
      movedTo = '';
      say($('#clock-status'), '');
    }
    renderClock();
    renderSandboxes(sandboxList);
  });
  on('lea', loadCredentials);
  on('credentials', loadCredentials);
  on('sandbox', () => {
    credentials = null;
    renderClock();
  });
  on('sandboxes', (list) => {
    sandboxList = list;
    renderSandboxes(list);
  });
  faults.init();
  journal.init();
  findings.init();
}

export function show() {
  loadCredentials();
  faults.load();
  journal.start();
  findings.start();
}

export function hide() {
  journal.stop();
  findings.stop();
}

async function loadCredentials() {
  if (!state.lea) return;
  try {
    credentials = await control('GET', `/leas/${state.lea}/credentials`);
  } catch {
    credentials = null;
  }
  renderClock();
}

async function move(body, button) {
  const region = $('#clock-status');
  await busy(button, $('#clock-title').parentElement, async () => {
    try {
      const from = state.now;
      movedTo = '';
      const reply = await moveClock(body);
      movedTo = reply.now;
      toEdited = false;
      say(region, moveSummary(from, reply), 'ok');
    } catch (e) {
      say(region, `The clock did not move: ${e.message}`, 'error');
    }
  });
}

// moveSummary says what a clock move did: where the clock is and what it released.
function moveSummary(from, reply) {
  if (from === reply.now) return reply.followRealTime ? 'The clock now follows real time.' : 'The clock stands still.';
  const parts = [`Moved to ${formatTime(reply.now)}.`];
  for (const m of reply.milestones || []) parts.push(`Passed: ${m.name}.`);
  if (reply.releasedCount > 0) {
    parts.push(`${plural(reply.releasedCount, 'report')} released for the students looked at so far.`);
  }
  return parts.join(' ');
}

// calendar is the scenario's milestones with the chosen LEA's credential expiry and reminders.
function calendar() {
  const list = state.milestones.map((m) => ({ name: m.name, at: m.at }));
  if (credentials && credentials.expiresAt) {
    const who = leaName(credentials.lea);
    list.push({ name: `Credentials of ${who} expire`, at: credentials.expiresAt, kind: 'expiry' });
    (credentials.reminders || []).forEach((r, i, all) => list.push({
      name: `Expiry reminder ${i + 1} of ${all.length} for ${who}`, at: r, kind: 'reminder',
    }));
  }
  return list.sort((a, b) => new Date(a.at) - new Date(b.at));
}

function renderClock() {
  const now = state.now;
  const t = $('#clock-now');
  t.textContent = formatTime(now);
  if (now) t.dateTime = now;
  $('#clock-follow').checked = state.followRealTime;
  if (now && (!toEdited || !$('#clock-to-date').value)) {
    $('#clock-to-date').value = pacificParts(now).date;
    toEdited = false;
  }
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.jump : undefined;
  const items = calendar().map((m) => {
    const passed = now && new Date(m.at) <= new Date(now);
    return h('li', { class: passed ? 'passed' : m.kind || '' },
      h('time', { datetime: m.at }, formatDate(m.at)),
      h('span', { class: 'what' }, m.name),
      passed
        ? h('span', { class: 'tag' }, 'passed')
        : h('button', { type: 'button', 'data-jump': m.at, onclick: (e) => move({ to: m.at }, e.currentTarget) },
          'Jump here', h('span', { class: 'sr-only' }, `: ${m.name}`)));
  });
  $('#milestones').replaceChildren(...items);
  if (focused) {
    // Keep the keyboard where it was: on the same milestone, or on the next one still ahead.
    const next = [...document.querySelectorAll('#milestones [data-jump]')]
      .find((b) => new Date(b.dataset.jump) >= new Date(focused));
    if (next) next.focus();
    else $('#clock-title').parentElement.querySelector('[data-advance]').focus();
  }
}

function renderSandboxes(list) {
  $('#sandbox-list').replaceChildren(...list.map((s) => h('li', { class: 'row' },
    h('span', {}, h('strong', {}, s.id), ` ${s.scenario}, ${s.scale} scale, seed ${s.seed}: ${plural(s.leas, 'LEA')}, ${s.students.toLocaleString('en-US')} students; `,
      h('time', { datetime: s.id === state.sandbox && state.now ? state.now : s.now }, formatTime(s.id === state.sandbox && state.now ? state.now : s.now))),
    s.id === state.sandbox
      ? h('span', { class: 'tag' }, 'open')
      : h('button', { type: 'button', onclick: () => setSandbox(s.id) }, 'Open', h('span', { class: 'sr-only' }, ` sandbox ${s.id}`)),
    s.id === 'default' ? null : h('button', { type: 'button', class: 'danger', onclick: () => removeSandbox(s.id) }, 'Delete', h('span', { class: 'sr-only' }, ` sandbox ${s.id}`)),
  )));
}

async function createSandbox(e) {
  e.preventDefault();
  const spec = {
    seed: Number($('#new-seed').value) || 0,
    scenario: $('#new-scenario').value,
    scale: $('#new-scale').value,
  };
  if ($('#new-start').value) spec.clockStart = pacificToISO($('#new-start').value, '08:00');
  await busy(e.submitter, e.target, async () => {
    try {
      const sb = await sandboxes('POST', spec);
      say($('#sandbox-status'), `Sandbox ${sb.id} created and opened.`, 'ok');
      setSandbox(sb.id);
    } catch (err) {
      say($('#sandbox-status'), `Could not create the sandbox: ${err.message}`, 'error');
    }
  });
}

async function removeSandbox(id) {
  try {
    await sandboxes('DELETE', undefined, id);
    say($('#sandbox-status'), `Sandbox ${id} deleted.`, 'ok');
    if (id === state.sandbox) setSandbox('default');
    else emit('sandboxes-changed');
  } catch (err) {
    say($('#sandbox-status'), `Could not delete the sandbox: ${err.message}`, 'error');
  }
}
