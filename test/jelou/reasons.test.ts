import { describe, expect, it } from 'vitest';
import {
  CERTAINTY,
  isJelouCode,
  JELOU_REASONS,
  JelouCode,
  OWN_REASONS,
  OwnCode,
  REASONS,
  reasonFor,
  STATUS_FALLBACK,
  withJelouDescription,
} from '../../src/jelou/index.js';

const entries = Object.entries(REASONS);

describe('reasons', () => {
  it('covers every Jelou code and every own code, nothing else', () => {
    expect(Object.keys(JELOU_REASONS).sort()).toEqual(Object.values(JelouCode).sort());
    expect(Object.keys(OWN_REASONS).sort()).toEqual(Object.values(OwnCode).sort());
    expect(Object.keys(CERTAINTY).sort()).toEqual(Object.keys(REASONS).sort());
  });

  it.each(entries)('%s reads as a plain sentence in both languages', (_code, sentence) => {
    for (const text of [sentence.en, sentence.es]) {
      expect(text.trim()).toBe(text);
      expect(text).toMatch(/^[A-ZÁÉÍÓÚÑ¿¡].*\.$/s);
      // No jargon a support agent would have to look up.
      expect(text).not.toMatch(
        /\bHTTP\b|\bAPI\b|\bJSON\b|\b[1-5]\d\d\b|status code|timeout|socket|endpoint/i,
      );
    }
    expect(sentence.en).not.toBe(sentence.es);
  });

  it.each(entries)('%s says whether the card may have arrived', (code, sentence) => {
    const certainty = CERTAINTY[code as keyof typeof CERTAINTY];
    if (certainty === 'failed') {
      expect(sentence.en).toContain('nothing was sent');
      expect(sentence.es).toContain('no se envió nada');
    } else {
      expect(sentence.en).toContain('check with them before sending it again');
      expect(sentence.es).toContain('confírmalo con él antes de volver a enviarla');
    }
  });

  it('explains the WhatsApp 24-hour window only for the window (evidence), not for any bad request', () => {
    const { en, es } = OWN_REASONS.outside_24h_window;
    expect(en).toMatch(/24 hours/);
    expect(en).toMatch(/template/);
    expect(en).toMatch(/writes to us/);
    expect(es).toMatch(/24 horas/);
    expect(es).toMatch(/plantilla/);
    // Jelou's table: a bad request, no cause named.
    for (const code of ['message_could_not_be_send', 'notification_could_not_be_send'] as const) {
      expect(JELOU_REASONS[code].en).not.toMatch(/24 hours/);
      expect(JELOU_REASONS[code].en).toMatch(/bad request/);
      expect(JELOU_REASONS[code].es).toMatch(/solicitud incorrecta/);
    }
  });

  it('internal_server_error is a configuration problem: nothing sent, the admin acts', () => {
    expect(CERTAINTY.internal_server_error).toBe('failed');
    expect(JELOU_REASONS.internal_server_error.en).toMatch(/nothing was sent/);
    expect(JELOU_REASONS.internal_server_error.en).toMatch(/administrator/);
    expect(JELOU_REASONS.internal_server_error.es).toMatch(/administrador/);
    expect(JELOU_REASONS.internal_server_error.en).not.toMatch(/may have reached/);
  });

  it("adds Jelou's own description to a sentence, in both languages", () => {
    expect(withJelouDescription(JELOU_REASONS.message_could_not_be_send, 'Invalid userId')).toEqual({
      en: `${JELOU_REASONS.message_could_not_be_send.en} Jelou said: “Invalid userId”`,
      es: `${JELOU_REASONS.message_could_not_be_send.es} Jelou dijo: “Invalid userId”`,
    });
    expect(withJelouDescription(JELOU_REASONS.message_could_not_be_send, undefined)).toBe(
      JELOU_REASONS.message_could_not_be_send,
    );
  });

  it('tells the agent to ask the administrator about credentials', () => {
    expect(JELOU_REASONS.unauthorized.en).toMatch(/administrator/);
    expect(JELOU_REASONS.unauthorized.es).toMatch(/administrador/);
  });

  it('maps each documented status to its documented code', () => {
    expect(STATUS_FALLBACK).toEqual({
      400: 'message_could_not_be_send',
      401: 'unauthorized',
      403: 'forbidden_bot',
      404: 'bot_not_found',
      422: 'unprocessable_entity',
    });
  });

  it('falls back to a generic sentence for unknown codes and for a code of the other certainty', () => {
    expect(reasonFor('E1234', 'failed')).toBe(OWN_REASONS.rejected);
    expect(reasonFor('E1234', 'unknown')).toBe(OWN_REASONS.server_error);
    expect(reasonFor('internal_server_error', 'unknown')).toBe(OWN_REASONS.server_error);
    expect(reasonFor('unauthorized', 'unknown')).toBe(OWN_REASONS.server_error);
    expect(reasonFor('unauthorized', 'failed')).toBe(JELOU_REASONS.unauthorized);
    expect(isJelouCode('toString')).toBe(false);
  });
});
