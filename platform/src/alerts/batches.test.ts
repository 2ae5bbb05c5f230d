// Batches of one channel each, so that each provider moves through its own
// window of the delivery workflow: SMS first, then push, email, and in-app
// orphans, never more than BATCH_SIZE rows, numbered without gaps from `first`.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../notifications/index.js';
import { BATCH_SIZE, batchesByChannel } from './deliveries.js';

describe('batchesByChannel', () => {
  it('numbers each channel into its own batches, SMS first, without gaps', () => {
    const rows: Array<{ id: string; channel: Channel }> = [];
    const add = (channel: Channel, n: number) => {
      for (let i = 0; i < n; i++) rows.push({ id: `${channel}-${i}`, channel });
    };
    add('email', BATCH_SIZE + 1);
    add('sms', 2 * BATCH_SIZE);
    add('in_app', 3);
    add('push', 1);
    const out = batchesByChannel(rows, 7);
    expect(out.channels).toEqual(['sms', 'sms', 'push', 'email', 'email', null]);
    const batchOf = new Map(out.ids.map((id, i) => [id, out.batchNos[i]!]));
    expect(batchOf.get('sms-0')).toBe(7);
    expect(batchOf.get(`sms-${BATCH_SIZE}`)).toBe(8);
    expect(batchOf.get('push-0')).toBe(9);
    expect(batchOf.get(`email-${BATCH_SIZE}`)).toBe(11);
    expect(batchOf.get('in_app-2')).toBe(12);
    expect(out.ids).toHaveLength(rows.length);
    const sizes = new Map<number, number>();
    for (const b of out.batchNos) sizes.set(b, (sizes.get(b) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(BATCH_SIZE);
    expect(batchesByChannel([], 3)).toEqual({ ids: [], batchNos: [], channels: [] });
  });
});
