/** Web addresses a contact card may link to. */

/**
 * Whether `text` is an absolute http(s) URL with a host and without user name or password.
 * Other schemes (`javascript:`, `data:`, `file:`) are refused because the recipient's phone opens
 * the link; credentials are refused because `https://bank.example@evil.example` is a phishing
 * trick. The scheme must be followed by `//` so that loose forms the URL parser repairs
 * (`https:example.com`) are not sent as typed.
 */
export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/[^\s/?#]/iu.test(text) || /\s/u.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}
