// search.js: the portal's student search, over the LEA's roster (control API): what the
// vendor's student information system would hold. An empty search lists the first students.

import { $, h, say, busy } from './dom.js';
import { control } from './api.js';
import { assessmentTitle, matchStudent, studentName, plural } from './format.js';

// search runs the search form's query and lists up to 25 students; choosing one calls
// openStudent with it.
export async function search(e, openStudent) {
  e.preventDefault();
  const q = $('#search-q').value.trim();
  const status = $('#search-status');
  const results = $('#search-results');
  const lea = $('#vendor-lea').value;
  const filter = $('#search-filter').value;
  const found = [];
  let scanned = 0;
  await busy(e.submitter, results, async () => {
    try {
      let cursor = '';
      for (let pages = 0; pages < 50 && found.length < 25; pages++) {
        const params = new URLSearchParams({ limit: '1000' });
        if (cursor) params.set('cursor', cursor);
        if (filter) params.set('assessment', filter);
        const page = await control('GET', `/leas/${lea}/students?${params}`);
        scanned += page.students.length;
        // An empty search lists the roster from the start.
        found.push(...(q ? page.students.filter((s) => matchStudent(s, q)) : page.students));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
    } catch (err) {
      say(status, `The roster could not be searched: ${err.message}`, 'error');
      return;
    }
    const items = found.slice(0, 25).map((s) => h('li', {},
      h('button', { type: 'button', class: 'result', 'data-ssid': s.ssid, onclick: () => openStudent(s) },
        h('strong', {}, studentName(s)),
        h('span', {}, `SSID ${s.ssid} · grade ${s.grade} · ${s.primaryLanguage}`))));
    if (found.length === 0 && /^\d{10}$/.test(q)) {
      items.push(h('li', {}, h('button', { type: 'button', class: 'result', onclick: () => openStudent({ ssid: q }) },
        h('strong', {}, `Ask the service for SSID ${q}`), h('span', {}, 'not on this LEA\'s roster'))));
    }
    results.replaceChildren(...items);
    let said;
    if (!q) {
      said = found.length
        ? `The first ${plural(Math.min(found.length, 25), 'student')} on the roster${filter ? ` with a ${assessmentTitle(filter)} report` : ''}. Type a name or an SSID to narrow the list.`
        : 'The roster has no student with such a report.';
    } else {
      said = found.length
        ? `${plural(Math.min(found.length, 25), 'student')} found${found.length > 25 ? ' (the first 25)' : ''}.`
        : `No student matches "${q}" among ${scanned.toLocaleString('en-US')} on the roster.`;
    }
    say(status, said, found.length ? 'ok' : 'warn');
  });
}
