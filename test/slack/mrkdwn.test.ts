/** Escaping text from people and APIs for Slack mrkdwn. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, userText } from '../../src/slack/mrkdwn.js';

/** Slack's own decoding: entities back to characters, `&amp;` last. */
function decodeMrkdwn(text: string): string {
  return text.replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&amp;/gu, '&');
}

const count = (text: string, char: string) => text.split(char).length - 1;

describe('escapeMrkdwn', () => {
  it('escapes &, < and >', () => {
    expect(escapeMrkdwn('Q&A <team> > all')).toBe('Q&amp;A &lt;team&gt; &gt; all');
  });

  it('escapes & first, so an entity a person typed shows as typed', () => {
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
    expect(escapeMrkdwn('&gt;&')).toBe('&amp;gt;&amp;');
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
  ])('defuses %s', (raw, escaped) => {
    expect(escapeMrkdwn(raw)).toBe(escaped);
  });

  it('leaves everything else alone, formatting characters included', () => {
    const text = '*bold* _it_ ~strike~ `code` :tada: @channel "quoted" \'single\' \\ | Ñandú 😀';
    expect(escapeMrkdwn(text)).toBe(text);
    expect(escapeMrkdwn('')).toBe('');
  });

  it('for any text: no raw < or >, every & starts an entity, Slack decodes it back, nothing else changes', () => {
    const tokens = fc.constantFrom('&', '<', '>', '&lt;', '&amp;', '<!channel>', '<@U123>', ';', 'amp');
    const text = fc.array(fc.oneof(tokens, fc.string()), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (raw) => {
        const escaped = escapeMrkdwn(raw);
        expect(escaped).not.toMatch(/[<>]/u);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;)/u);
        expect(decodeMrkdwn(escaped)).toBe(raw);
        expect(escaped.length).toBe(
          raw.length + 4 * count(raw, '&') + 3 * (count(raw, '<') + count(raw, '>')),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('userText', () => {
  it('swaps formatting characters at a word edge for look-alikes, and escapes as escapeMrkdwn does', () => {
    expect(userText('*Ana_ ~el `jefe & <x>')).toBe('\u2217Ana\u02CD \u223Cel \u02CBjefe &amp; &lt;x&gt;');
  });

  it('leaves markers between letters or digits alone, where Slack does not format', () => {
    expect(userText('juan_perez@example.com a*b 1~2')).toBe('juan_perez@example.com a*b 1~2');
  });
});
