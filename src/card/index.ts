/**
 * The contact-card domain: what a person types, what Jelou receives, and the checks in between.
 * Free of Slack and HTTP, so a Slack view, a CLI or a job can all use it.
 */
export { buildContactsMessage } from './build.js';
export {
  countryCodeFromName,
  ISO_COUNTRY_CODES,
  type IsoCountryCode,
  isIsoCountryCode,
} from './countries.js';
export { describeCardIssue } from './describe.js';
export { type ContactInput, contactInputSchema } from './input.js';
export {
  CARD_ISSUE_CODES,
  CardInvalidError,
  type CardIssue,
  CardIssueCode,
  type CardIssuePath,
} from './issues.js';
export {
  MAX_CONTACTS_PER_MESSAGE,
  MAX_ITEMS_PER_LIST,
  MAX_LENGTH,
  MIN_BIRTHDAY_YEAR,
  MIN_CONTACTS_PER_MESSAGE,
} from './limits.js';
export { type CardOptions, parseContact, parseContacts, parseRecipient } from './parse.js';
export {
  ADDRESS_TYPES,
  type AddressType,
  EMAIL_TYPES,
  type EmailType,
  PHONE_TYPES,
  type PhoneType,
} from './row-types.js';
export {
  MAX_VCF_BYTES,
  parseVcf,
  toVcf,
  VcardError,
  type VcardErrorReason,
  type VcardSkipped,
  type VcardSkipReason,
  type VcfParseOptions,
  type VcfParseResult,
} from './vcard.js';
export {
  bsuidCountry,
  hasCallingCode,
  isBsuid,
  isNoWhatsAppLabel,
  isWhatsAppUserId,
  waIdForNumber,
  whatsAppIdVariants,
} from './whatsapp.js';
export { type Contact, type ContactsMessage, contactSchema, contactsMessageSchema } from './wire.js';
