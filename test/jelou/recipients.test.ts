import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JelouClient, matchesQuery, type RecentUser } from '../../src/jelou/index.js';
import {
  hangHeaders,
  historyEntries,
  type JelouStandIn,
  json,
  passThrough,
  raw,
  type StandInConversation,
  startJelouStandIn,
} from '../support/jelou-standin.js';
import { AUTHORIZATION, BOT_ID, ENCODED_BOT_ID, makeClient } from './helpers.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000);

const CONVERSATIONS: StandInConversation[] = [
  {
    userId: '593991111111',
    name: 'Ana María',
    messages: [
      { by: 'user', at: ago(120), text: 'Hola' },
      { by: 'bot', at: ago(60), text: '¿En qué te ayudo?' },
    ],
  },
  {
    userId: '593992222222',
    name: 'José Núñez',
    messages: [
      { by: 'user', at: ago(30 * 60), text: 'Buenas' },
      { by: 'operator', at: ago(180), text: 'Seguimos en contacto' },
    ],
  },
  { userId: '573001234567', name: 'Pedro', messages: [{ by: 'user', at: ago(10), text: 'Hi' }] },
  { userId: '593994444444', name: 'Lucía', messages: [{ by: 'bot', at: ago(600), text: 'Promo' }] },
];

const EXPECTED: RecentUser[] = [
  { id: '573001234567', name: 'Pedro', lastMessageAt: ago(10), lastUserMessageAt: ago(10), inWindow: true },
  {
    id: '593991111111',
    name: 'Ana María',
    lastMessageAt: ago(60),
    lastUserMessageAt: ago(120),
    inWindow: true,
  },
  {
    id: '593992222222',
    name: 'José Núñez',
    lastMessageAt: ago(180),
    lastUserMessageAt: ago(30 * 60),
    inWindow: false,
  },
  { id: '593994444444', name: 'Lucía', lastMessageAt: ago(600), inWindow: false },
];

/** `count` users who each wrote once, a minute apart, newest first. */
function manyUsers(count: number): StandInConversation[] {
  return Array.from({ length: count }, (_, i) => ({
    userId: String(593990000000 + i),
    name: `Cliente ${i}`,
    messages: [{ by: 'user' as const, at: ago(i + 1) }],
  }));
}

let jelou: JelouStandIn;
let client: JelouClient;
let harness: ReturnType<typeof makeClient>;
let clock: number;

beforeEach(async () => {
  jelou = await startJelouStandIn();
  jelou.setConversations(CONVERSATIONS);
  clock = NOW;
  harness = makeClient(jelou.url, { now: () => clock });
  client = harness.client;
});

afterEach(async () => {
  // A test may have swapped in a client of its own: close whichever is current.
  await harness.client.close();
  await jelou.close();
});

describe('JelouClient.recentUsers', () => {
  it('lists each user once, newest first, with the 24-hour window worked out', async () => {
    const result = await client.recentUsers({ budgetMs: 2_000 });

    expect(result).toEqual({ users: EXPECTED, complete: true });
    expect(jelou.requests).toHaveLength(1);
    const request = jelou.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/v1/external/messages/history/${ENCODED_BOT_ID}`);
    expect(request?.params).toEqual({ botId: BOT_ID });
    expect(request?.query).toEqual({ limit: '50', page: '1' });
    expect(request?.headers.authorization).toBe(AUTHORIZATION);
  });

  it.each([
    ['jose', ['593992222222']],
    ['NÚÑEZ', ['593992222222']],
    ['maria', ['593991111111']],
    ['  ana ', ['593991111111']],
    ['9922', ['593992222222']],
    ['+593 99 222', ['593992222222']],
    ['593', ['593991111111', '593992222222', '593994444444']],
    ['99', []],
    ['nadie', []],
    ['', ['573001234567', '593991111111', '593992222222', '593994444444']],
  ])('query %j matches %j, from one fetch', async (query, ids) => {
    const result = await client.recentUsers({ query, budgetMs: 2_000 });
    expect(result.users.map((u) => u.id)).toEqual(ids);
    expect(result.complete).toBe(true);
  });

  it('serves consecutive keystrokes from the cache, then refetches after 30 s', async () => {
    await client.recentUsers({ query: 'a', budgetMs: 2_000 });
    await client.recentUsers({ query: 'an', budgetMs: 2_000 });
    clock += 29_000;
    const third = await client.recentUsers({ query: 'ana', budgetMs: 2_000 });
    expect(third.users.map((u) => u.id)).toEqual(['593991111111']);
    expect(jelou.requestsTo('history')).toHaveLength(1);

    clock += 2_000;
    await client.recentUsers({ budgetMs: 2_000 });
    expect(jelou.requestsTo('history')).toHaveLength(2);
  });

  it('computes the window when served, not when cached', async () => {
    await client.recentUsers({ budgetMs: 2_000 });
    clock += 25_000; // still cached
    const pedro = (await client.recentUsers({ query: 'pedro', budgetMs: 2_000 })).users[0];
    expect(pedro?.inWindow).toBe(true);

    await client.close();
    // 24 hours later Pedro is out of the window; a fresh client to show the rule, not the cache.
    clock = NOW + 24 * 60 * 60_000;
    harness = makeClient(jelou.url, { now: () => clock });
    client = harness.client;
    const later = (await client.recentUsers({ query: 'pedro', budgetMs: 2_000 })).users[0];
    expect(later?.inWindow).toBe(false);
  });

  it('shares one fetch between concurrent calls', async () => {
    const [a, b] = await Promise.all([
      client.recentUsers({ query: 'ana', budgetMs: 2_000 }),
      client.recentUsers({ query: 'pedro', budgetMs: 2_000 }),
    ]);
    expect(a.users.map((u) => u.id)).toEqual(['593991111111']);
    expect(b.users.map((u) => u.id)).toEqual(['573001234567']);
    expect(jelou.requestsTo('history')).toHaveLength(1);
  });

  it('follows pagination until totalPages', async () => {
    jelou.setConversations(manyUsers(120));

    const result = await client.recentUsers({ budgetMs: 2_000 });

    expect(result.complete).toBe(true);
    expect(result.users).toHaveLength(120);
    expect(result.users[0]?.id).toBe('593990000000');
    expect(result.users[119]?.id).toBe('593990000119');
    expect(jelou.requestsTo('history').map((r) => r.query)).toEqual([
      { limit: '50', page: '1' },
      { limit: '50', page: '2' },
      { limit: '50', page: '3' },
    ]);
  });

  it('stops at maxPages and says the list is incomplete', async () => {
    jelou.setConversations(manyUsers(120));

    const result = await client.recentUsers({ budgetMs: 2_000, maxPages: 2 });

    expect(result.complete).toBe(false);
    expect(result.users).toHaveLength(100);
    expect(jelou.requestsTo('history')).toHaveLength(2);
  });

  it('a hanging page ends the look-up at the budget with what it has (complete: false)', async () => {
    jelou.setConversations(manyUsers(120));
    jelou.script('history', passThrough(), hangHeaders());
    // A client whose own timeouts are far longer than the budget, so only the budget can end
    // page 2 (with the suite's 250 ms headers timeout, which timer fired first depended on load).
    await harness.client.close();
    harness = makeClient(jelou.url, {
      now: () => clock,
      timeouts: { connectMs: 500, headersMs: 30_000, bodyMs: 30_000 },
    });

    // Generous enough for page 1 on a busy machine; page 2 never answers.
    const result = await harness.client.recentUsers({ budgetMs: 800 });

    expect(result.complete).toBe(false);
    expect(result.users.map((u) => u.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => String(593990000000 + i)),
    );
    expect(jelou.requestsTo('history')).toHaveLength(2);
    expect(harness.logs.lines.find((line) => line.msg === 'jelou history page failed')).toMatchObject({
      page: 2,
      budgetSpent: true,
    });
  });

  it('a history that hangs from the start gives an empty, incomplete list', async () => {
    jelou.script('history', hangHeaders());
    expect(await client.recentUsers({ budgetMs: 200 })).toEqual({ users: [], complete: false });
  });

  it('an error answer gives an incomplete list, cached only briefly', async () => {
    jelou.script('history', json(500, { code: 'internal_server_error' }));

    expect(await client.recentUsers({ budgetMs: 2_000 })).toEqual({ users: [], complete: false });
    clock += 4_000;
    expect(await client.recentUsers({ budgetMs: 2_000 })).toEqual({ users: [], complete: false });
    expect(jelou.requestsTo('history')).toHaveLength(1);

    clock += 2_000;
    expect(await client.recentUsers({ budgetMs: 2_000 })).toEqual({ users: EXPECTED, complete: true });
    expect(jelou.requestsTo('history')).toHaveLength(2);
  });

  it('an unreadable page gives an incomplete list', async () => {
    jelou.script('history', raw(200, '<html>maintenance</html>', 'text/html'));
    expect(await client.recentUsers({ budgetMs: 2_000 })).toEqual({ users: [], complete: false });
  });

  it('skips malformed messages and ids that are not phone numbers, keeps the newest name', async () => {
    const good = historyEntries(BOT_ID, [
      {
        userId: '593995555555',
        name: 'Rosa Old',
        messages: [{ by: 'user', at: ago(50) }],
      },
    ]);
    jelou.setHistoryEntries([
      null,
      'garbage',
      {
        by: 'user',
        sender: { id: 'not-a-phone', name: 'Spam', type: 'user' },
        createdAt: ago(1).toISOString(),
      },
      // No `by`: sender.type says the user wrote; a "+" prefix is tolerated; epoch ms date.
      { sender: { id: '+593995555555', name: 'Rosa New', type: 'user' }, createdAt: ago(5).getTime() },
      // Bot wrote, no date: counts for the user but does not move dates.
      { by: 'bot', recipient: { id: '593995555555', names: 'Rosa Undated' } },
      ...good,
    ]);

    const result = await client.recentUsers({ budgetMs: 2_000 });

    expect(result).toEqual({
      users: [
        {
          id: '593995555555',
          name: 'Rosa New',
          lastMessageAt: ago(5),
          lastUserMessageAt: ago(5),
          inWindow: true,
        },
      ],
      complete: true,
    });
  });
});

describe('matchesQuery', () => {
  it('folds case and accents, and needs 3 digits to match a number', () => {
    const user = { id: '593991234567', name: 'Ángela Muñoz' };
    expect(matchesQuery(user, 'angela')).toBe(true);
    expect(matchesQuery(user, 'MUNOZ')).toBe(true);
    expect(matchesQuery(user, 'muñ')).toBe(true);
    expect(matchesQuery(user, '123')).toBe(true);
    expect(matchesQuery(user, '12')).toBe(false);
    expect(matchesQuery({ id: '593991234567' }, 'angela')).toBe(false);
  });
});

describe('JelouClient.userState', () => {
  it('finds a known user', async () => {
    const result = await client.userState('593991111111', { budgetMs: 1_000 });

    expect(result).toEqual({ kind: 'found', id: '593991111111', name: 'Ana María', state: 'bot' });
    const request = jelou.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v1/users/593991111111/state');
    expect(request?.headers.authorization).toBe(AUTHORIZATION);
  });

  it('URL-encodes the user id', async () => {
    jelou.setUserState('59 39/1', { id: '59 39/1', names: 'Odd', state: { step: 2 } });

    expect(await client.userState('59 39/1', { budgetMs: 1_000 })).toEqual({
      kind: 'found',
      id: '59 39/1',
      name: 'Odd',
      state: { step: 2 },
    });
    expect(jelou.requests[0]?.path).toBe('/v1/users/59%2039%2F1/state');
  });

  it('404 → not_found', async () => {
    expect(await client.userState('593990000001', { budgetMs: 1_000 })).toEqual({ kind: 'not_found' });
  });

  it('5xx, garbage or a hang within the budget → unavailable', async () => {
    jelou.script(
      'state',
      json(500, { code: 'internal_server_error' }),
      raw(200, 'nope', 'text/plain'),
      hangHeaders(),
    );

    expect(await client.userState('593991111111', { budgetMs: 1_000 })).toEqual({ kind: 'unavailable' });
    expect(await client.userState('593991111111', { budgetMs: 1_000 })).toEqual({ kind: 'unavailable' });
    expect(await client.userState('593991111111', { budgetMs: 200 })).toEqual({ kind: 'unavailable' });
    expect(jelou.requestsTo('state')).toHaveLength(3);
  });
});
