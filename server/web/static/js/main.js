// main.js: the page's frame: which view shows, the sandbox chooser, the sandbox clock in the
// header, and the control token prompt.

import { $, h } from './dom.js';
import { state, on, emit, setSandbox, setControlToken } from './store.js';
import { sandboxes } from './api.js';
import { refreshClock } from './clock.js';
import * as toms from './toms.js';
import * as control from './control.js';
import * as portal from './portal.js';

const views = { toms, control, portal };
let current = '';

// route shows the view the address names.
function route() {
  const asked = location.hash.slice(1);
  const name = asked in views ? asked : 'toms';
  const moved = current !== '' && current !== name;
  if (moved && views[current].hide) views[current].hide();
  current = name;
  for (const key of Object.keys(views)) {
    $(`#view-${key}`).hidden = key !== name;
    const link = $(`nav a[data-view="${key}"]`);
    if (key === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${$(`#${name}-title`).textContent} · ssrmock`;
  views[name].show();
  if (moved) $(`#${name}-title`).focus();
}

async function loadSandboxes() {
  const list = (await sandboxes()).sandboxes;
  if (!list.some((s) => s.id === state.sandbox)) {
    setSandbox('default');
    return;
  }
  $('#sandbox-select').replaceChildren(...list.map((s) => h('option', { value: s.id, selected: s.id === state.sandbox },
    `${s.id} (${s.scenario}, ${s.scale})`)));
  emit('sandboxes', list);
}

// quietly runs a refresh whose failure the control token prompt or the next poll will show.
function quietly(p) {
  return p.catch((e) => console.warn(e));
}

let clockTimer = 0;

// pollClock keeps the header clock current while the tab is visible.
function pollClock() {
  clearTimeout(clockTimer);
  clockTimer = setTimeout(async () => {
    if (!document.hidden) await quietly(refreshClock());
    pollClock();
  }, 2000);
}

async function init() {
  $('#sandbox-select').addEventListener('change', (e) => setSandbox(e.target.value));
  // The skip link moves the focus without touching the address, which names the view.
  $('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('#main').focus();
  });
  $('#control-token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setControlToken($('#control-token').value.trim());
    $('#control-token-box').hidden = true;
    emit('sandbox', state.sandbox);
  });
  on('control-unauthorized', () => { $('#control-token-box').hidden = false; });
  on('sandbox', async () => {
    state.now = null;
    state.milestones = [];
    await quietly(loadSandboxes());
    await quietly(refreshClock());
  });
  on('sandboxes-changed', () => quietly(loadSandboxes()));
  for (const v of Object.values(views)) v.init();
  window.addEventListener('hashchange', route);
  route();
  await quietly(loadSandboxes());
  await quietly(refreshClock());
  pollClock();
  document.body.dataset.ready = 'true';
}

init();
