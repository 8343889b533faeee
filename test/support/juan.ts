/**
 * The seed's Juan Pérez card (Jelou's "send a contact card" page, shared/seeds/000_…), as a person
 * types it and as Jelou receives it. PHONE_NUMBER and USER_ID are placeholders on that page: a
 * real Mexican mobile and a real Ecuadorian user stand in for them, and a plausible address for
 * the email the page's e-mail protection scrambled ("[email protected]").
 */
import type { ContactInput } from '../../src/card/index.js';
import { BlockId, rowBlockId } from '../../src/slack/ids.js';
import { type FormAnswers, picked } from './slack-payloads.js';

/** The recipient as typed, and as the user id Jelou expects (digits, no '+'). */
export const JUAN_RECIPIENT = '+593 99 123 4567';
export const JUAN_RECIPIENT_ID = '593991234567';

/** The seed's card as typed into the domain: name parts, one phone, one email, one address. */
export const JUAN_TYPED: ContactInput = {
  formattedName: 'Juan Pérez',
  firstName: 'Juan',
  lastName: 'Pérez',
  phones: [{ number: '+52 55 1234 5678', type: 'Mobile' }],
  emails: [{ address: 'juan.perez@example.com', type: 'Work' }],
  addresses: [
    {
      street: 'Calle Principal 123',
      city: 'Ciudad de México',
      state: 'CDMX',
      zip: '01000',
      country: 'México',
      countryCode: 'MX',
      type: 'Office',
    },
  ],
};

/** The body the seed shows, placeholders filled in: what Jelou must receive for JUAN_TYPED. */
export const JUAN_BODY = {
  type: 'contacts',
  userId: JUAN_RECIPIENT_ID,
  contacts: [
    {
      name: { formatted_name: 'Juan Pérez', first_name: 'Juan', last_name: 'Pérez' },
      phones: [{ phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' }],
      emails: [{ email: 'juan.perez@example.com', type: 'Work' }],
      addresses: [
        {
          street: 'Calle Principal 123',
          city: 'Ciudad de México',
          state: 'CDMX',
          zip: '01000',
          country: 'México',
          country_code: 'MX',
          type: 'Office',
        },
      ],
    },
  ],
} as const;

/** The seed's card as a person fills in the Slack form, sent to María López. */
export const JUAN_FORM: FormAnswers = {
  [BlockId.Recipient]: picked('María López · +593 99 123 4567', JUAN_RECIPIENT_ID),
  [BlockId.FormattedName]: 'Juan Pérez',
  [BlockId.FirstName]: 'Juan',
  [BlockId.LastName]: 'Pérez',
  [rowBlockId('phone', 0, 'number')]: '+52 55 1234 5678',
  [rowBlockId('phone', 0, 'type')]: 'Mobile',
  [rowBlockId('email', 0, 'address')]: 'juan.perez@example.com',
  [rowBlockId('email', 0, 'type')]: 'Work',
  [rowBlockId('address', 0, 'street')]: 'Calle Principal 123',
  [rowBlockId('address', 0, 'city')]: 'Ciudad de México',
  [rowBlockId('address', 0, 'state')]: 'CDMX',
  [rowBlockId('address', 0, 'zip')]: '01000',
  [rowBlockId('address', 0, 'country')]: 'México',
  [rowBlockId('address', 0, 'countryCode')]: 'MX',
  [rowBlockId('address', 0, 'type')]: 'Office',
};
