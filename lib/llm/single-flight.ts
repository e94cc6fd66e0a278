// Identical requests in flight at the same time share one upstream call. Each caller gets every
// delta (a late joiner first gets the text so far), its own statuses, and can leave on its own;
// the upstream is cancelled only when the last caller leaves.

import { errors } from './errors';
import type { ClientStatus } from './types';

export interface FlightHooks {
  /** Aborts when every caller has left. */
  signal: AbortSignal;
  delta(text: string): void;
  status(status: ClientStatus): void;
}

export interface FlightCaller {
  signal?: AbortSignal | undefined;
  onDelta?: ((text: string) => void) | undefined;
  onStatus?: ((status: ClientStatus) => void) | undefined;
}

interface Member<T> {
  caller: FlightCaller;
  resolve(value: T): void;
  reject(error: unknown): void;
  leave(): void;
}

interface Flight<T> {
  text: string;
  status: ClientStatus | undefined;
  members: Set<Member<T>>;
  controller: AbortController;
}

/** One caller's callback throwing must not break the stream for the others. */
function call<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  if (fn === undefined) return;
  try {
    fn(arg);
  } catch {
    // The caller's bug; the shared stream goes on.
  }
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  get size(): number {
    return this.flights.size;
  }

  run(key: string, caller: FlightCaller, start: (hooks: FlightHooks) => Promise<T>): Promise<T> {
    if (caller.signal?.aborted) return Promise.reject(errors.aborted());
    const existing = this.flights.get(key);
    const flight: Flight<T> = existing ?? {
      text: '',
      status: undefined,
      members: new Set(),
      controller: new AbortController(),
    };

    const result = new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        flight.members.delete(member);
        member.leave();
        reject(errors.aborted());
        if (flight.members.size === 0) {
          // Nobody wants it any more: a newcomer must not join a flight that is being cancelled.
          if (this.flights.get(key) === flight) this.flights.delete(key);
          flight.controller.abort(errors.aborted());
        }
      };
      const member: Member<T> = {
        caller,
        resolve,
        reject,
        leave: () => caller.signal?.removeEventListener('abort', onAbort),
      };
      flight.members.add(member);
      caller.signal?.addEventListener('abort', onAbort, { once: true });
    });

    if (existing !== undefined) {
      if (flight.status !== undefined) call(caller.onStatus, flight.status);
      if (flight.text !== '') call(caller.onDelta, flight.text);
      return result;
    }

    this.flights.set(key, flight);
    const hooks: FlightHooks = {
      signal: flight.controller.signal,
      delta: (text) => {
        flight.text += text;
        for (const member of flight.members) call(member.caller.onDelta, text);
      },
      status: (status) => {
        flight.status = status;
        for (const member of flight.members) call(member.caller.onStatus, status);
      },
    };
    const settle = (finish: (member: Member<T>) => void): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
      for (const member of flight.members) {
        member.leave();
        finish(member);
      }
      flight.members.clear();
    };
    let started: Promise<T>;
    try {
      started = start(hooks);
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(
      (value) => settle((m) => m.resolve(value)),
      (error: unknown) => settle((m) => m.reject(error)),
    );
    return result;
  }
}
