/** The stand-in's Jelou-like rules, exercised through the real client (as end-to-end tests will). */
import { afterEach, describe, expect, it } from 'vitest';
import type { JelouClient } from '../../src/jelou/index.js';
import { type JelouStandIn, startJelouStandIn } from '../support/jelou-standin.js';
import { BOT_ID, CARD, CLIENT_ID, CLIENT_SECRET, makeClient } from './helpers.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 60 * 60 * 1000;

let jelou: JelouStandIn | undefined;
let client: JelouClient | undefined;

afterEach(async () => {
  await client?.close();
  await jelou?.close();
});

async function setUp(options: Parameters<typeof startJelouStandIn>[0], clientOverrides = {}) {
  jelou = await startJelouStandIn(options);
  client = makeClient(jelou.url, clientOverrides).client;
  return { jelou, client };
}

describe('Jelou stand-in', () => {
  it('accepts the right credentials and bot', async () => {
    const { client } = await setUp({ botId: BOT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(await client.send(CARD)).toMatchObject({ kind: 'sent', messageId: 'msg_1' });
  });

  it('answers 401 unauthorized to wrong credentials', async () => {
    const { client } = await setUp(
      { botId: BOT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      { clientSecret: 'wrong' },
    );
    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', status: 401, code: 'unauthorized' });
  });

  it('answers 404 bot_not_found to another bot, on send and on history', async () => {
    const { client, jelou } = await setUp({ botId: 'another-bot' });
    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', status: 404, code: 'bot_not_found' });
    expect(await client.recentUsers({ budgetMs: 1_000 })).toEqual({ users: [], complete: false });
    expect(jelou.requests.map((r) => r.route)).toEqual(['messages', 'history']);
  });

  it('enforces the 24-hour window when asked to', async () => {
    const { client, jelou } = await setUp({ enforceWindow: true, now: () => NOW });
    jelou.setConversations([
      { userId: CARD.userId, name: 'Inside', messages: [{ by: 'user', at: new Date(NOW - 23 * HOUR) }] },
      { userId: '593990000002', name: 'Outside', messages: [{ by: 'user', at: new Date(NOW - 25 * HOUR) }] },
    ]);

    expect(await client.send(CARD)).toMatchObject({ kind: 'sent' });
    // Jelou's refusal names no cause; the bot's history (last message 25 h ago) is the evidence.
    const outside = await client.send({ ...CARD, userId: '593990000002' });
    expect(outside).toMatchObject({ kind: 'failed', status: 400, code: 'outside_24h_window' });
    const stranger = await client.send({ ...CARD, userId: '593990000003' });
    expect(stranger).toMatchObject({ kind: 'failed', code: 'message_could_not_be_send' });
  });

  it('answers 422 to a send without userId, and to a history page over 50', async () => {
    const { client, jelou } = await setUp({});
    expect(await client.send({ type: 'text', userId: '' })).toMatchObject({
      kind: 'failed',
      status: 422,
      code: 'unprocessable_entity',
    });
    const response = await fetch(`${jelou.url}/v1/external/messages/history/x?limit=51`);
    expect(response.status).toBe(422);
    const noUser = await fetch(`${jelou.url}/v1/bots/x/messages`, { method: 'POST', body: '{}' });
    expect(noUser.status).toBe(422);
    expect(await noUser.json()).toMatchObject({ code: 'unprocessable_entity' });
  });
});
