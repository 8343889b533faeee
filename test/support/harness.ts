/**
 * The real app in HTTP mode, wired to a loopback Slack Web API and a loopback Jelou, with a real
 * SQLite file and every log line captured. End-to-end tests talk to it only through signed HTTP
 * requests, as Slack would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, type Runtime } from '../../src/app.js';
import { type Config, loadConfig, secretsOf } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { modalLimitViolations } from './block-kit-limits.js';
import { type JelouStandIn, startJelouStandIn } from './jelou-standin.js';
import {
  ALICE,
  blockSuggestion,
  type FormAnswers,
  type OpenedView,
  type SlackUser,
  slashCommand,
  viewButtonClick,
  viewSubmission,
} from './slack-payloads.js';
import {
  commandBody,
  payloadBody,
  postSigned,
  type SignOptions,
  type SlackHttpResponse,
} from './slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';

export const SECRETS = {
  botToken: 'xoxb-0000000000-1111111111-harnessBotTokenValue',
  signingSecret: 'harness-signing-secret-8f1c2e9a77b4',
  clientSecret: 'harness-jelou-client-secret-5d3e',
} as const;

export const JELOU_BOT = 'bot-e2e';
export const JELOU_CLIENT_ID = 'client-e2e';

export type Harness = Readonly<{
  slack: SlackStandIn;
  jelou: JelouStandIn;
  config: Config;
  /** `POST /slack/events` of the running app. */
  eventsUrl: string;
  logLines: readonly string[];
  /** POSTs a signed request body; `sign` overrides the signature for forgery tests. */
  post(body: string, sign?: Partial<SignOptions>): Promise<SlackHttpResponse>;
  command(text: string, user?: SlackUser, channel?: string): Promise<SlackHttpResponse>;
  /** Runs the command and returns the view the app opened. */
  openForm(text?: string, user?: SlackUser, channel?: string): Promise<OpenedView>;
  submit(view: OpenedView, answers: FormAnswers, user?: SlackUser): Promise<SlackHttpResponse>;
  click(
    view: OpenedView,
    actionId: string,
    blockId: string,
    answers?: FormAnswers,
  ): Promise<SlackHttpResponse>;
  suggest(view: OpenedView, actionId: string, blockId: string, query: string): Promise<SlackHttpResponse>;
  stop(): Promise<void>;
}>;

/** Starts stand-ins and the app; `env` adds or overrides environment variables. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const slack = await startSlackStandIn();
  const jelou = await startJelouStandIn({
    botId: JELOU_BOT,
    clientId: JELOU_CLIENT_ID,
    clientSecret: SECRETS.clientSecret,
  });
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-e2e-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: SECRETS.botToken,
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    JELOU_API_URL: jelou.url,
    JELOU_BOT_ID: JELOU_BOT,
    JELOU_CLIENT_ID: JELOU_CLIENT_ID,
    JELOU_CLIENT_SECRET: SECRETS.clientSecret,
    DEFAULT_COUNTRY: 'EC',
    DATABASE_URL: `file:${join(dir, 'sends.db')}`,
    LOG_LEVEL: 'trace',
    ...env,
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), destination });
  const runtime: Runtime = createRuntime(config, logger);
  const { port } = await runtime.start();
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;

  const post = (body: string, sign: Partial<SignOptions> = {}) =>
    postSigned(eventsUrl, body, { signingSecret: SECRETS.signingSecret, ...sign });
  const command = (text: string, user = ALICE, channel?: string) =>
    post(commandBody(slashCommand(text, user, channel, slack.responseUrl)));

  return {
    slack,
    jelou,
    config,
    eventsUrl,
    logLines,
    post,
    command,
    async openForm(text = '', user = ALICE, channel?: string) {
      const before = slack.callsTo('views.open').length;
      const response = await command(text, user, channel);
      if (response.status !== 200) throw new Error(`command answered ${response.status}: ${response.text}`);
      const call = await slack.waitFor('views.open', () => slack.callsTo('views.open').length > before);
      const view = call.args.view as OpenedView;
      return { ...view, id: `V${before + 1}`, hash: `hash-${before + 1}` };
    },
    async submit(view, answers, user = ALICE) {
      const response = await post(payloadBody(viewSubmission(view, answers, user)));
      // A view in response_action is refused by Slack just as one sent to views.update would be.
      const answered = response.json;
      if (typeof answered === 'object' && answered !== null && 'view' in answered) {
        const problems = modalLimitViolations(answered.view);
        if (problems.length > 0) throw new Error(`Slack would refuse this view: ${problems.join('; ')}`);
      }
      return response;
    },
    click: (view, actionId, blockId, answers = {}) =>
      post(payloadBody(viewButtonClick(view, actionId, blockId, answers))),
    suggest: (view, actionId, blockId, query) =>
      post(payloadBody(blockSuggestion(view, actionId, blockId, query))),
    async stop() {
      await runtime.stop();
      await Promise.all([slack.close(), jelou.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
