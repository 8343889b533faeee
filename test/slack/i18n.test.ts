/**
 * The catalogues: the same keys in every language, functions with the same parameters, nothing
 * left in English by mistake, and every text within the Slack limit of where it is shown.
 */
import { describe, expect, it } from 'vitest';
import { ADDRESS_TYPES, EMAIL_TYPES, PHONE_TYPES } from '../../src/card/index.js';
import {
  CATALOGUES,
  type Catalogue,
  catalogue,
  LOCALES,
  type Locale,
  localeFromSlack,
  typeLabel,
} from '../../src/slack/i18n/index.js';
import { OPTION_TEXT_MAX } from '../../src/slack/views/elements.js';

/** A leaf of a catalogue: a text, or a function that makes one. */
type Leaf = string | ((...args: never[]) => string);

/** Every leaf of a catalogue by its dotted path. */
function leaves(node: unknown, path = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (typeof node === 'string' || typeof node === 'function') {
    found.set(path, node);
    return found;
  }
  if (typeof node !== 'object' || node === null) {
    found.set(path, node);
    return found;
  }
  for (const [key, child] of Object.entries(node)) {
    for (const [childPath, leaf] of leaves(child, path ? `${path}.${key}` : key)) found.set(childPath, leaf);
  }
  return found;
}

/**
 * What a leaf says: a function is called with every argument 1 (the singular forms) and with
 * markers `«0»`, `«1»`… (the general forms), so its own words can be compared apart from them.
 */
function render(leaf: unknown): string[] {
  if (typeof leaf === 'string') return [leaf];
  if (typeof leaf !== 'function') throw new Error(`not a text or a function: ${String(leaf)}`);
  const fn = leaf as (...args: unknown[]) => unknown;
  const ones = fn(...Array.from({ length: fn.length }, () => 1));
  const marked = fn(...Array.from({ length: fn.length }, (_, i) => `«${i}»`));
  return [String(ones), String(marked)];
}

/** Whether `text` has words of its own (not only digits, signs and argument markers). */
const hasWords = (text: string) => /\p{L}/u.test(text.replace(/«\d»/gu, ''));

/** How `translated` differs from `reference` in shape: keys missing, keys extra, parameter counts. */
function differences(reference: unknown, translated: unknown) {
  const want = leaves(reference);
  const have = leaves(translated);
  return {
    missing: [...want.keys()].filter((key) => !have.has(key)),
    extra: [...have.keys()].filter((key) => !want.has(key)),
    kind: [...want]
      .filter(([key, leaf]) => have.has(key) && typeof have.get(key) !== typeof leaf)
      .map(([k]) => k),
    parameters: [...want]
      .filter(([key, leaf]) => typeof leaf === 'function' && typeof have.get(key) === 'function')
      .filter(([key, leaf]) => (have.get(key) as Leaf).length !== (leaf as Leaf).length)
      .map(([key]) => key),
  };
}

/** Keys whose text in `translated` is the English text, but for the allow-list and texts without words. */
function untranslated(translated: unknown): string[] {
  const have = leaves(translated);
  return (
    [...reference]
      .filter(([key]) => !SAME_IN_SPANISH.has(key))
      // Texts without a letter (a phone number example) read the same in any language.
      .filter(([key, leaf]) => {
        const translatedForms = render(have.get(key));
        return render(leaf).some((form, i) => hasWords(form) && form === translatedForms[i]);
      })
      .map(([key]) => key)
  );
}

const NO_DIFFERENCES = { missing: [], extra: [], kind: [], parameters: [] };

const reference = leaves(CATALOGUES.en);
const others = LOCALES.filter((locale) => locale !== 'en');

/**
 * Spanish texts that are rightly the same as the English: names, examples and product terms.
 * Add to this list only what a Spanish reader would also write this way.
 */
const SAME_IN_SPANISH = new Set([
  'home.title', // the app's name, "Jelou Card"
  'fields.formattedNamePlaceholder', // an example name, "Juan Pérez"
  'fields.websitePlaceholder', // an example address
  'types.phone.iPhone', // a product name
  'types.phone.Fax', // the same word in Spanish
]);

describe('catalogues', () => {
  it('the English reference is not empty (the walk is not vacuous)', () => {
    expect(reference.size).toBeGreaterThan(80);
    expect(reference.get('modal.title')).toBe('Send contact card');
  });

  it.each(others)(
    '%s has exactly the keys English has, each of the same kind, functions with as many parameters',
    (locale) => {
      expect(differences(CATALOGUES.en, CATALOGUES[locale])).toEqual(NO_DIFFERENCES);
    },
  );

  it('the comparison catches a missing key, an extra key, another kind and another parameter count', () => {
    const { es } = CATALOGUES;
    const broken = {
      ...es,
      modal: { ...es.modal, title: undefined },
      preview: { ...es.preview, to: 'Para:' },
      notification: { ...es.notification, attempt: () => 'Intento' },
      extra: { word: 'palabra' },
    };
    expect(differences(CATALOGUES.en, broken)).toEqual({
      missing: [],
      extra: ['extra.word'],
      kind: ['modal.title', 'preview.to'],
      parameters: ['notification.attempt'],
    });
    const { home: _home, ...withoutHome } = es;
    expect(differences(CATALOGUES.en, withoutHome).missing).toEqual([
      'home.title',
      'home.intro',
      'home.team',
      'home.yours',
    ]);
  });

  it.each(others)('%s: nothing is left in English, but names and examples', (locale) => {
    expect(untranslated(CATALOGUES[locale])).toEqual([]);
  });

  it('the allow-list names only texts that exist and really are the same', () => {
    for (const key of SAME_IN_SPANISH) {
      expect(reference.has(key), key).toBe(true);
      expect(render(leaves(CATALOGUES.es).get(key)), key).toEqual(render(reference.get(key)));
    }
  });

  it('the untranslated check sees a sentence, a function or a singular form left in English', () => {
    const { en, es } = CATALOGUES;
    const careless = {
      ...es,
      retry: { ...es.retry, notYours: en.retry.notYours },
      notification: { ...es.notification, sent: en.notification.sent },
      // Spanish in general, English for one phone only.
      fields: { ...es.fields, phone: (n: number) => (n === 1 ? 'Phone' : `Teléfono ${n}`) },
    };
    expect(untranslated(careless)).toEqual(['fields.phone', 'retry.notYours', 'notification.sent']);
  });

  it.each(LOCALES)('%s: modal title, submit and close fit 24 characters; options 75', (locale) => {
    const t: Catalogue = catalogue(locale);
    for (const text of [t.modal.title, t.modal.preview, t.modal.send, t.modal.cancel, t.form.closed])
      expect(text.length, text).toBeLessThanOrEqual(24);
    for (const kind of ['phone', 'email', 'address'] as const)
      for (const label of Object.values(t.types[kind]))
        expect(label.length).toBeLessThanOrEqual(OPTION_TEXT_MAX);
    // The typed-number option holds the longest formatted number (about 20 characters) and the marker.
    expect(t.recipientOption.typed('+593 99 123 4567 890').length).toBeLessThanOrEqual(OPTION_TEXT_MAX);
  });

  it.each(LOCALES)('%s: placeholders fit 150 characters, hints 2000, button texts 75', (locale) => {
    const t = catalogue(locale);
    for (const text of [
      t.fields.recipientPlaceholder,
      t.fields.formattedNamePlaceholder,
      t.fields.phonePlaceholder,
      t.fields.emailPlaceholder,
      t.fields.websitePlaceholder,
    ])
      expect(text.length, text).toBeLessThanOrEqual(150);
    for (const text of [t.fields.recipientHint, t.fields.countryCodeHint])
      expect(text.length, text).toBeLessThanOrEqual(2000);
    for (const text of Object.values(t.buttons)) expect(text.length, text).toBeLessThanOrEqual(75);
  });
});

describe('localeFromSlack', () => {
  it.each<[string | undefined, Locale, Locale]>([
    ['es-ES', 'en', 'es'],
    ['es-LA', 'en', 'es'],
    ['es-419', 'en', 'es'],
    ['ES_mx', 'en', 'es'],
    ['en-US', 'es', 'en'],
    ['en-GB', 'es', 'en'],
    ['pt-BR', 'en', 'en'],
    ['pt-BR', 'es', 'es'],
    ['fr-FR', 'es', 'es'],
    ['', 'es', 'es'],
    [undefined, 'es', 'es'],
    ['eshmm', 'en', 'en'],
  ])('%s with default %s → %s', (tag, fallback, expected) => {
    expect(localeFromSlack(tag, fallback)).toBe(expected);
  });
});

describe('typeLabel', () => {
  it('gives every wire value a label in each language, and keeps other values as they are', () => {
    for (const locale of LOCALES) {
      for (const value of PHONE_TYPES) expect(typeLabel(locale, 'phone', value)).not.toBe('');
      for (const value of EMAIL_TYPES) expect(typeLabel(locale, 'email', value)).not.toBe('');
      for (const value of ADDRESS_TYPES) expect(typeLabel(locale, 'address', value)).not.toBe('');
      expect(typeLabel(locale, 'phone', 'Fax')).toBe('Fax');
      expect(typeLabel(locale, 'phone', 'toString')).toBe('toString');
    }
    expect(typeLabel('es', 'phone', 'Mobile')).toBe('Celular');
    expect(typeLabel('es', 'address', 'Office')).toBe('Oficina');
    expect(typeLabel('en', 'phone', 'Mobile')).toBe('Mobile');
  });
});
