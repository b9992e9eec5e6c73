// dom.js: a tiny element builder. Text always goes in as text, never as HTML.

// h makes an element: h('button', {type: 'button', onclick: fn}, 'Save').
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// $ finds one element.
export const $ = (sel, root = document) => root.querySelector(sel);

// say puts a message in a status or alert region; kind is "ok", "error", "warn" or "".
export function say(el, text, kind = '') {
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
}

// busy marks a region as loading while fn runs and disables the button that started it.
export async function busy(button, region, fn) {
  if (button) button.disabled = true;
  if (region) region.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    if (button) button.disabled = false;
    if (region) region.removeAttribute('aria-busy');
  }
}
