/**
 * One sentence per Jelou outcome code, written for the support agent who pressed "send", not for
 * a developer: what happened, whether the customer got the card, and what to do next.
 *
 * Two families share one namespace:
 * - Jelou's documented error codes (see ../shared/jelou-api.md, "Errors");
 * - our own codes for what Jelou never names (network trouble, throttling, unreadable answers).
 *
 * Every code also has a *certainty*: `failed` means Jelou certainly did not take the message, so
 * sending again is safe; `unknown` means it may have reached the customer, so the sentence must
 * tell the agent to check with the customer before sending again.
 */
import type { Sentence } from '../errors.js';

/** Error codes Jelou documents for `POST /v1/bots/{botId}/messages`. */
export const JelouCode = {
  Unauthorized: 'unauthorized',
  ForbiddenBot: 'forbidden_bot',
  BotNotFound: 'bot_not_found',
  /** Spelled as Jelou spells it ("send", not "sent"). A bad request: Jelou names no cause. */
  MessageCouldNotBeSend: 'message_could_not_be_send',
  NotificationCouldNotBeSend: 'notification_could_not_be_send',
  UnprocessableEntity: 'unprocessable_entity',
  InternalServerError: 'internal_server_error',
} as const;
export type JelouCode = (typeof JelouCode)[keyof typeof JelouCode];

/** Codes this app gives to outcomes Jelou has no code for. */
export const OwnCode = {
  /** HTTP 429 after the retry policy gave up. */
  RateLimited: 'rate_limited',
  /** HTTP 503 carrying Jelou's own error body (so Jelou answered it), after the retry policy gave up. */
  Unavailable: 'unavailable',
  /** HTTP 503 without Jelou's error body: a proxy may have answered after forwarding the request. */
  UnavailableUnknown: 'unavailable_unknown',
  /**
   * Jelou refused the card (`message_could_not_be_send`) and the evidence says it is WhatsApp's
   * 24-hour window: Jelou's description says so, or the bot's history shows the customer's last
   * message is older than 24 hours.
   */
  OutsideWindow: 'outside_24h_window',
  /** Connection refused, DNS failure or connect timeout: no byte of the request left this host. */
  Unreachable: 'unreachable',
  /** Timed out waiting for Jelou's answer after the request was written. */
  TimeoutUnknown: 'timeout_unknown',
  /** The connection broke after the request was (or may have been) written. */
  ConnectionLost: 'connection_lost',
  /** Jelou answered, but not with anything we can read as success or as a documented refusal. */
  BadResponse: 'bad_response',
  /** A 4xx answer with no code we know: default for an unknown Jelou code or status. */
  Rejected: 'rejected',
  /** A 5xx answer (other than 503) with no code we know. */
  ServerError: 'server_error',
} as const;
export type OwnCode = (typeof OwnCode)[keyof typeof OwnCode];

export type ReasonCode = JelouCode | OwnCode;

/** Whether a code means "certainly not sent" (`failed`) or "may have been sent" (`unknown`). */
export type Certainty = 'failed' | 'unknown';

const CHECK_FIRST_EN = 'It may have reached the customer anyway, so check with them before sending it again.';
const CHECK_FIRST_ES =
  'Puede que le haya llegado al cliente de todos modos; confírmalo con él antes de volver a enviarla.';

/** Sentences for Jelou's documented codes. Exported so tests can iterate it. */
export const JELOU_REASONS: Readonly<Record<JelouCode, Sentence>> = {
  unauthorized: {
    en: 'Jelou did not accept the app’s credentials, so nothing was sent. Ask your administrator to check the Jelou client ID and secret.',
    es: 'Jelou no aceptó las credenciales de la aplicación, así que no se envió nada. Pide a tu administrador que revise el client ID y el secret de Jelou.',
  },
  forbidden_bot: {
    en: 'The app’s Jelou credentials are not allowed to use this bot, so nothing was sent. Ask your administrator to check which bot the app is set up with.',
    es: 'Las credenciales de Jelou de la aplicación no tienen permiso para usar este bot, así que no se envió nada. Pide a tu administrador que revise qué bot tiene configurado la aplicación.',
  },
  bot_not_found: {
    en: 'Jelou does not know the bot this app is set up with, so nothing was sent. Ask your administrator to check the bot ID in the app’s settings.',
    es: 'Jelou no reconoce el bot configurado en la aplicación, así que no se envió nada. Pide a tu administrador que revise el ID del bot en la configuración.',
  },
  message_could_not_be_send: {
    en: 'Jelou refused the card as a bad request, so nothing was sent. Check the recipient and the card, then try again; if it keeps happening, tell your administrator.',
    es: 'Jelou rechazó la tarjeta por una solicitud incorrecta, así que no se envió nada. Revisa el destinatario y la tarjeta y vuelve a intentarlo; si sigue pasando, avisa a tu administrador.',
  },
  notification_could_not_be_send: {
    en: 'Jelou refused the notification as a bad request, so nothing was sent. Check the recipient and the card, then try again; if it keeps happening, tell your administrator.',
    es: 'Jelou rechazó la notificación por una solicitud incorrecta, así que no se envió nada. Revisa el destinatario y la tarjeta y vuelve a intentarlo; si sigue pasando, avisa a tu administrador.',
  },
  unprocessable_entity: {
    en: 'Jelou refused the card because some of its details are missing or not valid, so nothing was sent. Check the phone numbers and the other fields, then try again.',
    es: 'Jelou rechazó la tarjeta porque faltan datos o alguno no es válido, así que no se envió nada. Revisa los teléfonos y los demás campos y vuelve a intentarlo.',
  },
  internal_server_error: {
    en: 'Jelou says the app’s credentials belong to no company, so nothing was sent. Ask your administrator to check the Jelou client ID and secret with Jelou.',
    es: 'Jelou indica que las credenciales de la aplicación no pertenecen a ninguna empresa, así que no se envió nada. Pide a tu administrador que revise con Jelou el client ID y el secret.',
  },
};

/** Sentences for this app's own codes. Exported so tests can iterate it. */
export const OWN_REASONS: Readonly<Record<OwnCode, Sentence>> = {
  rate_limited: {
    en: 'Jelou is receiving too many messages right now, so nothing was sent. Wait a minute and try again.',
    es: 'Jelou está recibiendo demasiados mensajes en este momento, así que no se envió nada. Espera un minuto y vuelve a intentarlo.',
  },
  unavailable: {
    en: 'Jelou is temporarily unavailable, so nothing was sent. Try again in a few minutes.',
    es: 'Jelou no está disponible en este momento, así que no se envió nada. Vuelve a intentarlo en unos minutos.',
  },
  unavailable_unknown: {
    en: `A server between us and Jelou said Jelou was unavailable, but it may have passed the card on first. ${CHECK_FIRST_EN}`,
    es: `Un servidor entre nosotros y Jelou indicó que Jelou no estaba disponible, pero puede que antes le haya pasado la tarjeta. ${CHECK_FIRST_ES}`,
  },
  outside_24h_window: {
    en: 'WhatsApp did not allow the card, so nothing was sent: the customer has not written to us in the last 24 hours, and outside that window WhatsApp only allows pre-approved templates. Once the customer writes to us, the card can be sent again.',
    es: 'WhatsApp no permitió la tarjeta, así que no se envió nada: el cliente no nos ha escrito en las últimas 24 horas, y fuera de ese plazo WhatsApp solo permite plantillas aprobadas. Cuando el cliente nos escriba, la tarjeta se podrá enviar de nuevo.',
  },
  unreachable: {
    en: 'We could not reach Jelou, so nothing was sent. Try again in a few minutes; if it keeps happening, tell your administrator.',
    es: 'No pudimos comunicarnos con Jelou, así que no se envió nada. Vuelve a intentarlo en unos minutos; si sigue pasando, avisa a tu administrador.',
  },
  timeout_unknown: {
    en: `Jelou took too long to confirm the card. ${CHECK_FIRST_EN}`,
    es: `Jelou tardó demasiado en confirmar la tarjeta. ${CHECK_FIRST_ES}`,
  },
  connection_lost: {
    en: `The connection to Jelou was cut before it confirmed the card. ${CHECK_FIRST_EN}`,
    es: `La conexión con Jelou se cortó antes de que confirmara la tarjeta. ${CHECK_FIRST_ES}`,
  },
  bad_response: {
    en: `Jelou answered in a way we could not understand. ${CHECK_FIRST_EN}`,
    es: `Jelou respondió de una forma que no pudimos entender. ${CHECK_FIRST_ES}`,
  },
  rejected: {
    en: 'Jelou refused the card, so nothing was sent. Try again; if it keeps happening, tell your administrator.',
    es: 'Jelou rechazó la tarjeta, así que no se envió nada. Vuelve a intentarlo; si sigue pasando, avisa a tu administrador.',
  },
  server_error: {
    en: `Jelou had a problem on its side while handling the card. ${CHECK_FIRST_EN}`,
    es: `Jelou tuvo un problema de su lado al procesar la tarjeta. ${CHECK_FIRST_ES}`,
  },
};

/** Every code this module knows, with its sentence. Exported so tests can iterate it. */
export const REASONS: Readonly<Record<ReasonCode, Sentence>> = { ...JELOU_REASONS, ...OWN_REASONS };

/** Which outcome each code's sentence is written for. */
export const CERTAINTY: Readonly<Record<ReasonCode, Certainty>> = {
  unauthorized: 'failed',
  forbidden_bot: 'failed',
  bot_not_found: 'failed',
  message_could_not_be_send: 'failed',
  notification_could_not_be_send: 'failed',
  unprocessable_entity: 'failed',
  internal_server_error: 'failed',
  rate_limited: 'failed',
  unavailable: 'failed',
  unavailable_unknown: 'unknown',
  outside_24h_window: 'failed',
  unreachable: 'failed',
  timeout_unknown: 'unknown',
  connection_lost: 'unknown',
  bad_response: 'unknown',
  rejected: 'failed',
  server_error: 'unknown',
};

/**
 * The documented code for each documented 4xx status, used when an error body is unreadable (an
 * HTML page from a proxy, garbage, empty). Jelou's table pairs each code with one status, so the
 * status alone is the best evidence left for a refusal. Not 500: `internal_server_error` means
 * "nothing sent" only when Jelou itself says it; a bare 500 may come from anything after the
 * request was taken, so it stays uncertain (`server_error`).
 */
export const STATUS_FALLBACK: Readonly<Record<number, JelouCode>> = {
  400: 'message_could_not_be_send',
  401: 'unauthorized',
  403: 'forbidden_bot',
  404: 'bot_not_found',
  422: 'unprocessable_entity',
};

/**
 * A refusal's sentence with Jelou's own description after it, when Jelou gave one: for the codes
 * that name no cause (a "bad request"), the description is the only clue the person gets.
 */
export function withJelouDescription(sentence: Sentence, description: string | undefined): Sentence {
  if (description === undefined || description.trim() === '') return sentence;
  return {
    en: `${sentence.en} Jelou said: “${description}”`,
    es: `${sentence.es} Jelou dijo: “${description}”`,
  };
}

/** True when `code` is one of Jelou's documented codes. */
export function isJelouCode(code: string): code is JelouCode {
  return Object.hasOwn(JELOU_REASONS, code);
}

/** True when `code` is any code this module has a sentence for. */
export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASONS, code);
}

/**
 * The sentence for `code` when the outcome is `certainty`. A code whose sentence was written for
 * the other certainty (say `internal_server_error` inside a 4xx answer) gets the generic sentence
 * for the actual outcome, so an agent is never told "nothing was sent" when it may have been, or
 * the reverse. Unknown codes get the generic sentence too (`rejected` / `server_error`).
 */
export function reasonFor(code: string, certainty: Certainty): Sentence {
  if (isReasonCode(code) && CERTAINTY[code] === certainty) return REASONS[code];
  return certainty === 'failed' ? OWN_REASONS.rejected : OWN_REASONS.server_error;
}
