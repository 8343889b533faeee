/** Birthdays: real calendar dates as WhatsApp wants them, `YYYY-MM-DD`. */
import { MIN_BIRTHDAY_YEAR } from './limits.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

// The Earth's easternmost time zone is UTC+14: a date is "in the future" only once it has not
// begun anywhere yet, so a birthday entered on the day itself is never refused.
const EASTERNMOST_OFFSET_MS = 14 * 60 * 60 * 1000;

/** Whether `text` is `YYYY-MM-DD` naming a day that exists, from {@link MIN_BIRTHDAY_YEAR} on. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return (
    year >= MIN_BIRTHDAY_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Whether the calendar date `text` (already valid) has not yet begun in any time zone at `now`. */
export function isFutureDate(text: string, now: Date): boolean {
  const latestToday = new Date(now.getTime() + EASTERNMOST_OFFSET_MS).toISOString().slice(0, 10);
  return text > latestToday;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
