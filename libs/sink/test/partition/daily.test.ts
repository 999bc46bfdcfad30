import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DailyPartitioner } from '../../src/partition/daily.ts';

const utc = new DailyPartitioner({ timestampField: 'event_time', timezone: 'UTC' });

const cases = [
  {
    name: 'Date field',
    value: { event_time: new Date('2026-11-23T23:59:59.999Z') },
    kafka: 0,
    dt: '2026-11-23',
    source: 'field',
  },
  {
    name: 'number field',
    value: { event_time: Date.UTC(2026, 10, 24) },
    kafka: 0,
    dt: '2026-11-24',
    source: 'field',
  },
  {
    name: 'bigint field',
    value: { event_time: BigInt(Date.UTC(2026, 0, 1, 5)) },
    kafka: 0,
    dt: '2026-01-01',
    source: 'field',
  },
  {
    name: 'absent field falls back to Kafka time',
    value: {},
    kafka: Date.UTC(2026, 1, 28, 12),
    dt: '2026-02-28',
    source: 'kafka',
  },
  {
    name: 'null field falls back to Kafka time',
    value: { event_time: null },
    kafka: Date.UTC(2026, 1, 28),
    dt: '2026-02-28',
    source: 'kafka',
  },
  {
    name: 'garbage field falls back to Kafka time',
    value: { event_time: 'soon' },
    kafka: Date.UTC(2026, 1, 28),
    dt: '2026-02-28',
    source: 'kafka',
  },
] as const;

for (const c of cases) {
  test(`places by ${c.name}`, () => {
    assert.deepEqual(utc.place(c.value, c.kafka), { ok: true, dt: c.dt, source: c.source });
  });
}

test('no usable timestamp anywhere is a failure with a reason naming the field', () => {
  const placement = utc.place({ event_time: -5 }, -1);
  assert.equal(placement.ok, false);
  assert.match(placement.ok ? '' : placement.reason, /field "event_time".*Kafka timestamp is -1/);
});

test('a nested timestamp field', () => {
  const nested = new DailyPartitioner({ timestampField: 'header.ts', timezone: 'UTC' });
  assert.deepEqual(nested.place({ header: { ts: new Date('2026-03-01T00:00:00Z') } }, -1), {
    ok: true,
    dt: '2026-03-01',
    source: 'field',
  });
});

test('day boundaries follow the configured timezone, including half-hour offsets', () => {
  const instant = Date.UTC(2026, 10, 23, 20, 0); // 20:00 UTC
  assert.equal(utc.day(instant), '2026-11-23');
  assert.equal(
    new DailyPartitioner({ timestampField: 't', timezone: 'Asia/Kolkata' }).day(instant),
    '2026-11-24',
  ); // 01:30 next day
  assert.equal(
    new DailyPartitioner({ timestampField: 't', timezone: 'America/Los_Angeles' }).day(instant),
    '2026-11-23',
  );
  // 18:29 UTC is 23:59 in Kolkata, 18:30 is 00:00 the next day: the quarter-hour cache must not blur it.
  const kolkata = new DailyPartitioner({ timestampField: 't', timezone: 'Asia/Kolkata' });
  assert.equal(kolkata.day(Date.UTC(2026, 10, 23, 18, 29, 59, 999)), '2026-11-23');
  assert.equal(kolkata.day(Date.UTC(2026, 10, 23, 18, 30)), '2026-11-24');
});

test('an unknown timezone is rejected at construction', () => {
  assert.throws(() => new DailyPartitioner({ timestampField: 't', timezone: 'Mars/Olympus' }), RangeError);
});

test('placeAt places a field value already read from the record exactly as place places the record', () => {
  for (const value of [1_764_000_000_000, 2n ** 40n, -5, undefined, null, 'text', Number.NaN]) {
    for (const kafka of [1_700_000_000_000, -1]) {
      assert.deepEqual(utc.placeAt(value, kafka), utc.place({ event_time: value }, kafka), String(value));
    }
  }
});
