/**
 * A loopback TCP proxy whose connections can be cut on demand, to break the
 * connector's broker connection mid-stream in resilience tests. It can also
 * cut the next connections in the middle of the AMQP handshake: forward the
 * broker's first frames, then reset, as a flaky network or a load balancer
 * does while a client reconnects.
 *
 * Written on `node:net` because only its sockets can send a TCP reset
 * (`resetAndDestroy()`); a closed `Deno.Conn` ends with a FIN. Its listener
 * binds asynchronously, so the port is picked first and `ready` resolves once
 * it is bound (a connection made earlier would be refused).
 *
 * @module
 */

import * as net from "node:net";
import { freePort } from "./ports.ts";

/** How a cut ends the client's connection: a TCP reset, or an orderly close (FIN). */
export type CutKind = "reset" | "close";

/** Options of {@link TcpProxy.cutHandshakes}. */
export interface HandshakeCutOptions {
  /** Broker frames forwarded before the cut: 1 = Connection.Start, 2 = Tune, 3 = Open-Ok. */
  afterFrames: number;
  /** A TCP reset (default) or an orderly close. */
  how?: CutKind;
}

/** A running proxy. */
export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Resolves once the proxy listens on {@link port}. */
  readonly ready: Promise<void>;
  /** Open client connections. */
  readonly connections: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Handshake cuts made so far (see {@link cutHandshakes}). */
  readonly handshakeCuts: number;
  /** Drops every open connection; returns how many. */
  cutAll(): number;
  /** Refuses (drops at once) new connections while true. */
  setRefusing(refusing: boolean): void;
  /** Cuts each of the next `count` connections after the broker's first frames. */
  cutHandshakes(count: number, options: HandshakeCutOptions): void;
  /** Stops listening and drops everything. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 forwarding to `targetHost:targetPort`. */
export function startTcpProxy(
  options: { targetHost?: string; targetPort: number },
): TcpProxy {
  const pendingCuts: Array<Required<HandshakeCutOptions>> = [];
  let refusing = false;
  let accepted = 0;
  let handshakeCuts = 0;
  const server = listenLoopback((client) => {
    accepted++;
    if (refusing) {
      server.pair(client);
      client.destroy();
      return;
    }
    const upstream = net.connect({
      host: options.targetHost ?? "127.0.0.1",
      port: options.targetPort,
    });
    server.pair(client, upstream);
    client.pipe(upstream);
    const cut = pendingCuts.shift();
    if (!cut) {
      upstream.pipe(client);
      return;
    }
    forwardFrames(upstream, client, cut.afterFrames, () => {
      handshakeCuts++;
      endSocket(client, cut.how);
      upstream.destroy();
    });
  });
  return {
    port: server.port,
    ready: server.ready,
    get connections() {
      return server.connections;
    },
    get accepted() {
      return accepted;
    },
    get handshakeCuts() {
      return handshakeCuts;
    },
    cutAll: () => server.destroyAll(),
    setRefusing(value) {
      refusing = value;
    },
    cutHandshakes(count, cutOptions) {
      for (let i = 0; i < count; i++) {
        pendingCuts.push({ afterFrames: cutOptions.afterFrames, how: cutOptions.how ?? "reset" });
      }
    },
    close: () => server.close(),
  };
}

/** A `node:net` server on 127.0.0.1 that keeps track of its connections. */
export interface LoopbackServer {
  /** The port it listens on (chosen before binding). */
  readonly port: number;
  /** Resolves once bound. */
  readonly ready: Promise<void>;
  /** Open connections (a pair counts once). */
  readonly connections: number;
  /** Tracks a connection, or a client socket and the one it is relayed to: when one ends, both do. */
  pair(socket: net.Socket, partner?: net.Socket): void;
  /** Destroys every tracked connection; returns how many there were. */
  destroyAll(): number;
  /** Stops listening, destroys every connection and waits until they are closed. */
  close(): Promise<void>;
}

/** Listens on a free loopback port; `onConnection` gets each accepted socket. */
export function listenLoopback(onConnection: (socket: net.Socket) => void): LoopbackServer {
  const open = new Map<net.Socket[], Promise<void>>();
  const server = net.createServer(onConnection);
  const port = freePort();
  const ready = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Awaited by whoever needs it; a failure to bind must not go unhandled meanwhile.
  ready.catch(() => {});
  const destroyAll = () => {
    const count = open.size;
    for (const sockets of open.keys()) for (const socket of sockets) socket.destroy();
    return count;
  };
  return {
    port,
    ready,
    get connections() {
      return open.size;
    },
    pair(socket, partner) {
      const sockets = partner ? [socket, partner] : [socket];
      let remaining = sockets.length;
      const closed = Promise.withResolvers<void>();
      open.set(sockets, closed.promise);
      for (const item of sockets) {
        item.on("error", () => {});
        item.on("close", () => {
          for (const other of sockets) other.destroy();
          if (--remaining > 0) return;
          open.delete(sockets);
          closed.resolve();
        });
      }
    },
    destroyAll,
    async close() {
      await ready.catch(() => {});
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const closing = [...open.values()];
      destroyAll();
      await Promise.all([stopped, ...closing]);
    },
  };
}

/** Ends a socket with a TCP reset or an orderly close. */
export function endSocket(socket: net.Socket, how: CutKind): void {
  if (how === "reset") socket.resetAndDestroy();
  else socket.destroy();
}

/** Size of an AMQP 0-9-1 frame header: type (1), channel (2), payload size (4). */
const FRAME_HEADER = 7;

/**
 * Forwards `from` to `to` frame by frame; after `count` whole frames, stops
 * reading and calls `cut` once they are written.
 */
function forwardFrames(
  from: net.Socket,
  to: net.Socket,
  count: number,
  cut: () => void,
): void {
  let pending: Uint8Array = new Uint8Array(0);
  let forwarded = 0;
  const onData = (chunk: Uint8Array) => {
    pending = concat(pending, chunk);
    while (forwarded < count) {
      const size = frameSize(pending);
      if (size === undefined || pending.length < size) return;
      to.write(pending.subarray(0, size));
      pending = pending.subarray(size);
      forwarded++;
    }
    from.off("data", onData);
    to.write(new Uint8Array(0), () => cut());
  };
  from.on("data", onData);
}

/** The whole size of the frame at the start of `bytes`, once its header has arrived. */
function frameSize(bytes: Uint8Array): number | undefined {
  if (bytes.length < FRAME_HEADER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return FRAME_HEADER + view.getUint32(3) + 1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
