/**
 * Reading the TLS material a configuration names (a CA bundle, the broker's
 * client certificate and key), so a missing or unreadable file is reported
 * with the other configuration problems, naming its setting, before anything
 * is contacted.
 *
 * @module
 */

/** Reads a text file; the loader's only access to the file system besides config.yml. */
export type ReadTextFile = (path: string) => Promise<string>;

/** The PEM text, or why it cannot be had (a sentence without the value when it is secret). */
export type PemResult = { ok: true; pem: string } | { ok: false; problem: string };

const PEM_BEGIN = "-----BEGIN";

/** True when `value` is PEM text rather than a path. */
export function isPem(value: string): boolean {
  return value.trimStart().startsWith(PEM_BEGIN);
}

/**
 * Reads the PEM file at `path`. `expect` is the PEM block the file must hold
 * (e.g. `CERTIFICATE`); `what` names the file in problems ("the CA bundle").
 */
export async function readPemFile(
  path: string,
  options: { what: string; expect?: string; secret?: boolean; readFile: ReadTextFile },
): Promise<PemResult> {
  const shown = options.secret ? options.what : `${options.what} "${path}"`;
  let text: string;
  try {
    text = await options.readFile(path);
  } catch (error) {
    return { ok: false, problem: `cannot read ${shown}: ${readFailure(error)}` };
  }
  const block = options.expect ? `${PEM_BEGIN} ${options.expect}` : PEM_BEGIN;
  if (!text.includes(block)) {
    const wanted = options.expect ? `PEM ${options.expect.toLowerCase()}` : "PEM text";
    return { ok: false, problem: `cannot use ${shown}: it holds no ${wanted} ("${block}-----")` };
  }
  return { ok: true, pem: text };
}

function readFailure(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return "permission denied";
  }
  if (error instanceof Error && /Is a directory|os error 21/i.test(error.message)) {
    return "it is a directory";
  }
  return error instanceof Error ? error.message : String(error);
}
