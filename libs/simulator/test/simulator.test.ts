import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { AdServerSimulator } from '../src/simulator.ts';

const CLASSES = { impression: AdImpression, click: AdClick, engagement: AdEngagement } as const;

test('every simulated event is valid against its schema, and the mix has all three kinds', () => {
  const now = Date.UTC(2026, 10, 23, 12);
  const sim = new AdServerSimulator({ seed: 7, days: 3, now });
  const kinds = new Map<string, number>();
  const days = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const e = sim.next();
    const result = CLASSES[e.kind].validate(e.value);
    assert.equal(result.valid, true, `${e.kind} #${i}: ${JSON.stringify(result.errors)}`);
    kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    const t = (e.value.event_time as Date).getTime();
    assert.ok(t <= now && t > now - 3 * 86_400_000 - 60_000);
    days.add(new Date(t).toISOString().slice(0, 10));
  }
  assert.deepEqual([...kinds.keys()].sort(), ['click', 'engagement', 'impression']);
  assert.ok((kinds.get('impression') ?? 0) > 1200);
  assert.ok(days.size >= 3, 'events spread over several daily partitions');
});

test('the same seed gives the same stream', () => {
  const a = new AdServerSimulator({ seed: 1, days: 1, now: 0 });
  const b = new AdServerSimulator({ seed: 1, days: 1, now: 0 });
  for (let i = 0; i < 50; i++) assert.deepEqual(a.next(), b.next());
});
