// leas.js: the current sandbox's LEAs, fetched once per sandbox.

import { h } from './dom.js';
import { state } from './store.js';
import { control } from './api.js';

let pending = null;
let pendingFor = '';

// leas returns the sandbox's LEAs: [{cds, name, county, students}].
export function leas() {
  if (!pending || pendingFor !== state.sandbox) {
    pendingFor = state.sandbox;
    pending = control('GET', '/leas').then((r) => {
      state.leas = r.leas;
      return r.leas;
    }, (e) => {
      pending = null;
      throw e;
    });
  }
  return pending;
}

// fillLEAs lists the LEAs in a select, keeping selected chosen when it is one of them, and
// returns the chosen CDS code.
export function fillLEAs(select, list, selected) {
  const chosen = list.some((l) => l.cds === selected) ? selected : (list[0] ? list[0].cds : '');
  select.replaceChildren(...list.map((l) => h('option', { value: l.cds, selected: l.cds === chosen },
    `${l.name} (${l.cds})`)));
  return chosen;
}

// leaName names an LEA by its CDS code.
export function leaName(cds) {
  const l = state.leas.find((x) => x.cds === cds);
  return l ? l.name : cds;
}
