import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SendRecord } from '../../../store/types.js';
import { sendRefusal } from '../../access.js';
import { type Catalogue, catalogue } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A sentence of the clicker's catalogue. */
export type Words = (t: Catalogue) => string;

/** What a button on a send's result acts with, once the clicker may act on that send. */
export type SendClick = Readonly<{
  send: SendRecord;
  userId: string;
  client: AllMiddlewareArgs['client'];
  /** The clicker's catalogue (their language, not the requester's). */
  words(): Promise<Catalogue>;
  /** Answers the clicker alone, leaving the result's message as it is. */
  tell(sentence: Words): Promise<void>;
}>;

export type SendButton = Readonly<{
  /** Names the button in logs ("retry", "cancel", ".vcf download"). */
  what: string;
  /** Said when no send has the button's id (pruned, or a forged value). */
  notFound: Words;
  /** Said to someone who is neither its requester nor on ALLOWED_USER_IDS. */
  notYours: Words;
}>;

/**
 * A button on a send's result (Retry, Send again anyway, Cancel, Download .vcf): acknowledges,
 * finds the send by the button's value and asks `sendRefusal` (the one rule) whether the clicker
 * may act on it, answering a refusal privately in the clicker's language. `act` runs only for a
 * send the clicker may act on, so the buttons cannot drift apart on who may press them.
 */
export function sendButton(deps: ListenerDeps, button: SendButton, act: (click: SendClick) => Promise<void>) {
  return async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    const sendId = action.value ?? '';
    const userId = body.user.id;
    let words: Promise<Catalogue> | undefined;
    const click = {
      userId,
      client,
      // Looked up only when something is said: a plain Retry needs no language.
      words: () => {
        words ??= deps.locales.localeOf(userId).then(catalogue);
        return words;
      },
      tell: async (sentence: Words) => {
        const t = await click.words();
        await respond({ response_type: 'ephemeral', replace_original: false, text: sentence(t) });
      },
    };
    const send = await deps.store.get(sendId);
    if (!send) return click.tell(button.notFound);
    const refusal = sendRefusal(deps.config.access, userId, send);
    if (refusal) {
      deps.logger.info({ sendId }, `refused a ${button.what}: not the requester or not allowed`);
      return click.tell((t) => (refusal === 'not_allowed' ? t.command.notAllowed : button.notYours(t)));
    }
    await act({ ...click, send });
  };
}
