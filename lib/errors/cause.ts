/**
 * What really went wrong when a connection failed. Deno's `fetch` throws
 * `TypeError("fetch failed")` and keeps the reason (refused, DNS, certificate,
 * TLS on a plain port, …) in `error.cause`; this reads the whole cause chain
 * and names the failure in words an operator can act on.
 *
 * @module
 */

/** The kinds of connection failure worth telling apart. */
export type ConnectionFailureKind =
  | "refused"
  | "dns"
  | "certificate"
  | "tls_mismatch"
  | "reset"
  | "timeout"
  | "blocked"
  | "unknown";

/** A connection failure, described. */
export interface ConnectionFailure {
  /** What kind of failure it is. */
  kind: ConnectionFailureKind;
  /** One phrase naming the cause, e.g. `connection refused` or `certificate not trusted (UnknownIssuer)`. */
  reason: string;
  /** True when the same request may work later (refused, DNS, reset, timeout); false for a configuration problem. */
  transient: boolean;
  /** The innermost message the runtime gave. */
  detail: string;
}

const RULES: ReadonlyArray<{
  kind: ConnectionFailureKind;
  pattern: RegExp;
  reason: (match: RegExpMatchArray) => string;
  transient: boolean;
}> = [
  {
    kind: "certificate",
    pattern:
      /invalid peer certificate:?\s*([^\n]*)|certificate (?:verify failed|has expired|is not valid)[^\n]*|UnknownIssuer|self[- ]signed certificate/i,
    reason: (m) => `certificate not trusted${m[1] ? ` (${certificateDetail(m[1])})` : ""}`,
    transient: false,
  },
  {
    kind: "tls_mismatch",
    pattern: /received corrupt message|InvalidContentType|wrong version number/i,
    reason: () => "the server does not speak TLS on this port (use http:// or the TLS port)",
    transient: false,
  },
  {
    kind: "tls_mismatch",
    pattern: /invalid HTTP version parsed|HTTP\/0\.9/i,
    reason: () => "the server expects TLS on this port (use https://)",
    transient: false,
  },
  {
    kind: "dns",
    pattern:
      /dns error|failed to lookup address|Name or service not known|nodename nor servname|No address associated|Temporary failure in name resolution|getaddrinfo/i,
    reason: () => "the host name does not resolve (DNS lookup failed)",
    transient: true,
  },
  {
    kind: "refused",
    pattern: /Connection refused|ECONNREFUSED|os error 111/i,
    reason: () => "connection refused (nothing listens on that host and port)",
    transient: true,
  },
  {
    kind: "blocked",
    pattern: /Requests to port \d+ are blocked/i,
    reason: () => "the runtime refuses requests to this port",
    transient: false,
  },
  {
    kind: "timeout",
    pattern: /timed out|TimeoutError|deadline/i,
    reason: () => "timed out",
    transient: true,
  },
  {
    kind: "reset",
    pattern:
      /connection (?:closed|reset)|socket closed unexpectedly|ECONNRESET|broken pipe|unexpected eof|tls handshake eof|os error 104/i,
    reason: () => "the connection was closed by the other side",
    transient: true,
  },
];

/** Describes a failed request or connection from its whole cause chain. */
export function describeConnectionFailure(error: unknown): ConnectionFailure {
  const messages = causeMessages(error);
  const detail = messages.at(-1) ?? "unknown failure";
  if (messages.length === 0 || isTimeout(error)) {
    if (isTimeout(error)) return { kind: "timeout", reason: "timed out", transient: true, detail };
  }
  const text = messages.join("\n");
  for (const rule of RULES) {
    const match = text.match(rule.pattern);
    if (match) {
      return { kind: rule.kind, reason: rule.reason(match), transient: rule.transient, detail };
    }
  }
  return { kind: "unknown", reason: tail(detail), transient: true, detail };
}

/** The message of `error` and of every `cause` below it, outermost first (at most 8 levels). */
export function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      if (current.message) messages.push(current.message);
      current = current.cause;
    } else {
      messages.push(String(current));
      break;
    }
  }
  return messages;
}

function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current.name === "TimeoutError") return true;
    current = current.cause;
  }
  return false;
}

/** `error sending request for url (…): client error (Connect): tcp connect error: X` → `tcp connect error: X`. */
function tail(message: string): string {
  const parts = message.split(/\):\s+/);
  return (parts.at(-1) ?? message).trim();
}

function certificateDetail(raw: string): string {
  if (/not valid for name/i.test(raw)) return "NotValidForName";
  const known = raw.match(
    /UnknownIssuer|Expired|NotValidForName|CaUsedAsEndEntity|BadSignature|Revoked|NotValidYet/,
  );
  return known ? known[0] : raw.trim().slice(0, 80);
}
