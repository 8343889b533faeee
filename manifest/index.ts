/**
 * The Slack app manifest as typed source: `buildManifest` gives the Socket Mode or HTTP-mode
 * variant, checked against a strict zod model of Slack's manifest shape (the parts this app uses).
 * `npm run manifest` writes `slack-app-manifest.yml` from it; test/manifest.test.ts keeps the two,
 * and the scopes and the Web API methods called in src/, in step.
 */
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import {
  Command,
  Event,
  MessageShortcut,
  Shortcut,
  StepInput,
  StepOutput,
  WorkflowStep,
} from '../src/slack/ids.js';

/** Bolt's receivers take commands, interactivity, options loads and events on this one path. */
export const EVENTS_PATH = '/slack/events';

/** Every bot scope the app asks for. Nothing else: each one is a permission an admin must grant. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'files:read',
  'files:write',
] as const;
export type BotScope = (typeof BOT_SCOPES)[number];

/** Why the app needs each bot scope; written next to each scope in the YAML. */
export const SCOPES: Readonly<Record<BotScope, string>> = {
  commands: '/jelou-card, the slash command that opens the card form.',
  'chat:write': "The send's result message: chat.postMessage, chat.update, chat.postEphemeral.",
  'chat:write.public': 'Post the result in public channels the bot has not been invited to.',
  'im:write':
    'conversations.open for the DM fallback, when the result cannot be posted or updated in the channel.',
  'channels:read':
    "conversations.info: refuse a Slack Connect channel chosen for the result on the shortcut's form.",
  'groups:read':
    'conversations.info on a private channel chosen for the result: is the app in it, is it shared outside.',
  'users:read':
    "users.info: speak each person's Slack language (English or Spanish), and fill in their own card (/jelou-card me).",
  'users:read.email': 'The email on "my card": users.info only includes it with this scope.',
  'files:read':
    'Download a .vcf file attached in the card form (its url_private_download) to read its contacts.',
  'files:write':
    'Download .vcf: send a sent card as a file by DM to whoever may download it (files.getUploadURLExternal, files.completeUploadExternal).',
};

/** The scopes a Web API method needs, by the token it is called with. */
export type MethodScopes = Readonly<{
  /** Bot scopes (`xoxb-` token) the method needs; empty when the app itself is enough. */
  bot: readonly BotScope[];
  /** Scopes of the app-level token (`xapp-`): set when the app-level token is created, not here. */
  appToken?: readonly 'connections:write'[];
  /** Set when Bolt calls the method itself, so it does not appear in src/. */
  calledBy?: 'bolt';
}>;

/**
 * Every Web API method the app calls, with the scopes it needs. A method called in src/ that is
 * missing here fails test/manifest.test.ts, and so does a bot scope no method here needs.
 */
export const METHOD_SCOPES = {
  // chat:write.public is optional for the call, but without it a public channel the bot has not
  // joined answers not_in_channel and the result goes to an ephemeral message instead.
  'chat.postMessage': { bot: ['chat:write', 'chat:write.public'] },
  'chat.update': { bot: ['chat:write'] },
  'chat.postEphemeral': { bot: ['chat:write'] },
  'conversations.open': { bot: ['im:write'] },
  'conversations.info': { bot: ['channels:read', 'groups:read'] },
  'users.info': { bot: ['users:read', 'users:read.email'] },
  // WebClient.filesUploadV2 calls these two, with the upload itself in between.
  'files.getUploadURLExternal': { bot: ['files:write'] },
  'files.completeUploadExternal': { bot: ['files:write'] },
  // Not a Web API method: a file's url_private_download, fetched with the bot token (files.ts).
  url_private_download: { bot: ['files:read'] },
  // Views belong to the app: a trigger_id (views.open, views.push), a view id (views.update) or the
  // Home tab. views.push needs none (docs.slack.dev/reference/methods/views.push: "No scopes required").
  'views.open': { bot: [] },
  'views.push': { bot: [] },
  'views.update': { bot: [] },
  'views.publish': { bot: [] },
  // Ending a workflow step (src/slack/workflow-step.ts, and Bolt's fail() for input refused at
  // once): any bot token of the app, no scope (docs.slack.dev/reference/methods/functions.completeSuccess).
  'functions.completeSuccess': { bot: [] },
  'functions.completeError': { bot: [] },
  // Bolt checks the bot token at start (single-workspace apps); no scope needed.
  'auth.test': { bot: [], calledBy: 'bolt' },
  // The Socket Mode client opens its WebSocket with the app-level token.
  'apps.connections.open': { bot: [], appToken: ['connections:write'], calledBy: 'bolt' },
} as const satisfies Record<string, MethodScopes>;

export type CommandName = (typeof Command)[keyof typeof Command];

/** Text Slack shows for each slash command. Keyed by every command in ids.ts, so none is forgotten. */
const COMMANDS = {
  [Command.JelouCard]: {
    description: 'Send a WhatsApp contact card to a customer',
    usage_hint: '[+593 99 123 4567 | me | history | help]',
  },
} as const satisfies Record<CommandName, { description: string; usage_hint?: string }>;

export type ShortcutId = (typeof Shortcut)[keyof typeof Shortcut];

/** Global shortcuts, keyed by every shortcut in ids.ts, so none is forgotten. */
const SHORTCUTS = {
  [Shortcut.SendCard]: {
    name: 'Send contact card',
    description: 'Send a WhatsApp contact card from anywhere in Slack',
  },
} as const satisfies Record<ShortcutId, { name: string; description: string }>;

export type StepInputName = (typeof StepInput)[keyof typeof StepInput];
export type StepOutputName = (typeof StepOutput)[keyof typeof StepOutput];

/** Parameter types the step uses (Slack's built-in types, docs.slack.dev/tools/deno-slack-sdk/reference/slack-types). */
const PARAMETER_TYPES = ['string', 'slack#/types/user_id', 'slack#/types/channel_id'] as const;

type Parameter = Readonly<{
  type: (typeof PARAMETER_TYPES)[number];
  title: string;
  description: string;
  is_required: boolean;
}>;

/**
 * The "Send WhatsApp contact card" step's contract, which admins' workflows depend on: renaming
 * or removing an input or output breaks every workflow that uses it. Keyed by ids.ts's lists.
 */
const STEP_INPUTS = {
  [StepInput.Recipient]: {
    type: 'string',
    title: 'Send to (WhatsApp)',
    description:
      "The customer's WhatsApp number with its country code (+593 99 123 4567), or their Jelou user id.",
    is_required: true,
  },
  [StepInput.Name]: {
    type: 'string',
    title: 'Name on the card',
    description: 'The name the customer sees on the card.',
    is_required: true,
  },
  [StepInput.Phone]: {
    type: 'string',
    title: 'Phone',
    description: 'The phone number on the card, with its country code.',
    is_required: false,
  },
  [StepInput.Email]: {
    type: 'string',
    title: 'Email',
    description: 'The email on the card.',
    is_required: false,
  },
  [StepInput.Company]: {
    type: 'string',
    title: 'Company',
    description: 'The company on the card.',
    is_required: false,
  },
  [StepInput.Title]: {
    type: 'string',
    title: 'Job title',
    description: 'The job title on the card.',
    is_required: false,
  },
  [StepInput.Website]: {
    type: 'string',
    title: 'Website',
    description: 'The website on the card (https://…).',
    is_required: false,
  },
  [StepInput.CardOwner]: {
    type: 'slack#/types/user_id',
    title: 'Card owner',
    description:
      "Send this person's card, from their Slack profile, instead of the fields above. Needed when the app has an allowed list.",
    is_required: false,
  },
  [StepInput.ResultChannel]: {
    type: 'slack#/types/channel_id',
    title: 'Post the result in',
    description: "A channel for the result message. Empty: the result is only in the step's outputs.",
    is_required: false,
  },
} as const satisfies Record<StepInputName, Parameter>;

const STEP_OUTPUTS = {
  [StepOutput.Status]: {
    type: 'string',
    title: 'Status',
    description:
      'sent, or unknown when the card may or may not have arrived (check with the customer before sending again). A card Jelou refused fails the step.',
    is_required: true,
  },
  [StepOutput.MessageId]: {
    type: 'string',
    title: 'Jelou message id',
    description: 'The id Jelou gave the WhatsApp message, when the card was sent.',
    is_required: false,
  },
  [StepOutput.Reason]: {
    type: 'string',
    title: 'Reason',
    description: 'Why the card was not surely sent, when it was not.',
    is_required: false,
  },
} as const satisfies Record<StepOutputName, Parameter>;

/** Parameters as the manifest lists them: each under its name, and carrying it. */
function parameters<K extends string>(params: Readonly<Record<K, Parameter>>) {
  return Object.fromEntries(
    Object.entries<Parameter>(params).map(([name, param]) => [name, { ...param, name }]),
  );
}

export type MessageShortcutId = (typeof MessageShortcut)[keyof typeof MessageShortcut];

/** Message shortcuts (a message's "More actions" menu), keyed by every one in ids.ts. */
const MESSAGE_SHORTCUTS = {
  [MessageShortcut.SendCard]: {
    name: 'Send contact card',
    description: "Send a WhatsApp card to a number in this message, or this message's .vcf card",
  },
} as const satisfies Record<MessageShortcutId, { name: string; description: string }>;

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });

const slashCommandSchema = z.strictObject({
  command: z
    .string()
    .min(2)
    .max(32)
    .regex(/^\/\S+$/, 'must start with / and contain no spaces'),
  url: httpsUrl.optional(),
  description: z.string().min(1).max(2000),
  usage_hint: z.string().max(1000).optional(),
  should_escape: z.boolean(),
});

const shortcutSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['global', 'message']),
  callback_id: z.string().min(1).max(255),
  description: z.string().min(1).max(150),
});

const parameterSchema = z.strictObject({
  type: z.enum(PARAMETER_TYPES),
  title: z.string().min(1).max(255),
  description: z.string().min(1).max(1000),
  is_required: z.boolean(),
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
});

const parametersSchema = z
  .record(z.string(), parameterSchema)
  .refine((params) => Object.entries(params).every(([key, param]) => param.name === key), {
    message: "each parameter's name must be its key",
  });

/** A custom workflow step (https://docs.slack.dev/workflows/workflow-steps, "Defining the step"). */
const functionSchema = z.strictObject({
  title: z.string().min(1).max(255),
  description: z.string().min(1).max(1000),
  input_parameters: parametersSchema,
  output_parameters: parametersSchema,
});

const manifestShape = z.strictObject({
  _metadata: z
    .strictObject({ major_version: z.int().min(1).max(2), minor_version: z.int().min(0) })
    .optional(),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140).optional(),
    background_color: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour like #1d4ed8')
      .optional(),
    long_description: z.string().min(174).max(4000).optional(),
  }),
  features: z.strictObject({
    app_home: z
      .strictObject({
        home_tab_enabled: z.boolean(),
        messages_tab_enabled: z.boolean(),
        messages_tab_read_only_enabled: z.boolean(),
      })
      .optional(),
    bot_user: z.strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    shortcuts: z.array(shortcutSchema).max(10).optional(),
    slash_commands: z.array(slashCommandSchema).max(50),
  }),
  functions: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,99}$/), functionSchema).optional(),
  oauth_config: z.strictObject({
    scopes: z.strictObject({ bot: z.array(z.enum(BOT_SCOPES)).min(1).max(255) }),
  }),
  settings: z.strictObject({
    event_subscriptions: z
      .strictObject({
        request_url: httpsUrl.optional(),
        bot_events: z.array(z.string().min(1)).min(1).max(100),
      })
      .optional(),
    interactivity: z.strictObject({
      is_enabled: z.boolean(),
      request_url: httpsUrl.optional(),
      message_menu_options_url: httpsUrl.optional(),
    }),
    org_deploy_enabled: z.boolean(),
    // 'remote': the app runs the steps itself (Bolt), not Slack's Deno runtime.
    function_runtime: z.enum(['remote', 'slack']).optional(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

/**
 * Slack's manifest shape, every object strict (Slack rejects unknown keys too), plus the URL rules
 * Slack's validator applies: with Socket Mode off, interactivity, events and each slash command need
 * a request URL; with it on, Slack delivers everything over the socket, so a URL would only mislead.
 */
export const manifestSchema = manifestShape.superRefine((manifest, ctx) => {
  const { settings, features } = manifest;
  // Custom steps run only in apps deployable to an org, on the remote runtime, told by the event.
  if (manifest.functions !== undefined && Object.keys(manifest.functions).length > 0) {
    if (!settings.org_deploy_enabled)
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'org_deploy_enabled'],
        message: 'must be true for functions',
      });
    if (settings.function_runtime !== 'remote')
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'function_runtime'],
        message: "must be 'remote' for a Bolt app",
      });
    if (!settings.event_subscriptions?.bot_events.includes('function_executed'))
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'event_subscriptions', 'bot_events'],
        message: 'must include function_executed for functions',
      });
  }
  const urls: { path: (string | number)[]; value: string | undefined; required: boolean }[] = [
    ...features.slash_commands.map((command, index) => ({
      path: ['features', 'slash_commands', index, 'url'],
      value: command.url,
      required: true,
    })),
    {
      path: ['settings', 'interactivity', 'request_url'],
      value: settings.interactivity.request_url,
      required: settings.interactivity.is_enabled,
    },
    {
      path: ['settings', 'interactivity', 'message_menu_options_url'],
      value: settings.interactivity.message_menu_options_url,
      required: false,
    },
    {
      path: ['settings', 'event_subscriptions', 'request_url'],
      value: settings.event_subscriptions?.request_url,
      required: settings.event_subscriptions !== undefined,
    },
  ];
  for (const { path, value, required } of urls) {
    if (settings.socket_mode_enabled && value !== undefined)
      ctx.addIssue({ code: 'custom', path, message: 'must not be set when Socket Mode is enabled' });
    if (!settings.socket_mode_enabled && required && value === undefined)
      ctx.addIssue({ code: 'custom', path, message: 'is required when Socket Mode is off' });
  }
});

export type SlackManifest = z.infer<typeof manifestSchema>;

export type ManifestOptions = { mode: 'socket' } | { mode: 'http'; baseUrl: string };

/**
 * Where the app is reachable in HTTP mode: an https origin, optionally with a path prefix (behind
 * a proxy), no query, fragment or credentials. Trailing slashes are dropped.
 */
export const baseUrlSchema = z
  .string()
  .trim()
  .pipe(httpsUrl)
  .transform((raw) => new URL(raw))
  .refine((url) => url.search === '' && url.hash === '', 'must not carry a query or a fragment')
  .refine((url) => url.username === '' && url.password === '', 'must not carry credentials')
  .transform((url) => `${url.origin}${url.pathname.replace(/\/+$/, '')}`);

/** The manifest for Socket Mode (no URLs) or for HTTP mode (every URL is `{baseUrl}/slack/events`). */
export function buildManifest(options: ManifestOptions): SlackManifest {
  const url = options.mode === 'http' ? `${baseUrlSchema.parse(options.baseUrl)}${EVENTS_PATH}` : undefined;
  const manifest: z.input<typeof manifestSchema> = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Jelou Card',
      description: 'Send a WhatsApp contact card to a customer without leaving Slack.',
      background_color: '#1d4ed8',
    },
    features: {
      app_home: {
        home_tab_enabled: true,
        // The Messages tab must be on for the DM fallback (when the bot cannot post in a channel)
        // to be seen at all; read-only, since the app does not answer messages.
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: true,
      },
      bot_user: { display_name: 'Jelou Card', always_online: true },
      shortcuts: [
        ...Object.values(Shortcut).map((callback_id) => ({
          ...SHORTCUTS[callback_id],
          type: 'global' as const,
          callback_id,
        })),
        ...Object.values(MessageShortcut).map((callback_id) => ({
          ...MESSAGE_SHORTCUTS[callback_id],
          type: 'message' as const,
          callback_id,
        })),
      ],
      slash_commands: Object.values(Command).map((command) => ({
        command,
        ...(url === undefined ? {} : { url }),
        ...COMMANDS[command],
        // The text is a phone number or a keyword: nothing for Slack to turn into <@U…> / <#C…>.
        should_escape: false,
      })),
    },
    functions: {
      [WorkflowStep.SendCard]: {
        title: 'Send WhatsApp contact card',
        description: 'Send a contact card (vCard) to a customer on WhatsApp through Jelou.',
        input_parameters: parameters(STEP_INPUTS),
        output_parameters: parameters(STEP_OUTPUTS),
      },
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        ...(url === undefined ? {} : { request_url: url }),
        bot_events: Object.values(Event),
      },
      // Modals, buttons, and the recipient picker's options loads (external_select).
      interactivity: {
        is_enabled: true,
        ...(url === undefined ? {} : { request_url: url, message_menu_options_url: url }),
      },
      // Custom workflow steps need both (docs.slack.dev/workflows/workflow-steps).
      org_deploy_enabled: true,
      function_runtime: 'remote',
      socket_mode_enabled: options.mode === 'socket',
      token_rotation_enabled: false,
    },
  };
  // Parsed, not only typed: the length limits and the URL rules hold before anything is written.
  return manifestSchema.parse(manifest);
}

/** Comments on keys of the YAML, by path: the why that the keys alone do not say. */
const KEY_COMMENTS: readonly { path: readonly string[]; key: string; comment: string }[] = [
  {
    path: ['features'],
    key: 'app_home',
    comment: "The Home tab lists each person's latest cards and the team's counts.",
  },
  {
    path: ['settings', 'event_subscriptions'],
    key: 'bot_events',
    comment:
      'app_home_opened: publish the Home tab each time someone opens it. function_executed: a workflow ran the "Send WhatsApp contact card" step.',
  },
  {
    path: [],
    key: 'functions',
    comment:
      'Custom workflow steps for Workflow Builder (needs a paid Slack plan; org_deploy_enabled and function_runtime below).',
  },
];

const botScopeSchema = z.enum(BOT_SCOPES);

/** The manifest as YAML, under `header` (comment lines without the `#`), each scope with its reason. */
export function manifestYaml(manifest: SlackManifest, header: readonly string[]): string {
  const doc = new Document(manifest);
  doc.commentBefore = header.map((line) => (line ? ` ${line}` : '')).join('\n');
  const scopes = doc.getIn(['oauth_config', 'scopes', 'bot'], true);
  if (isSeq(scopes)) {
    for (const item of scopes.items) {
      const scope = botScopeSchema.safeParse(isScalar(item) ? item.value : undefined);
      if (isScalar(item) && scope.success) item.commentBefore = ` ${SCOPES[scope.data]}`;
    }
  }
  for (const { path, key, comment } of KEY_COMMENTS) {
    const map = doc.getIn(path, true);
    const pair = isMap(map)
      ? map.items.find((item) => isScalar(item.key) && item.key.value === key)
      : undefined;
    if (pair && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
  }
  return doc.toString({ lineWidth: 0 });
}
