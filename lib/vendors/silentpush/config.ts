/**
 * Silent Push settings: the reference connector's names and defaults
 * (OpenCTI-Platform/connectors,
 * `internal-enrichment/silentpush-enrichment/src/connector/settings.py`), the
 * `SILENTPUSH_MAX_TLP_LEVEL` spelling its README documents (read as a
 * deprecated alias of `SILENTPUSH_MAX_TLP`, which the code reads), and this
 * project's timeout, retry, rate-limit, answer-size and cache settings.
 *
 * @module
 */

import {
  booleanSetting,
  defineSection,
  enumSetting,
  integerSetting,
  type SectionValues,
  stringSetting,
  TLP_LEVELS,
  urlSetting,
} from "../../config/mod.ts";
import { VENDOR_HTTP_SETTINGS } from "../_http_settings.ts";

/** The `silentpush` section. */
export const SILENTPUSH_SECTION = defineSection("silentpush", "The Silent Push API.", {
  api_base_url: urlSetting({
    description: "Silent Push API base URL (a missing trailing slash is added).",
  }, "https://app.silentpush.com/api/v2/"),
  api_key: stringSetting({
    description: "Silent Push API key, sent as the x-api-key header.",
    secret: true,
    required: true,
  }),
  max_tlp: enumSetting(TLP_LEVELS, {
    description: "Highest TLP of an entity that may be sent to Silent Push.",
  }, "TLP:AMBER"),
  max_tlp_level: enumSetting(TLP_LEVELS, {
    description:
      "Deprecated name of max_tlp (used by the reference README); read only when max_tlp is unset.",
    deprecatedAliasOf: "max_tlp",
  }),
  verify_cert: booleanSetting({
    description: "Verify the API's TLS certificate.",
  }, true),
  timeout: VENDOR_HTTP_SETTINGS.timeout,
  max_retries: VENDOR_HTTP_SETTINGS.max_retries,
  rate_limit: integerSetting(
    {
      description: "Most requests per minute to the API (0 = no limit).",
    },
    0,
    { min: 0 },
  ),
  max_response_mb: VENDOR_HTTP_SETTINGS.max_response_mb,
  cache_ttl: VENDOR_HTTP_SETTINGS.cache_ttl,
});

/** The validated values of the `silentpush` section. */
export type SilentPushSettings = SectionValues<typeof SILENTPUSH_SECTION.settings>;
