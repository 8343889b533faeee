import { describe, expect, it } from 'vitest';
import { Health } from '../../src/ops/health.js';

describe('Health.readiness', () => {
  it('is ready only when the store answers, Slack accepted the token and it is not shutting down', async () => {
    const health = new Health({ store: async () => {} });
    expect(await health.readiness()).toEqual({
      ready: false,
      checks: { store: true, slackAuth: false, accepting: true },
    });
    health.markAuthChecked();
    expect((await health.readiness()).ready).toBe(true);
    health.markShuttingDown();
    expect(await health.readiness()).toEqual({
      ready: false,
      checks: { store: true, slackAuth: true, accepting: false },
    });
  });

  it('is not ready when the store fails or, in Socket Mode, the socket is down', async () => {
    let socketUp = true;
    const failing = new Health({
      store: async () => {
        throw new Error('database is closed');
      },
    });
    failing.markAuthChecked();
    expect(await failing.readiness()).toMatchObject({ ready: false, checks: { store: false } });

    const socket = new Health({ store: async () => {}, socket: () => socketUp });
    socket.markAuthChecked();
    expect(await socket.readiness()).toMatchObject({ ready: true, checks: { socket: true } });
    socketUp = false;
    expect(await socket.readiness()).toMatchObject({ ready: false, checks: { socket: false } });
  });
});
