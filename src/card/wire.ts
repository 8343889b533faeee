/**
 * The contacts message exactly as Jelou receives it (and forwards to WhatsApp), snake_case as in
 * Jelou's documentation. Stricter than Jelou: it accepts only what this app's parser produces —
 * clean text, no empty strings, lists or objects, valid E.164 numbers, assigned country codes and
 * real dates — so it doubles as the oracle that tests and the builder check output against.
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { z } from 'zod';
import { isCalendarDate } from './birthday.js';
import { ISO_COUNTRY_CODES } from './countries.js';
import { isEmailAddress } from './email.js';
import {
  MAX_CONTACTS_PER_MESSAGE,
  MAX_ITEMS_PER_LIST,
  MAX_LENGTH,
  MIN_CONTACTS_PER_MESSAGE,
} from './limits.js';
import { isCleanText } from './text.js';
import { isHttpUrl } from './url.js';
import { isWhatsAppUserId, whatsAppIdVariants } from './whatsapp.js';

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(isCleanText, { error: 'must be trimmed, single-line NFC text without control characters' });

// exactOptional: an optional field is left out, never present as `undefined`.
const optionalText = (max: number) => text(max).exactOptional();

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_ITEMS_PER_LIST).exactOptional();

const someKey = (value: object) => Object.keys(value).length > 0;

/**
 * Jelou's `userId` for a WhatsApp user: the id Jelou gave, verbatim (digits as WhatsApp reports
 * them, or a business-scoped user id), or the E.164 digits of a typed number. See whatsapp.ts.
 */
const whatsAppUserId = z.string().refine(isWhatsAppUserId, { error: 'must be a WhatsApp user id' });

/** E.164, optionally followed by ` ext. ` and the extension, which the card shows as typed. */
const phoneText = z
  .string()
  .regex(/^\+[1-9]\d{1,14}(?: ext\. \d{1,10})?$/u)
  .refine((phone) => isValidPhoneNumber(phone.split(' ')[0] ?? ''), {
    error: 'must be a valid phone number',
  });

const nameSchema = z
  .strictObject({
    formatted_name: text(MAX_LENGTH.name),
    first_name: optionalText(MAX_LENGTH.name),
    last_name: optionalText(MAX_LENGTH.name),
    middle_name: optionalText(MAX_LENGTH.name),
    prefix: optionalText(MAX_LENGTH.name),
    suffix: optionalText(MAX_LENGTH.name),
  })
  // WhatsApp wants formatted_name plus at least one other part.
  .refine((name) => Object.keys(name).length > 1, { error: 'needs a name part besides formatted_name' });

// wa_id is left out where WhatsApp should show "Invite" rather than "Message" (fax, landline,
// "no WhatsApp"); where present it is a form WhatsApp uses for that very number.
const phoneSchema = z
  .strictObject({
    phone: phoneText,
    type: optionalText(MAX_LENGTH.label),
    wa_id: z
      .string()
      .regex(/^[1-9]\d{6,14}$/u)
      .exactOptional(),
  })
  .refine(
    (row) =>
      row.wa_id === undefined ||
      whatsAppIdVariants((row.phone.split(' ')[0] ?? '').slice(1)).includes(row.wa_id),
    { error: 'wa_id must be a WhatsApp form of phone', path: ['wa_id'] },
  );

const emailSchema = z.strictObject({
  email: z.string().max(MAX_LENGTH.email).refine(isEmailAddress, { error: 'must be an email address' }),
  type: optionalText(MAX_LENGTH.label),
});

const addressSchema = z
  .strictObject({
    street: optionalText(MAX_LENGTH.street),
    city: optionalText(MAX_LENGTH.city),
    state: optionalText(MAX_LENGTH.state),
    zip: optionalText(MAX_LENGTH.zip),
    country: optionalText(MAX_LENGTH.country),
    country_code: z.enum(ISO_COUNTRY_CODES).exactOptional(),
    type: optionalText(MAX_LENGTH.label),
  })
  .refine(({ type: _label, ...parts }) => someKey(parts), { error: 'needs at least one address part' });

const orgSchema = z
  .strictObject({
    company: optionalText(MAX_LENGTH.org),
    department: optionalText(MAX_LENGTH.org),
    title: optionalText(MAX_LENGTH.org),
  })
  .refine(someKey, { error: 'needs at least one part' });

// zod's URL check trims what it checks, so it runs inside a refine, after the clean-text check.
const httpUrl = z.url({ protocol: /^https?$/u });

const urlSchema = z.strictObject({
  url: text(MAX_LENGTH.url)
    .refine((url) => httpUrl.safeParse(url).success, { error: 'must be an http(s) URL' })
    .refine(isHttpUrl, { error: 'must be an http(s) URL with a host and without credentials' }),
  type: optionalText(MAX_LENGTH.label),
});

/** One contact as WhatsApp shows it. Only `name.formatted_name` (plus one more name part) is required. */
export const contactSchema = z.strictObject({
  name: nameSchema,
  phones: list(phoneSchema),
  emails: list(emailSchema),
  addresses: list(addressSchema),
  org: orgSchema.exactOptional(),
  urls: list(urlSchema),
  // Calendar validity only: "not in the future" depends on the clock, which a schema should not.
  birthday: z.iso
    .date()
    .refine(isCalendarDate, { error: 'must be a real date from 1900 on' })
    .exactOptional(),
});

/** One contact on the wire. */
export type Contact = z.infer<typeof contactSchema>;

/** The body of `POST /v1/bots/{botId}/messages` for a contact card. */
export const contactsMessageSchema = z.strictObject({
  type: z.literal('contacts'),
  userId: whatsAppUserId,
  contacts: z.array(contactSchema).min(MIN_CONTACTS_PER_MESSAGE).max(MAX_CONTACTS_PER_MESSAGE),
});

/** A contacts message body, ready to send to Jelou as JSON. */
export type ContactsMessage = z.infer<typeof contactsMessageSchema>;
