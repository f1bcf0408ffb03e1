/**
 * Country names from ISO 3166-1 alpha-2 codes (decision 6), through the
 * maintained `i18n-iso-countries` data.
 *
 * @module
 */

import countries from "i18n-iso-countries";
import english from "i18n-iso-countries/langs/en.json" with { type: "json" };

countries.registerLocale(english);

/** The English name of a country code, or undefined for unknown codes (XK aside, e.g. EU, A1, ZZ). */
export function countryName(code: string): string | undefined {
  const name = countries.getName(code.trim().toUpperCase(), "en");
  return name || undefined;
}
