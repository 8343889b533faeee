/**
 * Internal: the line-level work around ical.js. ical.js reads vCard 3.0 and 4.0 well but one
 * card per design set and not vCard 2.1 at all, while Android and Outlook still export 2.1. So a
 * file is cut into its cards here, and each card's 2.1 lines (bare TYPE parameters,
 * QUOTED-PRINTABLE values in any charset) are rewritten to the 3.0 form ical.js reads. Also the
 * writer's side: escaping and folding for vCard 3.0.
 */

const BEGIN = /^BEGIN\s*:\s*VCARD\s*$/iu;
const END = /^END\s*:\s*VCARD\s*$/iu;

/** Bare parameter values that 2.1 allows without `ENCODING=`. */
const BARE_ENCODINGS = new Set(['quoted-printable', 'base64', 'b', '8bit', '7bit']);

/**
 * The cards of a file, each as its raw lines from BEGIN to END. A card cut short by the end of
 * the file is kept (ical.js closes it), so a truncated download still yields what it holds.
 * Nested cards (2.1's AGENT) stay inside their parent.
 */
export function splitCards(text: string): string[][] {
  const cards: string[][] = [];
  let current: string[] | undefined;
  let depth = 0;
  for (const line of text.split(/\r\n|\r|\n/u)) {
    if (current === undefined) {
      if (BEGIN.test(line)) {
        current = [line];
        depth = 1;
      }
      continue;
    }
    current.push(line);
    if (BEGIN.test(line)) depth += 1;
    else if (END.test(line)) {
      depth -= 1;
      if (depth === 0) {
        cards.push(current);
        current = undefined;
      }
    }
  }
  if (current !== undefined) cards.push(current);
  return cards;
}

/** Where a content line's value starts: the first `:` outside a double-quoted parameter value. */
function valueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === ':' && !quoted) return i;
  }
  return -1;
}

/** `;`-separated parts outside double quotes. */
function splitParams(head: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < head.length; i += 1) {
    const char = head[i];
    if (char === '"') quoted = !quoted;
    else if (char === ';' && !quoted) {
      parts.push(head.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(head.slice(start));
  return parts;
}

function isQuotedPrintable(line: string): boolean {
  const colon = valueColon(line);
  const head = colon === -1 ? line : line.slice(0, colon);
  return /;\s*(?:ENCODING\s*=\s*)?"?QUOTED-PRINTABLE"?\s*(?:;|$)/iu.test(head);
}

/**
 * Unfolds a card's lines (a line starting with a space or tab continues the previous one, less
 * that one character) and joins QUOTED-PRINTABLE soft line breaks (`=` at the end of a line),
 * which 2.1 writers use instead of folding and which need not start with whitespace.
 */
export function logicalLines(raw: readonly string[]): string[] {
  const lines: string[] = [];
  let current: string | undefined;
  let softBreak = false;
  for (const line of raw) {
    if (current !== undefined && softBreak) {
      // Taken as is: a space opening the continuation is part of the encoded text.
      current = current.slice(0, -1) + line;
    } else if (current !== undefined && /^[ \t]/u.test(line)) {
      current += line.slice(1);
    } else {
      if (current !== undefined && current.trim() !== '') lines.push(current);
      current = line;
    }
    softBreak = current.endsWith('=') && isQuotedPrintable(current);
  }
  if (current !== undefined && current.trim() !== '') lines.push(current);
  return lines;
}

/** A decoder for `charset` as a 2.1 file names it (`UTF-8`, `ISO-8859-1`, `Windows-1252`). */
function textDecoder(charset: string | undefined): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    // An unknown charset name: UTF-8 is what nearly every writer today means.
    return new TextDecoder('utf-8');
  }
}

/** Decodes QUOTED-PRINTABLE text as bytes in `charset` (UTF-8 when unknown). */
function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const char = value.charCodeAt(i);
    const hex = value.slice(i + 1, i + 3);
    if (char === 0x3d && /^[0-9A-Fa-f]{2}$/u.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char < 0x80) {
      bytes.push(char);
    } else {
      // Not QP-safe, so the writer put the text itself here: keep it as UTF-8.
      bytes.push(...Buffer.from(value.charAt(i), 'utf8'));
    }
  }
  return textDecoder(charset).decode(Uint8Array.from(bytes));
}

/**
 * Rewrites one logical line to the 3.0 form ical.js reads: bare parameters become `TYPE=` (or
 * `ENCODING=`), a QUOTED-PRINTABLE value is decoded, and in a 2.1 card, whose values have no
 * escapes but `\;`, literal backslashes, commas and line breaks are escaped as 3.0 wants. Lines
 * already in 3.0 form are returned as they are.
 */
export function toVcard3Line(line: string, legacy: boolean): string {
  const colon = valueColon(line);
  if (colon === -1) return line;
  const [name = '', ...params] = splitParams(line.slice(0, colon));
  let value = line.slice(colon + 1);
  if (legacy && /^VERSION$/iu.test(name.trim())) return 'VERSION:3.0';

  const types: string[] = [];
  const kept: string[] = [];
  let encoding: string | undefined;
  let charset: string | undefined;
  let changed = false;
  for (const param of params) {
    const equals = param.indexOf('=');
    if (equals === -1) {
      const bare = param.trim();
      if (bare === '') {
        changed = true;
      } else if (BARE_ENCODINGS.has(bare.toLowerCase())) {
        encoding = bare;
        changed = true;
      } else {
        types.push(bare);
        changed = true;
      }
      continue;
    }
    const key = param.slice(0, equals).trim().toUpperCase();
    const paramValue = param
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/u, '$1');
    if (key === 'ENCODING') encoding = paramValue;
    else if (key === 'CHARSET') charset = paramValue;
    else kept.push(param);
  }

  const quotedPrintable = encoding?.toLowerCase() === 'quoted-printable';
  if (quotedPrintable) {
    value = decodeQuotedPrintable(value, charset);
    changed = true;
  }
  if (legacy) {
    const escaped = value.replace(/\\(?!;)/gu, '\\\\').replace(/,/gu, '\\,');
    if (escaped !== value) changed = true;
    value = escaped;
  }
  if (/\r\n|\r|\n/u.test(value)) {
    value = value.replace(/\r\n|\r|\n/gu, '\\n');
    changed = true;
  }
  if (!changed && charset === undefined) return line;

  const out = [name];
  if (types.length > 0) out.push(`TYPE=${types.join(',')}`);
  out.push(...kept);
  if (encoding !== undefined && !quotedPrintable) out.push(`ENCODING=${encoding}`);
  return `${out.join(';')}:${value}`;
}

/** A card as ical.js should get it, and the character that stands for `\\` in N, ADR and ORG. */
export type PreparedCard = { readonly text: string; readonly backslash: string | undefined };

const STRUCTURED = /^(?:[A-Za-z0-9-]+\.)?(?:N|ADR|ORG)$/iu;

/**
 * A character of Unicode's private use area that `text` does not contain, to stand in for an
 * escaped backslash: ical.js takes `\\;` (an escaped backslash, then a separator) for an escaped
 * `;`, and so merges "Pérez\" with the next component of N, ADR or ORG.
 */
function unusedCharacter(text: string): string | undefined {
  for (let code = 0xe000; code <= 0xf8ff; code += 1) {
    const char = String.fromCharCode(code);
    if (!text.includes(char)) return char;
  }
  return undefined;
}

/**
 * A card's lines ready for ical.js: unfolded, rewritten to 3.0 form where needed, VERSION first
 * after BEGIN (which is how ical.js tells 4.0 from 3.0), and escaped backslashes in structured
 * values replaced by `backslash`, for the reader to turn back into `\`.
 */
export function prepareCard(raw: readonly string[]): PreparedCard {
  const lines = logicalLines(raw);
  const version = lines.find((line) => /^VERSION\s*:/iu.test(line));
  const legacy = version !== undefined && /:\s*2\.1\s*$/u.test(version);
  const body = lines
    .slice(1)
    .filter((line) => line !== version && !END.test(line))
    .map((line) => toVcard3Line(line, legacy));
  const backslash = unusedCharacter(body.join(''));
  const protectedBody =
    backslash === undefined ? body : body.map((line) => protectBackslashes(line, backslash));
  const versionLine = version === undefined ? [] : [toVcard3Line(version.trim(), legacy)];
  const text = ['BEGIN:VCARD', ...versionLine, ...protectedBody, 'END:VCARD'].join('\r\n');
  return { text, backslash };
}

function protectBackslashes(line: string, backslash: string): string {
  const colon = valueColon(line);
  if (colon === -1) return line;
  const [name = ''] = splitParams(line.slice(0, colon));
  if (!STRUCTURED.test(name.trim())) return line;
  // Left to right, as escapes pair up: in `\\\;` the first two are a backslash, then `\;`.
  return line.slice(0, colon + 1) + line.slice(colon + 1).replace(/\\\\/gu, backslash);
}

/** Undoes vCard text escapes in a value ical.js leaves raw (extension properties). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/gu, (_match, char: string) =>
    char === 'n' || char === 'N' ? '\n' : char,
  );
}

/** Escapes a vCard 3.0 text value or structured component (RFC 2426 §4: `\\ \; \, \n`). */
export function escapeText(value: string): string {
  return value.replace(/[\\;,]/gu, (char) => `\\${char}`).replace(/\r\n|\r|\n/gu, '\\n');
}

/** Most octets of one physical line, CRLF excluded (RFC 2426 §2.6, RFC 6350 §3.2). */
export const FOLD_OCTETS = 75;

/**
 * Folds a content line into physical lines of at most {@link FOLD_OCTETS} UTF-8 octets each,
 * the leading space of a continuation line included, never inside a code point.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > FOLD_OCTETS) {
      parts.push(part);
      part = ' ';
      octets = 1;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n');
}
