/**
 * Redirects, followed by hand. The API key travels in a request header, and
 * the runtime strips only `Authorization` when a redirect leaves the origin:
 * a custom header such as Silent Push's `x-api-key` would follow a 30x to any
 * host, and that host's answer would be imported as enrichment data. So every
 * request is sent with `redirect: "manual"`; a redirect within the configured
 * origin (same scheme, host and port) is followed at most
 * {@link MAX_REDIRECTS} times, and one to another origin never is.
 *
 * @module
 */

import { discard } from "./_body.ts";

/** The statuses that are followed (GET stays GET for every one of them). */
const FOLLOWED = new Set([301, 302, 303, 307, 308]);

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 3;

/** Why a redirect was not followed. */
export class RedirectRefused extends Error {
  /** `foreign`: to another origin; `loop`: more than {@link MAX_REDIRECTS}; `no_location`: nowhere to go. */
  readonly reason: "foreign" | "loop" | "no_location";
  /** The origin it pointed to (never its path or query, which may echo anything). */
  readonly target: string | undefined;
  /** The status of the redirect. */
  readonly status: number;

  /** Builds the refusal. */
  constructor(reason: "foreign" | "loop" | "no_location", status: number, target?: string) {
    super(`redirect not followed: ${reason}`);
    this.reason = reason;
    this.status = status;
    this.target = target;
  }
}

/** What {@link fetchWithinOrigin} needs besides the URL. */
export interface HopOptions {
  /** The only origin redirects may lead to. */
  origin: string;
  /** Sends one request. */
  fetch: typeof fetch;
  /** Sent with every hop. */
  init: RequestInit;
  /** Runs before each redirect is followed (the rate limit: every hop is a request). */
  beforeRedirect?: () => Promise<void>;
  /** Sees the status of each hop. */
  onStatus?: (status: number) => void;
}

/** GETs `url`, following same-origin redirects; throws {@link RedirectRefused} for any other. */
export async function fetchWithinOrigin(url: URL, options: HopOptions): Promise<Response> {
  let current = url;
  for (let hop = 0;; hop++) {
    if (hop > 0) await options.beforeRedirect?.();
    const response = await options.fetch(current, { ...options.init, redirect: "manual" });
    options.onStatus?.(response.status);
    if (!FOLLOWED.has(response.status)) return response;
    await discard(response);
    const location = response.headers.get("location");
    const next = location ? parseLocation(location, current) : undefined;
    if (!next) throw new RedirectRefused("no_location", response.status);
    if (next.origin !== options.origin) {
      throw new RedirectRefused("foreign", response.status, next.origin);
    }
    if (hop >= MAX_REDIRECTS) throw new RedirectRefused("loop", response.status);
    current = next;
  }
}

function parseLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
