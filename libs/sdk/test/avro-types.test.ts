import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { encodingType } from '../src/avro-types.ts';

test('class parse options carry the class logical types; lossless ones none', () => {
  const options = AdImpression.avroOptions('class');
  assert.deepEqual(Object.keys(options.logicalTypes ?? {}).sort(), [
    'date',
    'decimal',
    'timestamp-millis',
    'uuid',
  ]);
  assert.equal(options.wrapUnions, 'auto');
  assert.equal(AdImpression.avroOptions('lossless').logicalTypes, undefined);
});

test('the encoding type writes exactly the bytes of the class type', () => {
  const device = {
    device_type: 'TABLET',
    os: 'Android',
    advertising_id: randomUUID(),
    ip_hash: Buffer.alloc(32, 7),
  } as const;
  const common = {
    event_id: randomUUID(),
    event_time: new Date(1_764_000_000_123),
    request_id: randomUUID(),
    ad_id: 1,
    campaign_id: 2,
    creative_id: 3,
    device,
  };
  const samples: [typeof AdClick | typeof AdImpression | typeof AdEngagement, unknown][] = [
    [
      AdImpression,
      {
        ...common,
        billing_date: new Date('2026-01-02T00:00:00Z'),
        advertiser_id: 4,
        placement: 'NATIVE',
        price_micros: -5,
        fx_rate_to_usd: '-0.000000001',
        viewability: [{ measured_at: new Date(0), visible_percent: 1, in_view_ms: 2 }],
      },
    ],
    [AdClick, { ...common, placement: 'BANNER', click_url: 'u', geo: { country: 'FR', latitude: 1.5 } }],
    [
      AdEngagement,
      {
        ...common,
        impression_id: randomUUID(),
        engagement_type: 'SKIP',
        placement: 'PRE_ROLL',
        playhead_ms: null,
      },
    ],
  ];
  for (const [cls, value] of samples) {
    assert.ok(cls.isValid(value), cls.subject);
    assert.deepEqual(encodingType(cls).toBuffer(value), cls.type.toBuffer(value), cls.subject);
    assert.equal(encodingType(cls), encodingType(cls), 'cached');
    // Only the uuid pattern check is skipped: validation ran it already.
    const notUuid = { ...(value as object), event_id: 'not-a-uuid' };
    assert.equal(cls.isValid(notUuid), false, cls.subject);
    assert.equal(encodingType(cls).isValid(notUuid), true, cls.subject);
    assert.equal(encodingType(cls).isValid({ ...(value as object), event_time: 0 }), false, cls.subject);
  }
});
