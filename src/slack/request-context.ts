/**
 * What every log line written while a Slack request is handled says about that request: a short
 * request id, its kind, team and user. Never the payload (it carries names and numbers).
 */
import { randomUUID } from 'node:crypto';
import type { App, CodedError as BoltError } from '@slack/bolt';
import { z } from 'zod';
import { type Logger, withLogContext } from '../logging.js';

/** The few fields every Slack request may carry that are worth putting on each log line. */
const requestShape = z
  .object({
    type: z.string().optional(),
    command: z.string().optional(),
    team_id: z.string().optional(),
    user_id: z.string().optional(),
    team: z.object({ id: z.string() }).loose().nullish(),
    user: z.object({ id: z.string() }).loose().nullish(),
  })
  .loose();

export function requestContext(body: unknown) {
  const parsed = requestShape.safeParse(body);
  const fields = parsed.success ? parsed.data : {};
  return {
    requestId: randomUUID().slice(0, 8),
    slackType: fields.command ?? fields.type,
    teamId: fields.team?.id ?? fields.team_id,
    userId: fields.user?.id ?? fields.user_id,
  };
}

/**
 * Puts each request's context on every log line its listeners write, and logs what a listener
 * let escape (with the same context) instead of letting it vanish.
 */
export function logRequests(app: App, logger: Logger): void {
  app.use(async ({ body, next }) => withLogContext(requestContext(body), next));
  app.error(async ({ error, body }: { error: BoltError; body: unknown }) => {
    // The error handler runs outside the middleware that set the context: rebuild it from the body.
    // Bolt wraps listener errors; the original carries the stack worth reading.
    const original = 'original' in error ? error.original : undefined;
    withLogContext(requestContext(body), () =>
      logger.error({ err: original ?? error, code: error.code }, 'a Slack listener failed'),
    );
  });
}
