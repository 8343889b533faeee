import { describe, expect, it } from 'vitest';
import { CARD_ISSUE_CODES, type CardIssue, CardIssueCode, describeCardIssue } from '../../src/card/index.js';
import type { Locale } from '../../src/errors.js';

const LOCALES: readonly Locale[] = ['en', 'es'];

// Parameters each code is raised with, so every sentence is checked in the form people see.
const SAMPLE_PARAMS: Partial<Record<CardIssueCode, CardIssue['params']>> = {
  name_too_long_to_combine: { max: 127 },
  phone_invalid: { callingCode: '593', country: 'EC' },
  phone_too_short: { callingCode: '593', country: 'EC' },
  phone_too_long: { callingCode: '52', country: 'MX' },
  too_long: { max: 127 },
  too_many: { max: 20 },
  invalid_type: { expected: 'list' },
};

describe('describeCardIssue', () => {
  it('knows every code', () => {
    expect(new Set(CARD_ISSUE_CODES).size).toBe(Object.keys(CardIssueCode).length);
    expect(CARD_ISSUE_CODES).toContain('phone_needs_country');
  });

  it.each(CARD_ISSUE_CODES)('gives %s one sentence in English and a different one in Spanish', (code) => {
    const params = SAMPLE_PARAMS[code];
    const issue: CardIssue = params === undefined ? { path: ['x'], code } : { path: ['x'], code, params };
    const [en, es] = LOCALES.map((locale) => describeCardIssue(issue, locale));
    expect(en).toMatch(/^\S.*[.]$/u);
    expect(es).toMatch(/^\S.*[.]$/u);
    expect(es).not.toBe(en);
    expect(en).not.toMatch(/undefined|NaN|\$\{/u);
    expect(es).not.toMatch(/undefined|NaN|\$\{/u);
  });

  it('gives every code a sentence different from every other code', () => {
    for (const locale of LOCALES) {
      const sentences = CARD_ISSUE_CODES.map((code) =>
        describeCardIssue({ path: [], code, params: SAMPLE_PARAMS[code] ?? {} }, locale),
      );
      expect(new Set(sentences).size).toBe(sentences.length);
    }
  });

  it('says the limit', () => {
    const issue: CardIssue = { path: ['firstName'], code: 'too_long', params: { max: 127 } };
    expect(describeCardIssue(issue, 'en')).toBe('Use at most 127 characters.');
    expect(describeCardIssue(issue, 'es')).toBe('Usa como máximo 127 caracteres.');
    const list: CardIssue = { path: ['phones'], code: 'too_many', params: { max: 20 } };
    expect(describeCardIssue(list, 'en')).toBe('Keep at most 20 entries.');
    expect(describeCardIssue(list, 'es')).toBe('Deja como máximo 20 elementos.');
  });

  it('names the calling code and the country of a phone number, in the locale', () => {
    const issue: CardIssue = {
      path: ['phones', 0, 'number'],
      code: 'phone_too_short',
      params: { callingCode: '593', country: 'EC' },
    };
    expect(describeCardIssue(issue, 'en')).toBe('This phone number is too short for +593 (Ecuador).');
    expect(describeCardIssue(issue, 'es')).toBe(
      'Este número de teléfono es demasiado corto para +593 (Ecuador).',
    );
    const germany: CardIssue = {
      path: [],
      code: 'phone_invalid',
      params: { callingCode: '49', country: 'DE' },
    };
    expect(describeCardIssue(germany, 'en')).toBe(
      'Check the digits: this is not a valid phone number for +49 (Germany).',
    );
    expect(describeCardIssue(germany, 'es')).toBe(
      'Revisa los dígitos: este no es un número de teléfono válido para +49 (Alemania).',
    );
  });

  it('falls back to the calling code alone, or to no code', () => {
    const nanp: CardIssue = { path: [], code: 'phone_too_long', params: { callingCode: '1' } };
    expect(describeCardIssue(nanp, 'en')).toBe('This phone number is too long for +1.');
    expect(describeCardIssue({ path: [], code: 'phone_too_long' }, 'en')).toBe(
      'This phone number is too long; check for extra digits.',
    );
    expect(describeCardIssue({ path: [], code: 'phone_too_long' }, 'es')).toBe(
      'Este número de teléfono es demasiado largo; revisa si sobran dígitos.',
    );
  });

  it('tells a missing country code apart from a wrong one', () => {
    expect(describeCardIssue({ path: [], code: 'phone_needs_country' }, 'en')).toContain(
      'Add the country code',
    );
    expect(describeCardIssue({ path: [], code: 'phone_needs_country' }, 'es')).toContain(
      'Añade el código de país',
    );
    expect(describeCardIssue({ path: [], code: 'phone_invalid_country' }, 'en')).toContain('does not exist');
  });

  it('describes each expected type', () => {
    const sentence = (expected: string) =>
      describeCardIssue({ path: [], code: 'invalid_type', params: { expected } }, 'en');
    expect(new Set([sentence('text'), sentence('list'), sentence('object')]).size).toBe(3);
  });
});
