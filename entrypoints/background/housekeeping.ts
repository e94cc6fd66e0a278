// Periodic chores on an alarm (timers do not survive the worker), and keeping the worker alive
// while a job streams: Chrome stops an idle worker after 30 s, and an extension API call resets that.
import { browser } from 'wxt/browser';
import { activityLog, jobRunner, llmClient, responseCache } from './services';
import { applyLocalOriginRule, getProvider } from './settings';

const pruneAlarm = 'precis-prune';
const keepAliveMs = 20_000;
let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

export function keepAliveWhileBusy() {
  if (keepAliveTimer) return;
  keepAliveTimer = setInterval(() => {
    if (jobRunner().busy()) void browser.runtime.getPlatformInfo();
    else {
      clearInterval(keepAliveTimer);
      keepAliveTimer = undefined;
    }
  }, keepAliveMs);
}

export function setupHousekeeping() {
  browser.runtime.onInstalled.addListener(() => {
    void browser.alarms.create(pruneAlarm, { periodInMinutes: 60 });
    // Dynamic rules outlive the worker, but an update may have changed how the rule is built.
    void applyLocalOriginRule();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== pruneAlarm) return;
    void responseCache().prune();
    void activityLog().prune();
  });
}

const lastWarmUpKey = 'lastWarmUp';
/** A warm connection lasts minutes; a worker that wakes for every message must not call each time. */
const warmUpEveryMs = 5 * 60_000;

/** Opens the connection to a configured provider, so the user's first request skips the handshake. */
export async function warmUp(now = Date.now()) {
  const last = (await browser.storage.session.get(lastWarmUpKey))[lastWarmUpKey];
  if (typeof last === 'number' && now - last < warmUpEveryMs) return;
  const configured = await getProvider().then(
    () => true,
    () => false,
  );
  if (!configured) return;
  await browser.storage.session.set({ [lastWarmUpKey]: now });
  await llmClient().warmUp();
}
