// How Precis runs Chromium everywhere (e2e tests, benchmarks, the demo): Debian's build, headless,
// and quiet on the network, which is closed here (without these flags Chromium floods it with
// refused connections).
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fresh profile with the built extension at `extensionDir` loaded. */
export function launchWithExtension(
  extensionDir: string,
  options: {
    locale?: string;
    viewport?: { width: number; height: number };
    /** Real host names served from 127.0.0.1 (`www.youtube.com` → a port of a local HTTPS server). */
    hosts?: Record<string, number>;
    /**
     * chrome://extensions' Developer mode on from the start, as anyone running an unpacked build has
     * it: Chromium 156 disables an unpacked extension that reloads itself while it is off.
     */
    developerMode?: boolean;
  } = {},
): Promise<BrowserContext> {
  if (options.developerMode) return withDeveloperMode((profile) => launch(extensionDir, options, profile));
  return launch(extensionDir, options, '');
}

/** A new profile whose preferences already say Developer mode; removed when the browser closes. */
async function withDeveloperMode(launchIn: (profile: string) => Promise<BrowserContext>): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'precis-profile-'));
  await mkdir(join(profile, 'Default'));
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
  const context = await launchIn(profile).catch(async (err: unknown) => {
    await rm(profile, { recursive: true, force: true });
    throw err;
  });
  context.on('close', () => void rm(profile, { recursive: true, force: true }).catch(() => {}));
  return context;
}

function launch(extensionDir: string, options: Parameters<typeof launchWithExtension>[1] & object, profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable,
    headless: true,
    ...(options.locale && { locale: options.locale }),
    ...(options.viewport && { viewport: options.viewport }),
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.locale ? [`--lang=${options.locale}`] : []),
      ...(options.hosts
        ? [
            `--host-resolver-rules=${Object.entries(options.hosts)
              .map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`)
              .join(', ')}`,
            // Test servers present a self-signed certificate for those names.
            '--ignore-certificate-errors',
          ]
        : []),
      ...chromiumArgs,
    ],
  });
}
