/**
 * `registerConnector`, sending only the input fields the platform has, as
 * pycti 7 decides it: by introspection, not by version number.
 *
 * Once per client (the answer is kept for the life of the process), it asks
 * `ApiCompatibility`: `about { version }` and the field names of
 * `RegisterConnectorInput`. Then:
 *
 * - `auto_update` and `enrichment_resolution` are sent when the input has
 *   both (platforms 6.8.9 and later);
 * - `version` and `slug` are sent when the input has both and the caller gave
 *   both (7.x platforms from the release that added them; earlier 7.x
 *   releases lack them, so no version number can vouch for them).
 *
 * A platform rejects a whole document that names a field its input lacks. So
 * when introspection is refused (GraphQL errors, introspection disabled, or
 * no `RegisterConnectorInput` described), the version decides the 6.8.9
 * fields (6.8.9 and later) and `version`/`slug` are never sent; that is
 * logged once, at warning. A refusal that would fail the registration too
 * (network, TLS, token, licence) is thrown as it is and not kept.
 *
 * @module
 */

import { OpenCtiError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { CompatibilityAnswer, RegisterAnswer } from "./_answers.ts";
import type { Transport } from "./_transport.ts";
import {
  API_COMPATIBILITY,
  type NewerRegisterField,
  REGISTRATION_DOCUMENTS,
  type RegistrationDocument,
} from "./documents.ts";
import type { RegisterInput, Registration } from "./types.ts";
import { supportsEnrichmentUpdateFields } from "./version.ts";

/** Registers connectors, introspecting the platform once. */
export interface Registrar {
  /** Registers with the fields the platform has; `platformVersion` decides when introspection is refused. */
  register(input: RegisterInput, platformVersion: string): Promise<Registration>;
}

/** What the platform's `RegisterConnectorInput` has, or why that is unknown. */
type Compatibility =
  | { known: true; fields: ReadonlySet<string> }
  | { known: false; reason: string };

/** Failures of the introspection itself, after which registration falls back to the version rule. */
const FALLBACK_KINDS = new Set(["graphql", "invalid_response"]);

/** Creates the registrar over `transport`. */
export function createRegistrar(transport: Transport, logger: Logger): Registrar {
  let compatibility: Promise<Compatibility> | undefined;
  let warned = false;

  const introspect = async (): Promise<Compatibility> => {
    try {
      const answer = await transport.request(API_COMPATIBILITY, {}, {
        schema: CompatibilityAnswer,
      });
      const fields = answer.registerConnectorInput?.inputFields;
      if (!fields) {
        return { known: false, reason: "the platform does not describe RegisterConnectorInput" };
      }
      return { known: true, fields: new Set(fields.map((field) => field.name)) };
    } catch (error) {
      if (error instanceof OpenCtiError && FALLBACK_KINDS.has(error.kind)) {
        return { known: false, reason: error.message };
      }
      throw error;
    }
  };

  const compatible = (): Promise<Compatibility> => {
    compatibility ??= introspect().catch((error) => {
      compatibility = undefined;
      throw error;
    });
    return compatibility;
  };

  return {
    async register(input, platformVersion) {
      const found = await compatible();
      const newer = new Set<NewerRegisterField>();
      const has = (...fields: string[]) => found.known && fields.every((f) => found.fields.has(f));
      const enrichmentUpdate = found.known
        ? has("auto_update", "enrichment_resolution")
        : supportsEnrichmentUpdateFields(platformVersion);
      if (enrichmentUpdate) newer.add("auto_update").add("enrichment_resolution");
      if (has("version", "slug") && input.version && input.slug) newer.add("version").add("slug");
      if (!found.known && !warned) {
        warned = true;
        logger.warning(
          "OpenCTI did not describe its registration input: registering without version and slug, with auto_update and enrichment_resolution only from OpenCTI 6.8.9 on",
          { reason: found.reason, platform_version: platformVersion },
        );
      }
      if (!enrichmentUpdate && input.auto_update) {
        logger.warning(
          "auto_update needs OpenCTI 6.8.9 or later; not sent, so updates will not trigger enrichment",
          { platform_version: platformVersion, connector_id: input.id },
        );
      }
      const document = registrationDocument(newer);
      logger.debug("Registering the connector", {
        connector_id: input.id,
        operation: document.name,
        fields: [...document.newerFields],
      });
      const data = await transport.request(document, variables(input, document), {
        schema: RegisterAnswer,
      });
      return registration(data.registerConnector);
    },
  };
}

function registrationDocument(fields: ReadonlySet<NewerRegisterField>): RegistrationDocument {
  const found = REGISTRATION_DOCUMENTS.find((document) =>
    document.newerFields.length === fields.size &&
    document.newerFields.every((field) => fields.has(field))
  );
  if (!found) throw new Error(`No registration document sends exactly ${[...fields].join(", ")}`);
  return found;
}

function variables(input: RegisterInput, document: RegistrationDocument): Record<string, unknown> {
  const values: Record<string, unknown> = {
    id: input.id,
    name: input.name,
    type: input.type,
    scope: input.scope,
    auto: input.auto,
    only_contextual: input.only_contextual,
    playbook_compatible: input.playbook_compatible,
    listen_callback_uri: input.listen_callback_uri,
  };
  for (const field of document.newerFields) values[field] = input[field];
  return values;
}

function registration(answer: ReturnType<typeof RegisterAnswer.parse>["registerConnector"]) {
  const { connection } = answer.config;
  return {
    id: answer.id,
    connectorState: answer.connector_state,
    connectorUserId: answer.connector_user_id,
    config: {
      connection: {
        host: connection.host,
        port: connection.port,
        vhost: connection.vhost,
        useSsl: connection.use_ssl,
        user: connection.user,
        pass: connection.pass,
      },
      listen: answer.config.listen,
      listenRouting: answer.config.listen_routing,
      listenExchange: answer.config.listen_exchange,
      push: answer.config.push,
      pushRouting: answer.config.push_routing,
      pushExchange: answer.config.push_exchange,
    },
  } satisfies Registration;
}
