// portal.js: the parent-portal demo. It reaches reports only through the vendor API, with the
// pair pasted in its vendor settings, the way a vendor's portal would; the roster search and
// the "next release" shortcut use the control API and say so.

import { $, h, say, busy } from './dom.js';
import { state, on, vendorSettings, saveVendorSettings } from './store.js';
import { control } from './api.js';
import { moveClock } from './clock.js';
import { leas, fillLEAs } from './leas.js';
import { VendorClient } from './vendor.js';
import { search } from './search.js';
import {
  assessmentTitle, assessmentFamilies, languageName, formatDate, formatTime, groupReports,
  reportLanguages, studentName, nextRelease, portalMessage, plural,
} from './format.js';

const client = new VendorClient();
let settings = {};
let student = null;
let listing = null;
let listedAt = '';
let language = 'en';
let openID = '';
let knownIDs = new Set();
let retryTimer = 0;
let nextKey = '';

export function init() {
  $('#search-filter').append(...assessmentFamilies().map((f) => h('option', { value: f }, assessmentTitle(f))));
  $('#vendor-form').addEventListener('submit', saveSettings);
  $('#vendor-secret-show').addEventListener('click', toggleSecret);
  $('#search-form').addEventListener('submit', (e) => search(e, openStudent));
  $('#portal-open-settings').addEventListener('click', openSettings);
  $('#portal-retry').addEventListener('click', () => loadReports());
  $('#portal-refresh').addEventListener('click', () => loadReports());
  on('sandbox', () => {
    closeStudent();
    $('#search-results').replaceChildren();
    say($('#search-status'), '');
    loadSettings();
  });
  on('vendor', (s) => {
    settings = s;
    fillForm();
    say($('#vendor-status'), 'New settings: the portal will sign in with this pair.', 'ok');
  });
  loadSettings();
}

export function show() {
  if (student && listedAt !== state.now) loadReports();
}

async function loadSettings() {
  settings = vendorSettings();
  client.forget();
  try {
    const list = await leas();
    settings.lea = fillLEAs($('#vendor-lea'), list, settings.lea);
  } catch (e) {
    say($('#vendor-status'), `Could not list the LEAs: ${e.message}`, 'error');
  }
  fillForm();
  // Settings that worked before stay folded away: the page is the parent's.
  $('#vendor-admin').open = !settings.accepted;
}

// openSettings shows the administrator's settings and puts the cursor in them.
function openSettings() {
  $('#vendor-admin').open = true;
  $('#vendor-username').focus();
}

function fillForm() {
  $('#vendor-username').value = settings.username || '';
  $('#vendor-secret').value = settings.secretKey || '';
  if (settings.lea) $('#vendor-lea').value = settings.lea;
}

async function saveSettings(e) {
  e.preventDefault();
  const next = {
    lea: $('#vendor-lea').value,
    username: $('#vendor-username').value.trim(),
    secretKey: $('#vendor-secret').value.trim(),
  };
  if (!next.username || !next.secretKey) {
    say($('#vendor-status'), 'Paste both the User Name and the Secret Key from TOMS.', 'error');
    return;
  }
  saveVendorSettings(next); // announces "vendor", which fills settings
  client.forget();
  if (student) {
    loadReports();
    return;
  }
  // Nobody to look up yet: sign in at once, as a settings page's connection check would.
  await busy(e.submitter, null, async () => {
    try {
      await client.signIn(settings);
      accepted();
    } catch (err) {
      say($('#vendor-status'), await explain(err), 'error');
    }
  });
}

// accepted records that the service took the pair, which tells a later refusal apart from a
// mistyped pair, and says so.
function accepted() {
  if (!settings.accepted) {
    settings = { ...settings, accepted: true };
    saveVendorSettings(settings, false);
  }
  say($('#vendor-status'), 'Signed in: the score report service accepts this pair.', 'ok');
}

// collapseSettings folds the administrator's settings away once they work, leaving the page to
// the parent's view; the summary line still opens them.
function collapseSettings() {
  if (!$('#vendor-admin').contains(document.activeElement)) $('#vendor-admin').open = false;
}

function toggleSecret(e) {
  const b = e.currentTarget;
  const shown = b.getAttribute('aria-pressed') === 'true';
  $('#vendor-secret').type = shown ? 'password' : 'text';
  b.setAttribute('aria-pressed', String(!shown));
  b.textContent = shown ? 'Show' : 'Hide';
}

function openStudent(s) {
  student = s;
  listing = null;
  openID = '';
  knownIDs = new Set();
  $('#student').hidden = false;
  $('#pdf-viewer').hidden = true;
  $('#pdf-frame').removeAttribute('src');
  $('#student-title').textContent = s.lastName ? studentName(s) : `SSID ${s.ssid}`;
  $('#student-facts').textContent = s.lastName
    ? `SSID ${s.ssid} · grade ${s.grade} · primary language ${s.primaryLanguage}`
    : 'Not on the roster: the service decides whether this LEA may see the student.';
  language = s.reportLanguage && s.reportLanguage !== 'en' ? s.reportLanguage : 'en';
  $('#student-title').focus();
  loadReports();
}

function closeStudent() {
  student = null;
  listing = null;
  $('#student').hidden = true;
  $('#pdf-frame').removeAttribute('src');
}

// loadReports lists the student's reports through the vendor API.
async function loadReports() {
  if (!student) return;
  const s = student;
  clearAlert();
  await busy(null, $('#student'), async () => {
    const progress = $('#portal-progress');
    // Say so when the service is slow; a quick answer never shows the message.
    const slow = setTimeout(() => { progress.textContent = 'Waiting for the score report service…'; }, 800);
    try {
      const list = await client.reports(settings, s.ssid);
      if (s !== student) return;
      const first = listing === null && knownIDs.size === 0;
      listing = list;
      listedAt = state.now;
      if (first) knownIDs = new Set(list.reports.map((r) => r.id));
      accepted();
      collapseSettings();
    } catch (e) {
      if (s !== student) return;
      listing = null;
      listedAt = state.now;
      await showError(e);
    } finally {
      clearTimeout(slow);
      progress.textContent = listing ? releasedSoFar(listing, listedAt) : '';
    }
    renderReports();
  });
  loadNextRelease();
}

// releasedSoFar says how many reports the listing holds (one per report, whatever its
// languages), or that there is none yet.
function releasedSoFar(list, at) {
  const n = new Set(list.reports.filter((r) => (r.format || 'pdf') === 'pdf').map((r) => r.id.slice(0, r.id.lastIndexOf('.')))).size;
  if (n === 0) return `No score report released for this student as of ${formatTime(at)}.`;
  return `${plural(n, 'report')} released as of ${formatTime(at)}.`;
}

function clearAlert() {
  clearTimeout(retryTimer);
  say($('#portal-alert'), '');
  $('#portal-alert-actions').hidden = true;
}

// explain words a vendor API failure for the portal's user. A refused pair that worked before,
// or that TOMS shows a newer pair than (control API), was regenerated.
async function explain(e) {
  const ctx = { workedBefore: !!settings.accepted };
  if (e.code === 'invalid_credentials' && settings.lea) {
    try {
      const c = await control('GET', `/leas/${settings.lea}/credentials`);
      ctx.superseded = c.generation > 0 && c.username !== settings.username;
    } catch { /* the message without it is still right */ }
  }
  return portalMessage(e, ctx);
}

// showError explains a vendor API failure, and offers what the user can do about it.
async function showError(e) {
  const text = await explain(e);
  say($('#portal-alert'), text, 'error');
  const auth = ['invalid_credentials', 'credentials_expired', 'not_configured'].includes(e.code);
  if (auth) say($('#vendor-status'), text, 'error');
  $('#portal-alert-actions').hidden = false;
  $('#portal-open-settings').hidden = !auth;
  const retry = $('#portal-retry');
  retry.hidden = auth;
  retry.textContent = 'Try again';
  retry.disabled = false;
  if (e.retryAfter > 0) {
    // Honour Retry-After: the button wakes up when the service said to come back.
    const until = Date.now() + e.retryAfter * 1000;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      retry.disabled = left > 0;
      retry.textContent = left > 0 ? `Try again in ${left} s` : 'Try again';
      if (left > 0) retryTimer = setTimeout(tick, 1000);
    };
    tick();
  }
}

function renderReports() {
  const box = $('#report-list');
  const sw = $('#lang-switch');
  if (!listing) {
    box.replaceChildren();
    sw.hidden = true;
    $('#pdf-viewer').hidden = true;
    return;
  }
  const langs = reportLanguages(listing.reports);
  if (!langs.includes(language)) language = langs.includes(student.reportLanguage) ? student.reportLanguage : 'en';
  sw.hidden = langs.length < 2;
  $('#lang-options').replaceChildren(...langs.map((l) => h('div', { class: 'choice' },
    h('input', { type: 'radio', name: 'report-lang', id: `lang-${l}`, value: l, checked: l === language, onchange: () => switchLanguage(l) }),
    h('label', { for: `lang-${l}`, lang: l }, languageName(l)))));
  if (listing.reports.length === 0) {
    box.replaceChildren(h('p', { class: 'empty' }, 'No score reports have been released for this student yet.'));
    return;
  }
  box.replaceChildren(...groupReports(listing.reports, language).map((g) => h('section', { class: 'year' },
    h('h4', {}, `${g.schoolYear} school year`),
    h('ul', { class: 'plain reports' }, g.reports.map((r) => {
      const isNew = !knownIDs.has(r.id);
      const page = listing.reports.find((x) => x.id === `${r.id}.html`);
      return h('li', { class: 'row', 'data-report': r.id, 'data-new': isNew ? 'true' : null },
        h('span', {},
          h('strong', {}, assessmentTitle(r.assessment)), isNew ? h('span', { class: 'badge new' }, 'New') : null,
          h('br'),
          h('span', { class: 'hint' }, `Released ${formatDate(r.releasedAt)}${r.version > 1 ? ` · revised (version ${r.version})` : ''} · ${languageName(r.language)}`)),
        h('button', { type: 'button', onclick: (e) => openReport(r.id, e.currentTarget) },
          'View report', h('span', { class: 'sr-only' }, `: ${assessmentTitle(r.assessment)}, ${g.schoolYear}`)),
        page ? h('a', { href: page.url, target: '_blank', rel: 'noopener', class: 'html-version' },
          'HTML version', h('span', { class: 'sr-only' }, ` of ${assessmentTitle(r.assessment)}, ${g.schoolYear} (opens in a new tab)`)) : null);
    })))));
}

function switchLanguage(l) {
  language = l;
  renderReports();
  if (!openID) return;
  // Show the open report in the new language when it has one.
  const base = openID.slice(0, openID.lastIndexOf('.'));
  const other = listing.reports.find((r) => r.id === `${base}.${l}`);
  if (other) openReport(other.id, null);
}

// openReport frames one report's signed link, asking for a fresh link when it has expired.
async function openReport(id, button) {
  clearAlert();
  await busy(button, $('#pdf-viewer'), async () => {
    try {
      let r = listing.reports.find((x) => x.id === id);
      if (!r || (state.now && new Date(r.urlExpiresAt) <= new Date(state.now))) {
        listing = await client.reports(settings, student.ssid);
        listedAt = state.now;
        r = listing.reports.find((x) => x.id === id);
        if (!r) throw Object.assign(new Error('That report is no longer listed.'), { code: 'gone' });
      }
      await client.checkLink(r.url);
      openID = id;
      knownIDs.add(id);
      const title = `${assessmentTitle(r.assessment)}, ${r.schoolYear}, ${languageName(r.language)}`;
      $('#pdf-title').textContent = title;
      $('#pdf-frame').title = `Student Score Report (PDF): ${title}`;
      $('#pdf-frame').src = r.url;
      $('#pdf-link').href = r.url;
      $('#pdf-viewer').hidden = false;
      $('#pdf-title').focus();
    } catch (e) {
      await showError(e);
    }
  });
}

// loadNextRelease offers the demo shortcut to the student's next release, from the control
// API's ground truth.
async function loadNextRelease() {
  const box = $('#next-release');
  if (!student || !settings.lea) {
    box.hidden = true;
    return;
  }
  let next, cred, truth;
  try {
    truth = await control('GET', `/students/${student.ssid}/reports?lea=${settings.lea}`);
    next = nextRelease(truth);
    cred = await control('GET', `/leas/${settings.lea}/credentials`);
  } catch {
    box.hidden = true;
    return;
  }
  // Rebuild the box only when what it says changes, so that its button stays put under a
  // pointer or the keyboard focus while the reports refresh.
  const key = JSON.stringify([student.ssid, next, cred.status, cred.expiresAt]);
  if (key === nextKey && !box.hidden) return;
  nextKey = key;
  const label = h('p', {}, h('strong', {}, 'Demo shortcut'), ' (control API: a real portal cannot do this). ');
  if (!next) {
    // A student may have no report at all (a kindergartener who is not an English learner
    // takes no state test): "already released" would be wrong for them.
    label.append(truth.reports.length === 0
      ? 'This student has no score reports: no state assessment was scored for this student.'
      : 'Every report of this student is already released.');
    box.replaceChildren(label);
  } else {
    label.append(`This student's next report, ${assessmentTitle(next.assessment)} ${next.schoolYear}, is released ${formatTime(next.releasedAt)}.`);
    // An expired pair is the alert's to explain, with what to do; here only a pair that will
    // expire before the release is worth a word.
    if (cred.status !== 'expired' && cred.expiresAt && new Date(cred.expiresAt) < new Date(next.releasedAt)) {
      label.append(` The LEA's credentials expire before then, on ${formatDate(cred.expiresAt)}.`);
    }
    box.replaceChildren(label, h('button', { type: 'button', id: 'next-release-jump', onclick: (e) => jump(next.releasedAt, e.currentTarget) },
      'Move the sandbox clock there and refresh'));
  }
  box.hidden = false;
}

async function jump(to, button) {
  await busy(button, null, async () => {
    try {
      await moveClock({ to });
    } catch (e) {
      say($('#portal-alert'), `The clock did not move: ${e.message}`, 'error');
      return;
    }
    await loadReports();
  });
}
