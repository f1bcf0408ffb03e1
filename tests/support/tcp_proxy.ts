/**
 * A loopback TCP proxy whose connections can be cut on demand, to break the
 * connector's broker connection mid-stream in resilience tests.
 *
 * @module
 */

/** A running proxy. */
export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Open client connections. */
  readonly connections: number;
  /** Drops every open connection; returns how many. */
  cutAll(): number;
  /** Refuses (drops at once) new connections while true. */
  setRefusing(refusing: boolean): void;
  /** Stops listening and drops everything. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 forwarding to `targetHost:targetPort`. */
export function startTcpProxy(
  options: { targetHost?: string; targetPort: number },
): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pairs = new Set<
    { client: Deno.Conn; upstream: Deno.Conn | undefined; done: Promise<void> }
  >();
  let refusing = false;
  const closeQuietly = (conn: Deno.Conn | undefined) => {
    try {
      conn?.close();
    } catch {
      // Already closed.
    }
  };
  const accepting = (async () => {
    for await (const client of listener) {
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      const pair = {
        client,
        upstream: undefined as Deno.Conn | undefined,
        done: Promise.resolve(),
      };
      pair.done = (async () => {
        try {
          pair.upstream = await Deno.connect({
            hostname: options.targetHost ?? "127.0.0.1",
            port: options.targetPort,
          });
          await Promise.race([
            pipe(client, pair.upstream),
            pipe(pair.upstream, client),
          ]);
        } catch {
          // A cut or a refused upstream ends the pair.
        } finally {
          closeQuietly(client);
          closeQuietly(pair.upstream);
          pairs.delete(pair);
        }
      })();
      pairs.add(pair);
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get connections() {
      return pairs.size;
    },
    cutAll() {
      const count = pairs.size;
      for (const pair of pairs) {
        closeQuietly(pair.client);
        closeQuietly(pair.upstream);
      }
      return count;
    },
    setRefusing(value) {
      refusing = value;
    },
    async close() {
      listener.close();
      await accepting.catch(() => {});
      for (const pair of pairs) {
        closeQuietly(pair.client);
        closeQuietly(pair.upstream);
      }
      await Promise.all([...pairs].map((pair) => pair.done));
    },
  };
}

async function pipe(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  while (true) {
    const read = await from.read(buffer);
    if (read === null) return;
    let written = 0;
    while (written < read) written += await to.write(buffer.subarray(written, read));
  }
}
