/**
 * A Playwright fixture the whole worker shares (a server, a pool of browsers): started before its
 * first test, closed after its last.
 */
export function workerFixture<T extends { close(): Promise<void> }>(start: () => T | Promise<T>): [(args: object, use: (value: T) => Promise<void>) => Promise<void>, { scope: 'worker' }] {
  return [
    async ({}, use) => {
      const value = await start();
      await use(value);
      await value.close();
    },
    { scope: 'worker' },
  ];
}
