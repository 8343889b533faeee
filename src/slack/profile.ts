/**
 * "My card": the sender's own contact card, read from their Slack profile with `users.info`
 * (scopes `users:read`, and `users:read.email` for the email). Only what a profile reliably
 * holds (name, job title, phone, email) is taken, and the form shows it for review before
 * anything is sent: a profile phone is often typed without a country code.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { ContactInput } from '../card/index.js';
import type { Logger } from '../logging.js';
import { slackErrorCode } from './api-errors.js';

/** The part of Slack's WebClient this uses. */
export type ProfileClient = Readonly<{
  users: { info(args: { user: string }): Promise<unknown> };
}>;

const text = z
  .string()
  .optional()
  .catch(undefined)
  .transform((value) => value?.trim() || undefined);

// Parsed leniently: a field Slack leaves out or changes shape must not cost the other fields.
const usersInfoSchema = z.object({
  user: z
    .object({
      real_name: text,
      profile: z
        .object({
          real_name: text,
          display_name: text,
          first_name: text,
          last_name: text,
          title: text,
          phone: text,
          email: text,
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** The contact card a Slack user's profile describes; empty fields are left out. */
export async function contactFromProfile(client: ProfileClient, userId: string): Promise<ContactInput> {
  const { user } = usersInfoSchema.parse(await client.users.info({ user: userId }));
  const profile = user?.profile;
  const formattedName = profile?.real_name ?? user?.real_name ?? profile?.display_name;
  return {
    ...(formattedName ? { formattedName } : {}),
    ...(profile?.first_name ? { firstName: profile.first_name } : {}),
    ...(profile?.last_name ? { lastName: profile.last_name } : {}),
    ...(profile?.title ? { title: profile.title } : {}),
    ...(profile?.phone ? { phones: [{ number: profile.phone, type: 'Work' }] } : {}),
    ...(profile?.email ? { emails: [{ address: profile.email, type: 'Work' }] } : {}),
  };
}

/**
 * The profile's card, or `undefined` when Slack fails or takes longer than `budgetMs` (a trigger
 * id or an action's moment must not be lost waiting): the person then fills the form in by hand.
 */
export async function contactFromProfileWithin(
  client: ProfileClient,
  userId: string,
  budgetMs: number,
  logger: Logger,
): Promise<ContactInput | undefined> {
  const budget = new AbortController();
  const reading = contactFromProfile(client, userId).catch((error: unknown) => {
    // missing_scope means the app was not reinstalled after users:read.email was added.
    logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not read the Slack profile');
    return undefined;
  });
  const late = delay(budgetMs, undefined, { signal: budget.signal }).then(
    () => {
      logger.warn({ budgetMs }, 'the Slack profile did not arrive in time');
      return undefined;
    },
    () => undefined,
  );
  try {
    return await Promise.race([reading, late]);
  } finally {
    budget.abort();
  }
}
