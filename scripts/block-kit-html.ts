/**
 * A deliberately small Block Kit → HTML renderer, so the README's pictures of the modal, the
 * preview and the channel message are drawn from the JSON the app really produces rather than
 * mocked up by hand (a hand-made picture drifts from the code the first time a label changes).
 *
 * Honesty rules: every word on screen comes from the JSON given; the only words the renderer
 * adds are Slack's own chrome ("(optional)", "×", "▾"). Blocks and elements it does not know are
 * drawn as a visible "[unsupported …]" box, never dropped, so a picture cannot look complete
 * while hiding part of the view. The input is read as `unknown` (it is parsed back from the
 * saved JSON file), so nothing the renderer shows can come from anywhere but that file.
 */

type Obj = Readonly<Record<string, unknown>>;

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
 * Only the shortcodes the app's views use. An unknown one stays as its literal `:name:` text,
 * which is what Slack itself shows for a shortcode it cannot resolve.
 */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠️',
  hourglass_flowing_sand: '⏳',
  test_tube: '🧪',
  telephone_receiver: '📞',
  email: '✉️',
  round_pushpin: '📍',
  link: '🔗',
  birthday: '🎂',
};

const emoji = (name: string, literal: string): string =>
  EMOJI[name] ? `<span class="emoji">${EMOJI[name]}</span>` : html(literal);

/** `<@U…>`, `<#C…>`, `<!date^…|fallback>`, `<!here>` and links, as Slack displays them. */
function special(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlackEntities(inner.slice(bar + 1));
  // Slack would show the person's or channel's name; the JSON only holds the id, so the id it is.
  if (target.startsWith('@')) return `<span class="mention">@${html(label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${html(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) return html(label ?? target);
  if (target.startsWith('!subteam^')) return `<span class="mention">${html(label ?? target)}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${html(target.slice(1))}</span>`;
  return `<span class="link">${html(label ?? decodeSlackEntities(target))}</span>`;
}

/**
 * Minimal mrkdwn: specials, `code`, :emoji:, *bold*, _italic_, ~strike~ and line breaks. Pieces
 * already rendered are parked behind private-use placeholders so later passes cannot reformat
 * them (an underscore inside `:telephone_receiver:` or a code span must not start italics).
 */
export function mrkdwn(source: string): string {
  const parked: string[] = [];
  const park = (rendered: string) => `\uE000${parked.push(rendered) - 1}\uE001`;
  let text = source
    .replace(/<([^<>\n]*)>/g, (_, inner: string) => park(special(inner)))
    .replace(/`([^`\n]+)`/g, (_, code: string) => park(`<code>${html(decodeSlackEntities(code))}</code>`))
    .replace(/:([a-z0-9_+-]+):/g, (literal: string, name: string) => park(emoji(name, literal)));
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
function plainText(text: string, withEmoji: boolean): string {
  if (!withEmoji) return html(text);
  return text
    .split(/(:[a-z0-9_+-]+:)/g)
    .map((part) => (/^:[a-z0-9_+-]+:$/.test(part) ? emoji(part.slice(1, -1), part) : html(part)))
    .join('');
}

/** A text object (`plain_text` or `mrkdwn`) as HTML; empty when absent. */
function textObject(value: unknown): string {
  const text = str(value, 'text');
  if (text === undefined) return '';
  return str(value, 'type') === 'mrkdwn' ? mrkdwn(text) : plainText(text, get(value, 'emoji') === true);
}

function unsupported(kind: 'block' | 'element', value: unknown): string {
  return `<div class="${kind === 'block' ? 'block ' : ''}unsupported">[unsupported ${kind}: ${html(str(value, 'type') ?? '?')}]</div>`;
}

function button(element: unknown, extraClass = ''): string {
  const style = str(element, 'style');
  const styleClass = style === 'primary' || style === 'danger' ? ` ${style}` : '';
  return `<span class="button${styleClass}${extraClass}">${textObject(get(element, 'text'))}</span>`;
}

/** A field box: the chosen or typed value, or the greyed placeholder when there is none. */
function box(value: string | undefined, placeholder: unknown, opts: { caret?: boolean; icon?: string } = {}) {
  const shown = value ?? textObject(placeholder);
  const icon = opts.icon ? `<span class="icon">${opts.icon}</span>` : '';
  const caret = opts.caret ? '<span class="caret">▾</span>' : '';
  const state = value === undefined ? ' placeholder' : '';
  return `<div class="field${state}">${icon}<span class="value">${shown}</span>${caret}</div>`;
}

function element(value: unknown): string {
  const type = str(value, 'type') ?? '';
  const placeholder = get(value, 'placeholder');
  switch (type) {
    case 'plain_text_input': {
      const initial = str(value, 'initial_value');
      const multiline = get(value, 'multiline') === true ? ' multiline' : '';
      return `<div class="input${multiline}">${box(initial === undefined ? undefined : html(initial), placeholder)}</div>`;
    }
    case 'static_select':
    case 'external_select': {
      const chosen = get(value, 'initial_option');
      return box(chosen === undefined ? undefined : textObject(get(chosen, 'text')), placeholder, {
        caret: true,
      });
    }
    case 'datepicker': {
      const date = str(value, 'initial_date');
      return box(date === undefined ? undefined : html(date), placeholder, { icon: '📅', caret: true });
    }
    case 'button':
      return button(value);
    default:
      return unsupported('element', value);
  }
}

function inputBlock(block: unknown): string {
  const optional = get(block, 'optional') === true ? ' <span class="optional">(optional)</span>' : '';
  const hint = get(block, 'hint');
  return [
    '<div class="block input-block">',
    `<div class="label">${textObject(get(block, 'label'))}${optional}</div>`,
    element(get(block, 'element')),
    hint === undefined ? '' : `<div class="hint">${textObject(hint)}</div>`,
    '</div>',
  ].join('');
}

function sectionBlock(block: unknown): string {
  const text = get(block, 'text');
  const fields = list(block, 'fields');
  const accessory = get(block, 'accessory');
  const body = [
    text === undefined ? '' : `<div class="mrkdwn">${textObject(text)}</div>`,
    fields.length === 0
      ? ''
      : `<div class="fields">${fields.map((f) => `<div class="mrkdwn">${textObject(f)}</div>`).join('')}</div>`,
  ].join('');
  const side = accessory === undefined ? '' : `<div class="accessory">${element(accessory)}</div>`;
  return `<div class="block section"><div class="section-body">${body}</div>${side}</div>`;
}

function contextBlock(block: unknown): string {
  const parts = list(block, 'elements').map((part) => {
    const type = str(part, 'type');
    if (type === 'mrkdwn' || type === 'plain_text') return `<span>${textObject(part)}</span>`;
    return unsupported('element', part);
  });
  return `<div class="block context">${parts.join('')}</div>`;
}

function actionsBlock(block: unknown): string {
  const parts = list(block, 'elements').map((part) =>
    str(part, 'type') === 'button' ? button(part, ' small') : `<div class="inline">${element(part)}</div>`,
  );
  return `<div class="block actions">${parts.join('')}</div>`;
}

function renderBlock(block: unknown): string {
  switch (str(block, 'type')) {
    case 'input':
      return inputBlock(block);
    case 'section':
      return sectionBlock(block);
    case 'context':
      return contextBlock(block);
    case 'actions':
      return actionsBlock(block);
    case 'divider':
      return '<hr class="block divider">';
    case 'header':
      return `<div class="block header-block">${textObject(get(block, 'text'))}</div>`;
    default:
      return unsupported('block', block);
  }
}

const renderBlocks = (blocks: readonly unknown[]): string => blocks.map(renderBlock).join('\n');

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
.unsupported { padding: 8px 12px; border: 2px dashed #e01e5a; color: #e01e5a; font-family: monospace; border-radius: 4px; }
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

/** A modal view (`type: "modal"`) as Slack draws it: title bar, blocks, Cancel and submit. */
export function modalPage(view: unknown): string {
  const close = get(view, 'close');
  const submit = get(view, 'submit');
  const footer = [
    close === undefined ? '' : `<span class="button">${textObject(close)}</span>`,
    submit === undefined ? '' : `<span class="button primary">${textObject(submit)}</span>`,
  ].join('');
  return page(`<div class="modal">
<div class="modal-header"><div class="modal-title">${textObject(get(view, 'title'))}</div><div class="close">×</div></div>
<div class="modal-body">${renderBlocks(list(view, 'blocks'))}</div>
${footer ? `<div class="modal-footer">${footer}</div>` : ''}
</div>`);
}

/**
 * A chat message (`{ text, blocks }`) in a channel. Slack shows `text` only when there are no
 * blocks (it is the notification fallback), so the same rule applies here.
 */
export function messagePage(message: unknown): string {
  const blocks = list(message, 'blocks');
  const text = str(message, 'text') ?? '';
  const body =
    blocks.length > 0
      ? renderBlocks(blocks)
      : `<div class="block"><div class="mrkdwn">${mrkdwn(text)}</div></div>`;
  return page(`<div class="channel"><div class="message"><div class="avatar"></div>
<div class="message-body">${body}</div></div></div>`);
}

/** The only words the renderer may add: Slack's "(optional)" and the unsupported-block marker. */
const CHROME_WORDS: ReadonlySet<string> = new Set(['optional', 'unsupported', 'block', 'element']);

/**
 * Words shown on `page` that appear nowhere in `json` (nor are Slack's chrome): empty for an
 * honest picture. Checked on every run so the renderer cannot quietly invent a label.
 */
export function inventedWords(page: string, json: unknown): string[] {
  const visible = page
    .replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const source = decodeSlackEntities(JSON.stringify(json));
  const words = visible.match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((word) => !CHROME_WORDS.has(word) && !source.includes(word));
}
