/**
 * The app against a Slack stand-in that answers as Slack documents (test/support/slack-model.ts):
 * views that keep what was typed, conversations the bot cannot post in, deleted messages, rate
 * limits. Each test drives the real app through signed requests and checks what the person ends
 * up seeing. docs/slack-behaviour.md lists which test covers which behaviour.
 */
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/harness.js';
import { JUAN_FORM } from '../support/juan.js';
import { ALICE, CHANNEL } from '../support/slack-payloads.js';

let h: Harness;
afterEach(async () => h?.stop());

const previewMetadata = z.object({
  contacts: z.array(
    z
      .object({
        name: z.object({ formatted_name: z.string() }).loose(),
        org: z.object({ company: z.string().optional(), title: z.string().optional() }).loose().optional(),
        phones: z.array(z.object({ phone: z.string() }).loose()).optional(),
      })
      .loose(),
  ),
  recipients: z.array(z.object({ id: z.string() }).loose()),
});

/** The card a preview will send, read from the preview's metadata. */
function previewed(view: ModalView) {
  return previewMetadata.parse(JSON.parse(view.private_metadata ?? '{}'));
}

describe('"Use my Slack profile" on a Slack that keeps typed inputs', () => {
  it('shows the profile in the fields it fills and keeps what was typed elsewhere', async () => {
    h = await startHarness();
    h.slack.setProfile(ALICE.id, {
      real_name: 'Alicia Núñez',
      first_name: 'Alicia',
      last_name: 'Núñez',
      title: 'Customer Success Lead',
      phone: '+593 99 765 4321',
    });
    const form = await h.openForm();
    await h.click(form, ActionId.UseProfile, BlockId.ProfileActions, {
      ...JUAN_FORM,
      [BlockId.Company]: 'Jelou',
    });
    await h.slack.waitFor('views.update');
    const shown = h.slack.shownView(form.id);
    if (!shown) throw new Error('the stand-in has no view on screen');
    // Submitted untouched: what the person sees is what Slack reports.
    const card = previewed(await h.preview(shown, {}));
    expect(card.contacts[0]?.name.formatted_name).toBe('Alicia Núñez');
    expect(card.contacts[0]?.org?.title).toBe('Customer Success Lead');
    expect(card.contacts[0]?.phones?.[0]?.phone).toBe('+593997654321');
    // Not touched by the profile: kept as typed.
    expect(card.contacts[0]?.org?.company).toBe('Jelou');
    expect(card.recipients.map((r) => r.id)).toEqual(['593991234567']);
  });
});

void CHANNEL;
