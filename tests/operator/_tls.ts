/**
 * An HTTPS server whose certificate is signed by a private CA made for the
 * test with `openssl`, as a platform behind a company CA is: a client that
 * does not trust that CA fails the handshake.
 *
 * @module
 */

/** A running HTTPS server and the PEM of the CA that signed its certificate. */
export interface PrivateCaServer extends AsyncDisposable {
  /** `https://localhost:<port>`. */
  readonly url: string;
  /** The CA certificate (PEM). */
  readonly caPem: string;
  /** Where the CA certificate is on disk. */
  readonly caPath: string;
}

/** Makes a CA and a server certificate for localhost, and serves HTTPS with it. */
export async function privateCaServer(): Promise<PrivateCaServer> {
  const dir = await Deno.makeTempDir({ prefix: "opencti-enrich-tls-" });
  const run = async (args: string[]) => {
    const output = await new Deno.Command("openssl", { args, cwd: dir, stdin: "null" }).output();
    if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  };
  await run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=Operator Test Private CA/O=Example Corp",
  ]);
  await run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=localhost",
  ]);
  await Deno.writeTextFile(`${dir}/san.ext`, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await run([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    "server.pem",
    "-extfile",
    "san.ext",
  ]);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(`${dir}/server.pem`),
    key: await Deno.readTextFile(`${dir}/server.key`),
    onListen: () => {},
  }, () => Response.json({ data: { about: { version: "6.8.10" } } }));
  return {
    url: `https://localhost:${server.addr.port}`,
    caPem: await Deno.readTextFile(`${dir}/ca.pem`),
    caPath: `${dir}/ca.pem`,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
