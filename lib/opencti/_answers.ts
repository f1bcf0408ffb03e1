/**
 * The shapes of the GraphQL answers the client reads, validated with zod so a
 * platform change shows up as a clear `invalid_response` error.
 *
 * @module
 */

import { z } from "zod";

/** `about { version }`. */
export const AboutAnswer = z.object({
  about: z.object({ version: z.string().min(1) }),
});

/** `me { id name user_email }`. */
export const MeAnswer = z.object({
  me: z.object({ id: z.string(), name: z.string(), user_email: z.string() }),
});

/** `ApiCompatibility`: the version, and the field names of `RegisterConnectorInput` (null when not described). */
export const CompatibilityAnswer = z.object({
  about: z.object({ version: z.string() }).nullable().optional(),
  registerConnectorInput: z.object({
    inputFields: z.array(z.object({ name: z.string() })).nullable(),
  }).nullable(),
});

/** `registerConnector { … }`. */
export const RegisterAnswer = z.object({
  registerConnector: z.object({
    id: z.string(),
    connector_state: z.string().nullable(),
    connector_user_id: z.string(),
    config: z.object({
      connection: z.object({
        host: z.string(),
        vhost: z.string(),
        use_ssl: z.boolean(),
        port: z.number().int(),
        user: z.string(),
        pass: z.string(),
      }),
      listen: z.string(),
      listen_routing: z.string(),
      listen_exchange: z.string(),
      push: z.string(),
      push_routing: z.string(),
      push_exchange: z.string(),
    }),
  }),
});

/** `pingConnector { id connector_state … }`. */
export const PingAnswer = z.object({
  pingConnector: z.object({
    id: z.string(),
    connector_state: z.string().nullable().optional(),
  }),
});

/** Any `workEdit { <field> }` answer: the work id. */
export function workAnswer(field: WorkEditField): z.ZodType<{ workEdit: Record<string, string> }> {
  return WORK_ANSWERS[field];
}

/** The `workEdit` operations the connector sends. */
export type WorkEditField = "toReceived" | "toProcessed" | "addExpectations" | "ping";

// Built once: creating zod schemas is far dearer than using them, and these run per message.
const workEdit = (field: WorkEditField) =>
  z.object({ workEdit: z.object({ [field]: z.string() }) });
const WORK_ANSWERS: Record<WorkEditField, z.ZodType<{ workEdit: Record<string, string> }>> = {
  toReceived: workEdit("toReceived"),
  toProcessed: workEdit("toProcessed"),
  addExpectations: workEdit("addExpectations"),
  ping: workEdit("ping"),
};

const Marking = z.object({
  id: z.string(),
  standard_id: z.string(),
  definition_type: z.string().nullable().optional(),
  definition: z.string().nullable().optional(),
  x_opencti_order: z.number().nullable().optional(),
  x_opencti_color: z.string().nullable().optional(),
});

/** `stixCoreObject(id:) { … }`. */
export const EntityAnswer = z.object({
  stixCoreObject: z.object({
    id: z.string(),
    standard_id: z.string(),
    entity_type: z.string(),
    objectMarking: z.array(Marking).nullable().optional(),
    createdBy: z.object({
      id: z.string(),
      standard_id: z.string(),
      entity_type: z.string(),
      name: z.string(),
      identity_class: z.string(),
    }).nullable().optional(),
    observable_value: z.string().nullable().optional(),
    x_opencti_score: z.number().nullable().optional(),
  }).nullable(),
});

/** `stix(id:)`: the STIX JSON text. */
export const StixAnswer = z.object({ stix: z.string().nullable() });

/** `playbookStepExecution`. */
export const PlaybookAnswer = z.object({ playbookStepExecution: z.boolean().nullable() });

const LabelNode = z.object({
  id: z.string(),
  value: z.string().nullable(),
  color: z.string().nullable().optional(),
});

/** `labels(filters:, first: 1)`. */
export const LabelsAnswer = z.object({
  labels: z.object({ edges: z.array(z.object({ node: LabelNode })) }).nullable(),
});

/** `labelAdd(input:)`. */
export const LabelAddAnswer = z.object({ labelAdd: LabelNode.nullable() });
