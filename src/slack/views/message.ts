import type { ModalView } from '@slack/types';
import { strings } from '../strings.js';
import { plain } from './elements.js';

/** A modal that only says something, for when a submission cannot go on (out of date, not allowed). */
export function messageView(mrkdwn: string): ModalView {
  return {
    type: 'modal',
    title: plain(strings.modal.title),
    close: plain(strings.form.closed),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }],
  };
}
