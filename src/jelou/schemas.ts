/**
 * zod schemas for everything Jelou answers. All of them are lenient on purpose: Jelou documents
 * little, so extra fields pass through (`looseObject`) and a field of an unexpected type becomes
 * `undefined` (`.catch`) instead of failing the whole answer.
 */
import { z } from 'zod';

/** An optional string field that turns into undefined when it is anything but a string. */
const optionalString = z.string().optional().catch(undefined);

/** Ids arrive as strings in the docs; accept numbers too and normalise to string. */
const idLike = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .optional()
  .catch(undefined);

/** A non-negative integer that may arrive as a number or a numeric string. */
const looseCount = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);

/** Jelou's documented success answer to `POST /v1/bots/{botId}/messages`. */
export const SendSuccessSchema = z.looseObject({
  success: z.literal(true),
  messageId: z.union([z.string().min(1), z.number()]).transform((value) => String(value)),
});

const LocalizedSchema = z.looseObject({ en: optionalString, es: optionalString }).optional().catch(undefined);

/** The `error` object of Jelou's rich error answer. */
const RichErrorSchema = z.looseObject({
  code: idLike,
  key: optionalString,
  description: optionalString,
  developerMessages: LocalizedSchema,
  clientMessages: LocalizedSchema,
});

/**
 * Both documented error shapes in one lenient schema:
 * - simple: `{ code, message | description | error }`;
 * - rich: `{ message: [...], statusMessage, status, error: { code, key, description,
 *   developerMessages: {es, en}, clientMessages: {es, en} }, validationError }`.
 */
export const ErrorBodySchema = z.looseObject({
  success: z.boolean().optional().catch(undefined),
  code: idLike,
  message: z
    .union([z.string(), z.array(z.unknown())])
    .optional()
    .catch(undefined),
  description: optionalString,
  error: z.union([z.string(), RichErrorSchema]).optional().catch(undefined),
  statusMessage: optionalString,
  status: idLike,
  validationError: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

const HistoryPartySchema = z
  .looseObject({ id: idLike, names: optionalString, name: optionalString, type: optionalString })
  .optional()
  .catch(undefined);

/** One message of `GET /v1/external/messages/history/{botId}`. */
export const HistoryItemSchema = z.looseObject({
  recipient: HistoryPartySchema,
  sender: HistoryPartySchema,
  by: optionalString,
  // Not documented; read only to leave out other channels' customers when present (recipients.ts).
  channel: optionalString,
  source: optionalString,
  platform: optionalString,
  messageId: idLike,
  status: optionalString,
  createdAt: z.union([z.string(), z.number()]).optional().catch(undefined),
});
export type HistoryItem = z.infer<typeof HistoryItemSchema>;

/**
 * One page of history. `results` stays `unknown[]` here so one malformed message is skipped on its
 * own (see recipients.ts) instead of discarding the page.
 */
export const HistoryPageSchema = z.looseObject({
  pagination: z
    .looseObject({
      limit: looseCount,
      page: looseCount,
      total: looseCount,
      offset: looseCount,
      totalPages: looseCount,
    })
    .optional()
    .catch(undefined),
  results: z.array(z.unknown()),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** `GET /v1/users/{userId}/state`: `{ id, names, botId, groupId, state }`. */
export const UserStateSchema = z.looseObject({
  id: idLike,
  names: optionalString,
  name: optionalString,
  botId: idLike,
  groupId: idLike,
  state: z.unknown().optional(),
});

/** Parses JSON without throwing: undefined for anything that is not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
