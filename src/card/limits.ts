/**
 * Every size limit of a contact card in one place, so the parser, the wire schema, the sentences
 * and a UI (e.g. `max_length` on a Slack input) all agree.
 */

/** WhatsApp refuses a contacts message with more than this many contacts. */
export const MAX_CONTACTS_PER_MESSAGE = 257;

/** A contacts message must carry at least one contact. */
export const MIN_CONTACTS_PER_MESSAGE = 1;

/** Most phones, emails, addresses or URLs one contact may carry (each list counted alone). */
export const MAX_ITEMS_PER_LIST = 20;

/**
 * Longest value, in UTF-16 code units after trimming, of each kind of field. Counting code units
 * (what JavaScript's `length` counts) never undercounts, so a value that fits here also fits a
 * server that counts code points. Names follow Jelou's contact node (127), organisation fields
 * its company/title limit (256), email RFC 5321 (254) and URL what browsers reliably keep (2048).
 */
export const MAX_LENGTH = {
  name: 127,
  org: 256,
  email: 254,
  street: 256,
  city: 128,
  state: 128,
  country: 128,
  zip: 32,
  label: 64,
  url: 2048,
  phone: 64,
} as const;

/** Earliest year a birthday may have; earlier years are almost always typing slips (0990 for 1990). */
export const MIN_BIRTHDAY_YEAR = 1900;
