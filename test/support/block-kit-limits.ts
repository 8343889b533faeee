/**
 * The Block Kit limits Slack enforces, checked the way Slack would. The Slack stand-in refuses
 * what breaks them (as Slack answers invalid_arguments), the harness checks views returned in
 * response_action, and the view unit tests check every view at its extremes: a stand-in that
 * accepted what Slack refuses would let an oversized view pass its tests and fail in production.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Calls `visit` on every object in `node`, with a readable path. */
function walk(
  node: unknown,
  visit: (object: Record<string, unknown>, path: string) => void,
  path = '$',
): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      walk(item, visit, `${path}[${index}]`);
    });
    return;
  }
  if (!isRecord(node)) return;
  visit(node, path);
  for (const [key, value] of Object.entries(node)) walk(value, visit, `${path}.${key}`);
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'static_select',
  'external_select',
  'multi_external_select',
  'datepicker',
]);

/**
 * Every Block Kit limit `blocks` break, as readable lines (empty when all is well). Covers the
 * parts this app uses: blocks, block and action ids, text inputs, selects, buttons and texts.
 */
export function blockLimitViolations(blocks: readonly unknown[], maxBlocks: number): string[] {
  const problems: string[] = [];
  const problem = (path: string, what: string) => problems.push(`${path}: ${what}`);
  if (blocks.length > maxBlocks) problem('$.blocks', `${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = blocks
    .map((block) => (isRecord(block) ? block.block_id : undefined))
    .filter((id) => id !== undefined);
  const duplicates = blockIds.filter((id, index) => blockIds.indexOf(id) !== index);
  if (duplicates.length > 0) problem('$.blocks', `duplicate block ids ${duplicates.join(', ')}`);

  walk(
    blocks,
    (object, path) => {
      const type = object.type;
      if (typeof object.block_id === 'string' && object.block_id.length > 255)
        problem(path, 'block_id > 255');
      if (typeof object.action_id === 'string' && object.action_id.length > 255)
        problem(path, 'action_id > 255');
      if (type === 'input') {
        if (typeof object.block_id !== 'string' || object.block_id === '')
          problem(path, 'input without block_id');
        const label = textOf(object.label);
        if (label === undefined || label.length > 2000) problem(path, 'label missing or > 2000');
        const hint = textOf(object.hint);
        if (hint !== undefined && hint.length > 2000) problem(path, 'hint > 2000');
      }
      if (typeof type === 'string' && (INPUT_ELEMENTS.has(type) || type === 'button')) {
        if (typeof object.action_id !== 'string' || object.action_id === '')
          problem(path, `${type} without action_id`);
        const placeholder = textOf(object.placeholder);
        if (placeholder !== undefined && placeholder.length > 150) problem(path, 'placeholder > 150');
      }
      if (type === 'plain_text_input') {
        const max = object.max_length;
        if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 3000) {
          problem(path, `max_length ${String(max)} not in 1..3000`);
        } else if (typeof object.initial_value === 'string' && object.initial_value.length > max) {
          problem(path, 'initial_value longer than max_length');
        }
      }
      if (type === 'static_select') {
        const options = Array.isArray(object.options) ? object.options : [];
        if (options.length < 1 || options.length > 100)
          problem(path, `${options.length} options not in 1..100`);
        if (
          object.initial_option !== undefined &&
          !options.some((o) => sameOption(o, object.initial_option))
        ) {
          problem(path, 'initial_option is not one of the options');
        }
      }
      if (type === 'multi_external_select') {
        const max = object.max_selected_items;
        if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1))
          problem(path, `max_selected_items ${String(max)} is not a positive integer`);
        const initial = Array.isArray(object.initial_options) ? object.initial_options : [];
        if (typeof max === 'number' && initial.length > max)
          problem(path, `${initial.length} initial_options > max_selected_items ${max}`);
      }
      if (type === 'button') {
        const text = textOf(object.text);
        if (text === undefined || text.length > 75) problem(path, 'button text missing or > 75');
        if (typeof object.value === 'string' && object.value.length > 2000)
          problem(path, 'button value > 2000');
      }
      if (type === 'section') {
        const text = textOf(object.text);
        if (text !== undefined && text.length > 3000) problem(path, `section text ${text.length} > 3000`);
      }
      if (type === 'context') {
        const elements = Array.isArray(object.elements) ? object.elements : [];
        if (elements.length < 1 || elements.length > 10) problem(path, 'context elements not in 1..10');
      }
      if ((type === 'mrkdwn' || type === 'plain_text') && typeof object.text === 'string') {
        if (object.text.length === 0) problem(path, 'empty text');
        if (object.text.length > 3000) problem(path, 'text > 3000');
      }
      // Option objects (static options, an external_select's initial_option, a multi-select's initial_options).
      if (isRecord(object.text) && 'value' in object && !('type' in object)) {
        const text = textOf(object.text) ?? '';
        if (text.length < 1 || text.length > 75)
          problem(path, `option text length ${text.length} not in 1..75`);
        if (typeof object.value !== 'string' || object.value.length < 1 || object.value.length > 150) {
          problem(path, 'option value missing or > 150');
        }
      }
    },
    '$.blocks',
  );
  return problems;
}

function sameOption(a: unknown, b: unknown): boolean {
  return isRecord(a) && isRecord(b) && a.value === b.value && textOf(a.text) === textOf(b.text);
}

/** Every limit a modal view breaks (see {@link blockLimitViolations}); empty when all is well. */
export function modalLimitViolations(view: unknown): string[] {
  if (!isRecord(view) || !Array.isArray(view.blocks)) return ['$: not a view with blocks'];
  const blocks: unknown[] = view.blocks;
  const problems = blockLimitViolations(blocks, 100);
  const label = (name: string, text: string | undefined) => {
    if (text !== undefined && (text.length < 1 || text.length > 24))
      problems.push(`$.${name}: "${text}" > 24`);
  };
  label('title', textOf(view.title));
  label('submit', textOf(view.submit));
  label('close', textOf(view.close));
  if (blocks.some((block) => isRecord(block) && block.type === 'input') && view.submit === undefined) {
    problems.push('$.submit: inputs without submit');
  }
  const metadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
  if (metadata.length > 3000) problems.push(`$.private_metadata > 3000 (${metadata.length})`);
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255)
    problems.push('$.callback_id > 255');
  return problems;
}

/** Every limit a chat message breaks (chat.postMessage, chat.update, chat.postEphemeral). */
export function messageLimitViolations(args: Readonly<Record<string, unknown>>): string[] {
  const problems = Array.isArray(args.blocks) ? blockLimitViolations(args.blocks, 50) : [];
  if (typeof args.text === 'string' && args.text.length > 40_000) problems.push('$.text > 40,000');
  return problems;
}
