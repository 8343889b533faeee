/**
 * The Slack app manifest: the committed YAML is what manifest/index.ts builds, both variants are
 * valid by Slack's rules, and every command, event and Web API method in src/ is covered by it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type BotScope,
  buildManifest,
  METHOD_SCOPES,
  type MethodScopes,
  manifestSchema,
  SCOPES,
  type SlackManifest,
} from '../manifest/index.js';
import { type CliIo, MANIFEST_FILE, runManifestCli } from '../manifest/run.js';
import { Command, Event } from '../src/slack/ids.js';

const ROOT = join(import.meta.dirname, '..');
const BASE = 'https://cards.example.com';
const EVENTS_URL = `${BASE}/slack/events`;

const socket = () => buildManifest({ mode: 'socket' });
const http = (baseUrl = BASE) => buildManifest({ mode: 'http', baseUrl });

function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

const firstCommand = (manifest: SlackManifest) =>
  defined(manifest.features.slash_commands[0], 'a slash command');

/** Every value under a key that names a URL, or that looks like one, by its dotted path. */
function urlsIn(value: unknown, path = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  const found: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (/url/i.test(key) || (typeof child === 'string' && /^[a-z]+:\/\//i.test(child)))
      found[`${path}${key}`] = child;
    Object.assign(found, urlsIn(child, `${path}${key}.`));
  }
  return found;
}

describe('slack-app-manifest.yml', () => {
  const text = readFileSync(join(ROOT, MANIFEST_FILE), 'utf8');

  it('parses to exactly the Socket Mode manifest that manifest/index.ts builds', () => {
    const committed: unknown = parse(text);
    expect(committed).toStrictEqual(socket());
  });

  it('is byte for byte what `npm run manifest` writes (regenerate it, do not edit it)', async () => {
    const written = new Map<string, string>();
    const code = await runManifestCli([], {
      root: ROOT,
      out: () => {},
      err: () => {},
      writeFile: async (path, content) => void written.set(path, content),
    });
    expect(code).toBe(0);
    expect([...written.keys()]).toEqual([join(ROOT, MANIFEST_FILE)]);
    expect(written.get(join(ROOT, MANIFEST_FILE))).toBe(text);
  });

  it('says how to use it, and gives each scope its reason', () => {
    expect(text).toContain('# Paste into https://api.slack.com/apps → Create New App → From a manifest');
    for (const reason of Object.values(SCOPES)) expect(text).toContain(`# ${reason}`);
  });
});

describe('manifestSchema', () => {
  it.each([
    ['socket', socket()],
    ['http', http()],
  ])('accepts the %s variant', (_mode, manifest) => {
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
  });

  it.each<[string, (manifest: SlackManifest) => object]>([
    ['', (m) => m],
    ['_metadata', (m) => defined(m._metadata, '_metadata')],
    ['display_information', (m) => m.display_information],
    ['features', (m) => m.features],
    ['features.app_home', (m) => defined(m.features.app_home, 'app_home')],
    ['features.bot_user', (m) => m.features.bot_user],
    ['features.slash_commands.0', firstCommand],
    ['oauth_config', (m) => m.oauth_config],
    ['oauth_config.scopes', (m) => m.oauth_config.scopes],
    ['settings', (m) => m.settings],
    ['settings.event_subscriptions', (m) => defined(m.settings.event_subscriptions, 'event_subscriptions')],
    ['settings.interactivity', (m) => m.settings.interactivity],
  ])('rejects an unknown key at "%s"', (path, level) => {
    const manifest = socket();
    Object.assign(level(manifest), { unexpected_key: true });
    const result = manifestSchema.safeParse(manifest);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({
        code: 'unrecognized_keys',
        keys: ['unexpected_key'],
        path: path ? path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [],
      }),
    );
  });

  type Change = (manifest: SlackManifest) => void;
  const command =
    (text: string): Change =>
    (m) => {
      firstCommand(m).command = text;
    };
  const description =
    (text: string): Change =>
    (m) => {
      firstCommand(m).description = text;
    };
  const name =
    (text: string): Change =>
    (m) => {
      m.display_information.name = text;
    };

  it.each<[string, Change, boolean]>([
    ['a 1-character command', command('/'), false],
    ['a 2-character command', command('/j'), true],
    ['a 32-character command', command(`/${'j'.repeat(31)}`), true],
    ['a 33-character command', command(`/${'j'.repeat(32)}`), false],
    ['a command without its /', command('jelou-card'), false],
    ['a command with a space', command('/jelou card'), false],
    ['a command without description', (m) => Reflect.deleteProperty(firstCommand(m), 'description'), false],
    ['an empty description', description(''), false],
    ['a 2000-character description', description('d'.repeat(2000)), true],
    ['a 2001-character description', description('d'.repeat(2001)), false],
    ['a 35-character name', name('n'.repeat(35)), true],
    ['a 36-character name', name('n'.repeat(36)), false],
    ['an empty name', name(''), false],
    [
      'a colour that is not hex',
      (m) => {
        m.display_information.background_color = 'blue';
      },
      false,
    ],
    [
      'a URL in Socket Mode',
      (m) => {
        m.settings.interactivity.request_url = EVENTS_URL;
      },
      false,
    ],
  ])('%s: valid=%s', (_case, change, valid) => {
    const manifest = socket();
    change(manifest);
    expect(manifestSchema.safeParse(manifest).success).toBe(valid);
  });

  it('rejects HTTP mode without a URL, or with a plain http one', () => {
    const missing = http();
    Reflect.deleteProperty(firstCommand(missing), 'url');
    expect(manifestSchema.safeParse(missing).success).toBe(false);

    const plain = http();
    plain.settings.interactivity.request_url = 'http://cards.example.com/slack/events';
    expect(manifestSchema.safeParse(plain).success).toBe(false);
  });
});

describe('what the code registers is in the manifest', () => {
  it.each([
    ['socket', socket()],
    ['http', http()],
  ])('%s: every slash command in ids.ts', (_mode, manifest) => {
    const commands = manifest.features.slash_commands.map((command) => command.command);
    for (const command of Object.values(Command)) expect(commands).toContain(command);
    expect(commands).toHaveLength(Object.values(Command).length);
  });

  it.each([
    ['socket', socket()],
    ['http', http()],
  ])('%s: every event in ids.ts, with the Home tab it feeds', (_mode, manifest) => {
    const events = manifest.settings.event_subscriptions?.bot_events ?? [];
    for (const event of Object.values(Event)) expect(events).toContain(event);
    expect(events).toHaveLength(Object.values(Event).length);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
  });

  it('interactivity is on (modals, buttons and the recipient picker need it)', () => {
    expect(socket().settings.interactivity.is_enabled).toBe(true);
    expect(http().settings.interactivity.is_enabled).toBe(true);
  });
});

const webClient = new webApi.WebClient();

/** Whether `path` (`chat.postMessage`) names a method of Bolt's WebClient, not of some other client. */
function isWebApiMethod(path: string): boolean {
  let node: unknown = webClient;
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return false;
    node = Reflect.get(node, segment);
  }
  return typeof node === 'function';
}

/**
 * The Web API methods `source` calls: `client.chat.postMessage(`, `client.apiCall('x.y'`, `say(`,
 * the WebClient's own `client.filesUploadV2(` (the methods it calls), and a file download with
 * the bot token (`downloadSlackFile(`, as the pseudo-method `url_private_download`).
 */
function webApiCalls(source: string): string[] {
  const calls: string[] = [];
  // Undotted helpers of the WebClient, by the Web API methods each calls.
  const helpers: Readonly<Record<string, readonly string[]>> = {
    filesUploadV2: ['files.getUploadURLExternal', 'files.completeUploadExternal'],
  };
  for (const match of source.matchAll(/\bclient\s*\??\.\s*([a-z][A-Za-z0-9]*)\s*\(/g)) {
    calls.push(...(helpers[match[1] ?? ''] ?? []));
  }
  // A call, not the function's own declaration.
  for (const _ of source.matchAll(/(?<!function\s+)\bdownloadSlackFile\s*\(/g))
    calls.push('url_private_download');
  for (const match of source.matchAll(/\bclient\s*\??\.\s*([a-z][A-Za-z]*(?:\s*\??\.\s*[A-Za-z]+)+)\s*\(/g)) {
    const path = (match[1] ?? '').replace(/[\s?]/g, '');
    // Other clients have dotted calls too (the socket client's websocket.isActive()).
    if (isWebApiMethod(path)) calls.push(path);
  }
  for (const match of source.matchAll(/\bclient\s*\??\.\s*apiCall\s*\(\s*['"`]([\w.]+)['"`]/g))
    calls.push(match[1] ?? '');
  // Bolt's say() is chat.postMessage to the conversation the request came from.
  if (/\bsay\(/.test(source)) calls.push('chat.postMessage');
  return calls;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('Web API scopes', () => {
  const methodScopes = new Map<string, MethodScopes>(Object.entries(METHOD_SCOPES));
  const calls = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const method of webApiCalls(readFileSync(file, 'utf8'))) {
      calls.set(method, [...(calls.get(method) ?? []), file.slice(ROOT.length + 1)]);
    }
  }
  const botScopes: string[] = socket().oauth_config.scopes.bot;

  it('the scanner finds calls however they are written', () => {
    const source = [
      'await this.client.chat.postMessage({ channel });',
      'await client.views\n  .publish({ user_id });',
      'await app.client.apps.connections.open();',
      "await client.apiCall('users.info', { user });",
      'await say({ text });',
      'receiver.client.websocket?.isActive(); const deps = { clientOptions: options.retry(3) };',
      'await deps.store.history(user); await client.chat.notAMethod();',
      'await client.filesUploadV2({ channel_id }); await client.notAHelper();',
      'export async function downloadSlackFile(options) {}',
      'const text = await downloadSlackFile({ url, token });',
    ].join('\n');
    expect(webApiCalls(source)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
      'url_private_download',
      'chat.postMessage',
      'views.publish',
      'apps.connections.open',
      'users.info',
      'chat.postMessage',
    ]);
  });

  it('src/ calls the Web API (the scan is not vacuous)', () => {
    expect([...calls.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'views.open']));
  });

  it('every method called in src/ is in METHOD_SCOPES, and its bot scopes are in the manifest', () => {
    const unknown = [...calls].filter(([method]) => !methodScopes.has(method));
    expect(unknown, 'methods called in src/ but missing from METHOD_SCOPES (manifest/index.ts)').toEqual([]);
    for (const method of calls.keys()) {
      for (const scope of methodScopes.get(method)?.bot ?? [])
        expect(botScopes, `${method} needs ${scope}`).toContain(scope);
    }
  });

  it('every bot scope in the manifest is needed by a method called in src/ or by the slash command', () => {
    const needed = new Set<BotScope>(['commands']);
    for (const method of calls.keys())
      for (const scope of methodScopes.get(method)?.bot ?? []) needed.add(scope);
    expect([...botScopes].sort()).toEqual([...needed].sort());
  });

  it('METHOD_SCOPES lists no method that nothing calls', () => {
    const stale = [...methodScopes].filter(
      ([method, need]) => need.calledBy !== 'bolt' && !calls.has(method),
    );
    expect(stale.map(([method]) => method)).toEqual([]);
  });

  it('every bot scope has its reason, and only those scopes are asked for', () => {
    expect(Object.keys(SCOPES).sort()).toEqual([...botScopes].sort());
    for (const reason of Object.values(SCOPES)) expect(reason.trim()).not.toBe('');
  });
});

describe('URLs per mode', () => {
  it('HTTP: the four URLs are {base}/slack/events, Socket Mode off', () => {
    const manifest = http();
    expect(urlsIn(manifest)).toEqual({
      'features.slash_commands.0.url': EVENTS_URL,
      'settings.event_subscriptions.request_url': EVENTS_URL,
      'settings.interactivity.request_url': EVENTS_URL,
      'settings.interactivity.message_menu_options_url': EVENTS_URL,
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('Socket Mode: no URL anywhere, Socket Mode on', () => {
    const manifest = socket();
    expect(urlsIn(manifest)).toEqual({});
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it.each([
    ['https://cards.example.com/', EVENTS_URL],
    ['  https://CARDS.example.com  ', EVENTS_URL],
    ['https://example.com/jelou//', 'https://example.com/jelou/slack/events'],
    ['https://cards.example.com:8443', 'https://cards.example.com:8443/slack/events'],
  ])('HTTP base %j → %s', (baseUrl, expected) => {
    expect(new Set(Object.values(urlsIn(http(baseUrl))))).toEqual(new Set([expected]));
  });

  it.each([
    'http://cards.example.com',
    'ftp://cards.example.com',
    'cards.example.com',
    '',
    'https://cards.example.com/?team=1',
    'https://cards.example.com/#x',
    'https://user:secret@cards.example.com',
  ])('HTTP base %j is refused', (baseUrl) => {
    expect(() => http(baseUrl)).toThrow();
  });
});

describe('the manifest cli', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    const files: string[] = [];
    const cli: CliIo = {
      root: '/nowhere',
      out: (text) => void out.push(text),
      err: (text) => void err.push(text),
      writeFile: async (path) => void files.push(path),
    };
    return { cli, out, err, files };
  }

  it('--http prints the HTTP-mode manifest and writes nothing', async () => {
    const { cli, out, err, files } = io();
    expect(await runManifestCli(['--http', BASE], cli)).toBe(0);
    const printed: unknown = parse(out.join(''));
    expect(printed).toStrictEqual(http());
    expect(out.join('')).toContain(
      `# HTTP mode: commands, interactivity, options loads and events all go to ${EVENTS_URL}`,
    );
    expect(err).toEqual([]);
    expect(files).toEqual([]);
  });

  it.each([
    [['--http', 'http://cards.example.com'], /must be an https URL/],
    [['--http', 'not a url'], /must be an https URL/],
    [['--http'], /argument missing/],
    [['--https', BASE], /Unknown option/],
    [['cards.example.com'], /Unexpected argument/],
  ])('%j: exit code 2, a message on stderr, nothing written', async (argv, message) => {
    const { cli, out, err, files } = io();
    expect(await runManifestCli(argv, cli)).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(out).toEqual([]);
    expect(files).toEqual([]);
  });
});
