/**
 * `readHistoryEntry`: every assumption the picker makes about Jelou's history entries, as a table.
 * The fields are Jelou's documented ones (results[]{recipient{id,names}, sender{id,name,type}, by});
 * their values are not documented, which is why each reading here is spelled out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JelouClient, readHistoryEntry } from '../../src/jelou/index.js';
import { HistoryItemSchema } from '../../src/jelou/schemas.js';
import {
  historyEntries,
  type JelouStandIn,
  otherChannelCustomers,
  startJelouStandIn,
  whatsAppCustomers,
} from '../support/jelou-standin.js';
import { BOT_ID, makeClient } from './helpers.js';

const item = (value: unknown) => HistoryItemSchema.parse(value);
const bot = { id: BOT_ID, names: 'Bot' };

describe('readHistoryEntry', () => {
  it.each([
    [
      'the customer wrote (recipient is the bot)',
      { recipient: bot, sender: { id: '593991234567', name: 'María', type: 'user' }, by: 'user' },
      { kind: 'user', id: '593991234567', name: 'María', userWrote: true },
    ],
    [
      'the bot wrote (sender is the bot), whatever `by` says',
      { recipient: { id: '5215512345678', names: 'Juan' }, sender: { id: BOT_ID, type: 'bot' }, by: 'bot' },
      { kind: 'user', id: '5215512345678', name: 'Juan', userWrote: false },
    ],
    [
      'an operator wrote, the bot not named: `by` decides',
      {
        recipient: { id: '5491123456789', names: 'Sofía' },
        sender: { id: 'agent-7', type: 'operator' },
        by: 'operator',
      },
      { kind: 'user', id: '5491123456789', name: 'Sofía', userWrote: false },
    ],
    [
      'no `by`: `sender.type` decides',
      { recipient: { id: 'other-bot' }, sender: { id: '551181234567', name: 'João', type: 'user' } },
      { kind: 'user', id: '551181234567', name: 'João', userWrote: true },
    ],
    [
      'a business-scoped id (number hidden)',
      { recipient: bot, sender: { id: 'US.13491208655302741918', name: 'Alex', type: 'user' }, by: 'user' },
      { kind: 'user', id: 'US.13491208655302741918', name: 'Alex', userWrote: true },
    ],
    [
      'a + before the digits is dropped',
      { recipient: bot, sender: { id: '+34612345678', type: 'user' }, by: 'user' },
      { kind: 'user', id: '34612345678', userWrote: true },
    ],
    [
      'a Facebook page-scoped id (16 digits)',
      { recipient: bot, sender: { id: '7012345678901234', type: 'user' }, by: 'user' },
      { kind: 'other_channel' },
    ],
    [
      'an Instagram-scoped id (17 digits)',
      { recipient: bot, sender: { id: '17841400000000000', type: 'user' }, by: 'user' },
      { kind: 'other_channel' },
    ],
    [
      'a web-widget session id',
      { recipient: bot, sender: { id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', type: 'user' }, by: 'user' },
      { kind: 'other_channel' },
    ],
    [
      'a numeric id whose party type names another channel',
      { recipient: bot, sender: { id: '593991234567', type: 'facebook' }, by: 'user' },
      { kind: 'other_channel' },
    ],
    [
      'a numeric id with a channel field that is not WhatsApp',
      { recipient: bot, sender: { id: '593991234567', type: 'user' }, by: 'user', channel: 'web' },
      { kind: 'other_channel' },
    ],
    [
      'digits that start with no calling code',
      { recipient: bot, sender: { id: '2800123456', type: 'user' }, by: 'user' },
      { kind: 'other_channel' },
    ],
    [
      'an author nobody can tell',
      { recipient: { id: 'x' }, sender: { id: 'y' } },
      { kind: 'unfit', why: 'author' },
    ],
    [
      'a customer without an id',
      { recipient: bot, sender: { name: 'Ana' }, by: 'user' },
      { kind: 'unfit', why: 'id' },
    ],
  ])('%s', (_, entry, expected) => {
    expect(readHistoryEntry(item(entry), BOT_ID)).toEqual(expected);
  });

  it("reads the stand-in's own entries as the customers they were built from", () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const customers = whatsAppCustomers(now);
    const readings = historyEntries(BOT_ID, customers).map((entry) => readHistoryEntry(item(entry), BOT_ID));
    const ids = new Set(readings.flatMap((reading) => (reading.kind === 'user' ? [reading.id] : [])));
    expect([...ids].sort()).toEqual(customers.map((customer) => customer.userId).sort());
  });
});

describe('JelouClient.recentUsers with customers of every country and channel', () => {
  const NOW = Date.parse('2026-03-10T12:00:00Z');
  let jelou: JelouStandIn;
  let client: JelouClient;
  let harness: ReturnType<typeof makeClient>;

  beforeEach(async () => {
    jelou = await startJelouStandIn({ botId: BOT_ID });
    jelou.setConversations([...whatsAppCustomers(NOW), ...otherChannelCustomers(NOW)]);
    harness = makeClient(jelou.url, { now: () => NOW });
    client = harness.client;
  });

  afterEach(async () => {
    await client.close();
    await jelou.close();
  });

  it('lists only the WhatsApp users, each with the time of their own last message', async () => {
    const { users, complete } = await client.recentUsers({ budgetMs: 2_000 });
    expect(complete).toBe(true);
    const expected = whatsAppCustomers(NOW).map((customer) => {
      const wrote = customer.messages.filter((message) => message.by === 'user').map((m) => m.at.getTime());
      return { id: customer.userId, lastUserMessageAt: new Date(Math.max(...wrote)) };
    });
    expect(
      users
        .map((user) => ({ id: user.id, lastUserMessageAt: user.lastUserMessageAt }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    ).toEqual(expected.sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(users.find((user) => user.id === '593997654321')).toMatchObject({ inWindow: false });
    expect(users.find((user) => user.id === 'US.13491208655302741918')).toMatchObject({ inWindow: true });
  });

  it('logs once, without the entry, when entries do not fit the assumed shape', async () => {
    jelou.setHistoryEntries([
      { recipient: { id: 'a' }, sender: { id: 'b' }, createdAt: new Date(NOW).toISOString() },
      { recipient: { id: 'c' }, sender: { id: 'd' }, createdAt: new Date(NOW).toISOString() },
    ]);
    await client.recentUsers({ budgetMs: 2_000 });
    const unfit = harness.logs.lines.filter((line) => String(line.msg).includes('does not fit'));
    expect(unfit).toEqual([expect.objectContaining({ why: 'author' })]);
    expect(unfit[0]).not.toHaveProperty('recipient');
  });
});
