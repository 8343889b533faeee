/**
 * The outbox and its periodic jobs, on real stores whose clock the test moves: claiming due sends
 * within its bound, waiting out an outage until the next attempt and failing when the window
 * closes, and leases: renewed while a send is worked on, and a send whose owner is gone settled as
 * unknown (never sent again by itself). Jelou and Slack are loopback stand-ins.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renewLeases } from '../../src/delivery/leases.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { postgresDatabase, sqliteDatabase } from '../store/stores.js';
import { type Behaviour, json } from '../support/jelou-standin.js';
import { LEASE_MS, logger, type Machinery, machinery, type Replica, submission } from './machinery.js';

let world: Machinery | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Records a send to each of `userIds` (one submission each), as Send does, and answers their ids. */
async function record(replica: Replica, ...userIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const userId of userIds) {
    await replica.delivery.submit(submission(`V:${userId}`, userId), async () => {});
    const [latest] = await replica.store.history('U0ALICE', 1);
    ids.push(latest?.id ?? '');
  }
  return ids;
}

async function statusOf(replica: Replica, id: string) {
  return (await replica.store.get(id))?.status;
}

describe('the outbox', () => {
  it('claims due sends oldest first, never more at once than its bound, and delivers each once', async () => {
    world = await machinery(sqliteDatabase);
    const replica = await world.replica({ concurrency: 2 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held: Behaviour = async (ctx) => {
      await gate;
      await ctx.answerAsJelou();
    };
    world.jelou.script('messages', held, held);
    const ids = await record(replica, '593991111111', '593992222222', '593993333333');
    replica.outbox.kick();
    await vi.waitFor(() => expect(world?.jelou.requestsTo('messages')).toHaveLength(2));
    expect(replica.outbox.inFlight).toBe(2);
    expect(world.jelou.requestsTo('messages').map((r) => (r.body as { userId: string }).userId)).toEqual([
      '593991111111',
      '593992222222',
    ]);
    expect(await statusOf(replica, ids[2] ?? '')).toBe('pending');
    release();
    await vi.waitFor(async () => {
      for (const id of ids) expect(await statusOf(replica, id)).toBe('sent');
    });
    expect(world.jelou.requestsTo('messages')).toHaveLength(3);
  });

  it('waits out an outage: nothing is claimed before the next attempt, then it is sent', async () => {
    world = await machinery(sqliteDatabase);
    const replica = await world.replica({ retryWindowMs: 15 * 60_000 });
    const down = json(503, { code: 'service_unavailable', message: 'down' });
    world.jelou.script('messages', down, down, down);
    const [waiting = ''] = await record(replica, '593991111111');
    replica.outbox.kick();
    await vi.waitFor(async () =>
      expect(await replica.store.get(waiting)).toMatchObject({ status: 'pending', attempts: 1 }),
    );
    // The first wait of an outage is 5 s (the whole of it: random() is 1).
    expect((await replica.store.get(waiting))?.nextAttemptAt).toBe('2026-12-01T14:30:05.000Z');

    // A send recorded later is due now: delivering it shows the outbox looked, and left the first.
    const [fresh = ''] = await record(replica, '593992222222');
    replica.outbox.kick();
    await vi.waitFor(async () => expect(await statusOf(replica, fresh)).toBe('sent'));
    expect(await replica.store.get(waiting)).toMatchObject({ status: 'pending', attempts: 1 });

    world.advance(5_000);
    replica.outbox.kick();
    await vi.waitFor(async () =>
      expect(await replica.store.get(waiting)).toMatchObject({ status: 'sent', attempts: 2 }),
    );
  });

  it('fails a send whose retry window closed, with its last reason', async () => {
    world = await machinery(sqliteDatabase);
    const replica = await world.replica({ retryWindowMs: 8_000 });
    const down = json(503, { code: 'service_unavailable', message: 'down' });
    world.jelou.respondWith(down);
    const [id = ''] = await record(replica, '593991111111');
    replica.outbox.kick();
    await vi.waitFor(async () =>
      expect(await replica.store.get(id)).toMatchObject({ attempts: 1, status: 'pending' }),
    );
    world.advance(5_000);
    replica.outbox.kick();
    // The second wait (10 s) is cut to the end of the window.
    await vi.waitFor(async () =>
      expect(await replica.store.get(id)).toMatchObject({
        attempts: 2,
        status: 'pending',
        nextAttemptAt: '2026-12-01T14:30:08.000Z',
        retryUntil: '2026-12-01T14:30:08.000Z',
      }),
    );
    world.advance(3_000);
    replica.outbox.kick();
    await vi.waitFor(async () =>
      expect(await replica.store.get(id)).toMatchObject({
        attempts: 3,
        status: 'failed',
        errorCode: 'unavailable',
      }),
    );
  });

  it('after a restart (a new owner of the SQLite file), settles a send cut off mid-flight as unknown', async () => {
    world = await machinery(sqliteDatabase);
    const before = await world.replica();
    const [id = ''] = await record(before, '593991111111');
    expect(await before.store.claim(id)).toMatchObject({ status: 'sending' });
    const after = await world.replica();
    await after.recovery.settle();
    expect(await after.store.get(id)).toMatchObject({ status: 'unknown', errorCode: 'send_interrupted' });
    await after.delivery.settle(5_000);
    // Its message says so, and Jelou was never asked again.
    const shown = world.slack.callsTo('chat.postMessage').at(-1);
    expect(shown?.args.metadata).toMatchObject({ event_payload: { send_id: id, status: 'unknown' } });
    expect(world.jelou.requestsTo('messages')).toHaveLength(0);
  });
});

describe('a result Slack could not take', () => {
  it('is kept, shown by the sweep once its lease runs out, and let go once shown', async () => {
    world = await machinery(sqliteDatabase);
    const a = await world.replica();
    const [id = ''] = await record(a, '593991111111');
    // Slack's own trouble on the result's update, once: `internal_error` is one of the errors
    // chat.update lists (https://api.slack.com/methods/chat.update#errors).
    let updates = 0;
    world.slack.on('chat.update', () =>
      updates++ === 0 ? { ok: false, error: 'internal_error' } : undefined,
    );
    a.outbox.kick();
    await vi.waitFor(async () => expect(await statusOf(a, id)).toBe('sent'));
    await a.delivery.settle(5_000);
    expect(updates).toBe(1);
    // Not let go: once its lease runs out, the sweep (this replica's own) shows it.
    world.advance(LEASE_MS + 1);
    await a.recovery.settle();
    const shown = world.slack.callsTo('chat.update').at(-1);
    expect(shown?.answer).toMatchObject({ ok: true });
    expect(shown?.args.metadata).toMatchObject({ event_payload: { send_id: id, status: 'sent' } });
    // Now let go: later sweeps leave it alone, and Jelou got the card once.
    world.advance(LEASE_MS + 1);
    await a.recovery.settle();
    expect(world.slack.callsTo('chat.update')).toHaveLength(2);
    expect(world.jelou.requestsTo('messages')).toHaveLength(1);
  });
});

describe('leases on a shared PostgreSQL store', () => {
  it('renewed while a send is worked on, so another replica leaves it alone', async () => {
    world = await machinery(postgresDatabase);
    const [a, b] = [await world.replica(), await world.replica()];
    const [id = ''] = await record(a, '593991111111');
    await a.store.claim(id);
    for (let round = 0; round < 4; round += 1) {
      world.advance(LEASE_MS / 3);
      await renewLeases({ store: a.store, logger, held: () => [id] });
      await b.recovery.settle();
      expect(await statusOf(b, id)).toBe('sending');
    }
  });

  it('once it runs out, the send is settled as unknown by another replica, and never sent again', async () => {
    world = await machinery(postgresDatabase);
    const [a, b] = [await world.replica(), await world.replica()];
    const [id = ''] = await record(a, '593991111111');
    await a.store.claim(id);
    world.advance(LEASE_MS - 1);
    await b.recovery.settle();
    expect(await statusOf(b, id)).toBe('sending');
    world.advance(2);
    await b.recovery.settle();
    expect(await b.store.get(id)).toMatchObject({ status: 'unknown', errorCode: 'send_interrupted' });
    // The late owner can no longer renew it, and the outbox does not pick it up again.
    expect(await a.store.renewLeases([id])).toEqual([]);
    expect(await b.store.claimDue(8)).toEqual([]);
  });
});

describe('the outbox at start', () => {
  it('closes the LISTEN connection it opened beside the sweep when the sweep fails, and fails the start', async () => {
    let closed = 0;
    let claims = 0;
    const outbox = new Outbox({
      store: {
        claimDue: async () => {
          claims += 1;
          return [];
        },
        renewLeases: async () => [],
        interruptInFlight: async () => {
          throw new Error('database unavailable');
        },
        takeUnshown: async () => [],
        listen: async () => async () => {
          closed += 1;
        },
      },
      delivery: {
        deliverClaimed: async () => {},
        show: async () => {},
        beingShown: () => [],
        settle: async () => {},
      },
      logger,
    });
    await expect(outbox.start()).rejects.toThrow('database unavailable');
    expect(closed).toBe(1);
    // Nothing was started: stopping it later neither closes the connection twice nor claims.
    await outbox.stop(0);
    expect(closed).toBe(1);
    expect(claims).toBe(0);
  });
});
