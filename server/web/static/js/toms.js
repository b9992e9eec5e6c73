// toms.js: the fake TOMS page where an LEA coordinator generates or regenerates the User Name
// and Secret Key for the LEA's vendor.

import { $, h, say, busy } from './dom.js';
import { state, on, emit, setLEA, saveVendorSettings } from './store.js';
import { control } from './api.js';
import { leas, fillLEAs, leaName } from './leas.js';
import { formatTime, formatDate, coordinatorTitle, daysBetween, plural } from './format.js';

let status = null;
// school is the school whose own pair the page shows and generates; '' is the LEA's pair.
let school = '';
let schools = [];
// loadFailed is set while #toms-error says that reading the LEAs or the status failed.
let loadFailed = false;

export function init() {
  $('#toms-lea').addEventListener('change', (e) => {
    hideIssued();
    setLEA(e.target.value);
  });
  $('#toms-school').addEventListener('change', (e) => {
    hideIssued();
    school = e.target.value;
    loadStatus();
  });
  $('#toms-form').addEventListener('submit', generate);
  for (const b of document.querySelectorAll('#toms-issued [data-copy]')) b.addEventListener('click', copy);
  $('#toms-hide').addEventListener('click', () => {
    hideIssued();
    $('#toms-generate').focus();
  });
  $('#toms-send').addEventListener('click', () => {
    saveVendorSettings({ lea: state.lea, username: $('#toms-new-username').value, secretKey: $('#toms-new-secret').value });
    say($('#toms-copy-status'), 'The pair is in the portal\'s vendor settings.', 'ok');
  });
  on('sandbox', () => {
    hideIssued();
    load();
  });
  on('lea', () => {
    school = '';
    loadSchools();
    loadStatus();
  });
  on('clock', loadStatus); // expiry is the server's call, at the sandbox's time
  on('credentials', (lea) => { if (lea === state.lea) loadStatus(); });
  load();
}

export function show() {
  if (state.lea) loadStatus();
}

async function load() {
  try {
    const list = await leas();
    const chosen = fillLEAs($('#toms-lea'), list, state.lea);
    if (chosen !== state.lea) setLEA(chosen);
    else {
      loadSchools();
      loadStatus();
    }
  } catch (e) {
    loadFailed = true;
    say($('#toms-error'), `Could not list the LEAs: ${e.message}`, 'error');
  }
}

// credentialsPath is the control API path of the pair the page is about.
function credentialsPath() {
  return school ? `/leas/${state.lea}/schools/${school}/credentials` : `/leas/${state.lea}/credentials`;
}

// loadSchools fills the school choice with the LEA's schools, marking those with a pair.
async function loadSchools() {
  if (!state.lea) return;
  const lea = state.lea;
  try {
    const reply = await control('GET', `/leas/${lea}/schools`);
    if (lea !== state.lea) return;
    schools = reply.schools;
    const words = { active: ' · own credentials', expired: ' · own credentials, expired' };
    $('#toms-school').replaceChildren(
      h('option', { value: '', selected: school === '' }, 'The whole LEA (district credentials)'),
      ...schools.map((s) => h('option', { value: s.cds, selected: s.cds === school }, `${s.name} (${s.cds})${words[s.credentials] || ''}`)));
  } catch (e) {
    say($('#toms-error'), `Could not list the LEA's schools: ${e.message}`, 'error');
  }
}

// holderName names the pair the page is about.
function holderName(lea) {
  if (!school) return leaName(lea);
  const s = schools.find((x) => x.cds === school);
  return `${s ? s.name : school}, ${leaName(lea)}`;
}

async function loadStatus() {
  if (!state.lea) return;
  try {
    status = await control('GET', credentialsPath());
    if (loadFailed) {
      loadFailed = false;
      say($('#toms-error'), '');
    }
    renderStatus();
  } catch (e) {
    loadFailed = true;
    say($('#toms-error'), `Could not read the credentials: ${e.message}`, 'error');
  }
}

function renderStatus() {
  if (!status || status.lea !== state.lea || (status.school || '') !== school) return;
  const dl = $('#toms-status');
  const row = (term, ...desc) => [h('dt', {}, term), h('dd', {}, ...desc)];
  const words = { none: 'No credentials yet', active: 'Active', expired: 'Expired' };
  const rows = [row('Status', h('span', { class: `badge ${status.status}` }, words[status.status] || status.status))];
  if (status.status !== 'none') {
    rows.push(
      row('User Name', h('code', {}, status.username)),
      row('Generated', `${formatTime(status.generatedAt)} by the ${coordinatorTitle(status.coordinator)}`),
      row('Expires', h('strong', { id: 'toms-expires' }, formatTime(status.expiresAt))),
      row('Expiry reminders', h('ul', { class: 'plain' }, (status.reminders || []).map((r) =>
        h('li', {}, formatDate(r), state.now && new Date(r) <= new Date(state.now) ? ' (sent)' : '')))),
      row('Generation', `${status.generation}: ${status.generation > 1 ? 'regenerated, earlier pairs no longer work' : 'the first pair'}`),
    );
  }
  dl.replaceChildren(...rows.flat());
  // A pair shown after generating goes away once it is no longer the one that works.
  if (!$('#toms-issued').hidden && (status.status !== 'active' || status.username !== $('#toms-new-username').value)) hideIssued();
  const regen = status.status !== 'none';
  $('#toms-generate').textContent = regen ? 'Regenerate credentials' : 'Generate credentials';
  $('#toms-gen-title').textContent = regen ? 'Regenerate credentials' : 'Generate credentials';
  $('#toms-regen-warning').hidden = !regen;
  say($('#toms-reminder'), reminder(), status.status === 'expired' ? 'error' : 'warn');
}

// reminder is the notice TOMS shows once the first expiry reminder date has passed.
function reminder() {
  if (!state.now) return '';
  if (status.status === 'expired') return 'These credentials have expired: the vendor can no longer fetch reports. Regenerate them and give the vendor the new pair.';
  const first = (status.reminders || [])[0];
  if (status.status !== 'active' || !first || new Date(state.now) < new Date(first)) return '';
  const days = Math.max(0, daysBetween(state.now, status.expiresAt));
  return `Reminder: these credentials expire in ${plural(days, 'day')}, on ${formatDate(status.expiresAt)}. Regenerate them before then and give the vendor the new pair.`;
}

async function generate(e) {
  e.preventDefault();
  const err = $('#toms-error');
  say(err, '');
  if (!$('#toms-authorize').checked) {
    say(err, 'Tick "Authorization to Release Student Data to Vendors" first.', 'error');
    $('#toms-authorize').focus();
    return;
  }
  const coordinator = new FormData(e.target).get('coordinator');
  const hadPair = status && status.status !== 'none';
  await busy($('#toms-generate'), $('#toms-form'), async () => {
    try {
      const issued = await control('POST', credentialsPath(), { authorizeRelease: true, coordinator });
      showIssued(issued, hadPair);
      if (school) loadSchools();
      emit('credentials', state.lea);
    } catch (e2) {
      say(err, `Could not generate credentials: ${e2.message}`, 'error');
    }
  });
}

function showIssued(c, hadPair) {
  $('#toms-new-username').value = c.username;
  $('#toms-new-secret').value = c.secretKey;
  $('#toms-issued-old').textContent = hadPair
    ? 'The previous User Name and Secret Key stopped working the moment this pair was made, for CAASPP and ELPAC: give this pair to the vendor.'
    : 'Give this pair securely to the vendor of your parent or student portal.';
  if (c.school) $('#toms-issued-old').textContent += ' For this school\'s students it replaces the LEA\'s pair.';
  $('#toms-issued-expiry').textContent = `For ${holderName(c.lea)}. Generated ${formatTime(c.generatedAt)}; expires ${formatDate(c.expiresAt)}.`;
  // The portal demo's vendor settings hold one pair per LEA: a school's pair is entered in a real SIS.
  $('#toms-send').hidden = Boolean(c.school);
  $('#toms-send-hint').hidden = Boolean(c.school);
  say($('#toms-copy-status'), '');
  $('#toms-issued').hidden = false;
  $('#toms-authorize').checked = false;
  $('#toms-issued-title').focus();
}

function hideIssued() {
  $('#toms-new-secret').value = '';
  $('#toms-new-username').value = '';
  $('#toms-issued').hidden = true;
}

async function copy(e) {
  const input = $('#' + e.currentTarget.dataset.copy);
  const what = input.labels[0].textContent;
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    // Without the clipboard API (a page not served from a secure origin), select the text
    // and use the older command.
    input.select();
    if (!document.execCommand('copy')) {
      say($('#toms-copy-status'), `Could not copy: the ${what} is selected, press Ctrl+C (⌘C on a Mac).`, 'warn');
      return;
    }
  }
  say($('#toms-copy-status'), `${what} copied.`, 'ok');
}
