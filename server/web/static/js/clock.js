// clock.js: the sandbox clock as every view sees it.

import { $ } from './dom.js';
import { state, emit } from './store.js';
import { control } from './api.js';
import { formatTime } from './format.js';

// refreshClock reads the sandbox clock, with the whole calendar.
export async function refreshClock() {
  applyClock(await control('GET', '/clock'), true);
}

// moveClock moves the sandbox clock ({advance}, {to} or {followRealTime}) and returns the reply.
export async function moveClock(body) {
  const reply = await control('POST', '/clock', body);
  applyClock(reply, false);
  return reply;
}

// applyClock takes a clock reply as the sandbox's time. A read lists the whole calendar; a
// move's reply lists only the milestones it passed, so it leaves the calendar alone.
// Views re-render on "clock", so it is announced only when something changed: a poll that
// finds the same time must not rebuild the page under the user's focus.
function applyClock(c, full) {
  let changed = c.now !== state.now || c.followRealTime !== state.followRealTime;
  state.now = c.now;
  state.followRealTime = c.followRealTime;
  if (full && JSON.stringify(c.milestones || []) !== JSON.stringify(state.milestones)) {
    state.milestones = c.milestones || [];
    changed = true;
  }
  const t = $('#header-now');
  t.textContent = formatTime(c.now);
  t.dateTime = c.now;
  if (changed) emit('clock', c);
}
