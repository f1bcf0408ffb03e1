// deno-lint-ignore-file no-console
/**
 * `deno task sandbox`: the whole flow on one machine. It starts the fake
 * OpenCTI platform, fake Silent Push and ET Intelligence APIs serving the
 * fixture answers, and a fake worker on the local RabbitMQ; runs the real
 * connector (`main.ts run` with the dev task's permissions, both vendors in
 * one process) as a child process;
 * publishes one enrichment request per supported entity type; waits for each
 * work to complete; and prints what was created, writing `sandbox-report.md`
 * with a mermaid graph per enriched observable.
 *
 * @module
 */

import { stringify } from "yaml";
import { scoId, type StixObject } from "../lib/stix/mod.ts";
import { type FakeEntity, type FakeOpenCti, startFakeOpenCti } from "../tests/fake_opencti/mod.ts";
import { startFakeProofpointEt } from "../tests/fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../tests/fake_vendors/silentpush.ts";
import { programArgs } from "../tests/support/connector_process.ts";
import { enrichmentMessage } from "../tests/support/enrichment_message.ts";
import { startFakeWorker } from "../tests/support/fake_worker.ts";
import { PlatformBroker } from "../tests/support/platform_queues.ts";

const ROOT = new URL("../", import.meta.url);
const SILENTPUSH_ID = "5b1e8f1a-1d7c-4e55-9a55-7a6c9b0e5c01";
const ET_ID = "7c2f9e2b-2e8d-4f66-8b66-8b7d0c1f6d02";

interface Request {
  connector: "silentpush" | "proofpoint-et";
  entityType: string;
  label: string;
  seed: Parameters<FakeOpenCti["addEntity"]>[0];
}

const MD5 = "0123456789abcdef0123456789abcdef";

const REQUESTS: Request[] = [
  valueRequest("silentpush", "IPv4-Addr", "ipv4-addr", "198.51.100.7"),
  valueRequest("silentpush", "IPv6-Addr", "ipv6-addr", "2001:db8::7"),
  valueRequest("silentpush", "Domain-Name", "domain-name", "example-threat.com"),
  valueRequest("silentpush", "Hostname", "hostname", "mail.example-threat.com"),
  valueRequest("silentpush", "Url", "url", "https://example-threat.com/login"),
  request("silentpush", "[ipv4-addr:value = '198.51.100.7']", {
    standard_id: "indicator--7ad3d74b-c761-522d-9359-5e7565a3abb4",
    entity_type: "Indicator",
    name: "Silent Push test indicator",
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: "stix",
  }),
  valueRequest("proofpoint-et", "IPv4-Addr", "ipv4-addr", "198.51.100.7"),
  valueRequest("proofpoint-et", "Domain-Name", "domain-name", "bad.example.org"),
  request("proofpoint-et", `MD5 ${MD5}`, {
    standard_id: scoId("file", { hashes: { MD5 } }),
    entity_type: "StixFile",
    observable_value: MD5,
    stix: {
      type: "file",
      spec_version: "2.1",
      id: scoId("file", { hashes: { MD5 } }),
      hashes: { MD5 },
    },
  }),
];

/** A request for the entity `seed` seeds, shown as `label`. */
function request(connector: Request["connector"], label: string, seed: Request["seed"]): Request {
  return { connector, entityType: seed.entity_type, label, seed };
}

/** A request for the observable of `stixType` with this value. */
function valueRequest(
  connector: Request["connector"],
  entityType: string,
  stixType: string,
  value: string,
): Request {
  return request(connector, value, {
    standard_id: scoId(stixType, { value }),
    entity_type: entityType,
    observable_value: value,
  });
}

async function main(): Promise<number> {
  console.log("opencti-enrich sandbox: fake OpenCTI + local RabbitMQ + fake vendor APIs\n");
  let platform: PlatformBroker;
  try {
    platform = await PlatformBroker.open();
  } catch (error) {
    console.error(
      `RabbitMQ does not answer on 127.0.0.1:5672 (${
        error instanceof Error ? error.message : error
      }). Start it with: rabbitmq-server -detached`,
    );
    return 1;
  }
  const octi = await startFakeOpenCti({ onRegister: (id) => platform.declare(id) });
  const silentpush = startFakeSilentPush();
  const et = startFakeProofpointEt();
  const work = await Deno.makeTempDir({ prefix: "opencti-enrich-sandbox-" });
  const configPath = `${work}/config.yml`;
  const logPath = `${work}/connector.log`;
  const metricsPort = freePort();
  await Deno.writeTextFile(
    configPath,
    stringify({
      opencti: { url: octi.url, token: octi.token },
      connector: {
        log_level: "info",
        concurrency: 8,
        expose_metrics: true,
        metrics_port: metricsPort,
      },
      silentpush: { api_key: silentpush.apiKey, api_base_url: silentpush.url },
      proofpoint_et_intelligence: {
        api_key: et.apiKey,
        api_base_url: et.url,
        // The fixtures are dated; a wide window keeps them all.
        import_last_seen_time_window: "P3650D",
      },
      connectors: [
        { vendor: "silentpush", id: SILENTPUSH_ID, name: "Silent Push - Enrichment" },
        { vendor: "proofpoint-et", id: ET_ID, name: "ProofPoint ET Intelligence" },
      ],
    }),
  );
  const log = await Deno.open(logPath, { write: true, create: true });
  // The real program with deno.json's dev-task permissions, both vendors in one process.
  const child = new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: programArgs(["run", "--config", configPath]),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logging = child.stderr.pipeTo(log.writable);
  let worker: Awaited<ReturnType<typeof startFakeWorker>> | undefined;
  let exitCode = 1;
  try {
    const started = performance.now();
    await waitUntil(() => ready(metricsPort), 30_000, "the connector to be ready");
    worker = await startFakeWorker(octi, [SILENTPUSH_ID, ET_ID]);
    console.log(
      `connector ready in ${Math.round(performance.now() - started)} ms (log: ${logPath})\n`,
    );
    const results: Array<
      { request: (typeof REQUESTS)[number]; entity: FakeEntity; workId: string; began: number }
    > = [];
    for (const request of REQUESTS) {
      const entity = octi.addEntity(request.seed);
      const { body, workId } = enrichmentMessage(octi, entity);
      const began = Date.now();
      await platform.publishEnrichment(
        request.connector === "silentpush" ? SILENTPUSH_ID : ET_ID,
        body,
      );
      results.push({ request, entity, workId, began });
    }
    await waitUntil(
      () => Promise.resolve(results.every((r) => octi.work(r.workId)?.status === "complete")),
      60_000,
      "every work to complete",
    );
    const summaries = results.map((result) => {
      const state = octi.work(result.workId)!;
      const objects = worker?.objects.get(result.workId) ?? [];
      const finished = Date.parse(state.completedTime ?? state.processedTime ?? "") || Date.now();
      return { ...result, state, objects, elapsedMs: Math.max(0, finished - result.began) };
    });
    for (const summary of summaries) printSummary(summary);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const interesting = metrics.split("\n").filter((line) =>
      /^(enrichments_total|bundles_sent_total|vendor_requests_total)/.test(line)
    );
    console.log("\nmetrics:\n  " + interesting.join("\n  "));
    await Deno.writeTextFile(new URL("sandbox-report.md", ROOT), report(summaries, interesting));
    console.log("\nwrote sandbox-report.md (a mermaid graph per enriched observable)");
    const failed = summaries.filter((s) => s.state.errors.length > 0);
    exitCode = failed.length === 0 ? 0 : 1;
    if (failed.length > 0) console.error(`${failed.length} work(s) ended in error`);
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await logging.catch(() => {});
    console.log(`connector stopped on SIGTERM (exit code ${status.code})`);
    if (status.code !== 0) exitCode = 1;
    await worker?.close();
    for (const id of [SILENTPUSH_ID, ET_ID]) await platform.delete(id);
    await platform.close();
    await silentpush.close();
    await et.close();
    await octi.close();
  }
  return exitCode;
}

interface Summary {
  request: Request;
  entity: FakeEntity;
  workId: string;
  state: NonNullable<ReturnType<FakeOpenCti["work"]>>;
  objects: StixObject[];
  elapsedMs: number;
}

function printSummary(summary: Summary): void {
  const { request, state, objects } = summary;
  const relationships = objects.filter((o) => o.type === "relationship");
  const byType = new Map<string, number>();
  for (const object of objects) {
    if (object.type === "relationship") continue;
    byType.set(object.type, (byType.get(object.type) ?? 0) + 1);
  }
  const status = state.errors.length > 0 ? "error" : state.status;
  console.log(
    `${request.connector.padEnd(13)} ${request.entityType.padEnd(11)} ${request.label}\n` +
      `  work ${status}, ${summary.elapsedMs} ms, ${state.expectations} bundles; ` +
      `objects: ${[...byType].map(([type, count]) => `${count} ${type}`).join(", ") || "none"}; ` +
      `relationships: ${relationships.length}\n  message: ${
        (state.errors.at(-1) ?? state.messages.at(-1))?.message ?? ""
      }`,
  );
}

function report(summaries: Summary[], metrics: string[]): string {
  const lines = [
    "# opencti-enrich sandbox report",
    "",
    `Generated ${
      new Date().toISOString()
    } by \`deno task sandbox\`: one enrichment per supported entity type, through the real connector, RabbitMQ and a fake OpenCTI.`,
    "",
  ];
  for (const summary of summaries) {
    const status = summary.state.errors.length > 0 ? "error" : summary.state.status;
    lines.push(
      `## ${summary.request.connector}: ${summary.request.entityType} \`${summary.request.label}\``,
      "",
      `Work ${status} in ${summary.elapsedMs} ms, ${summary.state.expectations} bundles. ${
        (summary.state.errors.at(-1) ?? summary.state.messages.at(-1))?.message ?? ""
      }`,
      "",
      "```mermaid",
      ...mermaid(summary.entity.standard_id, summary.objects),
      "```",
      "",
    );
  }
  lines.push("## Metrics", "", "```", ...metrics, "```", "");
  return lines.join("\n");
}

function mermaid(subjectId: string, objects: StixObject[]): string[] {
  const nodes = new Map<string, string>();
  const lines = ["graph LR"];
  const node = (id: string) => {
    let name = nodes.get(id);
    if (!name) {
      name = `n${nodes.size}`;
      nodes.set(id, name);
      const object = objects.find((o) => o.id === id);
      const label = `${id.split("--")[0]}: ${object ? display(object) : id}`.replaceAll('"', "'");
      lines.push(id === subjectId ? `  ${name}(["${label}"])` : `  ${name}["${label}"]`);
    }
    return name;
  };
  node(subjectId);
  for (const rel of objects.filter((o) => o.type === "relationship")) {
    const source = node(String(rel.source_ref));
    const target = node(String(rel.target_ref));
    const text = [rel.relationship_type, rel.description].filter(Boolean).join(": ");
    lines.push(`  ${source} -->|"${String(text).replaceAll('"', "'")}"| ${target}`);
  }
  for (const object of objects) {
    if (
      object.type !== "relationship" && object.type !== "marking-definition" &&
      object.type !== "identity"
    ) {
      node(object.id);
    }
  }
  return lines;
}

function display(object: StixObject): string {
  const hashes = object.hashes as Record<string, string> | undefined;
  const value = object.value ?? object.name ?? object.number ?? hashes?.MD5 ?? hashes?.["SHA-1"] ??
    object.serial_number ??
    object.pattern ?? object.id;
  const score = object.x_opencti_score === undefined ? "" : ` (score ${object.x_opencti_score})`;
  return `${String(value)}${score}`;
}

async function ready(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.exit(await main());
