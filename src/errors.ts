/**
 * Coded errors. Every error the app raises on purpose carries a stable `code` (for logs, metrics
 * and tests) and one sentence a person can act on, in each language the UI speaks.
 */

/** Every language the UI speaks; the first is the fallback of last resort. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** One human sentence in every UI language. */
export type Sentence = Readonly<Record<Locale, string>>;

export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  CardInvalid: 'card_invalid',
  SendInterrupted: 'send_interrupted',
  SendCancelled: 'send_cancelled',
  VcardInvalid: 'vcard_invalid',
  FileTooLarge: 'file_too_large',
  FileDownloadFailed: 'file_download_failed',
  FileUploadFailed: 'file_upload_failed',
  Unexpected: 'unexpected',
  /** Jelou refused the template sent ahead of a card (not approved, missing, bad parameters). */
  TemplateRefused: 'template_refused',
  /** Jelou took the template, then reported it FAILED: the card waits for nothing any more. */
  TemplateFailed: 'template_failed',
  /** The customer did not answer the template before AWAIT_REPLY_HOURS ran out. */
  ReplyNeverCame: 'reply_never_came',
  /** Jelou took the card, then reported it FAILED (WhatsApp did not deliver it). */
  FailedAfterAcceptance: 'failed_after_acceptance',
  /** Cancel pressed while the card waited for the customer's answer to its template. */
  ReplyWaitCancelled: 'reply_wait_cancelled',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const SENTENCES: Record<ErrorCode, Sentence> = {
  config_invalid: {
    en: 'The app is not configured correctly; an administrator must fix its settings.',
    es: 'La aplicación no está bien configurada; un administrador debe corregir su configuración.',
  },
  card_invalid: {
    en: 'Some fields of the contact card need fixing before it can be sent.',
    es: 'Hay campos de la tarjeta de contacto que corregir antes de enviarla.',
  },
  send_interrupted: {
    en: 'The app restarted while this card was being sent, so it may or may not have reached the customer. Check with them before sending it again.',
    es: 'La aplicación se reinició mientras se enviaba esta tarjeta, así que puede que haya llegado o no. Consulta con el cliente antes de volver a enviarla.',
  },
  send_cancelled: {
    en: 'Cancelled while Jelou was not answering: the card was not sent. Press Retry to send it.',
    es: 'Cancelado mientras Jelou no respondía: la tarjeta no se envió. Pulsa Reintentar para enviarla.',
  },
  vcard_invalid: {
    en: 'This file is not a contact card (vCard, .vcf), or it holds no contacts.',
    es: 'Este archivo no es una tarjeta de contacto (vCard, .vcf) o no contiene contactos.',
  },
  file_too_large: {
    en: 'The file is too large. Attach a contact file of at most 1 MB.',
    es: 'El archivo es demasiado grande. Adjunta un archivo de contactos de 1 MB como máximo.',
  },
  file_download_failed: {
    en: 'The file could not be fetched from Slack. Attach it again, or try again in a moment.',
    es: 'No se pudo obtener el archivo desde Slack. Adjúntalo de nuevo o inténtalo en un momento.',
  },
  file_upload_failed: {
    en: 'The contact file could not be posted to this conversation.',
    es: 'No se pudo publicar el archivo de contacto en esta conversación.',
  },
  unexpected: {
    en: 'Something went wrong on our side. Nothing was sent; please try again.',
    es: 'Algo falló de nuestro lado. No se envió nada; inténtalo de nuevo.',
  },
  template_refused: {
    en: 'Jelou refused the template (not approved for this bot, or a parameter it does not accept), so neither it nor the card was sent. Pick another template, or Retry the card.',
    es: 'Jelou rechazó la plantilla (no está aprobada para este bot o no acepta algún parámetro), así que no se envió ni ella ni la tarjeta. Elige otra plantilla o reintenta la tarjeta.',
  },
  template_failed: {
    en: 'Jelou took the template, then reported that WhatsApp could not deliver it, so the card is not waiting for an answer any more and was not sent. Send another template, or Retry the card.',
    es: 'Jelou aceptó la plantilla, pero luego informó que WhatsApp no pudo entregarla, así que la tarjeta ya no espera respuesta y no se envió. Envía otra plantilla o reintenta la tarjeta.',
  },
  reply_never_came: {
    en: 'The customer did not answer the template in time, so the card was not sent. Press Retry to send it anyway (WhatsApp may refuse it again), or send another template.',
    es: 'El cliente no respondió a la plantilla a tiempo, así que la tarjeta no se envió. Pulsa Reintentar para enviarla igualmente (WhatsApp puede volver a rechazarla) o envía otra plantilla.',
  },
  reply_wait_cancelled: {
    en: "Cancelled while waiting for the customer's answer: the card was not sent. Press Retry to send it.",
    es: 'Cancelado mientras se esperaba la respuesta del cliente: la tarjeta no se envió. Pulsa Reintentar para enviarla.',
  },
  failed_after_acceptance: {
    en: 'Jelou accepted the card, then reported that WhatsApp could not deliver it. Press Retry to send it again.',
    es: 'Jelou aceptó la tarjeta y luego informó que WhatsApp no pudo entregarla. Pulsa Reintentar para enviarla de nuevo.',
  },
};

/** The sentence a person sees for an error code. */
export function sentenceFor(code: ErrorCode): Sentence {
  return SENTENCES[code];
}

export class CodedError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
  }

  get sentence(): Sentence {
    return sentenceFor(this.code);
  }
}

/** Wraps anything thrown into a CodedError so callers handle one type; coded errors pass through. */
export function asCodedError(error: unknown): CodedError {
  if (error instanceof CodedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CodedError(ErrorCode.Unexpected, message, { cause: error });
}
