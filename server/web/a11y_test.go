package web_test

import (
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// a11yProblems is a script that lists what a quick accessibility review of the visible page
// would flag: form fields without labels, buttons and links without names, untitled frames,
// duplicate ids, missing landmarks, not exactly one h1, and text below WCAG AA contrast.
const a11yProblems = `(() => {
  const problems = [];
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !shown(el)) continue;
    if (!el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push('no label: ' + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (shown(el) && !el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('no name: ' + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('iframe')) if (!el.title) problems.push('iframe without a title');
  const ids = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (ids.has(el.id)) problems.push('duplicate id ' + el.id);
    ids.add(el.id);
  }
  for (const sel of ['header', 'nav', 'main', 'footer']) if (!document.querySelector(sel)) problems.push('no <' + sel + '>');
  const h1s = [...document.querySelectorAll('h1')].filter(shown);
  if (h1s.length !== 1) problems.push(h1s.length + ' visible h1 elements');

  const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || el.closest('[disabled], [aria-busy="true"]') || el.matches(':disabled')) continue;
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text) continue;
    const st = getComputedStyle(el);
    const fg = rgba(st.color).slice(0, 3);
    const [l1, l2] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(st.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ': ' + el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '"');
  }
  return problems;
})()`

// checkAccessible reports what the review script finds on the page as it is now.
func (b *browser) checkAccessible(where string) {
	b.t.Helper()
	began := time.Now()
	defer func() { b.t.Logf("a11y %s: %v", where, time.Since(began).Round(time.Millisecond)) }()
	for _, p := range eval[[]string](b, a11yProblems) {
		b.t.Errorf("%s: %s", where, p)
	}
}

// checkKeyboard checks that the first Tab reaches the skip link, visibly, and that it leads
// into the main content.
func (b *browser) checkKeyboard() {
	b.t.Helper()
	b.do("tab to the skip link",
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`),
		chromedp.KeyEvent("\t"),
	)
	focus := eval[string](b, `(() => { const e = document.activeElement; const r = e.getBoundingClientRect();
		return e.className + ' ' + (r.top >= 0 && r.height > 0) + ' ' + getComputedStyle(e).outlineStyle })()`)
	if focus != "skip true solid" {
		b.t.Errorf("after one Tab the focus is %q, want the skip link, on screen, outlined", focus)
	}
	b.do("follow the skip link", chromedp.KeyEvent("\r"))
	if got := eval[string](b, `document.activeElement.id`); !strings.HasPrefix(got, "main") {
		b.t.Errorf("after the skip link the focus is on #%s, want #main", got)
	}
}
