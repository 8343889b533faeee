/**
 * Requests as Slack sends them to an HTTP-mode app: form-encoded, signed with the signing
 * secret (`v0:{timestamp}:{body}`, HMAC-SHA256). Slash commands are plain form fields;
 * interactivity and options loads are one form field `payload` holding JSON.
 */
import { createHmac } from 'node:crypto';

export type SignOptions = Readonly<{
  signingSecret: string;
  /** Seconds since the epoch; defaults to now. A stale one tests replay protection. */
  timestamp?: number;
  /** Overrides the computed signature, to test forgeries. `null` sends none at all. */
  signature?: string | null;
  /** Events API requests are JSON; commands and interactivity are form-encoded (the default). */
  contentType?: string;
}>;

export function signatureFor(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type SlackHttpResponse = Readonly<{ status: number; text: string; json: unknown }>;

/** POSTs a form body to the app as Slack would, signed unless the options say otherwise. */
export async function postSigned(
  url: string,
  body: string,
  options: SignOptions,
): Promise<SlackHttpResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature === undefined
      ? signatureFor(options.signingSecret, timestamp, body)
      : options.signature;
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
  };
  if (signature !== null) headers['x-slack-signature'] = signature;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** The form body of an interactivity or options-load request. */
export function payloadBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The form body of a slash command invocation. */
export function commandBody(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}
