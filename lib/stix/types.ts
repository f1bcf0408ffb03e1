/**
 * Shapes shared by the builders, the bundle and the splitter.
 *
 * @module
 */

/** Any STIX 2.1 object, as plain JSON: a `type`, an `id` and any other property. */
export type StixObject = { type: string; id: string; [key: string]: unknown };

/** A STIX 2.1 bundle as pycti builds it (`stix2_create_bundle`). */
export interface StixBundle {
  /** Always `bundle`. */
  type: "bundle";
  /** `bundle--<uuid4>`. */
  id: string;
  /** Always `2.1`. */
  spec_version: "2.1";
  /** The objects, each id at most once. */
  objects: StixObject[];
}

/** A one-object bundle as pycti's splitter emits it. */
export interface SplitStixBundle extends StixBundle {
  /** The object's dependency count; the worker imports lower numbers first. */
  x_opencti_seq: number;
  /** Present only when an event version was given to the splitter. */
  x_opencti_event_version?: string;
}

/** A STIX 2.1 external reference. */
export interface ExternalReference {
  /** Name of the source, e.g. `Silent Push`. */
  source_name: string;
  /** Human-readable text. */
  description?: string;
  /** A URL about the object. */
  url?: string;
  /** The object's id in the source. */
  external_id?: string;
}
