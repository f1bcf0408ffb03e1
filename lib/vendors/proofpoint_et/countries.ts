/**
 * English country names of ISO 3166-1 alpha-2 codes, from the runtime's
 * CLDR data (`Intl.DisplayNames`), with the names the connector has always
 * used where CLDR words them differently: a Location's id is derived from
 * its name, so the names must not change. The codes are the 249 of ISO
 * 3166-1 plus XK (Kosovo, user-assigned and used by geolocation vendors);
 * anything else (MaxMind's EU, AP, A1, A2, or ZZ) has no name.
 *
 * @module
 */

/** Every code that has a name. */
const CODES = new Set(
  `
  AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
  BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
  DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
  GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
  KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
  MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
  PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
  SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
  VN VU WF WS XK YE YT ZA ZM ZW
`.trim().split(/\s+/),
);

/** Names the connector used before CLDR, where CLDR differs (e.g. CLDR "Czechia"). */
const NAMES: Readonly<Record<string, string>> = {
  AG: "Antigua and Barbuda",
  BA: "Bosnia and Herzegovina",
  BL: "Saint Barthélemy",
  BN: "Brunei Darussalam",
  BQ: "Bonaire, Sint Eustatius and Saba",
  CD: "Democratic Republic of the Congo",
  CG: "Republic of the Congo",
  CI: "Cote d'Ivoire",
  CN: "People's Republic of China",
  CZ: "Czech Republic",
  FK: "Falkland Islands (Malvinas)",
  FM: "Micronesia, Federated States of",
  GM: "Republic of The Gambia",
  GS: "South Georgia and the South Sandwich Islands",
  HM: "Heard Island and McDonald Islands",
  IR: "Islamic Republic of Iran",
  KN: "Saint Kitts and Nevis",
  LA: "Lao People's Democratic Republic",
  LC: "Saint Lucia",
  MD: "Moldova, Republic of",
  MF: "Saint Martin (French part)",
  MK: "The Republic of North Macedonia",
  MM: "Myanmar",
  PM: "Saint Pierre and Miquelon",
  PN: "Pitcairn",
  PS: "State of Palestine",
  RE: "Reunion",
  RU: "Russian Federation",
  SH: "Saint Helena",
  SJ: "Svalbard and Jan Mayen",
  ST: "Sao Tome and Principe",
  SX: "Sint Maarten (Dutch part)",
  SY: "Syrian Arab Republic",
  TC: "Turks and Caicos Islands",
  TT: "Trinidad and Tobago",
  TW: "Taiwan, Province of China",
  TZ: "United Republic of Tanzania",
  UM: "United States Minor Outlying Islands",
  US: "United States of America",
  VA: "Holy See (Vatican City State)",
  VC: "Saint Vincent and the Grenadines",
  VG: "Virgin Islands, British",
  VI: "Virgin Islands, U.S.",
  WF: "Wallis and Futuna",
};

/** Made on first use: building it loads the runtime's region names, which most processes never need. */
let regions: Intl.DisplayNames | undefined;

/** The English name of an ISO 3166-1 alpha-2 code (any case), or undefined for other codes. */
export function countryName(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  if (!CODES.has(upper)) return undefined;
  regions ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  return NAMES[upper] ?? regions.of(upper);
}
