/**
 * One sentence per card issue, in each UI language, that tells the person how to fix the field.
 * The field itself is named by the UI (from the issue's path), so sentences do not repeat it.
 */
import type { Locale, Sentence } from '../errors.js';
import type { CardIssue, CardIssueCode } from './issues.js';

type Params = CardIssue['params'];

const regionNames = new Map<Locale, Intl.DisplayNames>();

// "+593 (Ecuador)" / "+593 (Ecuador)"; "+1" alone when the number fits no single country.
function callingCode(params: Params, locale: Locale): string | undefined {
  const code = params?.callingCode;
  if (code === undefined) return undefined;
  const country = params?.country;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/u.test(country)) return `+${code}`;
  let names = regionNames.get(locale);
  if (names === undefined) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  return `+${code} (${names.of(country) ?? country})`;
}

function max(params: Params): string {
  return String(params?.max ?? '');
}

function phoneSentence(params: Params, locale: Locale, en: string, es: string, enFor: string, esFor: string) {
  const code = callingCode(params, locale);
  if (locale === 'es') return code === undefined ? `${es}.` : `${esFor} ${code}.`;
  return code === undefined ? `${en}.` : `${enFor} ${code}.`;
}

const SENTENCES: Record<CardIssueCode, (params: Params, locale: Locale) => string> = {
  required: (_, locale) => pick(locale, { en: 'Fill in this field.', es: 'Completa este campo.' }),
  name_missing: (_, locale) =>
    pick(locale, {
      en: 'Add a name for the contact.',
      es: 'Añade un nombre para el contacto.',
    }),
  name_too_long_to_combine: (params, locale) =>
    pick(locale, {
      en: `Type a display name of at most ${max(params)} characters; the name parts together are longer.`,
      es: `Escribe un nombre para mostrar de como máximo ${max(params)} caracteres; las partes del nombre juntas son más largas.`,
    }),
  phone_characters: (_, locale) =>
    pick(locale, {
      en: 'Use only digits, spaces, dashes, dots and parentheses, with an optional + at the start.',
      es: 'Usa solo dígitos, espacios, guiones, puntos y paréntesis, con un + opcional al inicio.',
    }),
  phone_invalid: (params, locale) =>
    phoneSentence(
      params,
      locale,
      'This is not a valid phone number; check the digits',
      'Este no es un número de teléfono válido; revisa los dígitos',
      'Check the digits: this is not a valid phone number for',
      'Revisa los dígitos: este no es un número de teléfono válido para',
    ),
  phone_too_short: (params, locale) =>
    phoneSentence(
      params,
      locale,
      'This phone number is too short; check that no digit is missing',
      'Este número de teléfono es demasiado corto; revisa que no falte ningún dígito',
      'This phone number is too short for',
      'Este número de teléfono es demasiado corto para',
    ),
  phone_too_long: (params, locale) =>
    phoneSentence(
      params,
      locale,
      'This phone number is too long; check for extra digits',
      'Este número de teléfono es demasiado largo; revisa si sobran dígitos',
      'This phone number is too long for',
      'Este número de teléfono es demasiado largo para',
    ),
  phone_invalid_country: (_, locale) =>
    pick(locale, {
      en: 'The country code after + does not exist; check the first digits.',
      es: 'El código de país después de + no existe; revisa los primeros dígitos.',
    }),
  phone_needs_country: (_, locale) =>
    pick(locale, {
      en: 'Add the country code at the start, for example +593 99 123 4567.',
      es: 'Añade el código de país al inicio, por ejemplo +593 99 123 4567.',
    }),
  email_invalid: (_, locale) =>
    pick(locale, {
      en: 'Enter an email address such as name@example.com.',
      es: 'Escribe un correo electrónico como nombre@ejemplo.com.',
    }),
  country_code_unknown: (_, locale) =>
    pick(locale, {
      en: 'Use a two-letter ISO country code, such as EC, MX or US.',
      es: 'Usa un código de país ISO de dos letras, como EC, MX o US.',
    }),
  address_empty: (_, locale) =>
    pick(locale, {
      en: 'Fill in at least one part of the address, or remove its label.',
      es: 'Completa al menos una parte de la dirección o quita su etiqueta.',
    }),
  birthday_invalid: (_, locale) =>
    pick(locale, {
      en: 'Enter a real date from 1900 on, as YYYY-MM-DD (for example 1990-05-31).',
      es: 'Escribe una fecha real desde 1900, como AAAA-MM-DD (por ejemplo 1990-05-31).',
    }),
  birthday_in_future: (_, locale) =>
    pick(locale, {
      en: 'Enter a birthday that is not in the future.',
      es: 'Escribe una fecha de nacimiento que no esté en el futuro.',
    }),
  url_invalid: (_, locale) =>
    pick(locale, {
      en: 'Enter a web address that starts with https:// or http://.',
      es: 'Escribe una dirección web que empiece por https:// o http://.',
    }),
  too_long: (params, locale) =>
    pick(locale, {
      en: `Use at most ${max(params)} characters.`,
      es: `Usa como máximo ${max(params)} caracteres.`,
    }),
  too_many: (params, locale) =>
    pick(locale, {
      en: `Keep at most ${max(params)} entries.`,
      es: `Deja como máximo ${max(params)} elementos.`,
    }),
  contacts_empty: (_, locale) =>
    pick(locale, { en: 'Add at least one contact.', es: 'Añade al menos un contacto.' }),
  control_characters: (_, locale) =>
    pick(locale, {
      en: 'Remove the invisible or broken characters from this text; typing it again usually helps.',
      es: 'Quita los caracteres invisibles o dañados de este texto; suele bastar con volver a escribirlo.',
    }),
  invalid_type: (params, locale) => {
    switch (params?.expected) {
      case 'list':
        return pick(locale, { en: 'Give this value as a list.', es: 'Da este valor como una lista.' });
      case 'object':
        return pick(locale, {
          en: 'Give this value as an object with named fields.',
          es: 'Da este valor como un objeto con campos con nombre.',
        });
      default:
        return pick(locale, { en: 'Give this value as text.', es: 'Da este valor como texto.' });
    }
  },
  unknown_field: (_, locale) =>
    pick(locale, {
      en: 'Remove this field; contact cards do not have it.',
      es: 'Quita este campo; las tarjetas de contacto no lo tienen.',
    }),
};

function pick(locale: Locale, sentence: Sentence): string {
  return sentence[locale];
}

/**
 * One sentence, in `locale`, that tells a person how to fix the field `issue.path` points at,
 * e.g. 'Use at most 127 characters.' / 'Usa como máximo 127 caracteres.'
 */
export function describeCardIssue(issue: CardIssue, locale: Locale): string {
  return SENTENCES[issue.code](issue.params, locale);
}
