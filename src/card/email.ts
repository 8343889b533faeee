/**
 * Email addresses as people really have them: an RFC 5322 dot-atom local part and a DNS domain
 * with a dot and an alphabetic (or punycode) top-level label. Internationalised addresses
 * (`josé@münchen.de`, RFC 6531/6532) are accepted: non-ASCII characters are allowed in the local
 * part, and a Unicode domain is checked in its IDNA (punycode) form but kept as typed, which is
 * how the customer's phone should show it. Quoted local parts and IP-literal domains are valid in
 * theory but never typed into a contact card, so they are refused.
 */
import { domainToASCII } from 'node:url';

// RFC 6531 extends atext with any non-ASCII character (UTF8-non-ascii); control characters are
// refused elsewhere (text.ts), so "not ASCII" here is letters, marks and symbols of any script.
const ATEXT = "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\\u0000-\\u007F])";
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const TLD = '(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})';

/** A local part: dot-atom, ASCII or not. */
const LOCAL_PATTERN = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`, 'u');
/** A domain in its ASCII (IDNA) form. */
const ASCII_DOMAIN_PATTERN = new RegExp(`^(?:${LABEL}\\.)+${TLD}$`, 'u');

/** RFC 5321's limit on the part before the `@`. */
export const MAX_EMAIL_LOCAL_PART = 64;

/** Whether `address` is a valid address whose domain is already lower-case, as the wire carries it. */
export function isEmailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > MAX_EMAIL_LOCAL_PART) return false;
  const domain = address.slice(at + 1);
  if (domain !== domain.toLowerCase() || !LOCAL_PATTERN.test(address.slice(0, at))) return false;
  // Node's IDNA is lenient about hyphens at the ends of a label (UTS 46 CheckHyphens off).
  if (domain.split('.').some((label) => label.startsWith('-') || label.endsWith('-'))) return false;
  // domainToASCII answers '' for a domain IDNA refuses.
  const ascii = /^[\x21-\x7e]+$/u.test(domain) ? domain : domainToASCII(domain);
  return ascii !== '' && ASCII_DOMAIN_PATTERN.test(ascii);
}

/**
 * The address with its domain lower-cased, or `undefined` when it is not a valid address. Only
 * the domain is lower-cased: domains are case-insensitive, but RFC 5321 lets the local part be
 * case-sensitive, so changing it could in principle change the mailbox.
 */
export function normaliseEmail(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at > MAX_EMAIL_LOCAL_PART) return undefined;
  const address = `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
  return isEmailAddress(address) ? address : undefined;
}
