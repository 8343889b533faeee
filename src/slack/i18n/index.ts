/**
 * The Slack surface's words, one catalogue per language. To add a sentence: add its key to en.ts
 * (the reference), then the same key to es.ts (the type check fails until you do), and read it
 * through `catalogue(locale)`. Views take the locale in their input; listeners get it from
 * `deps.locales.localeOf(userId)`; a send's notification uses the locale stored with the send.
 */
import { LOCALES, type Locale } from '../../errors.js';
import { type Catalogue, en } from './en.js';
import { es } from './es.js';

export type { Catalogue, Locale };
export { LOCALES };

/** Every catalogue by locale. Exported so tests can walk them. */
export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, es };

/** The words of the UI in `locale`. */
export function catalogue(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

/**
 * The UI language for a Slack locale tag (`es-ES`, `es-LA`, `en-GB`, `pt-BR`…): its language part
 * when the UI speaks it, otherwise `fallback` (the deployment's DEFAULT_LOCALE).
 */
export function localeFromSlack(tag: string | undefined, fallback: Locale): Locale {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((locale) => locale === language) ?? fallback;
}

export type RowTypeKind = keyof Catalogue['types'];

/**
 * What a person sees for a row type sent to WhatsApp: the catalogue's label for a value the form
 * offers, the value itself for anything else (a type that came from elsewhere is shown as it is).
 */
export function typeLabel(locale: Locale, kind: RowTypeKind, value: string): string {
  const labels: Readonly<Record<string, string>> = catalogue(locale).types[kind];
  return (Object.hasOwn(labels, value) ? labels[value] : undefined) ?? value;
}
