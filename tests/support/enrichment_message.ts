/**
 * A 6.8.9+ enrichment message for an entity of the fake platform, as OpenCTI
 * publishes it on a connector's listen queue, with its work created first.
 *
 * @module
 */

import type { FakeEntity, FakeOpenCti } from "../fake_opencti/mod.ts";

/** How the enrichment was asked for (manual from the UI, or automatic on creation). */
export interface EnrichmentTrigger {
  mode: "manual" | "auto";
  trigger: "update" | "create";
}

/** Creates the work in `octi` and returns the message body carrying it. */
export function enrichmentMessage(
  octi: FakeOpenCti,
  entity: FakeEntity,
  how: EnrichmentTrigger = { mode: "manual", trigger: "update" },
): { workId: string; body: Record<string, unknown> } {
  const workId = `work_${crypto.randomUUID()}_${new Date().toISOString()}`;
  octi.createWork(workId);
  return {
    workId,
    body: {
      internal: { work_id: workId, applicant_id: null, draft_id: null, ...how },
      event: {
        event_type: "INTERNAL_ENRICHMENT",
        entity_id: entity.standard_id,
        entity_type: entity.entity_type,
        stix_entity: JSON.stringify(entity.stix),
        stix_objects: null,
      },
    },
  };
}
