/**
 * A platform that accepts connections and never answers: start-up retries
 * against it would take minutes, so a signal must end them.
 *
 * @module
 */

/** The listener's URL, a promise of its first accepted connection, and its disposal. */
export interface HangingPlatform extends Disposable {
  url: string;
  accepted: Promise<void>;
}

/** Listens on a free loopback port and holds every connection open, unanswered. */
export function hangingPlatform(): HangingPlatform {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: Deno.Conn[] = [];
  const accepted = Promise.withResolvers<void>();
  (async () => {
    for await (const connection of listener) {
      connections.push(connection);
      accepted.resolve();
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    accepted: accepted.promise,
    [Symbol.dispose]() {
      listener.close();
      for (const connection of connections) connection.close();
    },
  };
}
