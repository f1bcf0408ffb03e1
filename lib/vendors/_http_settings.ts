/**
 * The vendor-API settings both vendor sections define the same way: request
 * timeout, retries, largest answer and answer-cache lifetime.
 *
 * @module
 */

import { integerSetting } from "../config/mod.ts";

/** The shared vendor-API settings, by key. */
export const VENDOR_HTTP_SETTINGS = {
  timeout: integerSetting(
    { description: "Seconds before one API request times out." },
    30,
    { min: 1, max: 600 },
  ),
  max_retries: integerSetting(
    { description: "Retries of a request answered 429/5xx or failing on the network." },
    3,
    { min: 0, max: 20 },
  ),
  max_response_mb: integerSetting(
    {
      description:
        "Largest API answer accepted, in megabytes after decompression; a larger one fails the enrichment.",
    },
    8,
    { min: 1, max: 1024 },
  ),
  cache_ttl: integerSetting(
    { description: "Seconds an API answer is reused for the same question (0 = no cache)." },
    3600,
    { min: 0, max: 2_592_000 },
  ),
};
