/**
 * The 249 officially assigned ISO 3166-1 alpha-2 country codes. Kept here rather than taken from
 * libphonenumber (whose list lacks territories without phone plans, such as AQ or BV, and adds
 * non-ISO codes such as XK, AC and TA) so an address can name any country ISO names and no other.
 */
// biome-ignore format: a compact table, one initial letter per line, is easier to check against ISO's list.
export const ISO_COUNTRY_CODES = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
  'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS',
  'BT', 'BV', 'BW', 'BY', 'BZ',
  'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW',
  'CX', 'CY', 'CZ',
  'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ',
  'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET',
  'FI', 'FJ', 'FK', 'FM', 'FO', 'FR',
  'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT',
  'GU', 'GW', 'GY',
  'HK', 'HM', 'HN', 'HR', 'HT', 'HU',
  'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT',
  'JE', 'JM', 'JO', 'JP',
  'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ',
  'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY',
  'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS',
  'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ',
  'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ',
  'OM',
  'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY',
  'QA',
  'RE', 'RO', 'RS', 'RU', 'RW',
  'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS',
  'ST', 'SV', 'SX', 'SY', 'SZ',
  'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ',
  'UA', 'UG', 'UM', 'US', 'UY', 'UZ',
  'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU',
  'WF', 'WS',
  'YE', 'YT',
  'ZA', 'ZM', 'ZW',
] as const;

/** An officially assigned ISO 3166-1 alpha-2 code, upper-case. */
export type IsoCountryCode = (typeof ISO_COUNTRY_CODES)[number];

const ASSIGNED: ReadonlySet<string> = new Set(ISO_COUNTRY_CODES);

/** Whether `code` (exactly as given: upper-case, two letters) is an assigned ISO 3166-1 alpha-2 code. */
export function isIsoCountryCode(code: string): code is IsoCountryCode {
  return ASSIGNED.has(code);
}

// Names people and address books write that the region names of English and Spanish do not
// give: abbreviations and long forms, already folded as `fold` leaves them.
const COUNTRY_ALIASES: Readonly<Record<string, IsoCountryCode>> = {
  usa: 'US',
  us: 'US',
  'united states of america': 'US',
  'u s a': 'US',
  'u s': 'US',
  'ee uu': 'US',
  eeuu: 'US',
  'estados unidos de america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  'reino unido de gran bretana': 'GB',
  'republica dominicana': 'DO',
  'korea south': 'KR',
  'south korea': 'KR',
  holland: 'NL',
};

/** Lower-case, accents and punctuation dropped, spaces collapsed: "EE. UU." and "ee uu" match. */
function fold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

let namesByFold: ReadonlyMap<string, IsoCountryCode> | undefined;

// Built on first use from ICU's region names (Node ships full ICU), so the list stays current
// without a table of 249 × 2 names to maintain here.
function countryNames(): ReadonlyMap<string, IsoCountryCode> {
  if (namesByFold !== undefined) return namesByFold;
  const names = new Map<string, IsoCountryCode>();
  for (const locale of ['en', 'es']) {
    const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const code of ISO_COUNTRY_CODES) {
      const name = display.of(code);
      if (name !== undefined) names.set(fold(name), code);
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) names.set(alias, code);
  namesByFold = names;
  return names;
}

/**
 * The ISO code of a country written by name in English or Spanish ("Ecuador", "México",
 * "United States", "EE. UU.") or as its own upper-case code ("EC"); `undefined` when unsure.
 */
export function countryCodeFromName(name: string): IsoCountryCode | undefined {
  const trimmed = name.trim();
  if (isIsoCountryCode(trimmed)) return trimmed;
  return countryNames().get(fold(trimmed));
}
