/**
 * The seed's Juan Pérez card (Jelou's "send a contact card" page, shared/seeds/000_…), as a person
 * types it and as Jelou receives it. PHONE_NUMBER and USER_ID are placeholders on that page: a
 * real Mexican mobile and a real Ecuadorian user stand in for them, and a plausible address for
 * the email the page's e-mail protection scrambled ("[email protected]").
 */
import type { ContactInput } from '../../src/card/index.js';

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
      phones: [{ phone: '+525512345678', type: 'Mobile', wa_id: '525512345678' }],
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
