/**
 * Escapes text that came from a person or an API for Slack mrkdwn. Slack gives meaning to
 * exactly three characters; unescaped, a contact named `<!channel>` pings the whole channel
 * and `<https://evil|click>` becomes a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's formatting characters, each with a character that looks the same and means nothing.
 * Slack documents no way to escape them (only `& < >`), so they are swapped for look-alikes.
 */
const LOOKALIKE: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\u02CD', // ˍ MODIFIER LETTER LOW MACRON
  '~': '\u223C', // ∼ TILDE OPERATOR
  '`': '\u02CB', // ˋ MODIFIER LETTER GRAVE ACCENT
};

/**
 * A marker can open or close formatting only at a word's edge; between two letters or digits
 * (`juan_perez@example.com`) Slack leaves it alone, and so does this.
 */
const AT_AN_EDGE = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;

/**
 * Text from a person or an API, ready to sit inside the app's own mrkdwn (`*${name}*`): escaped
 * as Slack documents, and with any `*`, `_`, `~` or backtick that could pair with the app's
 * markers swapped for a look-alike, so a name like `*Ana_` cannot bold or italicise the rest of
 * the message. Only what is shown changes; the card sent keeps every character.
 */
export function userText(text: string): string {
  return escapeMrkdwn(text).replace(AT_AN_EDGE, (marker) => LOOKALIKE[marker] ?? marker);
}
