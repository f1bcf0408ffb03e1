/**
 * The messages being processed right now, so a graceful stop can wait for
 * them with a deadline. A tracked task never rejects here: its own handler
 * settles the message.
 *
 * @module
 */

/** A set of running tasks that can be waited for with a deadline. */
export class InFlight {
  readonly #tasks = new Set<Promise<void>>();

  /** Tasks running now. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Runs `task` as one in-flight message until it settles, either way. */
  async track(task: Promise<unknown>): Promise<void> {
    const done = task.then(() => {}, () => {});
    this.#tasks.add(done);
    try {
      await done;
    } finally {
      this.#tasks.delete(done);
    }
  }

  /**
   * True once every task, including those started while waiting, has
   * settled; false when `timeoutMs` passes first.
   */
  async settled(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const all = (async () => {
      while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
      return true as const;
    })();
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
