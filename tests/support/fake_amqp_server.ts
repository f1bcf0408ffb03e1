/**
 * A fake AMQP 0-9-1 server that speaks just enough of the protocol to break
 * a client's handshake: it reads the protocol header, answers with a
 * Connection.Start frame, then closes or resets the connection before the
 * client's Start-Ok (or reads the Start-Ok and refuses the login with a
 * Connection.Close whose text repeats the credentials, as a careless broker
 * or proxy might). Connections it is not told to break are relayed to a real
 * broker, so a client can connect, lose its connection, go through broken
 * handshakes and reconnect.
 *
 * @module
 */

import * as net from "node:net";
import { type CutKind, endSocket, listenLoopback } from "./tcp_proxy.ts";

/**
 * How a handshake is broken: cut after Connection.Start, a Start frame that
 * does not parse (wrong frame-end octet; the connection stays open), or a
 * refusal echoing the login.
 */
export type HandshakeBreak = CutKind | "corrupt_frame" | "refuse_echoing_login";

/** A running fake server. */
export interface FakeAmqpServer {
  /** The port to connect to. */
  readonly port: number;
  /** Resolves once listening. */
  readonly ready: Promise<void>;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections open now. */
  readonly connections: number;
  /** Handshakes broken so far. */
  readonly brokenHandshakes: number;
  /** Breaks the handshake of each of the next `count` connections, ending it with `how`. */
  breakNext(count: number, how: HandshakeBreak): void;
  /** Relays each of the next `count` connections only after `ms`: their handshake stays under way that long. */
  holdNext(count: number, ms: number): void;
  /** Drops every open connection; returns how many. */
  cutAll(): number;
  /** Stops listening and drops everything. */
  close(): Promise<void>;
}

/** Options of {@link startFakeAmqpServer}. */
export interface FakeAmqpServerOptions {
  /** Relay connections not broken to this broker port; without it every handshake is broken. */
  relayTo?: number;
  /** How a handshake is broken when none is scripted and there is no relay (default `reset`). */
  how?: HandshakeBreak;
}

/** What the server does with one connection. */
type Answer = { break: HandshakeBreak } | { relayAfterMs: number };

/** The AMQP 0-9-1 protocol header a client opens with. */
const PROTOCOL_HEADER = new Uint8Array([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

/** Starts the server on a free loopback port. */
export function startFakeAmqpServer(options: FakeAmqpServerOptions = {}): FakeAmqpServer {
  const scripted: Answer[] = [];
  const fallback: Answer = options.relayTo === undefined
    ? { break: options.how ?? "reset" }
    : { relayAfterMs: 0 };
  let accepted = 0;
  let broken = 0;
  const server = listenLoopback((client) => {
    accepted++;
    const answer = scripted.shift() ?? fallback;
    if ("relayAfterMs" in answer) {
      const upstream = net.connect({ host: "127.0.0.1", port: options.relayTo! });
      server.pair(client, upstream);
      // Until piped, what the client sends waits in its socket.
      const relay = () => {
        client.pipe(upstream);
        upstream.pipe(client);
      };
      if (answer.relayAfterMs === 0) return relay();
      const timer = setTimeout(relay, answer.relayAfterMs);
      client.once("close", () => clearTimeout(timer));
      return;
    }
    server.pair(client);
    client.once("data", (header: Uint8Array) => {
      // A server that does not speak the client's protocol answers with its own header.
      if (!sameBytes(header.subarray(0, 8), PROTOCOL_HEADER)) {
        client.end(PROTOCOL_HEADER);
        return;
      }
      broken++;
      if (answer.break === "refuse_echoing_login") {
        client.write(connectionStart());
        client.once("data", (startOk: Uint8Array) => {
          const login = plainLogin(startOk);
          client.write(connectionClose(403, `ACCESS_REFUSED - login ${login} refused`));
        });
        return;
      }
      const how = answer.break;
      if (how === "corrupt_frame") {
        const frame = connectionStart();
        frame[frame.length - 1] = 0;
        client.write(frame);
        return;
      }
      client.write(connectionStart(), () => endSocket(client, how));
    });
  });
  return {
    port: server.port,
    ready: server.ready,
    get accepted() {
      return accepted;
    },
    get connections() {
      return server.connections;
    },
    get brokenHandshakes() {
      return broken;
    },
    breakNext(count, how) {
      for (let i = 0; i < count; i++) scripted.push({ break: how });
    },
    holdNext(count, ms) {
      if (options.relayTo === undefined) throw new Error("holdNext() needs the relayTo option");
      for (let i = 0; i < count; i++) scripted.push({ relayAfterMs: ms });
    },
    cutAll: () => server.destroyAll(),
    close: () => server.close(),
  };
}

/**
 * A Connection.Start method frame (class 10, method 10): version 0-9, no
 * server properties, mechanism PLAIN, locale en_US.
 */
export function connectionStart(): Uint8Array {
  const payload = new Frame()
    .u16(10).u16(10).u8(0).u8(9).u32(0).longString("PLAIN").longString("en_US")
    .bytes();
  return new Frame().u8(1).u16(0).u32(payload.length).raw(payload).u8(0xce).bytes();
}

/** A Connection.Close method frame (class 10, method 50) with a reply code and text. */
export function connectionClose(code: number, text: string): Uint8Array {
  const reply = new TextEncoder().encode(text).subarray(0, 255);
  const payload = new Frame().u16(10).u16(50).u16(code).u8(reply.length).raw(reply).u16(0).u16(0)
    .bytes();
  return new Frame().u8(1).u16(0).u32(payload.length).raw(payload).u8(0xce).bytes();
}

/** A big-endian byte writer. */
class Frame {
  readonly #bytes: number[] = [];

  u8(value: number): this {
    this.#bytes.push(value & 0xff);
    return this;
  }

  u16(value: number): this {
    return this.u8(value >> 8).u8(value);
  }

  u32(value: number): this {
    return this.u16(value >>> 16).u16(value & 0xffff);
  }

  raw(bytes: Uint8Array): this {
    this.#bytes.push(...bytes);
    return this;
  }

  longString(text: string): this {
    const bytes = new TextEncoder().encode(text);
    return this.u32(bytes.length).raw(bytes);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.#bytes);
  }
}

/** `user:password` from a Start-Ok frame's PLAIN response (`\0user\0password`). */
function plainLogin(startOk: Uint8Array): string {
  const mechanism = new Uint8Array([5, ...new TextEncoder().encode("PLAIN")]);
  for (let at = 0; at + mechanism.length + 4 <= startOk.length; at++) {
    if (!sameBytes(startOk.subarray(at, at + mechanism.length), mechanism)) continue;
    const start = at + mechanism.length;
    const size = new DataView(startOk.buffer, startOk.byteOffset + start, 4).getUint32(0);
    const response = new TextDecoder().decode(startOk.subarray(start + 4, start + 4 + size));
    return response.split("\0").slice(1).join(":");
  }
  return "?";
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
