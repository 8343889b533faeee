/**
 * A deliberately small Block Kit → HTML renderer, so the README's pictures of the modal, the
 * preview and the channel message are drawn from the JSON the app really produces rather than
 * mocked up by hand (a hand-made picture drifts from the code the first time a label changes).
 *
 * Honesty rules: every word on screen comes from the JSON given or, for a mention, from the names
 * passed in (Slack shows `<@U…>` as the person's name, which the view JSON does not hold); the
 * only words the renderer adds are Slack's own chrome ("(optional)", "×", "▾"). A block, element
 * or mention it cannot draw as Slack would stops the rendering with an error naming it, so a
 * picture can neither look complete while hiding part of the view nor show a placeholder box.
 * The input is read as `unknown` (it is parsed back from the saved JSON file), so nothing the
 * renderer shows can come from anywhere but that file and the names.
 */

type Obj = Readonly<Record<string, unknown>>;

/** The names Slack would show for the ids in a view: users (`U…`/`W…`) and channels (`C…`). */
export type Names = Readonly<{
  users?: Readonly<Record<string, string>>;
  channels?: Readonly<Record<string, string>>;
}>;

/**
 * Something in the view the renderer cannot draw the way Slack does: an unknown block or element
 * type, or a mention whose name was not given. `where` is its path in the view, e.g.
 * `blocks[2].element`.
 */
export class UnsupportedBlockKitError extends Error {
  constructor(
    readonly kind: 'block' | 'element' | 'user' | 'channel' | 'date token' | 'emoji',
    readonly type: string,
    readonly where: string,
  ) {
    super(
      kind === 'block' || kind === 'element'
        ? `cannot draw the ${kind} type "${type}" at ${where}: teach scripts/block-kit-html.ts to draw it as Slack does`
        : kind === 'date token'
          ? `cannot draw the date token "${type}" at ${where}${type === 'ago' ? ' without the moment the picture is seen (pass `now`)' : ''}`
          : kind === 'emoji'
            ? `cannot draw the emoji :${type}: at ${where}: add it to EMOJI in scripts/block-kit-html.ts`
            : `no name given for the ${kind} ${type} at ${where}: pass it in the names`,
    );
    this.name = 'UnsupportedBlockKitError';
  }
}

/**
 * What every drawing function needs: the names for mentions, where in the view it is, and the
 * moment the picture is seen (Slack writes `{ago}` relative to the reader's clock).
 */
type Ctx = Readonly<{ names: Names; at: string; now?: Date | undefined }>;

const within = (ctx: Ctx, step: string): Ctx => ({ ...ctx, at: `${ctx.at}${step}` });

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const get = (value: unknown, key: string): unknown => (isObj(value) ? value[key] : undefined);

function str(value: unknown, key: string): string | undefined {
  const found = get(value, key);
  return typeof found === 'string' ? found : undefined;
}

function list(value: unknown, key: string): readonly unknown[] {
  const found = get(value, key);
  return Array.isArray(found) ? found : [];
}

/** Escapes for HTML text and attribute values. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack mrkdwn text arrives with exactly these three escaped; show the characters they stand for. */
function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Only the shortcodes the app's views use. Any other stops the rendering: Slack knows thousands,
 * so a shortcode missing here is far likelier one Slack draws as an emoji than one it leaves as
 * text, and a picture showing `:name:` would differ from Slack.
 */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠️',
  hourglass_flowing_sand: '⏳',
  speech_balloon: '💬',
  test_tube: '🧪',
  telephone_receiver: '📞',
  email: '✉️',
  round_pushpin: '📍',
  link: '🔗',
  birthday: '🎂',
};

function emoji(name: string, ctx: Ctx): string {
  const drawn = EMOJI[name];
  if (drawn === undefined) throw new UnsupportedBlockKitError('emoji', name, ctx.at);
  return `<span class="emoji">${drawn}</span>`;
}

function userName(id: string, ctx: Ctx): string {
  const name = ctx.names.users?.[id];
  if (name === undefined) throw new UnsupportedBlockKitError('user', id, ctx.at);
  return name;
}

function channelName(id: string, ctx: Ctx): string {
  const name = ctx.names.channels?.[id];
  if (name === undefined) throw new UnsupportedBlockKitError('channel', id, ctx.at);
  return name;
}

/** Intl's en-US wording in UTC; newer ICU puts a narrow no-break space before AM/PM, Slack a space. */
const UTC = (options: Intl.DateTimeFormatOptions) => {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options });
  return { format: (at: Date) => format.format(at).replace(/\u202f/g, ' ') };
};
const ordinal = (day: number) =>
  `${day}${day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th'}`;

const AGO_UNITS: readonly (readonly [string, number])[] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** `{ago}`: "3 days ago", "4 hours ago" (@slack/types documents these), counted from `now`. */
function ago(at: Date, ctx: Ctx): string {
  if (ctx.now === undefined) throw new UnsupportedBlockKitError('date token', 'ago', ctx.at);
  const seconds = Math.floor((ctx.now.getTime() - at.getTime()) / 1000);
  if (seconds < 0) throw new UnsupportedBlockKitError('date token', 'ago (a future date)', ctx.at);
  const [unit, size] = AGO_UNITS.find(([, length]) => seconds >= length) ?? ['minute', 60];
  const count = Math.max(1, Math.floor(seconds / size));
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/**
 * `<!date^seconds^format|fallback>` as Slack shows it to a reader in UTC with the 12-hour clock
 * (https://docs.slack.dev/messaging/formatting-message-text#date-formatting). The `_pretty`
 * tokens say "today" or "yesterday" only near the reader's own date, which a picture has none of,
 * so they read as the plain date.
 */
function slackDate(seconds: number, format: string, ctx: Ctx): string {
  const at = new Date(seconds * 1000);
  const month = UTC({ month: 'long' }).format(at);
  const date = `${month} ${ordinal(at.getUTCDate())}, ${at.getUTCFullYear()}`;
  const tokens: Readonly<Record<string, () => string>> = {
    date_num: () => at.toISOString().slice(0, 10),
    date: () => date,
    date_pretty: () => date,
    date_short: () => UTC({ month: 'short', day: 'numeric', year: 'numeric' }).format(at),
    date_short_pretty: () => UTC({ month: 'short', day: 'numeric', year: 'numeric' }).format(at),
    date_long: () => `${UTC({ weekday: 'long' }).format(at)}, ${date}`,
    date_long_pretty: () => `${UTC({ weekday: 'long' }).format(at)}, ${date}`,
    time: () => UTC({ hour: 'numeric', minute: '2-digit' }).format(at),
    time_secs: () => UTC({ hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(at),
    ago: () => ago(at, ctx),
  };
  return format.replace(/\{([a-z_]+)\}/g, (_, token: string) => {
    const draw = tokens[token];
    if (draw === undefined) throw new UnsupportedBlockKitError('date token', token, ctx.at);
    return draw();
  });
}

/** `<@U…>`, `<#C…>`, `<!date^…|fallback>`, `<!here>` and links, as Slack displays them. */
function special(inner: string, ctx: Ctx): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlackEntities(inner.slice(bar + 1));
  // Slack shows the person's display name and the channel's name, never the id.
  if (target.startsWith('@')) return `<span class="mention">@${html(userName(target.slice(1), ctx))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${html(label ?? channelName(target.slice(1), ctx))}</span>`;
  if (target.startsWith('!date^')) {
    const [, seconds = '', format = ''] = target.split('^');
    return `<time>${html(slackDate(Number(seconds), format, ctx))}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">${html(label ?? target)}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${html(target.slice(1))}</span>`;
  return `<span class="link">${html(label ?? decodeSlackEntities(target))}</span>`;
}

/**
 * Minimal mrkdwn: specials, `code`, :emoji:, *bold*, _italic_, ~strike~ and line breaks. Pieces
 * already rendered are parked behind private-use placeholders so later passes cannot reformat
 * them (an underscore inside `:telephone_receiver:` or a code span must not start italics).
 */
export function mrkdwn(source: string, ctx: Ctx = { names: {}, at: 'text' }): string {
  const parked: string[] = [];
  const park = (rendered: string) => `\uE000${parked.push(rendered) - 1}\uE001`;
  let text = source
    .replace(/<([^<>\n]*)>/g, (_, inner: string) => park(special(inner, ctx)))
    .replace(/`([^`\n]+)`/g, (_, code: string) => park(`<code>${html(decodeSlackEntities(code))}</code>`))
    .replace(/:([a-z0-9_+-]+):/g, (_, name: string) => park(emoji(name, ctx)));
  text = html(decodeSlackEntities(text));
  // Slack only formats at word edges, so `JELOU_DRY_RUN` or `a*b*c` stay as typed.
  const wrap = (mark: string) =>
    new RegExp(`(^|[^\\w${mark}])\\${mark}(\\S(?:[^${mark}\\n]*?\\S)?)\\${mark}(?![\\w${mark}])`, 'g');
  text = text
    .replace(wrap('*'), '$1<b>$2</b>')
    .replace(wrap('_'), '$1<i>$2</i>')
    .replace(wrap('~'), '$1<s>$2</s>')
    .replace(/\n/g, '<br>');
  return text.replace(/\uE000(\d+)\uE001/g, (_, index: string) => parked[Number(index)] ?? '');
}

/** Plain text; shortcodes become emoji only when the object asks for it, as in Slack. */
function plainText(text: string, withEmoji: boolean, ctx: Ctx): string {
  if (!withEmoji) return html(text);
  return text
    .split(/(:[a-z0-9_+-]+:)/g)
    .map((part) => (/^:[a-z0-9_+-]+:$/.test(part) ? emoji(part.slice(1, -1), ctx) : html(part)))
    .join('');
}

/** A text object (`plain_text` or `mrkdwn`) as HTML; empty when absent. */
function textObject(value: unknown, ctx: Ctx): string {
  const text = str(value, 'text');
  if (text === undefined) return '';
  return str(value, 'type') === 'mrkdwn'
    ? mrkdwn(text, ctx)
    : plainText(text, get(value, 'emoji') === true, ctx);
}

/** The `data-element` mark each drawn element carries, so a test can see nothing was left out. */
const mark = (type: string) => `data-element="${html(type)}"`;

function button(element: unknown, ctx: Ctx, extraClass = ''): string {
  const style = str(element, 'style');
  const styleClass = style === 'primary' || style === 'danger' ? ` ${style}` : '';
  return `<span class="button${styleClass}${extraClass}" ${mark('button')}>${textObject(get(element, 'text'), ctx)}</span>`;
}

/** A field box: the chosen or typed value, or the greyed placeholder when there is none. */
function box(
  type: string,
  value: string | undefined,
  placeholder: unknown,
  ctx: Ctx,
  opts: { caret?: boolean; icon?: string } = {},
) {
  const shown = value ?? textObject(placeholder, ctx);
  const icon = opts.icon ? `<span class="icon">${opts.icon}</span>` : '';
  const caret = opts.caret ? '<span class="caret">▾</span>' : '';
  const state = value === undefined ? ' placeholder' : '';
  return `<div class="field${state}" ${mark(type)}>${icon}<span class="value">${shown}</span>${caret}</div>`;
}

/**
 * A multi-select as Slack draws it: each chosen item a grey chip with its ×, then the menu's
 * caret; the placeholder only while nothing is chosen.
 */
function multiBox(type: string, chosen: readonly string[], placeholder: unknown, ctx: Ctx): string {
  if (chosen.length === 0) return box(type, undefined, placeholder, ctx, { caret: true });
  const chips = chosen.map((text) => `<span class="chip">${text}<span class="chip-x">×</span></span>`);
  return `<div class="field multi" ${mark(type)}><span class="chips">${chips.join('')}</span><span class="caret">▾</span></div>`;
}

const optionTexts = (options: readonly unknown[], ctx: Ctx): string[] =>
  options.map((option, i) => textObject(get(option, 'text'), within(ctx, `.options[${i}]`)));

/** Slack marks a conversation by its kind: `#` for a channel, the person's name for a DM. */
function conversation(id: string, ctx: Ctx): string {
  return /^[UW]/.test(id) ? `@${html(userName(id, ctx))}` : `#${html(channelName(id, ctx))}`;
}

function strings(value: unknown, key: string): string[] {
  return list(value, key).filter((item): item is string => typeof item === 'string');
}

/** Checkboxes and radio buttons: every option on its own line, the chosen ones ticked. */
function choiceList(type: 'checkboxes' | 'radio_buttons', value: unknown, ctx: Ctx): string {
  const chosenValues = new Set(
    (type === 'checkboxes' ? list(value, 'initial_options') : [get(value, 'initial_option')]).map((o) =>
      str(o, 'value'),
    ),
  );
  const shape = type === 'checkboxes' ? 'checkbox' : 'radio';
  const rows = list(value, 'options').map((option, i) => {
    const on = chosenValues.has(str(option, 'value')) ? ' on' : '';
    const description = get(option, 'description');
    return [
      `<div class="choice"><span class="${shape}${on}"></span><span>`,
      textObject(get(option, 'text'), within(ctx, `.options[${i}]`)),
      description === undefined ? '' : `<div class="hint">${textObject(description, ctx)}</div>`,
      '</span></div>',
    ].join('');
  });
  return `<div class="choices" ${mark(type)}>${rows.join('')}</div>`;
}

function element(value: unknown, ctx: Ctx): string {
  const type = str(value, 'type') ?? '';
  const placeholder = get(value, 'placeholder');
  switch (type) {
    case 'plain_text_input': {
      const initial = str(value, 'initial_value');
      const multiline = get(value, 'multiline') === true ? ' multiline' : '';
      return `<div class="input${multiline}">${box(type, initial === undefined ? undefined : html(initial), placeholder, ctx)}</div>`;
    }
    case 'static_select':
    case 'external_select': {
      const chosen = get(value, 'initial_option');
      const text = chosen === undefined ? undefined : textObject(get(chosen, 'text'), ctx);
      return box(type, text, placeholder, ctx, { caret: true });
    }
    case 'multi_static_select':
    case 'multi_external_select':
      return multiBox(type, optionTexts(list(value, 'initial_options'), ctx), placeholder, ctx);
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const key = {
        users_select: 'initial_user',
        conversations_select: 'initial_conversation',
        channels_select: 'initial_channel',
      }[type];
      const id = str(value, key);
      const shown =
        id === undefined
          ? undefined
          : type === 'users_select'
            ? `@${html(userName(id, ctx))}`
            : conversation(id, ctx);
      return box(type, shown, placeholder, ctx, { caret: true });
    }
    case 'multi_users_select':
      return multiBox(
        type,
        strings(value, 'initial_users').map((id) => `@${html(userName(id, ctx))}`),
        placeholder,
        ctx,
      );
    case 'multi_conversations_select':
      return multiBox(
        type,
        strings(value, 'initial_conversations').map((id) => conversation(id, ctx)),
        placeholder,
        ctx,
      );
    case 'multi_channels_select':
      return multiBox(
        type,
        strings(value, 'initial_channels').map((id) => conversation(id, ctx)),
        placeholder,
        ctx,
      );
    case 'datepicker': {
      const date = str(value, 'initial_date');
      return box(type, date === undefined ? undefined : html(date), placeholder, ctx, {
        icon: '📅',
        caret: true,
      });
    }
    case 'timepicker': {
      const time = str(value, 'initial_time');
      return box(type, time === undefined ? undefined : html(time), placeholder, ctx, {
        icon: '🕒',
        caret: true,
      });
    }
    case 'checkboxes':
    case 'radio_buttons':
      return choiceList(type, value, ctx);
    case 'overflow':
      // Slack shows only the "⋯" button; its options appear when it is clicked.
      return `<span class="button small overflow" ${mark(type)}>⋯</span>`;
    case 'file_input':
      // Slack's drop area: the upload arrow inside a dashed box; its words are Slack's, not the view's.
      return `<div class="dropzone" ${mark(type)}><span class="upload">⇪</span></div>`;
    case 'button':
      return button(value, ctx);
    default:
      throw new UnsupportedBlockKitError('element', type || '(none)', ctx.at);
  }
}

function inputBlock(block: unknown, ctx: Ctx): string {
  const optional = get(block, 'optional') === true ? ' <span class="optional">(optional)</span>' : '';
  const hint = get(block, 'hint');
  return [
    '<div class="block input-block" data-block="input">',
    `<div class="label">${textObject(get(block, 'label'), ctx)}${optional}</div>`,
    element(get(block, 'element'), within(ctx, '.element')),
    hint === undefined ? '' : `<div class="hint">${textObject(hint, ctx)}</div>`,
    '</div>',
  ].join('');
}

function sectionBlock(block: unknown, ctx: Ctx): string {
  const text = get(block, 'text');
  const fields = list(block, 'fields');
  const accessory = get(block, 'accessory');
  const body = [
    text === undefined ? '' : `<div class="mrkdwn">${textObject(text, within(ctx, '.text'))}</div>`,
    fields.length === 0
      ? ''
      : `<div class="fields">${fields.map((f, i) => `<div class="mrkdwn">${textObject(f, within(ctx, `.fields[${i}]`))}</div>`).join('')}</div>`,
  ].join('');
  const side =
    accessory === undefined
      ? ''
      : `<div class="accessory">${
          // A button beside a section is Slack's block button, the same size as in an actions block.
          str(accessory, 'type') === 'button'
            ? button(accessory, within(ctx, '.accessory'), ' small')
            : element(accessory, within(ctx, '.accessory'))
        }</div>`;
  return `<div class="block section" data-block="section"><div class="section-body">${body}</div>${side}</div>`;
}

function contextBlock(block: unknown, ctx: Ctx): string {
  const parts = list(block, 'elements').map((part, i) => {
    const here = within(ctx, `.elements[${i}]`);
    const type = str(part, 'type') ?? '';
    if (type === 'mrkdwn' || type === 'plain_text')
      return `<span ${mark(type)}>${textObject(part, here)}</span>`;
    throw new UnsupportedBlockKitError('element', type || '(none)', here.at);
  });
  return `<div class="block context" data-block="context">${parts.join('')}</div>`;
}

function actionsBlock(block: unknown, ctx: Ctx): string {
  const parts = list(block, 'elements').map((part, i) => {
    const here = within(ctx, `.elements[${i}]`);
    return str(part, 'type') === 'button'
      ? button(part, here, ' small')
      : `<div class="inline">${element(part, here)}</div>`;
  });
  return `<div class="block actions" data-block="actions">${parts.join('')}</div>`;
}

function renderBlock(block: unknown, ctx: Ctx): string {
  const type = str(block, 'type') ?? '';
  switch (type) {
    case 'input':
      return inputBlock(block, ctx);
    case 'section':
      return sectionBlock(block, ctx);
    case 'context':
      return contextBlock(block, ctx);
    case 'actions':
      return actionsBlock(block, ctx);
    case 'divider':
      return '<hr class="block divider" data-block="divider">';
    case 'header':
      return `<div class="block header-block" data-block="header">${textObject(get(block, 'text'), ctx)}</div>`;
    default:
      throw new UnsupportedBlockKitError('block', type || '(none)', ctx.at);
  }
}

const renderBlocks = (blocks: readonly unknown[], names: Names, now: Date | undefined): string =>
  blocks.map((block, i) => renderBlock(block, { names, now, at: `blocks[${i}]` })).join('\n');

/** Window widths that fit each kind of page: the card (520px modal, 680px channel) plus 28px padding each side. */
export const PAGE_WIDTH = { modal: 576, message: 736 } as const;

// Lato is Slack's typeface (Debian: fonts-lato); the fallbacks keep the layout if it is missing.
const STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font-family: Lato, "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 22px;
  color: #1d1c1d; background: #e9e7ec; -webkit-font-smoothing: antialiased;
  min-height: 100vh; display: flex; flex-direction: column; justify-content: center; }
#shot { padding: 28px; }
.emoji { font-family: "Noto Color Emoji", "Apple Color Emoji", sans-serif; font-size: 1.05em; }
.modal { width: 520px; margin: 0 auto; background: #fff; border-radius: 8px;
  box-shadow: 0 0 0 1px rgba(29,28,29,.13), 0 18px 48px rgba(0,0,0,.25); overflow: hidden; }
.modal-header { display: flex; align-items: center; justify-content: space-between; padding: 20px 20px 12px 28px; }
.modal-title { font-size: 22px; line-height: 30px; font-weight: 900; }
.close { width: 36px; height: 36px; display: flex; align-items: center; justify-content: center;
  font-size: 26px; color: #616061; border-radius: 4px; }
.modal-body { padding: 0 28px 20px; }
.modal-footer { display: flex; justify-content: flex-end; gap: 12px; padding: 20px 28px 24px;
  border-top: 1px solid #dddddd; }
.block { margin: 16px 0 0; }
.block:first-child { margin-top: 4px; }
.label { font-weight: 700; margin-bottom: 8px; }
.optional { font-weight: 400; color: #616061; }
.field { display: flex; align-items: center; gap: 8px; min-height: 42px; padding: 9px 12px; border-radius: 4px;
  border: 1px solid rgba(29,28,29,.3); background: #fff; }
.field .value { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.field.placeholder .value { color: #868686; }
.multiline .field { min-height: 84px; align-items: flex-start; }
.caret { color: #616061; font-size: 14px; }
.icon { font-family: "Noto Color Emoji", sans-serif; font-size: 15px; }
.hint { font-size: 13px; line-height: 18px; color: #616061; margin-top: 6px; }
.section { display: flex; gap: 12px; align-items: flex-start; }
.section-body { flex: 1; min-width: 0; }
.mrkdwn { white-space: pre-wrap; overflow-wrap: anywhere; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; }
.context { font-size: 13px; line-height: 18px; color: #616061; display: flex; flex-wrap: wrap; gap: 4px 8px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; }
.actions .inline { min-width: 200px; }
.divider { border: 0; border-top: 1px solid #dddddd; }
.header-block { font-size: 18px; line-height: 26px; font-weight: 900; }
.button { display: inline-flex; align-items: center; height: 36px; padding: 0 16px; border-radius: 4px;
  border: 1px solid rgba(29,28,29,.3); background: #fff; font-weight: 700; font-size: 15px; white-space: nowrap; }
.button.small { height: 28px; padding: 0 12px; font-size: 13px; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
code { font-family: Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; line-height: 18px;
  color: #e01e5a; background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px;
  padding: 2px 3px 1px; }
.mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; font-weight: 400; }
.link { color: #1264a3; }
.field.multi { padding: 5px 12px 5px 6px; }
.chips { flex: 1; display: flex; flex-wrap: wrap; gap: 4px; min-width: 0; }
.chip { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; padding: 2px 6px 2px 8px;
  border-radius: 4px; background: rgba(29,28,29,.06); border: 1px solid rgba(29,28,29,.13);
  font-size: 15px; line-height: 24px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chip-x { color: #616061; font-size: 16px; }
.choices { display: flex; flex-direction: column; gap: 8px; }
.choice { display: flex; gap: 8px; align-items: flex-start; }
.checkbox, .radio { flex: none; width: 16px; height: 16px; margin-top: 3px; border: 1px solid rgba(29,28,29,.5); background: #fff; }
.checkbox { border-radius: 4px; }
.radio { border-radius: 50%; }
.checkbox.on, .radio.on { background: #1264a3; border-color: #1264a3; box-shadow: inset 0 0 0 3px #fff; }
.overflow { font-weight: 900; letter-spacing: 1px; }
.dropzone { display: flex; align-items: center; justify-content: center; height: 84px; border-radius: 8px;
  border: 1px dashed rgba(29,28,29,.5); background: rgba(29,28,29,.02); }
.upload { font-size: 26px; color: #616061; }
.home { width: 680px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 20px 28px 28px;
  box-shadow: 0 0 0 1px rgba(29,28,29,.13), 0 4px 12px rgba(0,0,0,.08); }
.channel { width: 680px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 16px 20px;
  box-shadow: 0 0 0 1px rgba(29,28,29,.13), 0 4px 12px rgba(0,0,0,.08); }
.message { display: flex; gap: 8px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; margin-top: 2px;
  background: linear-gradient(135deg, #4a154b, #7c3085); }
.message-body { flex: 1; min-width: 0; }
.message-body .block:first-child { margin-top: 0; }
.message-body .block { margin-top: 8px; }
`;

/**
 * The page records its own content height in `data-content-height`, so the screenshot can be
 * cropped to the content instead of guessing a window height per view. The body centres the
 * content vertically because headless Chromium will not paint a window shorter than about 150px:
 * a short message is then shot in a taller window with even margins instead of half-painted.
 */
function page(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style></head>
<body><main id="shot">${body}</main>
<script>
document.documentElement.dataset.contentHeight =
  String(Math.ceil(document.getElementById('shot').getBoundingClientRect().height));
</script>
</body></html>
`;
}

/**
 * A modal view (`type: "modal"`) as Slack draws it: title bar, blocks, Cancel and submit. `now`
 * (here and in the other pages) is the moment the picture is seen, needed only by `{ago}` dates.
 */
export function modalPage(view: unknown, names: Names = {}, now?: Date): string {
  if (str(view, 'type') !== 'modal')
    throw new UnsupportedBlockKitError('block', str(view, 'type') ?? '(none)', 'view');
  const ctx: Ctx = { names, now, at: 'view' };
  const close = get(view, 'close');
  const submit = get(view, 'submit');
  const footer = [
    close === undefined ? '' : `<span class="button">${textObject(close, ctx)}</span>`,
    submit === undefined ? '' : `<span class="button primary">${textObject(submit, ctx)}</span>`,
  ].join('');
  return page(`<div class="modal">
<div class="modal-header"><div class="modal-title">${textObject(get(view, 'title'), ctx)}</div><div class="close">×</div></div>
<div class="modal-body">${renderBlocks(list(view, 'blocks'), names, now)}</div>
${footer ? `<div class="modal-footer">${footer}</div>` : ''}
</div>`);
}

/**
 * A chat message (`{ text, blocks }`) in a channel. Slack shows `text` only when there are no
 * blocks (it is the notification fallback), so the same rule applies here.
 */
export function messagePage(message: unknown, names: Names = {}, now?: Date): string {
  const blocks = list(message, 'blocks');
  const text = str(message, 'text') ?? '';
  const body =
    blocks.length > 0
      ? renderBlocks(blocks, names, now)
      : `<div class="block"><div class="mrkdwn">${mrkdwn(text, { names, now, at: 'text' })}</div></div>`;
  return page(`<div class="channel"><div class="message"><div class="avatar"></div>
<div class="message-body">${body}</div></div></div>`);
}

/** The App Home tab (`type: "home"`): the blocks on the app's own page, with no title or buttons. */
export function homePage(view: unknown, names: Names = {}, now?: Date): string {
  if (str(view, 'type') !== 'home')
    throw new UnsupportedBlockKitError('block', str(view, 'type') ?? '(none)', 'view');
  return page(`<div class="home">${renderBlocks(list(view, 'blocks'), names, now)}</div>`);
}

/** The only words the renderer may add: Slack's "(optional)". */
const CHROME_WORDS: ReadonlySet<string> = new Set(['optional']);

/**
 * Words shown on `page` that appear nowhere in `json` nor in the mention `names` (nor are Slack's
 * chrome): empty for an honest picture. Checked on every run so the renderer cannot quietly
 * invent a label.
 */
export function inventedWords(page: string, json: unknown, names: Names = {}): string[] {
  const visible = page
    // A <time> is written out from the view's own timestamp, in the words Slack uses for dates.
    .replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>|<time>[^<]*<\/time>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const source = decodeSlackEntities(JSON.stringify([json, names]));
  const words = visible.match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((word) => !CHROME_WORDS.has(word) && !source.includes(word));
}
