// How Precis runs Chromium everywhere (e2e tests, benchmarks, the demo): Debian's build, headless,
// and quiet on the network, which is closed here (without these flags Chromium floods it with
// refused connections).
import { chromium, type BrowserContext } from '@playwright/test';

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
  } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext('', {
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
