import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../src/delivery/coalesce.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('never overlaps runs for a key, and shares one queued run among requests made meanwhile', async () => {
    const coalescer = new Coalescer();
    let state = 0;
    let running = 0;
    let maxRunning = 0;
    const seen: number[] = [];
    const gates: (() => void)[] = [];
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      const read = state;
      await new Promise<void>((resolve) => gates.push(resolve));
      seen.push(read);
      running -= 1;
    };
    state = 1;
    const first = coalescer.run('B1', task);
    await tick();
    state = 2;
    const second = coalescer.run('B1', task);
    state = 3;
    const third = coalescer.run('B1', task);
    expect(second).toBe(third);
    gates.shift()?.();
    await first;
    await tick();
    gates.shift()?.();
    await Promise.all([second, third]);
    // Two runs for three requests; the second saw every change made before it started.
    expect(seen).toEqual([1, 3]);
    expect(maxRunning).toBe(1);
    expect(coalescer.size).toBe(0);
  });

  it("starts the caller's own run only when nothing is going or queued for the key", async () => {
    const coalescer = new Coalescer();
    const ran: string[] = [];
    const gates: (() => void)[] = [];
    const gated = (name: string) => async () => {
      ran.push(name);
      await new Promise<void>((resolve) => gates.push(resolve));
    };
    const first = coalescer.run('A', gated('task 1'), gated('alone 1'));
    await tick();
    const second = coalescer.run('A', gated('task 2'), gated('alone 2'));
    const third = coalescer.run('A', gated('task 3'), gated('alone 3'));
    expect(third).toBe(second);
    gates.shift()?.();
    await first;
    await tick();
    gates.shift()?.();
    await second;
    const later = coalescer.run('A', gated('task 4'), gated('alone 4'));
    await tick();
    gates.shift()?.();
    await later;
    // Waiting requests share the queued run of the plain task; a request that waits for none runs alone.
    expect(ran).toEqual(['alone 1', 'task 2', 'alone 4']);
    expect(coalescer.size).toBe(0);
  });

  it('runs different keys independently, and keeps going after a failed run', async () => {
    const coalescer = new Coalescer();
    const order: string[] = [];
    const failing = coalescer.run('A', async () => {
      order.push('A1');
      throw new Error('slack down');
    });
    const queued = coalescer.run('A', async () => {
      order.push('A2');
    });
    const other = coalescer.run('B', async () => {
      order.push('B1');
    });
    await expect(failing).rejects.toThrow('slack down');
    await Promise.all([queued, other]);
    expect(order).toEqual(['A1', 'B1', 'A2']);
    expect(coalescer.size).toBe(0);
  });
});
