/**
 * A number a person typed, matched to the customer Jelou knows. WhatsApp may know the same phone
 * under another form (Mexico's 521…, Argentina's 549…, Brazil with or without the ninth digit;
 * see card/whatsapp.ts), and a card sent to the form Jelou does not know never arrives. So the
 * typed number is looked for, under each of its forms, among the customers who wrote to the bot,
 * the people the team sent cards to, and Jelou's user look-up; only when none knows it are the
 * E.164 digits used.
 */
import { isWhatsAppUserId, whatsAppIdVariants } from '../card/index.js';
import type { UserStateResult } from './recipients.js';

/** Someone the app already knows by Jelou id: from the bot's history or the team's sends. */
export interface KnownCustomer {
  readonly id: string;
  readonly name?: string;
}

/** Which id a typed number will be sent to, and why. */
export type TypedRecipient =
  | { readonly kind: 'known'; readonly id: string; readonly name?: string; readonly typed: string }
  | { readonly kind: 'typed'; readonly id: string };

/**
 * The id to send a typed number to. `digits` are its E.164 digits; `known` are checked first, in
 * order (the caller puts the bot's conversations before the team's recipients); then `lookup`
 * (Jelou's `GET /v1/users/{userId}/state`) for each *other* form of the number, all at once.
 * An id that matches the E.164 digits exactly is `typed`: nothing differs from what was typed.
 */
export async function resolveTypedNumber(
  digits: string,
  known: readonly KnownCustomer[],
  lookup: (id: string) => Promise<UserStateResult>,
): Promise<TypedRecipient> {
  const variants = whatsAppIdVariants(digits);
  for (const variant of variants) {
    const customer = known.find((candidate) => candidate.id === variant);
    if (customer === undefined) continue;
    if (variant === digits) return { kind: 'typed', id: digits };
    return {
      kind: 'known',
      id: customer.id,
      typed: digits,
      ...(customer.name ? { name: customer.name } : {}),
    };
  }
  const others = variants.filter((variant) => variant !== digits);
  const answers = await Promise.all(others.map((variant) => lookup(variant)));
  for (const [index, answer] of answers.entries()) {
    const variant = others[index];
    if (answer.kind !== 'found' || variant === undefined) continue;
    // Jelou's own id for the user when it gives one, else the form that was found.
    const id = isWhatsAppUserId(answer.id) ? answer.id : variant;
    return { kind: 'known', id, typed: digits, ...(answer.name ? { name: answer.name } : {}) };
  }
  return { kind: 'typed', id: digits };
}
