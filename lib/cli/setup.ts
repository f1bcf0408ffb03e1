/**
 * What every command that loads the configuration does first: read it with
 * the registered vendors, then build a logger that masks every secret found.
 *
 * @module
 */

import { type AppConfig, loadConfig } from "../config/mod.ts";
import { createLogger, type Logger, SecretRedactor } from "../log/mod.ts";
import { PRODUCT } from "../meta/mod.ts";
import { VENDORS } from "../vendors/mod.ts";

/** A loaded configuration with its logger. */
export interface Setup {
  config: AppConfig;
  logger: Logger;
  redactor: SecretRedactor;
}

/** Loads the configuration (throws `ConfigError`) and creates the logger. */
export async function setup(configPath: string | undefined): Promise<Setup> {
  const config = await loadConfig({
    vendors: VENDORS,
    ...(configPath === undefined ? {} : { configPath }),
  });
  const redactor = new SecretRedactor();
  redactor.add(...config.secrets);
  const name = config.instances.length === 1 ? config.instances[0]!.name : PRODUCT;
  const logger = createLogger({
    name,
    level: config.runtime.logLevel,
    json: config.opencti.jsonLogging,
    redactor,
  });
  for (const warning of config.warnings) logger.warning(warning);
  return { config, logger, redactor };
}
