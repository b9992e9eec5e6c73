// store.js: the page's shared state (chosen sandbox, LEA, sandbox time) and its events.

const bus = new EventTarget();

// emit announces a change: "sandbox", "clock", "credentials", "lea".
export function emit(name, detail) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}

// on calls fn with each change of name.
export function on(name, fn) {
  bus.addEventListener(name, (e) => fn(e.detail));
}

function read(store, key) {
  try { return store.getItem('ssrmock.' + key); } catch { return null; }
}

function write(store, key, value) {
  try {
    if (value == null) store.removeItem('ssrmock.' + key);
    else store.setItem('ssrmock.' + key, value);
  } catch { /* storage may be off: the page still works for this visit */ }
}

// state is what every view reads. now and milestones come from the sandbox clock.
export const state = {
  sandbox: new URLSearchParams(location.search).get('sandbox') || read(localStorage, 'sandbox') || 'default',
  lea: '',
  leas: [],
  now: null,
  followRealTime: false,
  milestones: [],
};

// setSandbox switches every view to another sandbox.
export function setSandbox(id) {
  if (id === state.sandbox) return;
  state.sandbox = id;
  state.lea = '';
  state.leas = [];
  write(localStorage, 'sandbox', id);
  emit('sandbox', id);
}

// setLEA chooses the LEA the TOMS page and the control panel's expiry dates speak of.
export function setLEA(cds) {
  if (cds === state.lea) return;
  state.lea = cds;
  emit('lea', cds);
}

// controlToken is the bearer token for a control API that asks for one; kept for the tab only.
export function controlToken() {
  return read(sessionStorage, 'controlToken') || '';
}

export function setControlToken(token) {
  write(sessionStorage, 'controlToken', token || null);
}

// vendorSettings is what the portal's vendor settings page holds for this sandbox: the LEA it
// serves and the pasted User Name and Secret Key. Kept for the tab only.
export function vendorSettings() {
  try {
    return JSON.parse(read(sessionStorage, 'vendor.' + state.sandbox)) || {};
  } catch {
    return {};
  }
}

export function saveVendorSettings(s, announce = true) {
  write(sessionStorage, 'vendor.' + state.sandbox, JSON.stringify(s));
  if (announce) emit('vendor', s);
}
