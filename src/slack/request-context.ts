/**
 * What every log line written while a Slack request is handled says about that request: a short
 * request id, its kind, team and user. Never the payload (it carries names and numbers).
 */
import { randomUUID } from 'node:crypto';
import type { App, CodedError as BoltError } from '@slack/bolt';
import { type Logger, withLogContext } from '../logging.js';

/** A string field of an object, if it is one; read by hand, since this runs on every request. */
function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/**
 * The few fields every Slack request may carry that are worth putting on each log line: commands
 * say `team_id`/`user_id`, interactions `team.id`/`user.id`. A field of another shape is left out.
 */
export function requestContext(body: unknown) {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    requestId: randomUUID().slice(0, 8),
    slackType: stringAt(record, 'command') ?? stringAt(record, 'type'),
    teamId: stringAt(record.team, 'id') ?? stringAt(record, 'team_id'),
    userId: stringAt(record.user, 'id') ?? stringAt(record, 'user_id'),
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
