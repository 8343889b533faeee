/**
 * What Send reads back from a preview's `private_metadata`: decoded once per text and kept, so
 * the same metadata must give the same card and tampered metadata must be refused every time,
 * however often the genuine text was read before it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildContactsMessage } from '../../src/card/index.js';
import { previewSubmission } from '../../src/slack/listeners/preview.js';
import { carryPreviewContent, type PreviewContent, readPreviewContent } from '../../src/slack/metadata.js';
import { SqliteSendStore } from '../../src/store/sqlite.js';
import { JUAN, NOW, RECIPIENT, RECIPIENT_ID } from './cards.js';

const ALICE = 'U0ALICE';
const store = new SqliteSendStore(':memory:');
afterAll(() => store.close());

const content: PreviewContent = {
  channelId: 'C0SUPPORT',
  recipients: [{ id: RECIPIENT_ID, label: 'Juan · +593 99 123 4567' }],
  contacts: buildContactsMessage(RECIPIENT, [JUAN], { now: NOW }).contacts,
};

const request = { key: 'V1:h1', teamId: 'T1', requestedBy: ALICE, locale: 'en' } as const;

/** `text` with its JSON changed by `change`. */
function tampered(text: string, change: (json: PreviewContent) => void): string {
  const json = JSON.parse(text) as PreviewContent;
  change(json);
  return JSON.stringify(json);
}

describe('readPreviewContent', () => {
  it('gives the same card for the same metadata every time, and Send the same messages', async () => {
    const metadata = await carryPreviewContent(store, content, ALICE);
    const first = await readPreviewContent(store, metadata, ALICE);
    const second = await readPreviewContent(store, metadata, ALICE);
    expect(first).toEqual(content);
    expect(second).toEqual(content);
    const sent = first && previewSubmission(first, request);
    const again = second && previewSubmission(second, request);
    expect(sent?.to.map(({ message }) => message)).toEqual([
      { type: 'contacts', userId: RECIPIENT_ID, contacts: content.contacts },
    ]);
    expect(again).toEqual(sent);
  });

  it('refuses tampered metadata every time, before and after the genuine text was read', async () => {
    const metadata = await carryPreviewContent(store, content, ALICE);
    const forgeries = [
      tampered(metadata, (json) => {
        json.contacts[0] = { ...json.contacts[0], phones: [{ phone: '+5930000' }] } as never;
      }),
      tampered(metadata, (json) => {
        json.recipients[0] = { id: 'not-a-whatsapp-id', label: 'x' };
      }),
      tampered(metadata, (json) => {
        json.channelId = 'not a channel';
      }),
      tampered(metadata, (json) => {
        json.contacts = [];
      }),
      `${metadata.slice(0, -1)}`,
    ];
    for (const forged of forgeries) expect(await readPreviewContent(store, forged, ALICE)).toBeUndefined();
    expect(await readPreviewContent(store, metadata, ALICE)).toEqual(content);
    for (const forged of forgeries) expect(await readPreviewContent(store, forged, ALICE)).toBeUndefined();
  });

  it('hands out a card no reader can change for the next one', async () => {
    const metadata = await carryPreviewContent(store, content, ALICE);
    const read = await readPreviewContent(store, metadata, ALICE);
    expect(() => {
      (read?.recipients as { id: string }[] | undefined)?.push({ id: '593990000000' });
    }).toThrow(TypeError);
    expect(() => {
      if (read?.contacts[0]) read.contacts[0].name.formatted_name = 'Someone else';
    }).toThrow(TypeError);
    expect(await readPreviewContent(store, metadata, ALICE)).toEqual(content);
  });
});
