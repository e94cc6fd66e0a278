// The browsers a Playwright worker hands from a passed test to the next, one per launch setting
// (locale, colour scheme): a launch is most of a short test's CPU on two cores, so the next test
// with the same setting resets the extension in a kept browser instead of launching another.

export interface Closable {
  close(): Promise<void>;
}

export class BrowserPool<B extends Closable> {
  private readonly kept = new Map<string, B>();

  /** The browser kept for `key`, now the caller's; undefined if there is none. */
  take(key: string): B | undefined {
    const browser = this.kept.get(key);
    this.kept.delete(key);
    return browser;
  }

  /** Hands on a passed test's browser (closing any already kept for `key`). */
  async keep(key: string, browser: B): Promise<void> {
    await this.kept.get(key)?.close();
    this.kept.set(key, browser);
  }

  /** Closes every kept browser (the worker is done). */
  async close(): Promise<void> {
    for (const browser of this.kept.values()) await browser.close();
    this.kept.clear();
  }
}
