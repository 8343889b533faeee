/**
 * The type of each phone, email and address row, as Jelou and WhatsApp receive it. These values go
 * on the wire whatever language the sender's Slack speaks; the words a person sees for them come
 * from the Slack UI's catalogues (`types` in src/slack/i18n), keyed by these values.
 */
// Landline and Fax get no wa_id on the card (see whatsapp.ts): WhatsApp shows "Invite" for them.
export const PHONE_TYPES = ['Mobile', 'Work', 'Home', 'Main', 'iPhone', 'Landline', 'Fax'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export const EMAIL_TYPES = ['Work', 'Home'] as const;
export type EmailType = (typeof EMAIL_TYPES)[number];

export const ADDRESS_TYPES = ['Office', 'Home'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];
