// How the tests run Firefox: Debian's Firefox ESR, headless, a fresh profile, quiet on the closed
// network, driven over Marionette (tests/support/marionette.ts) with the built add-on installed as a
// temporary add-on, the way a developer loads it from about:debugging.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Marionette } from './marionette';

export const firefoxExecutable = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const addonId = 'precis@precis.example';
/** The add-on's internal UUID, fixed by a preference so that its pages have a known origin. */
export const addonUuid = '7b1d4c2e-5a8f-4e3b-9c6d-0f2a1b3c4d5e';
export const addonOrigin = `moz-extension://${addonUuid}`;

/** Preferences of the test profile: a fixed add-on UUID, no first-run pages, nothing sent anywhere. */
function preferences(locale: string, colorScheme: 'light' | 'dark'): Record<string, string | number | boolean> {
  return {
    // The system's scheme, as the user's OS would set it: the browser's own surfaces (the sidebar
    // that holds the side panel) follow it; pages follow the content override.
    'ui.systemUsesDarkTheme': colorScheme === 'dark' ? 1 : 0,
    'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1,
    'marionette.port': 0,
    'extensions.webextensions.uuids': JSON.stringify({ [addonId]: addonUuid }),
    'intl.locale.requested': locale,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.page': 0,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.aboutwelcome.enabled': false,
    'trailhead.firstrun.didSeeAboutWelcome': true,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'app.update.disabledForTesting': true,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.newtabpage.enabled': false,
    'browser.search.update': false,
    'media.gmp-manager.updateEnabled': false,
    // Tabs opened by scripts in the background stay loaded and painted as in a visible window.
    'dom.min_background_timeout_value': 4,
  };
}

const launchTimeoutMs = 20_000;

export interface FirefoxSession {
  marionette: Marionette;
  /**
   * Back to a fresh install in the same Firefox, for the next test: every tab but a blank one
   * closed, the add-on uninstalled (which deletes its storage and databases) and installed again
   * under the same UUID. A launch costs about 11 CPU-s here, this about 1.4.
   */
  reinstallAddon(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh profile running Firefox with the add-on at `addonDir` installed. */
export async function launchFirefox(addonDir: string, { locale = 'en-US', colorScheme = 'light' }: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<FirefoxSession> {
  const profile = mkdtempSync(join(tmpdir(), 'precis-firefox-'));
  const prefs = Object.entries(preferences(locale, colorScheme)).map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  writeFileSync(join(profile, 'user.js'), prefs.join('\n'));
  // -remote-allow-system-access: Marionette's chrome context, which opens extension pages in tabs
  // (automation may not navigate to them) and stops the event page as Firefox does when idle.
  const child: ChildProcess = spawn(firefoxExecutable, ['--marionette', '-remote-allow-system-access', '--headless', '--no-remote', '--width=1280', '--height=800', '-profile', profile], {
    stdio: ['ignore', 'ignore', process.env.PRECIS_FIREFOX_LOG ? 'inherit' : 'ignore'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  let marionette: Marionette | undefined;
  try {
    const portFile = join(profile, 'MarionetteActivePort');
    const port = await new Promise<number>((resolve, reject) => {
      const deadline = Date.now() + launchTimeoutMs;
      const poll = () => {
        if (child.exitCode !== null) return reject(new Error(`Firefox exited (${child.exitCode}) before Marionette listened`));
        if (Date.now() > deadline) return reject(new Error(`Marionette did not listen within ${launchTimeoutMs} ms`));
        const written = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
        if (written) resolve(Number(written));
        else setTimeout(poll, 50);
      };
      poll();
    });
    marionette = await Marionette.connect(port);
    await marionette.installAddon(addonDir);
    const session = marionette;
    return {
      marionette: session,
      async reinstallAddon() {
        const [kept, ...others] = await session.handles();
        for (const handle of others) {
          await session.switchToWindow(handle, { focus: false });
          await session.closeWindow();
        }
        await session.switchToWindow(kept!);
        await session.navigate('about:blank');
        await session.command('Addon:Uninstall', { id: addonId });
        // Uninstalling forgets the UUID the preference fixed: the add-on's pages keep their origin.
        await session.inChrome((id: string, uuid: string) => (globalThis as any).Services.prefs.setStringPref('extensions.webextensions.uuids', JSON.stringify({ [id]: uuid })), addonId, addonUuid);
        await session.installAddon(addonDir);
      },
      async close() {
        // A Firefox that hangs does not answer Quit: it is killed after a while.
        await Promise.race([session.quit(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
        await exited;
        cleanUp();
      },
    };
  } catch (err) {
    marionette?.close();
    child.kill('SIGKILL');
    await exited;
    cleanUp();
    throw err;
  }
}
