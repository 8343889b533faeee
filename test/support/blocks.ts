/**
 * Look-ups in Block Kit by structure, for assertions that would otherwise search a view or a
 * message serialised to JSON: there a sentence can match inside a block id, a private_metadata
 * string or another text, and a reworded sentence can make a `not.toContain` pass vacuously.
 * Here a text counts only as one whole text object Slack shows, and a block only by its block_id.
 */

type Node = Readonly<Record<string, unknown>>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** The text of a Block Kit text object (`mrkdwn`, `plain_text`) or rich-text `text` element, or undefined. */
function textOf(node: Node): string | undefined {
  const { type, text } = node;
  return (type === 'mrkdwn' || type === 'plain_text' || type === 'text') && typeof text === 'string'
    ? text
    : undefined;
}

/**
 * Every text the blocks show, one entry per text object, in order: section texts and fields,
 * context elements, headers, button and option labels, input labels, hints and placeholders,
 * rich-text runs. Block ids, action ids, values and metadata are not texts and are left out.
 */
export function shownTexts(blocks: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!isNode(value)) return;
    const text = textOf(value);
    if (text !== undefined) {
      texts.push(text);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'value' && key !== 'private_metadata') walk(child);
    }
  };
  walk(blocks);
  return texts;
}

/** The block with `blockId`; throws (naming the ids there are) when there is none. */
export function blockWithId<B extends { block_id?: string | undefined }>(
  blocks: readonly B[],
  blockId: string,
): B {
  const block = blocks.find((candidate) => candidate.block_id === blockId);
  if (!block) {
    const ids = blocks.map((candidate) => candidate.block_id ?? '(none)').join(', ');
    throw new Error(`no block ${blockId} among ${ids}`);
  }
  return block;
}

/** Every action id in the blocks (buttons, selects, inputs' elements, accessories), in order. */
export function actionIds(blocks: unknown): string[] {
  const ids: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!isNode(value)) return;
    if (typeof value.action_id === 'string') ids.push(value.action_id);
    for (const child of Object.values(value)) walk(child);
  };
  walk(blocks);
  return ids;
}
