/**
 * What this process remembers about recent messages, so that work already
 * done is not done again: a message whose work was completed is acked on
 * redelivery without calling the vendor; one whose results were published
 * but whose work could not be closed only closes it; a copy that arrives
 * while the original is still in progress (a broker cut makes the broker
 * redeliver it) waits for the original. It also counts how often a message
 * went back to the queue, to bound the retries.
 *
 * Bounded: the oldest entries are forgotten first. A process that crashed
 * remembers nothing, so only a crash between a publish confirm and the ack
 * can still make a message's enrichment run twice.
 *
 * @module
 */

/** What is left to do for a message a previous delivery already handled. */
export type Remembered =
  | { state: "completed" }
  | { state: "close_pending"; message: string; inError: boolean };

interface Entry {
  remembered?: Remembered;
  requeues: number;
  running?: Promise<void>;
}

/** Default number of messages remembered. */
export const DEFAULT_MEMORY_SIZE = 10_000;

/** Recent messages by key (work id, playbook step, or a digest of the body). */
export class WorkMemory {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;

  /** Remembers at most `capacity` messages. */
  constructor(capacity = DEFAULT_MEMORY_SIZE) {
    this.#capacity = capacity;
  }

  /** Number of messages remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Marks `key` as in progress and returns a function that ends it. If an
   * earlier delivery of the same key is still in progress, waits for it
   * first, so two copies never run at once.
   */
  async begin(key: string): Promise<() => void> {
    for (let entry = this.#entries.get(key); entry?.running; entry = this.#entries.get(key)) {
      await entry.running;
    }
    const entry = this.#touch(key);
    const { promise, resolve } = Promise.withResolvers<void>();
    entry.running = promise;
    return () => {
      if (entry.running === promise) delete entry.running;
      resolve();
    };
  }

  /** What a previous delivery left, if anything. */
  recall(key: string): Remembered | undefined {
    return this.#entries.get(key)?.remembered;
  }

  /** Records what a delivery achieved. */
  remember(key: string, remembered: Remembered): void {
    this.#touch(key).remembered = remembered;
  }

  /** Counts one more requeue of `key`; returns the count. */
  requeued(key: string): number {
    const entry = this.#touch(key);
    entry.requeues += 1;
    return entry.requeues;
  }

  /** How many times `key` went back to the queue. */
  requeues(key: string): number {
    return this.#entries.get(key)?.requeues ?? 0;
  }

  #touch(key: string): Entry {
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
    } else {
      entry = { requeues: 0 };
    }
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#capacity) this.#evict();
    return entry;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#capacity) return;
      if (!entry.running) this.#entries.delete(key);
    }
  }
}

/** A short, stable digest of a message body (two 32-bit FNV-1a passes), for messages with no work id. */
export function bodyDigest(body: Uint8Array): string {
  let first = 0x811c9dc5;
  let second = 0x050c5d1f;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index]!;
    first = Math.imul(first ^ byte, 0x01000193) >>> 0;
    second = Math.imul(second ^ byte ^ (index & 0xff), 0x01000193) >>> 0;
  }
  return `${body.length}:${first.toString(16)}${second.toString(16)}`;
}
