/**
 * Reading what Slack's Web API said when a call failed: the one place that knows how
 * @slack/web-api reports a platform error (`error.data.error`) or a 429, and which codes mean
 * what to this app. Everything else asks here instead of looking inside the error.
 */
import { webApi } from '@slack/bolt';

/** The Slack error code of a failed Web API call (`not_in_channel`), or undefined for anything else. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/** The seconds Slack asked to wait before calling again (a 429), or undefined for anything else. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof webApi.WebAPIRateLimitedError ? error.retryAfter : undefined;
}

/**
 * Slack's own trouble, not a refusal: the call may well work later (a 429 after its tries, a
 * 5xx, no answer, or the codes every method lists for it: api.slack.com/methods/chat.update#errors).
 */
const SLACK_TROUBLE: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** The call failed for a reason of Slack's or the network's, not because it is refused: try later. */
export function mayWorkLater(error: unknown): boolean {
  return (
    error instanceof webApi.WebAPIRateLimitedError ||
    error instanceof webApi.WebAPIRequestError ||
    (error instanceof webApi.WebAPIHTTPError && error.statusCode >= 500) ||
    oneOf(SLACK_TROUBLE, error)
  );
}

/**
 * `chat.postMessage` errors that mean "not here", after which the result goes by DM
 * (api.slack.com/methods/chat.postMessage#errors; docs/slack-behaviour.md).
 */
const CANNOT_POST_HERE: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
]);

/**
 * `chat.update` errors after which the message will never show the result
 * (api.slack.com/methods/chat.update#errors): the result is posted by DM instead.
 */
const CANNOT_UPDATE: ReadonlySet<string> = new Set([
  'is_inactive',
  'message_not_found',
  'channel_not_found',
  'cant_update_message',
  'edit_window_closed',
  'is_archived',
  'not_in_channel',
]);

function oneOf(codes: ReadonlySet<string>, error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && codes.has(code);
}

/** `chat.postMessage` refused the channel itself: another way of reaching the person is worth trying. */
export function cannotPostHere(error: unknown): boolean {
  return oneOf(CANNOT_POST_HERE, error);
}

/** `chat.update` can never show this message's result: another way of reaching the person is worth trying. */
export function cannotUpdate(error: unknown): boolean {
  return oneOf(CANNOT_UPDATE, error);
}

/**
 * `conversations.info` said the channel does not exist: to the app, a private channel it is not
 * in is a channel that does not exist (api.slack.com/methods/conversations.info#errors).
 */
export function isChannelNotFound(error: unknown): boolean {
  return slackErrorCode(error) === 'channel_not_found';
}

/**
 * `views.update` with a hash refused because the view changed since (a second click, the person
 * typing): the newer view is the one to keep (api.slack.com/methods/views.update#errors).
 */
export function isHashConflict(error: unknown): boolean {
  return slackErrorCode(error) === 'hash_conflict';
}

/**
 * `functions.completeSuccess`/`completeError` on a step that was completed before (a retried
 * send, a repeat after a restart) (api.slack.com/methods/functions.completeSuccess#errors).
 */
export function isAlreadyCompleted(error: unknown): boolean {
  return slackErrorCode(error) === 'execution_not_in_running_state';
}
