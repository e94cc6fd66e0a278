// The application: every use case, built from the platform the background hands in. The background
// is browser adapters plus one call to `createPrecis`; everything a user can do is one hop from here.
import { createResponseCache, DEFAULT_PRICES, withCache, type ResponseCache } from '../cache';
import { pageKey } from '../chat/conversation';
import { conversationStore } from '../chat/store';
import { appErrors, describeError, isAppError } from '../errors';
import { dexieJobStore } from '../db';
import { passageAt } from '../extract/video/transcript';
import { createJobRunner, type JobRunner } from '../jobs/runner';
import { createLibrary } from '../library/library';
import { createLlmClient, type LlmClient } from '../llm';
import { readPreferences, type Preferences } from '../preferences';
import { copiesOfPage, createActivityLog, deleteAllData, exportUserData } from '../privacy';
import { createVault } from '../security/vault';
import { createChat } from './chat';
import { classifySender, answer, jobPortRequest, panelPortTab, type Handlers, type KnownSender, type RawSender, type Self } from './doors';
import { menuChanged, menuItems, menuOpensIn, originOfMenuItem, summariseCommand } from './menus';
import { createOnDeviceRelay } from './on-device-relay';
import { ownsJob } from './ownership';
import { createPageAccess } from './page-access';
import { createPolicySource } from './policy-source';
import { requestTokenCounter } from './request-tokens';
import type { Platform, PortLike, TabRef } from './ports';
import { cachePolicy, clientOptions, createPreferencesStore, preferencesKey } from './preferences-store';
import type { Reply, Verdict } from './protocol';
import { createSettings } from './settings';
import { createSummarise } from './summarise';
import { surfaceFor, type Surface } from './surface';
import { isPdfUrl } from '../pdf/document';

const clientStateKey = 'llmClientState';
const lastWarmUpKey = 'lastWarmUp';
/** A warm connection lasts minutes; a worker that wakes for every message must not call each time. */
const warmUpEveryMs = 5 * 60_000;
/** A citation's hover quote: the start of its unit is enough to recognise it. */
const maxQuote = 400;

export function createPrecis(platform: Platform, self: Self) {
  const now = platform.now ?? Date.now;
  const { db, local, session, tabs } = platform;
  const policy = createPolicySource(platform.managed, local);
  const preferences = createPreferencesStore(local, policy);
  const settings = createSettings({
    local,
    session,
    vault: createVault({ deviceKeys: platform.deviceKeys }),
    onProviderChanged: platform.setLocalOriginRule,
    managed: policy,
  });

  // One menu rebuild at a time, each from the preferences as they are when it runs: an install's
  // rebuild that read the prompts before a change must not replace the menu built after it.
  // Built from the user's own preferences: the policy has no say in the menu, and Chrome may be
  // seconds from answering for it.
  let menusBuilt = Promise.resolve();
  const rebuildMenus = () =>
    (menusBuilt = menusBuilt.then(async () => {
      const prefs = await preferences.own();
      await platform.setMenu(menuItems(prefs.customPrompts, prefs.summariseOpensIn));
    }).catch((err: unknown) => console.warn('Precis: could not build the menu', err)));

  // Long-lived services, created on first use; each picks up the stored preferences when it is,
  // and every change after. None holds state that must outlive the worker: jobs and the cache
  // live in Dexie, the client's admission state in storage.session.
  let client: LlmClient | undefined;
  let cache: ResponseCache | undefined;
  let runner: JobRunner | undefined;
  // Where "Summarise page" opens, as last read: the side panel must be opened synchronously in the
  // gesture, before any storage read could answer. Read at start and kept current; undefined until
  // the first read answers (a worker woken by the shortcut itself).
  let opensIn: Preferences['summariseOpensIn'] | undefined;
  const applyPreferences = (prefs: Preferences) => {
    // The browser keeps the choice too (the panel on everywhere or not): a worker woken by a gesture
    // before it has read anything can try the panel, and the browser shows it only if chosen.
    if (prefs.summariseOpensIn !== opensIn) platform.setPanelEverywhere?.(prefs.summariseOpensIn === 'sidepanel');
    opensIn = prefs.summariseOpensIn;
    client?.setOptions(clientOptions(prefs));
    cache?.setPolicy(cachePolicy(prefs));
  };
  // A read that started before a change arrived must not undo it: storage.managed, read with the
  // preferences, may answer seconds after the worker starts, long after the user's change.
  let changesSeen = 0;
  const applyStoredPreferences = () => {
    const before = changesSeen;
    return preferences.get().then((prefs) => void (before === changesSeen && applyPreferences(prefs)));
  };
  const withStoredPreferences = <T>(service: T): T => (void applyStoredPreferences().catch(() => {}), service);
  const llm = () =>
    (client ??= withStoredPreferences(
      createLlmClient({
        fetch: platform.fetch,
        getProvider: settings.getProvider,
        stateStore: { load: () => session.get(clientStateKey), save: (state) => session.set(clientStateKey, state) },
        countTokens: requestTokenCounter(platform.loadCounter),
      }),
    ));
  void applyStoredPreferences().catch(() => {});
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
    readPdf: (url, onMessage, onGone) => platform.readPdf(url, onMessage, onGone),
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

  /** A tab by id, for the side panel (an extension page) naming the tab it shows. */
  async function tabById(tabId: number): Promise<(TabRef & { id: number }) | undefined> {
    const tab = await tabs.get(tabId);
    return tab && { ...tab, id: tabId };
  }

  /** The tab a request acts for: a content script's own (whatever it names), or the one the side panel names. */
  async function actingTab(sender: KnownSender, tabId: number | undefined) {
    if (sender.kind === 'tab') return sender.tab;
    return tabId === undefined ? undefined : tabById(tabId);
  }

  /** The surface for `tab`, opened at once where it is the side panel: call before any await. */
  /** Undefined when only the user's choice could tell and it is not known yet (then tried blind). */
  function openSurface(tab: TabRef | undefined, choice = opensIn): Surface | undefined {
    // PDFs and pages no content script may enter need the panel whatever the choice.
    const needsPanel = surfaceFor(tab?.url, 'sidebar') === 'panel';
    const surface = needsPanel ? 'panel' : choice && surfaceFor(tab?.url, choice);
    if (tab?.id === undefined) return surface;
    if (needsPanel) platform.openPanel?.(tab.id, { thisTab: choice !== 'sidepanel' });
    else if (surface === 'panel') platform.openPanel?.(tab.id);
    else if (!surface) platform.openPanel?.(tab.id, { ifChosen: true });
    return surface;
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

  /**
   * A citation's unit, asked of the page reader in the sender's own tab, for a summary made in that
   * tab whose units include it: anything else is refused here, before the page is asked.
   */
  /** `tabId`: the tab the side panel shows; a content script (the sidebar's frame) acts for its own. */
  async function citation(type: 'citation.show' | 'citation.quote', req: { jobId: string; unit: number; tabId?: number }, sender: KnownSender) {
    const tab = await actingTab(sender, req.tabId);
    if (tab?.id === undefined) return undefined;
    const job = await jobFor(req.jobId, sender);
    const cited = job?.citations;
    // A summary of this tab, or a follow-up in this tab's page thread (jobFor checked the thread is this page's).
    const here = job?.source?.kind === 'page' ? job.source.tabId === tab.id : job?.source?.kind === 'conversation';
    if (!cited || !here || req.unit > cited.units) return undefined;
    return tabs.send(tab.id, { type, key: cited.key, unit: req.unit }).catch(() => undefined);
  }

  /** The PDF summary `jobId` (of the sender's tab, or any for our pages) whose pages include `page`. */
  async function pdfJob(jobId: string, page: number, sender: KnownSender) {
    const job = await jobFor(jobId, sender);
    return job?.pdf && page <= job.pdf.pages && job.source?.kind === 'page' && job.source.format === 'pdf' ? { job, source: job.source } : undefined;
  }

  /**
   * Opens page `page` of a PDF summary's file in the tab it was made in, while that tab still shows
   * the file: the viewers of Chrome and Firefox open the page an address's `#page=N` names. A file
   * picked in the side panel is in no tab (its panel opens it); another page in the tab is not ours to leave.
   */
  async function openPdfPage(req: { jobId: string; page: number; tabId?: number }, sender: KnownSender): Promise<boolean> {
    const found = await pdfJob(req.jobId, req.page, sender);
    const tab = await actingTab(sender, req.tabId);
    if (!found || tab?.id === undefined || found.source.tabId !== tab.id || found.job.pdf?.picked) return false;
    const file = pageKey(found.source.url);
    if (!tab.url || pageKey(tab.url) !== file) return false;
    await tabs.navigate(tab.id, `${file}#page=${req.page}`);
    return true;
  }

  const handlers: Handlers = {
    'settings.get': () => settings.getPublic(),
    'settings.save': (req) => settings.save(req.settings),
    'settings.test': () => testConnection(),
    'vault.unlock': (req) => settings.unlock(req.passphrase),
    'vault.lock': () => settings.lock(),
    'summarise.activeTab': async (req) => {
      const tab = await tabs.active();
      return summariseTab(tab, { surface: req.surface ?? surfaceFor(tab?.url, (await preferences.own()).summariseOpensIn) });
    },
    // A content script may only act on the tab it runs in; the side panel names the tab it shows.
    'summarise.thisTab': async (req, sender) => {
      const again = { regenerate: req.regenerate, ...(req.origin && { origin: req.origin }) };
      if (sender.kind === 'tab') return summariseTab(sender.tab, again);
      return summariseTab(req.tabId === undefined ? undefined : await tabById(req.tabId), { ...again, surface: 'panel' });
    },
    'summarise.pdfFile': async (req) => {
      // Only a file the side panel itself made a URL for: never an address of somebody else's.
      if (!req.url.startsWith(`blob:${self.pagesOrigin}`)) throw appErrors.forbidden();
      const tab = await tabById(req.tabId);
      if (!tab) throw appErrors.summaryGone();
      return summarise.summarisePdfFile(tab, { url: req.url, name: req.name });
    },
    'panel.content': async (req) => {
      const tab = await tabById(req.tabId);
      return tab && pages.shownIn(tab);
    },
    'job.stop': async (req, sender) => (await jobFor(req.jobId, sender), jobs().stop(req.jobId)),
    'job.forget': (req, sender) => forgetJob(req.jobId, sender),
    'options.open': () => platform.openOptions(),
    'video.seek': async (req, sender) => {
      const tab = await actingTab(sender, req.tabId);
      return tab ? pages.seek(tab, req.seconds) : false;
    },
    'citation.show': async (req, sender) => (await citation('citation.show', req, sender)) === true,
    'citation.quote': async (req, sender) => {
      const quote = await citation('citation.quote', req, sender);
      return typeof quote === 'string' ? quote.slice(0, maxQuote) : undefined;
    },
    'pdf.open': (req, sender) => openPdfPage(req, sender),
    'pdf.quote': async (req, sender) => (await pdfJob(req.jobId, req.page, sender))?.job.pageOpenings?.[req.page - 1],
    'video.quote': async (req, sender) => {
      const tab = await actingTab(sender, req.tabId);
      const job = await jobFor(req.jobId, sender);
      const video = job?.videoRef;
      // Only a summary of this tab's video, and only where the video has that time (a live stream's length is 0: unknown).
      const past = video && video.seconds > 0 && req.seconds > video.seconds;
      if (tab?.id === undefined || !video || past || job.source?.kind !== 'page' || job.source.tabId !== tab.id) return undefined;
      return passageAt(job.videoPassages ?? [], req.seconds);
    },
    'sidebar.content': (_, sender) => (sender.kind === 'tab' ? pages.shownIn(sender.tab) : undefined),
    'welcome.open': () => platform.openWelcome(),
    'cache.stats': async () => responseCache().stats({ prices: { ...DEFAULT_PRICES, ...(await preferences.get()).prices } }),
    'chat.list': () => chat.list(),
    'chat.get': (req, sender) => chat.get(req.conversationId, sender.kind === 'tab' ? sender.tab : undefined),
    'chat.send': async ({ type: _, tabId, ...input }, sender) => {
      const tab = await actingTab(sender, tabId);
      // A PDF is not a page the reader can attach: the thread starts from its summary instead.
      return chat.send({ ...input, attachPage: input.attachPage && !(tab && isPdfUrl(tab.url)) }, tab);
    },
    'chat.retry': (req, sender) => chat.retry(req.conversationId, sender.kind === 'tab' ? sender.tab : undefined),
    'chat.forPage': async (req, sender) => {
      const tab = await actingTab(sender, req.tabId);
      return tab && chat.forPage(tab);
    },
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
      // The side panel closed (or turned to another tab): the passage its chip showed is unexplained now.
      const panelTab = panelPortTab(port, sender);
      if (panelTab !== undefined) return port.onDisconnect(() => void tabs.send(panelTab, { type: 'citation.clear' }).catch(() => undefined));
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
    onMenuClicked(menuItemId: string | number, tab?: TabRef) {
      const origin = originOfMenuItem(String(menuItemId));
      if (!origin) return Promise.resolve(undefined);
      // The item's id says where it opens: a click that woke the worker has read no preferences yet.
      return summariseTab(tab, { origin, surface: openSurface(tab, menuOpensIn(String(menuItemId)))! });
    },

    /** The keyboard shortcut (Firefox passes no tab to commands listeners). */
    onCommand(command: string, tab?: TabRef) {
      if (command !== summariseCommand) return Promise.resolve(undefined);
      // Firefox passes no tab: with no address to decide by, the side panel is not opened from here.
      const opened = tab && openSurface(tab);
      return (async () => {
        const target = tab ?? (await tabs.active());
        return summariseTab(target, { surface: opened ?? surfaceFor(target?.url, opensIn ?? (await preferences.own()).summariseOpensIn) });
      })();
    },

    /**
     * Install or update: menus persist, but an update may have changed them or the Origin rule. Only
     * a first install greets the user; an update or a browser update must not open tabs.
     */
    async onInstalled(reason: string) {
      await Promise.all([
        settings.syncLocalOriginRule(),
        rebuildMenus(),
        reason === 'install' && platform.openWelcome(),
      ]);
    },

    /** storage.local changed (from any tab or window): apply new preferences to the live services. */
    async onLocalStorageChanged(changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) {
      const change = changes[preferencesKey];
      if (!change) return;
      const [next, prev] = [readPreferences(change.newValue), readPreferences(change.oldValue)];
      changesSeen++;
      applyPreferences(next);
      // Read again for what the change alone does not carry (the policy's retention).
      void applyStoredPreferences().catch(() => {});
      if (menuChanged(prev, next)) await rebuildMenus();
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
