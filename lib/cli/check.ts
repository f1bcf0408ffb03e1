/**
 * The `check` command: every start-up step short of consuming, one line per
 * check with the reason on failure. The configuration is checked first and
 * every problem in it is listed at once; nothing is contacted when it is
 * invalid.
 *
 * @module
 */

import { connectBroker } from "../broker/mod.ts";
import { brokerConnection } from "../connector/mod.ts";
import { ConfigError, errorMessage, formatConfigIssue } from "../errors/mod.ts";
import { USER_AGENT } from "../meta/mod.ts";
import { createOpenCtiClient, isTestedVersion, refuseVersion } from "../opencti/mod.ts";
import { vendorModule } from "../vendors/mod.ts";
import { setup } from "./setup.ts";

/** How `check` ended: everything passed, the configuration is invalid, or a connection check failed. */
export type CheckStatus = "ok" | "config_error" | "failed";

/** Options of {@link checkCommand}. */
export interface CheckOptions {
  configPath?: string;
  /** Only validate the configuration. */
  offline: boolean;
  /** Where result lines go. */
  print: (line: string) => void;
}

/** Runs the checks, printing one line each. */
export async function checkCommand(options: CheckOptions): Promise<CheckStatus> {
  const { print } = options;
  const report = (ok: boolean, what: string, detail: string) =>
    print(`${ok ? "ok  " : "FAIL"}  ${what.padEnd(10)} ${detail}`);
  let loaded;
  try {
    loaded = await setup(options.configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(false, "config", error.message.split("\n")[0]!.replace(/:$/, ""));
    for (const issue of error.issues) print(`        - ${formatConfigIssue(issue)}`);
    return "config_error";
  }
  const { config, logger, redactor } = loaded;
  const source = config.sourcePath ? `"${config.sourcePath}" and environment` : "environment";
  const summary = config.instances.map((i) => `${i.name} (${i.vendor})`).join(", ");
  report(true, "config", `valid (${source}): ${summary}`);
  for (const warning of config.warnings) print(`        warning: ${warning}`);
  if (options.offline) return "ok";

  let passed = true;
  const api = createOpenCtiClient({
    url: config.opencti.url,
    token: config.opencti.token,
    userAgent: USER_AGENT,
    logger: logger.child("api"),
    sslVerify: config.opencti.sslVerify,
    retry: { maxRetries: 1, baseDelayMs: 500, maxDelayMs: 2000 },
    ...(config.opencti.customHeaders ? { customHeaders: config.opencti.customHeaders } : {}),
  });
  let version: string | undefined;
  try {
    version = (await api.about()).version;
    const me = await api.me();
    report(
      true,
      "opencti",
      `reachable at ${config.opencti.url}, token accepted (user "${me.name}")`,
    );
  } catch (error) {
    report(false, "opencti", redactor.redact(errorMessage(error)));
    passed = false;
  }
  if (version !== undefined) {
    const refusal = refuseVersion(version);
    if (refusal) {
      report(false, "version", refusal);
      passed = false;
    } else {
      const note = isTestedVersion(version)
        ? "supported"
        : "newer than tested (6.8.x); should work";
      report(true, "version", `OpenCTI ${version} ${note}`);
    }
  }
  if (version !== undefined && passed) {
    for (const instance of config.instances) {
      try {
        const registration = await api.registerConnector({
          id: instance.id,
          name: instance.name,
          type: instance.type,
          scope: instance.scope,
          auto: instance.auto,
          auto_update: instance.autoUpdate,
          enrichment_resolution: instance.enrichmentResolution,
          only_contextual: instance.onlyContextual,
          playbook_compatible: instance.playbookCompatible,
          listen_callback_uri: null,
        }, { platformVersion: version });
        const settings = await brokerConnection(registration.config.connection, config.mq);
        redactor.add(settings.pass, settings.tls?.passphrase);
        const broker = await connectBroker({
          ...settings,
          logger: logger.child("broker"),
          reconnect: { initialDelayMs: 500, maxDelayMs: 1000 },
          name: `${instance.name} (check)`,
        });
        await broker.close();
        report(
          true,
          "broker",
          `${
            settings.useSsl ? "amqps" : "amqp"
          }://${settings.host}:${settings.port} vhost "${settings.vhost}" reachable for "${instance.name}"`,
        );
      } catch (error) {
        report(false, "broker", `"${instance.name}": ${redactor.redact(errorMessage(error))}`);
        passed = false;
      }
    }
  }
  for (const instance of config.instances) {
    const vendor = vendorModule(instance.vendor);
    try {
      const enricher = vendor.create(config.vendorSettings[vendor.name] ?? {}, {
        logger: logger.child(vendor.name),
        connectorName: instance.name,
        userAgent: USER_AGENT,
      });
      await enricher.probe(AbortSignal.timeout(60_000));
      report(true, vendor.name, `${vendor.title} API key accepted`);
    } catch (error) {
      report(false, vendor.name, redactor.redact(errorMessage(error)));
      passed = false;
    }
  }
  return passed ? "ok" : "failed";
}
