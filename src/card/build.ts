/** The Jelou request body for sending contact cards to one WhatsApp user. */
import { CodedError, ErrorCode } from '../errors.js';
import { IssueCollector } from './collector.js';
import type { ContactInput } from './input.js';
import { CardIssueCode } from './issues.js';
import { type CardOptions, collectContacts, collectRecipient, readOptions } from './parse.js';
import { isWhatsAppUserId } from './whatsapp.js';
import { type ContactsMessage, contactsMessageSchema } from './wire.js';

/**
 * Builds `{ type: 'contacts', userId, contacts }` from the recipient's number as typed (a string)
 * or Jelou's user id for them (`{ userId }`, sent verbatim), and the cards as typed. Throws one {@link CardInvalidError} with every issue, paths prefixed by `recipient` or
 * `contacts, <index>` (e.g. `['contacts', 0, 'phones', 1, 'number']`). The result is checked
 * against {@link contactsMessageSchema} before it is returned.
 */
export function buildContactsMessage(
  recipient: string | { readonly userId: string },
  contacts: readonly ContactInput[] | unknown,
  options: CardOptions = {},
): ContactsMessage {
  const context = readOptions(options);
  const issues = new IssueCollector();
  // A Jelou user id (from the picker) goes as it is: WhatsApp's own forms are not E.164 numbers.
  let userId: string | undefined;
  if (typeof recipient === 'string') userId = collectRecipient(recipient, issues.at('recipient'), context);
  else if (isWhatsAppUserId(recipient.userId)) userId = recipient.userId;
  else issues.add(['recipient'], CardIssueCode.PhoneInvalid);
  const parsed = collectContacts(contacts, issues.at('contacts'), context);
  issues.throwIfAny();
  // Defence in depth: parsing should make this impossible, and a body that fails here is a bug
  // to surface, not something to send.
  const result = contactsMessageSchema.safeParse({ type: 'contacts', userId, contacts: parsed });
  if (!result.success) {
    throw new CodedError(ErrorCode.Unexpected, 'built contacts message failed the wire schema', {
      cause: result.error,
    });
  }
  return result.data;
}
