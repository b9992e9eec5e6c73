// format.js: pure helpers for words, dates and messages. Nothing here touches the DOM or the
// network, so the browser test can call every function directly.

// zone is the time zone the sandbox calendar is written in.
export const zone = 'America/Los_Angeles';

const dateTime = new Intl.DateTimeFormat('en-US', {
  timeZone: zone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric',
  hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
});
const dateOnly = new Intl.DateTimeFormat('en-US', {
  timeZone: zone, year: 'numeric', month: 'short', day: 'numeric',
});
const timeOnly = new Intl.DateTimeFormat('en-US', {
  timeZone: zone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

// formatTime writes an instant as a Pacific date and time: "Mon, Feb 11, 2019, 8:00 AM PST".
export function formatTime(iso) {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

// formatDate writes an instant as a Pacific date: "May 12, 2019".
export function formatDate(iso) {
  if (!iso) return '—';
  return dateOnly.format(new Date(iso));
}

// formatStamp writes an instant compactly for the journal: "Feb 11, 08:00:00".
export function formatStamp(iso) {
  if (!iso) return '';
  return timeOnly.format(new Date(iso));
}

// daysBetween is the whole number of days from a to b (negative when b is earlier).
export function daysBetween(a, b) {
  return Math.floor((new Date(b) - new Date(a)) / 86400000);
}

// pacificToISO turns a Pacific wall-clock date ("2019-05-15") and time ("08:00") into an
// RFC 3339 instant with the offset in force then, e.g. "2019-05-15T08:00:00-07:00".
export function pacificToISO(date, time = '00:00') {
  const [y, mo, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  if (![y, mo, d, hh, mm].every(Number.isFinite)) return '';
  const wall = Date.UTC(y, mo - 1, d, hh, mm);
  // The offset at the guessed instant, then once more in case the guess crossed a DST change.
  let offset = zoneOffsetMinutes(wall);
  offset = zoneOffsetMinutes(wall - offset * 60000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date}T${pad(hh)}:${pad(mm)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// zoneOffsetMinutes is the Pacific offset from UTC at instant ms, in minutes (-480 or -420).
function zoneOffsetMinutes(ms) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  const asUTC = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUTC - ms) / 60000);
}

// pacificParts gives an instant's Pacific date and time as the values of date and time inputs.
export function pacificParts(iso) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (t) => parts.find((p) => p.type === t).value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

const assessments = {
  'smarter-balanced': 'Smarter Balanced English language arts/literacy and mathematics',
  'caa': 'California Alternate Assessments (CAA)',
  'cast': 'California Science Test (CAST)',
  'csa': 'California Spanish Assessment (CSA)',
  'summative-elpac': 'Summative ELPAC',
  'initial-elpac': 'Initial ELPAC',
  'alternate-elpac': 'Alternate ELPAC',
};

// assessmentTitle names a report family ("assessment" in the vendor API) for people.
export function assessmentTitle(family) {
  return assessments[family] || family;
}

// assessmentFamilies lists the report families, for filters.
export function assessmentFamilies() {
  return Object.keys(assessments);
}

const languages = {
  'en': { name: 'English', native: 'English' },
  'es': { name: 'Spanish', native: 'Español' },
  'vi': { name: 'Vietnamese', native: 'Tiếng Việt' },
  'zh-Hant': { name: 'Chinese (Traditional)', native: '中文（繁體）' },
  'fil': { name: 'Filipino', native: 'Filipino' },
  'ko': { name: 'Korean', native: '한국어' },
};

// languageName names a report language: "Spanish (Español)".
export function languageName(tag) {
  const l = languages[tag];
  if (!l) return tag;
  return l.name === l.native ? l.name : `${l.name} (${l.native})`;
}

// coordinatorTitle names the coordinator who generated a pair.
export function coordinatorTitle(c) {
  return { caaspp: 'LEA CAASPP Coordinator', elpac: 'LEA ELPAC Coordinator' }[c] || c || '—';
}

// regeneratedMessage is what the portal says when the pair it holds was superseded.
export const regeneratedMessage = 'The credentials were regenerated in TOMS; paste the new pair in settings.';

// portalMessage turns a vendor API error into what the portal tells its user. ctx.workedBefore
// says whether this pair was ever accepted; ctx.superseded whether TOMS shows a newer pair.
export function portalMessage(err, ctx = {}) {
  const wait = err.retryAfter ? ` Try again in ${plural(err.retryAfter, 'second')}.` : ' Try again later.';
  switch (err.code) {
    case 'invalid_credentials':
      if (ctx.workedBefore || ctx.superseded) return regeneratedMessage;
      return 'The User Name or Secret Key is not valid: check the pair in settings.';
    case 'credentials_expired':
      return 'The credentials have expired: generate a new pair in TOMS and paste it in settings.';
    case 'invalid_token':
    case 'token_expired':
      return 'The score report service did not accept the session: sign in again.';
    case 'student_not_found':
      return 'The score report service has no reports for this student in your LEA.';
    case 'invalid_ssid':
      return 'An SSID is 10 digits.';
    case 'rate_limited':
      return 'The score report service is receiving too many requests.' + wait;
    case 'maintenance':
      return 'The score report service is down for maintenance.' + wait;
    case 'link_expired':
      return 'The report link expired: open the report again for a fresh one.';
    case 'signature_invalid':
      return 'The report link is not valid: open the report again.';
    case 'network':
      return 'The score report service could not be reached (the connection was dropped).' + wait;
    case 'not_configured':
      return 'Enter the User Name and Secret Key from TOMS in the vendor settings first.';
  }
  if (err.status >= 500) return 'The score report service had a problem (' + err.status + ').' + wait;
  return err.message || 'Something went wrong.';
}

// plural writes "1 second", "30 seconds".
export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// studentName writes a roster student's name, last name first.
export function studentName(s) {
  return [s.lastName + ',', s.firstName, s.middleName].filter(Boolean).join(' ');
}

// matchStudent reports whether a roster student matches a search: every word of the query
// appears in the name, or the query is the start of the SSID.
export function matchStudent(s, query) {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  if (/^\d+$/.test(q)) return s.ssid.startsWith(q);
  const name = [s.firstName, s.middleName, s.lastName].filter(Boolean).join(' ').toLowerCase();
  return q.split(/\s+/).every((w) => name.includes(w));
}

// groupReports keeps one language of a report listing and groups it by school year, newest
// year first: [{schoolYear, reports:[…]}].
export function groupReports(reports, language) {
  const years = new Map();
  for (const r of reports) {
    // One row per report: the HTML page of today's service rides on its PDF's row.
    if (r.language !== language || (r.format && r.format !== 'pdf')) continue;
    if (!years.has(r.schoolYear)) years.set(r.schoolYear, []);
    years.get(r.schoolYear).push(r);
  }
  return [...years.entries()]
    .sort((a, b) => b[0].localeCompare(a[0]))
    .map(([schoolYear, list]) => ({ schoolYear, reports: list.sort((a, b) => a.assessment.localeCompare(b.assessment)) }));
}

// reportLanguages lists the languages of a report listing, English first.
export function reportLanguages(reports) {
  const set = new Set(reports.map((r) => r.language));
  return [...set].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
}

// nextRelease finds the earliest report of a ground truth not yet released: {releasedAt,
// assessment, schoolYear} or null. Languages of one report count once.
export function nextRelease(truth) {
  let next = null;
  for (const r of truth.reports || []) {
    if (r.released) continue;
    if (!next || new Date(r.releasedAt) < new Date(next.releasedAt)) next = r;
  }
  return next && { releasedAt: next.releasedAt, assessment: next.assessment, schoolYear: next.schoolYear };
}

// faultPresets are the faults the control panel offers, as the body the control API takes.
export const faultPresets = {
  maintenance: { label: 'Maintenance: 503 with Retry-After', body: (o) => ({ status: 503, code: 'maintenance', retryAfter: `${o.retryAfter}s` }) },
  rateLimit: { label: 'Rate limit: 429 with Retry-After', body: (o) => ({ status: 429, code: 'rate_limited', retryAfter: `${o.retryAfter}s` }) },
  slow: { label: 'Slow responses (delay)', body: (o) => ({ delay: `${o.delay}s` }) },
  drop: { label: 'Dropped connection', body: () => ({ drop: true }) },
  truncate: { label: 'Truncated body', body: () => ({ truncate: true }) },
  error: { label: 'Server error: 500', body: () => ({ status: 500 }) },
};

// faultBody builds a fault for route from a preset and its options.
export function faultBody(preset, route, o = {}) {
  const p = faultPresets[preset];
  if (!p) throw new Error(`unknown fault ${preset}`);
  const body = { route, ...p.body({ retryAfter: o.retryAfter ?? 30, delay: o.delay ?? 3 }) };
  if (o.count > 0) body.count = o.count;
  return body;
}

// describeFault writes a fault for the list of active faults.
export function describeFault(f) {
  const what = [];
  if (f.status) what.push(`${f.status} ${f.code || ''}`.trim());
  if (f.retryAfter && f.retryAfter !== '0s') what.push(`Retry-After ${f.retryAfter}`);
  if (f.delay && f.delay !== '0s') what.push(`delay ${f.delay}`);
  if (f.drop) what.push('drop the connection');
  if (f.truncate) what.push('truncate the body');
  const route = f.route === '*' ? 'every route' : `route ${f.route}`;
  const left = f.count ? `, ${f.remaining ?? 0} of ${f.count} left` : '';
  return `${what.join(', ')} on ${route}${left}; hit ${plural(f.hits, 'time')}`;
}
