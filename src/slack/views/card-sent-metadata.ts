/**
 * The message metadata on every result message (https://docs.slack.dev/messaging/message-metadata):
 * other apps and workflows subscribed to `jelou_card_sent` learn that a card went out, and how it
 * went, without reading the message. Ids and the status only: the card and the customer's number
 * are personal data, and metadata is readable by every app in the conversation.
 */
import type { MessageMetadata } from '@slack/types';
import type { SendRecord } from '../../store/types.js';
import { MetadataEventType } from '../ids.js';

export function cardSentMetadata(
  send: Pick<SendRecord, 'id' | 'status' | 'messageId' | 'batchId'>,
): MessageMetadata {
  return {
    event_type: MetadataEventType.CardSent,
    event_payload: {
      send_id: send.id,
      status: send.status,
      ...(send.messageId === undefined ? {} : { message_id: send.messageId }),
      ...(send.batchId === undefined ? {} : { batch_id: send.batchId }),
    },
  };
}
