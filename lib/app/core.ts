// The application: every use case, built from the platform the background hands in. The background
// is browser adapters plus one call to `createPrecis`; everything a user can do is one hop from here.
import { createResponseCache, DEFAULT_PRICES, withCache, type ResponseCache } from '../cache';
import { conversationStore } from '../chat/store';
import { appErrors, describeError, isAppError } from '../errors';
import { dexieJobStore } from '../db';
import { createJobRunner, type JobRunner } from '../jobs/runner';
import { createLibrary } from '../library/library';
import { createLlmClient, type LlmClient } from '../llm';
import { readPreferences, type Preferences } from '../preferences';
import { copiesOfPage, createActivityLog, deleteAllData, exportUserData } from '../privacy';
import { createVault } from '../security/vault';
import { createChat } from './chat';
import { classifySender, answer, jobPortRequest, type Handlers, type KnownSender, type RawSender, type Self } from './doors';
import { menuItems, originOfMenuItem, promptsChanged, summariseCommand } from './menus';
import { createOnDeviceRelay } from './on-device-relay';
import { ownsJob } from './ownership';
import { createPageAccess } from './page-access';
import { requestTokenCounter } from './request-tokens';
import { readPolicy } from './policy';
import type { Platform, PortLike, TabRef } from './ports';
import { cachePolicy, clientOptions, createPreferencesStore, preferencesKey } from './preferences-store';
import type { Reply, Verdict } from './protocol';
import { createSettings } from './settings';
import { createSummarise } from './summarise';

const clientStateKey = 'llmClientState';
const lastWarmUpKey = 'lastWarmUp';
/** A warm connection lasts minutes; a worker that wakes for every message must not call each time. */
const warmUpEveryMs = 5 * 60_000;

export function createPrecis(platform: Platform, self: Self) {
  const now = platform.now ?? Date.now;
  const { db, local, session, tabs } = platform;
  const policy = async () => readPolicy(await platform.managed?.().catch(() => undefined));
  const preferences = createPreferencesStore(local, policy);
  const settings = createSettings({
    local,
    session,
    vault: createVault({ deviceKeys: platform.deviceKeys }),
    onProviderChanged: platform.setLocalOriginRule,
    managed: policy,
  });

  // Long-lived services, created on first use; each picks up the stored preferences when it is,
  // and every change after. None holds state that must outlive the worker: jobs and the cache
  // live in Dexie, the client's admission state in storage.session.
  let client: LlmClient | undefined;
  let cache: ResponseCache | undefined;
  let runner: JobRunner | undefined;
  const applyPreferences = (prefs: Preferences) => {
    client?.setOptions(clientOptions(prefs));
    cache?.setPolicy(cachePolicy(prefs));
  };
  const withStoredPreferences = <T>(service: T): T => (void preferences.get().then(applyPreferences), service);
  const llm = () =>
    (client ??= withStoredPreferences(
      createLlmClient({
        fetch: platform.fetch,
        getProvider: settings.getProvider,
        stateStore: { load: () => session.get(clientStateKey), save: (state) => session.set(clientStateKey, state) },
        countTokens: requestTokenCounter(platform.loadCounter),
      }),
    ));
  const responseCache = () => (cache ??= withStoredPreferences(createResponseCache({ db })));
  const activity = createActivityLog({ db });
  const jobs = () =>
    (runner ??= createJobRunner({
      store: dexieJobStore(db),
      client: withCache(llm(), responseCache(), { getProvider: settings.getProvider, activity }),
    }));
  const keepAlive = () => platform.keepAliveWhile(() => jobs().busy());

  const pages = createPageAccess(tabs, session);
  const onDevice = createOnDeviceRelay(tabs);
  const summarise = createSummarise({
    pages,
    tabs,
    jobs,
    // No provider yet means an offline summary, unless the administrator turned those off.
    provider: () =>
      settings
        .getProvider()
        .catch(async (err: unknown) => (isAppError(err) && err.kind === 'not_configured' && (await policy()).allowNoKeyFeatures !== false ? undefined : Promise.reject(err))),
    preferences: preferences.get,
    onDevice: onDevice.model,
    loadCounter: platform.loadCounter,
    keepAlive,
  });
  const summariseTab = summarise.summariseTab;
  const library = createLibrary(db);
  // The provider's model and any the administrator listed. A sidebar never names one; this keeps a
  // forged message from choosing.
  const configuredModels = async () => [
    ...(await settings.getProvider().then((p) => (p.model ? [p.model] : []), () => [])),
    ...((await policy()).models ?? []),
  ];
  const chat = createChat({ store: () => conversationStore(db), jobs, pages, tabs, keepAlive, configuredModels, now });

  /** Jobs a dead worker left unfinished start again where that is safe; views wait for this. */
  let recovered: Promise<unknown> = Promise.resolve();
  async function recover() {
    const { restarted } = await jobs().recover((record) => (record.kind === 'chat' ? chat.again(record) : summarise.again(record)));
    if (restarted) keepAlive();
  }

  async function testConnection(started = performance.now()): Promise<Verdict> {
    try {
      const result = await llm().complete({ messages: [{ role: 'user', content: 'Reply with the word OK.' }], max_tokens: 5 });
      return { ok: true, detail: `Answered in ${Math.round(performance.now() - started)} ms: “${result.text.trim().slice(0, 40)}”` };
    } catch (err) {
      return { ok: false, ...describeError(err) };
    }
  }

  /** A job the sender may act on: any, for our pages; for a content script, only its tab's. */
  async function jobFor(jobId: string, sender: KnownSender) {
    const job = await jobs().get(jobId);
    if (job && sender.kind === 'tab' && !ownsJob(job, sender.tab)) throw appErrors.forbidden();
    return job;
  }

  /** "Forget this page": every copy of the page the summary was made of, not only this summary's answers. */
  async function forgetJob(jobId: string, sender: KnownSender) {
    const job = await jobFor(jobId, sender);
    if (!job) throw appErrors.summaryGone();
    const url = job.source?.kind === 'page' ? job.source.url : undefined;
    const copies = url ? await copiesOfPage(db, url) : { jobIds: [job.id], conversationIds: [], hashes: [] };
    // A job still streaming would write itself back after the delete.
    for (const id of copies.jobIds) jobs().stop(id);
    await Promise.all(copies.jobIds.map((id) => jobs().settled(id)));
    // The reason is all the audit log says besides hashes: never the URL.
    return responseCache().forget([...new Set([...job.requestHashes, ...copies.hashes])], 'user: forget this page', copies);
  }

  const handlers: Handlers = {
    'settings.get': () => settings.getPublic(),
    'settings.save': (req) => settings.save(req.settings),
    'settings.test': () => testConnection(),
    'vault.unlock': (req) => settings.unlock(req.passphrase),
    'vault.lock': () => settings.lock(),
    'summarise.activeTab': async () => summariseTab(await tabs.active()),
    // A content script may only act on the tab it runs in.
    'summarise.thisTab': (req, sender) =>
      sender.kind === 'tab' ? summariseTab(sender.tab, { regenerate: req.regenerate, ...(req.origin && { origin: req.origin }) }) : summariseTab(undefined),
    'job.stop': async (req, sender) => (await jobFor(req.jobId, sender), jobs().stop(req.jobId)),
    'job.forget': (req, sender) => forgetJob(req.jobId, sender),
    'options.open': () => platform.openOptions(),
    'sidebar.content': (_, sender) => (sender.kind === 'tab' ? pages.shownIn(sender.tab) : undefined),
    'welcome.open': () => platform.openWelcome(),
    'cache.stats': async () => responseCache().stats({ prices: { ...DEFAULT_PRICES, ...(await preferences.get()).prices } }),
    'chat.list': () => chat.list(),
    'chat.get': (req, sender) => chat.get(req.conversationId, sender.kind === 'tab' ? sender.tab : undefined),
    'chat.send': ({ type: _, ...input }, sender) => chat.send(input, sender.kind === 'tab' ? sender.tab : undefined),
    'chat.retry': (req, sender) => chat.retry(req.conversationId, sender.kind === 'tab' ? sender.tab : undefined),
    'chat.forPage': (_, sender) => (sender.kind === 'tab' ? chat.forPage(sender.tab) : undefined),
    'chat.delete': (req) => chat.delete(req.conversationId),
    'models.list': () => llm().listModels(),
    'prefs.get': () => preferences.get(),
    'prefs.save': (req) => preferences.save(req.patch),
    'library.list': ({ type: _, ...query }) => library.list(query),
    'library.get': (req) => library.get(req.id),
    'library.delete': (req) => library.remove(req.id),
    'library.markdown': (req) => library.markdown(req.id),
    'privacy.export': () => exportUserData(db),
    'privacy.deleteAll': () => deleteAllData(db, { memory: [responseCache()], reason: 'user: delete all data' }),
  };

  return {
    summariseTab,
    saveSettings: settings.save,

    /** A message from a view or a content script; undefined when the sender gets no answer. */
    handleMessage: (raw: unknown, sender: RawSender): Promise<Reply<unknown> | undefined> => answer(handlers, raw, classifySender(sender, self)),

    /** A port from a view (`job:<id>`) or from a page's on-device model (`ondevice:<token>`). */
    connect(port: PortLike, rawSender: RawSender) {
      const sender = classifySender(rawSender, self);
      if (sender.kind !== 'stranger' && onDevice.accept(port, sender.kind === 'tab' ? sender.tab.id : undefined)) return;
      const jobId = jobPortRequest(port, sender);
      if (!jobId) return port.disconnect();
      let unsubscribe: (() => void) | undefined;
      let closed = false;
      port.onDisconnect(() => {
        closed = true;
        unsubscribe?.();
      });
      // A view reconnecting to a job that is starting again must find it live, not interrupted.
      // A content script follows only its own tab's jobs; any other is refused like a missing one.
      const allowed = async () => sender.kind !== 'tab' || ownsJob(await jobs().get(jobId), sender.tab) || Promise.reject(appErrors.forbidden());
      void recovered
        .then(allowed)
        .then(() => jobs().subscribe(jobId, (msg) => port.postMessage(msg)))
        .then(
          (off) => (closed ? off() : (unsubscribe = off)),
          () => port.disconnect(),
        );
    },

    /** The context menu: `menuItemId` names what to summarise. */
    async onMenuClicked(menuItemId: string | number, tab?: TabRef) {
      const origin = originOfMenuItem(String(menuItemId));
      return origin && summariseTab(tab, { origin });
    },

    /** The keyboard shortcut (Firefox passes no tab to commands listeners). */
    async onCommand(command: string, tab?: TabRef) {
      if (command !== summariseCommand) return undefined;
      return summariseTab(tab ?? (await tabs.active()));
    },

    /**
     * Install or update: menus persist, but an update may have changed them or the Origin rule. Only
     * a first install greets the user; an update or a browser update must not open tabs.
     */
    async onInstalled(reason: string) {
      await Promise.all([
        settings.syncLocalOriginRule(),
        preferences.get().then((p) => platform.setMenu(menuItems(p.customPrompts))),
        reason === 'install' && platform.openWelcome(),
      ]);
    },

    /** storage.local changed (from any tab or window): apply new preferences to the live services. */
    async onLocalStorageChanged(changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) {
      const change = changes[preferencesKey];
      if (!change) return;
      const [next, prev] = [readPreferences(change.newValue), readPreferences(change.oldValue)];
      applyPreferences(next);
      if (promptsChanged(prev.customPrompts, next.customPrompts)) await platform.setMenu(menuItems(next.customPrompts));
    },

    /** The hourly alarm. */
    async prune() {
      await Promise.all([responseCache().prune(), activity.prune()]);
    },

    /** At every worker start: jobs the store calls running were cut off by the last worker's end. */
    recover() {
      recovered = recover().catch((err: unknown) => console.warn('Precis: could not recover jobs', err));
      return recovered;
    },

    /** Opens the connection to a configured provider, so the user's first request skips the handshake. */
    async warmUp() {
      const last = await session.get(lastWarmUpKey);
      if (typeof last === 'number' && now() - last < warmUpEveryMs) return;
      const usable = await settings.getProvider().then(
        () => true,
        () => false,
      );
      if (!usable) return;
      await session.set(lastWarmUpKey, now());
      await llm().warmUp();
    },
  };
}

export type Precis = ReturnType<typeof createPrecis>;
