import type { ModalView } from '@slack/types';
import { catalogue, type Locale } from '../i18n/index.js';
import { plain } from './elements.js';

/** A modal that only says something, for when a submission cannot go on (out of date, not allowed). */
export function messageView(mrkdwn: string, locale: Locale): ModalView {
  const t = catalogue(locale);
  return {
    type: 'modal',
    title: plain(t.modal.title),
    close: plain(t.form.closed),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }],
  };
}
