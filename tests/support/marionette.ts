// A client for Firefox's Marionette protocol, the one way here to drive Firefox's extension pages.
// Written by hand because nothing maintained does it: WebDriver BiDi (puppeteer, the only Node
// driver that reaches Firefox here) hides moz-extension:// contexts and refuses to navigate to them;
// geckodriver, which the WebDriver libraries need, is neither in Debian nor downloadable here.
// The protocol is small: `<length>:<JSON>` frames, commands `[0, id, name, params]`, replies
// `[1, id, error, result]`, and WebDriver's commands under their Marionette names.
import net from 'node:net';

/** WebDriver's key for an element reference, as scripts receive and return them. */
const elementKey = 'element-6066-11e4-a52e-4f735466cecf';
const shadowKey = 'shadow-6066-11e4-a52e-4f735466cecf';

export interface ElementRef {
  [elementKey]: string;
}
interface ShadowRef {
  [shadowKey]: string;
}

export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`${command}: ${error}: ${message}`);
  }
}

export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void; name: string }>();

  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    // A socket error is followed by 'close', which settles what waits.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const { reject, name } of this.pending.values()) reject(new MarionetteError(name, 'closed', 'Firefox closed the connection'));
      this.pending.clear();
    });
  }

  static async connect(port: number): Promise<Marionette> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        resolve();
      });
    });
    const client = new Marionette(socket);
    await client.command('WebDriver:NewSession', { capabilities: { alwaysMatch: { 'moz:webdriverClick': true } } });
    return client;
  }

  private receive(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as unknown;
      this.buffer = this.buffer.subarray(colon + 1 + length);
      // The first frame is the server's greeting, not a reply.
      if (!Array.isArray(message)) continue;
      const [, id, error, result] = message as [1, number, { error: string; message: string } | null, unknown];
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (!waiter) continue;
      if (error) waiter.reject(new MarionetteError(waiter.name, error.error, error.message));
      else waiter.resolve(result);
    }
  }

  command<T = unknown>(name: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new MarionetteError(name, 'closed', 'Firefox closed the connection'));
    const id = ++this.nextId;
    const frame = JSON.stringify([0, id, name, params]);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, name });
      this.socket.write(`${Buffer.byteLength(frame)}:${frame}`);
    });
  }

  private async value<T>(name: string, params: Record<string, unknown> = {}): Promise<T> {
    // Most replies wrap their value in `{ value }`; some (the window handles) are the value itself.
    const reply = await this.command<{ value: T } | T>(name, params);
    return reply !== null && typeof reply === 'object' && 'value' in reply ? reply.value : (reply as T);
  }

  /**
   * Runs `fn` in the current context (a page, a frame, or the browser's chrome) and returns what it
   * returns, promises awaited. Arguments and results cross as JSON, elements as references.
   */
  execute<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    return this.executeScript(`return (${fn.toString()}).apply(null, arguments);`, args);
  }

  /** Runs a script body (`arguments` holds `args`); what it returns, promises awaited. */
  executeScript<R>(script: string, args: unknown[] = []): Promise<R> {
    return this.value<R>('WebDriver:ExecuteScript', { script, args });
  }

  setContext(context: 'chrome' | 'content') {
    return this.command('Marionette:SetContext', { value: context });
  }

  /** Runs `fn` in the browser's chrome (privileged), then returns to page content. */
  async inChrome<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    await this.setContext('chrome');
    try {
      return await this.execute(fn, ...args);
    } finally {
      await this.setContext('content');
    }
  }

  navigate(url: string) {
    return this.command('WebDriver:Navigate', { url });
  }
  url() {
    return this.value<string>('WebDriver:GetCurrentURL');
  }
  handles() {
    return this.value<string[]>('WebDriver:GetWindowHandles');
  }
  /** Commands go to that tab from now on; `focus: false` leaves the selected tab as it is. */
  switchToWindow(handle: string, { focus = true }: { focus?: boolean } = {}) {
    return this.command('WebDriver:SwitchToWindow', { handle, focus });
  }
  /** A new tab, made current. */
  async newTab(): Promise<string> {
    const { handle } = await this.command<{ handle: string }>('WebDriver:NewWindow', { type: 'tab' });
    await this.switchToWindow(handle);
    return handle;
  }
  closeWindow() {
    return this.command('WebDriver:CloseWindow');
  }
  /** Into a frame (by its element), or back to the top document with null. */
  switchToFrame(frame: ElementRef | null) {
    return this.command('WebDriver:SwitchToFrame', frame ? { element: frame[elementKey] } : {});
  }

  find(css: string, within?: ElementRef | ShadowRef): Promise<ElementRef> {
    if (!within) return this.value('WebDriver:FindElement', { using: 'css selector', value: css });
    if (shadowKey in within) return this.value('WebDriver:FindElementFromShadowRoot', { shadowRoot: within[shadowKey], using: 'css selector', value: css });
    return this.value('WebDriver:FindElement', { element: within[elementKey], using: 'css selector', value: css });
  }
  shadowRoot(host: ElementRef): Promise<ShadowRef> {
    return this.value('WebDriver:GetShadowRoot', { id: host[elementKey] });
  }
  /** A click as a user makes one: scrolled into view, hit-tested, real pointer events. */
  click(element: ElementRef) {
    return this.command('WebDriver:ElementClick', { id: element[elementKey] });
  }
  /** Types into the element with real key events (`\uE007` is Enter). */
  type(element: ElementRef, text: string) {
    return this.command('WebDriver:ElementSendKeys', { id: element[elementKey], text });
  }
  clear(element: ElementRef) {
    return this.command('WebDriver:ElementClear', { id: element[elementKey] });
  }
  /** The current context's PNG screenshot. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.value<string>('WebDriver:TakeScreenshot', { full: false, hash: false }), 'base64');
  }
  installAddon(path: string) {
    return this.value<string>('Addon:Install', { path, temporary: true });
  }
  async quit() {
    await this.command('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => {});
    this.close();
  }
  close() {
    this.socket.destroy();
  }
}

export const Keys = { enter: '\uE007' } as const;
