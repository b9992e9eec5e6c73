// poll.js: the control panel's live views (the journal, the findings) poll the control API
// every two seconds while the panel shows and its Live switch is ticked.

import { $ } from './dom.js';

const interval = 2000;

// livePoller runs task now and then every interval while started and Live is ticked, and
// follows the Live switch. task reports its own errors.
export function livePoller(task) {
  const live = $('#journal-live');
  let timer = 0;
  let running = false;
  async function tick() {
    clearTimeout(timer);
    await task();
    if (running) timer = setTimeout(tick, interval);
  }
  const poller = {
    start() {
      if (!live.checked) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
    // restart polls at once when running, e.g. after the sandbox changed.
    restart() {
      if (running) tick();
    },
  };
  live.addEventListener('change', () => (live.checked ? poller.start() : poller.stop()));
  return poller;
}
