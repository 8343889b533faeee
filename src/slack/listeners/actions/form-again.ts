import type { ModalView } from '@slack/types';
import type { ContactInput } from '../../../card/index.js';
import type { DraftStore } from '../../../store/types.js';
import { formContext } from '../../contacts.js';
import { readCardForm, readResultChannel } from '../../form.js';
import type { CardFormMetadata, RowCounts } from '../../metadata.js';
import { cardFormView } from '../../views/card-form.js';
import type { Click } from './replace-view.js';

/** What a button changes in the form it rebuilds; anything left out stays as it was. */
export type FormChange = Readonly<{
  contact?: ContactInput;
  rows?: RowCounts;
  hint?: string;
  /** A new profile generation: the fields the profile fills get new block ids (ids.ts). */
  generation?: number;
}>;

/**
 * The clicked card form again, in place, with `change` applied to what was typed: the
 * recipients, the result channel chosen on the shortcut's form, the contacts collected before
 * and the contact being edited all carried on, since a rebuilt form that lost one of them would
 * silently change the card.
 */
export async function formAgain(
  store: DraftStore,
  { view, userId, locale }: Click,
  metadata: CardFormMetadata,
  change: (typed: ContactInput) => FormChange,
): Promise<ModalView> {
  const { contact: typed, recipients } = readCardForm(view.state.values);
  const changed = change(typed);
  const context = await formContext(store, userId, metadata, locale);
  return cardFormView({
    locale,
    channelId: metadata.channelId,
    threadTs: metadata.threadTs,
    rows: changed.rows ?? metadata.rows,
    contact: changed.contact ?? typed,
    recipients,
    generation: changed.generation ?? metadata.generation,
    // Slack does not carry an input's value across views.update reliably: the choice is passed on.
    resultChannel: readResultChannel(view.state.values),
    ...context,
    ...(changed.hint === undefined ? {} : { hint: changed.hint }),
  });
}
