/**
 * Delivery, one unit at a time on a real SQLite store with a clock the test moves: Send as one call
 * (the rows recorded, Slack answered after, the outbox woken after that), and what each answer of
 * Jelou's (its stand-in, over HTTP) leaves in the store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRY_RUN_MESSAGE_ID } from '../../src/delivery/service.js';
import { postgresDatabase, sqliteDatabase } from '../store/stores.js';
import { json } from '../support/jelou-standin.js';
import { type Machinery, machinery, type Replica, submission } from './machinery.js';

let world: Machinery;
let replica: Replica;

beforeEach(async () => {
  world = await machinery(sqliteDatabase);
  replica = await world.replica();
});

afterEach(async () => {
  await world.close();
});

describe('DeliveryService.submit (what Send does)', () => {
  it('records one send per recipient, all in one batch, before Slack is answered, then wakes the outbox', async () => {
    const seenAtAck: string[] = [];
    const submitted = await replica.delivery.submit(
      submission('V1:h1', '593991111111', '593992222222'),
      async () => {
        // Slack is answered only once the sends are stored.
        const stored = await replica.store.history('U0ALICE', 10);
        seenAtAck.push(...stored.map((send) => send.status));
        expect(replica.wakes()).toBe(0);
      },
    );
    expect(submitted).toMatchObject({ recorded: true, created: true });
    expect(submitted.recorded && submitted.sends.map((send) => send.status)).toEqual(['pending', 'pending']);
    expect(seenAtAck).toEqual(['pending', 'pending']);
    expect(replica.wakes()).toBe(1);

    const sends = (await replica.store.history('U0ALICE', 10)).reverse();
    expect(sends.map((send) => send.recipientId)).toEqual(['593991111111', '593992222222']);
    expect(sends.map((send) => send.submissionKey)).toEqual(['V1:h1:593991111111', 'V1:h1:593992222222']);
    expect(sends[0]?.batchId).toBeDefined();
    expect(sends[1]?.batchId).toBe(sends[0]?.batchId);
    expect(sends[0]).toMatchObject({
      status: 'pending',
      teamId: 'T1',
      channelId: 'C0SUPPORT',
      recipientLabel: 'Customer 593991111111',
      cardName: 'Juan Pérez',
      locale: 'es',
      dryRun: false,
    });
    expect(JSON.parse(sends[0]?.body ?? '')).toMatchObject({ type: 'contacts', userId: '593991111111' });
  });

  it('keeps a send to one person out of any batch, under the submission key itself', async () => {
    await replica.delivery.submit(submission('V1:h1', '593991111111'), async () => {});
    const [send] = await replica.store.history('U0ALICE', 10);
    expect(send).toMatchObject({ submissionKey: 'V1:h1', batchId: undefined });
  });

  it('records a repeated submission once, and does not wake the outbox for it', async () => {
    await replica.delivery.submit(submission('V1:h1', '593991111111'), async () => {});
    const again = await replica.delivery.submit(submission('V1:h1', '593991111111'), async () => {});
    expect(again).toEqual({ recorded: true, created: false, sends: [] });
    expect(replica.wakes()).toBe(1);
    expect(await replica.store.history('U0ALICE', 10)).toHaveLength(1);
  });

  it('records the sends already waiting for the reply to a template when asked, before Slack is answered', async () => {
    const until = new Date('2026-12-04T14:30:00.000Z');
    const seenAtAck: string[] = [];
    const submitted = await replica.delivery.submit(
      submission('V2:h2', '593991111111'),
      async () => {
        seenAtAck.push(...(await replica.store.history('U0ALICE', 10)).map((send) => send.status));
      },
      { template: 'card_follow_up', until },
    );
    expect(seenAtAck).toEqual(['awaiting_reply']);
    expect(submitted.recorded && submitted.sends.map((send) => send.awaiting)).toEqual([
      {
        template: 'card_follow_up',
        since: expect.any(String),
        until: until.toISOString(),
        templateMessageId: undefined,
      },
    ]);
    // Nothing for the outbox to claim: the card waits for the customer's answer.
    expect(
      await replica.store.claim((await replica.store.history('U0ALICE', 1))[0]?.id ?? ''),
    ).toBeUndefined();
  });

  it('neither answers Slack nor wakes the outbox when the store cannot record', async () => {
    await replica.store.close();
    let acknowledged = false;
    const submitted = await replica.delivery.submit(submission('V1:h1', '593991111111'), async () => {
      acknowledged = true;
    });
    expect(submitted).toEqual({ recorded: false });
    expect(acknowledged).toBe(false);
    expect(replica.wakes()).toBe(0);
  });

  it('wakes the outbox when a finished send is put back in the queue, and only then', async () => {
    await replica.delivery.submit(submission('V1:h1', '593991111111'), async () => {});
    const [send] = await replica.store.history('U0ALICE', 10);
    const id = send?.id ?? '';
    expect(await replica.delivery.requeue(id)).toBe('busy');
    expect(replica.wakes()).toBe(1);
    jelouAnswers(json(400, { code: 'message_could_not_be_send', message: 'outside the window' }));
    await replica.delivery.deliver(id);
    expect(await replica.delivery.requeue(id)).toBe('requeued');
    expect(replica.wakes()).toBe(2);
    expect(await replica.delivery.requeue('no-such-send')).toBe('not_found');
  });
});

function jelouAnswers(...behaviours: Parameters<Machinery['jelou']['script']>[1][]): void {
  world.jelou.script('messages', ...behaviours);
}

/** Records one send to one customer, not yet delivered. */
async function recordOne(dryRun = false) {
  const { send } = await replica.store.create({
    teamId: 'T1',
    requestedBy: 'U0ALICE',
    channelId: 'C0SUPPORT',
    recipientId: '593991111111',
    recipientLabel: 'María',
    cardName: 'Juan Pérez',
    body: JSON.stringify(submission('k', '593991111111').to[0]?.message),
    locale: 'en',
    dryRun,
  });
  return send;
}

/** Records one send to one customer, delivers it, and answers it as stored once its message shows it. */
async function deliverOne(dryRun = false) {
  const store = replica.store;
  const send = await recordOne(dryRun);
  await replica.delivery.deliver(send.id);
  await replica.delivery.settle(5_000);
  return store.get(send.id);
}

describe("delivery: Jelou's answer becomes the send's state", () => {
  it('sent, with Jelou’s message id, and the message shows it', async () => {
    const sent = await deliverOne();
    expect(sent).toMatchObject({ status: 'sent', messageId: 'msg_1', attempts: 1 });
    const update = world.slack.callsTo('chat.update').at(-1);
    expect(update?.args.metadata).toMatchObject({ event_payload: { send_id: sent?.id, status: 'sent' } });
  });

  it('failed, with the code and reason, for a refusal Jelou would repeat', async () => {
    jelouAnswers(json(400, { code: 'message_could_not_be_send', message: 'Message could not be send' }));
    expect(await deliverOne()).toMatchObject({
      status: 'failed',
      errorCode: 'message_could_not_be_send',
      errorStatus: 400,
    });
  });

  it('unknown, never retried, for an answer that may have reached the customer', async () => {
    jelouAnswers(json(502, { oops: true }));
    const unknown = await deliverOne();
    expect(unknown?.status).toBe('unknown');
    expect(world.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('failed at once for an outage when there is no retry window', async () => {
    const down = json(503, { code: 'service_unavailable', message: 'down' });
    jelouAnswers(down, down, down);
    expect(await deliverOne()).toMatchObject({ status: 'failed', errorCode: 'unavailable' });
    // The client's own quick retries, within the one attempt.
    expect(world.jelou.requestsTo('messages')).toHaveLength(3);
  });

  it('shows "Sending…" from the claim itself on a first attempt, and reads the send again for the result', async () => {
    const reads = vi.spyOn(replica.store, 'get');
    const send = await recordOne();
    await replica.delivery.deliver(send.id);
    await replica.delivery.settle(5_000);
    expect(reads.mock.calls).toEqual([[send.id]]);
    const posted = world.slack.callsTo('chat.postMessage');
    expect(posted.map((call) => call.args.metadata)).toMatchObject([
      { event_payload: { send_id: send.id, status: 'sending' } },
    ]);
    expect(world.slack.callsTo('chat.update').map((call) => call.args.metadata)).toMatchObject([
      { event_payload: { send_id: send.id, status: 'sent' } },
    ]);
  });

  it('reads a send tried again afresh for each show: its message already showed something', async () => {
    jelouAnswers(json(400, { code: 'message_could_not_be_send', message: 'Message could not be send' }));
    const failed = await deliverOne();
    expect(failed?.status).toBe('failed');
    const reads = vi.spyOn(replica.store, 'get');
    expect(await replica.delivery.requeue(failed?.id ?? '')).toBe('requeued');
    await replica.delivery.deliver(failed?.id ?? '');
    await replica.delivery.settle(5_000);
    expect(reads.mock.calls).toEqual([[failed?.id], [failed?.id]]);
    expect(world.slack.callsTo('chat.update').map((call) => call.args.metadata)).toMatchObject([
      { event_payload: { status: 'failed' } },
      { event_payload: { status: 'sending' } },
      { event_payload: { status: 'sent' } },
    ]);
  });

  it('sent without calling Jelou on a dry run', async () => {
    expect(await deliverOne(true)).toMatchObject({ status: 'sent', messageId: DRY_RUN_MESSAGE_ID });
    expect(world.jelou.requestsTo('messages')).toHaveLength(0);
  });
});

describe('DeliveryService.submit with replicas sharing PostgreSQL', () => {
  it('tells the other replicas of a Send only after Slack is answered, so none calls Jelou before the ack', async () => {
    const shared = await machinery(postgresDatabase);
    try {
      const sender = await shared.replica();
      // Another replica, listening: it delivers whatever it hears of at once.
      const other = await shared.replica();
      await other.outbox.start();
      let jelouCallsAtAck = -1;
      await sender.delivery.submit(submission('V9:h9', '593993333333'), async () => {
        // Long enough for a replica that heard of the send when it was recorded to have called Jelou.
        const deadline = Date.now() + 1_500;
        while (shared.jelou.requestsTo('messages').length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        jelouCallsAtAck = shared.jelou.requestsTo('messages').length;
      });
      expect(jelouCallsAtAck).toBe(0);
      // Told after the ack, the listening replica delivers it (the sender's own wake is a counter here).
      const deadline = Date.now() + 15_000;
      while (shared.jelou.requestsTo('messages').length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(shared.jelou.requestsTo('messages')).toHaveLength(1);
    } finally {
      await shared.close();
    }
  });
});
