/**
 * Email addresses as people really have them: an RFC 5322 dot-atom local part and a DNS domain
 * with a dot and an alphabetic (or punycode) top-level label. Quoted local parts and IP-literal
 * domains are valid in theory but never typed into a contact card, so they are refused.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const TLD = '(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})';

/** A whole address whose domain is already lower-case, as the wire carries it. */
export const EMAIL_PATTERN = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL}\\.)+${TLD}$`);

/** RFC 5321's limit on the part before the `@`. */
export const MAX_EMAIL_LOCAL_PART = 64;

/**
 * The address with its domain lower-cased, or `undefined` when it is not a valid address. Only
 * the domain is lower-cased: domains are case-insensitive, but RFC 5321 lets the local part be
 * case-sensitive, so changing it could in principle change the mailbox.
 */
export function normaliseEmail(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at > MAX_EMAIL_LOCAL_PART) return undefined;
  const address = `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
  return EMAIL_PATTERN.test(address) ? address : undefined;
}
