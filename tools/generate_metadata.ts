// deno-lint-ignore-file no-console
/**
 * `deno task metadata`: writes the generated `__metadata__` files and the
 * README settings table. A test fails when the committed copies are stale.
 *
 * @module
 */

import { VENDORS } from "../lib/vendors/mod.ts";
import { formattedOutputs } from "./metadata.ts";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));
for (const [path, content] of await formattedOutputs(VENDORS, readme)) {
  const url = new URL(path, root);
  if (path.includes("/")) await Deno.mkdir(new URL("./", url), { recursive: true });
  await Deno.writeTextFile(url, content);
  console.log(`wrote ${path}`);
}
