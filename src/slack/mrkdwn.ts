/**
 * Escapes text that came from a person or an API for Slack mrkdwn. Slack gives meaning to
 * exactly three characters; unescaped, a contact named `<!channel>` pings the whole channel
 * and `<https://evil|click>` becomes a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
