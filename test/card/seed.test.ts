/**
 * The example body of Jelou's "send a contact card" page (shared/seeds/000_…), rebuilt from what a
 * person would type (test/support/juan.ts says how the page's placeholders were filled).
 */
import { describe, expect, it } from 'vitest';
import { buildContactsMessage, type ContactsMessage, contactsMessageSchema } from '../../src/card/index.js';
import { JUAN_RECIPIENT, JUAN_BODY as seedBody, JUAN_TYPED as typed } from '../support/juan.js';

describe('the Jelou seed example', () => {
  it('is rebuilt exactly from domain input', () => {
    const body = buildContactsMessage(JUAN_RECIPIENT, [typed]);
    expect(body).toEqual(seedBody);
  });

  it('is rebuilt the same from a national recipient number and a default country', () => {
    expect(buildContactsMessage('099 123 4567', [typed], { defaultCountry: 'EC' })).toEqual(seedBody);
  });

  it('passes the wire schema as documented', () => {
    expect(contactsMessageSchema.safeParse(seedBody).success).toBe(true);
  });

  it('fits a generic send-a-message body type', () => {
    const body: ContactsMessage = buildContactsMessage(JUAN_RECIPIENT, [typed]);
    const generic: { type: string; userId: string; [key: string]: unknown } = body;
    expect(generic.type).toBe('contacts');
  });
});
