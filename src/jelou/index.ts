/**
 * Jelou API client: send a message (with a typed outcome, never an exception for upstream
 * trouble) and find WhatsApp recipients for a picker.
 */
export {
  type AttemptDetail,
  type AttemptResult,
  classifyError,
  classifyResponse,
  isCertainlyNotTaken,
  refusalCode,
} from './classify.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  JelouClient,
  type JelouClientOptions,
  type JelouMessage,
  type SendOutcome,
} from './client.js';
export {
  CERTAINTY,
  type Certainty,
  isJelouCode,
  JELOU_REASONS,
  JelouCode,
  OWN_REASONS,
  OwnCode,
  REASONS,
  type ReasonCode,
  reasonFor,
  STATUS_FALLBACK,
  withJelouDescription,
} from './reasons.js';
export {
  DEFAULT_MAX_PAGES,
  DEFAULT_RECENT_USERS_TTL_MS,
  HISTORY_PAGE_LIMIT,
  type HistoryEntryReading,
  matchesQuery,
  type RecentUser,
  type RecentUsersOptions,
  type RecentUsersResult,
  readHistoryEntry,
  type UserStateResult,
  WHATSAPP_WINDOW_MS,
} from './recipients.js';
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseRetryAfterMs,
  type RetryDecision,
  type RetryPolicy,
} from './retry.js';
export {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_TIMEOUTS,
  type JelouTimeouts,
} from './transport.js';
export { type KnownCustomer, resolveTypedNumber, type TypedRecipient } from './typed.js';
