/**
 * A TCP port free on 127.0.0.1 right now, for listeners a child process binds.
 *
 * @module
 */

/** Binds port 0, notes the port the kernel chose, and releases it. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}
