/**
 * The example body of Jelou's "send a contact card" page (shared/seeds/000_…), rebuilt from what a
 * person would type. PHONE_NUMBER and USER_ID are placeholders there: a real Mexican mobile and a
 * real Ecuadorian user stand in for them. The page's email is scrambled by the site's e-mail
 * protection ("[email protected]"), so a plausible address stands in for it too.
 */
import { describe, expect, it } from 'vitest';
import {
  buildContactsMessage,
  type ContactInput,
  type ContactsMessage,
  contactsMessageSchema,
} from '../../src/card/index.js';

const typed: ContactInput = {
  formattedName: 'Juan Pérez',
  firstName: 'Juan',
  lastName: 'Pérez',
  phones: [{ number: '+52 55 1234 5678', type: 'Mobile' }],
  emails: [{ address: 'juan.perez@ejemplo.com', type: 'Work' }],
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

const seedBody = {
  type: 'contacts',
  userId: '593991234567',
  contacts: [
    {
      name: {
        formatted_name: 'Juan Pérez',
        first_name: 'Juan',
        last_name: 'Pérez',
      },
      phones: [
        {
          phone: '+525512345678',
          type: 'Mobile',
          wa_id: '525512345678',
        },
      ],
      emails: [
        {
          email: 'juan.perez@ejemplo.com',
          type: 'Work',
        },
      ],
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
};

describe('the Jelou seed example', () => {
  it('is rebuilt exactly from domain input', () => {
    const body = buildContactsMessage('+593 99 123 4567', [typed]);
    expect(body).toEqual(seedBody);
  });

  it('is rebuilt the same from a national recipient number and a default country', () => {
    expect(buildContactsMessage('099 123 4567', [typed], { defaultCountry: 'EC' })).toEqual(seedBody);
  });

  it('passes the wire schema as documented', () => {
    expect(contactsMessageSchema.safeParse(seedBody).success).toBe(true);
  });

  it('fits a generic send-a-message body type', () => {
    const body: ContactsMessage = buildContactsMessage('+593 99 123 4567', [typed]);
    const generic: { type: string; userId: string; [key: string]: unknown } = body;
    expect(generic.type).toBe('contacts');
  });
});
