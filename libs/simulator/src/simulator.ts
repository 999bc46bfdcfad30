// What an ad server emits: a seeded, repeatable stream of impressions and the clicks and engagements that
// follow them, spread over the last few days (with some late arrivals), shaped like production traffic.
import type {
  AdClickInput,
  AdEngagementInput,
  AdImpressionInput,
  DeviceInput,
  EngagementType,
  GeoInput,
  Placement,
} from '@adlake/events';

export type SimulatedEvent =
  | { kind: 'impression'; value: AdImpressionInput }
  | { kind: 'click'; value: AdClickInput }
  | { kind: 'engagement'; value: AdEngagementInput };

export interface SimulatorOptions {
  seed: number;
  /** Event times fall in the `days` days before `now`. */
  days: number;
  now: number;
}

const PLACEMENTS: readonly Placement[] = [
  'PRE_ROLL',
  'MID_ROLL',
  'POST_ROLL',
  'BANNER',
  'INTERSTITIAL',
  'NATIVE',
  'COMPANION',
];
const ENGAGEMENTS: readonly EngagementType[] = [
  'START',
  'FIRST_QUARTILE',
  'MIDPOINT',
  'THIRD_QUARTILE',
  'COMPLETE',
  'SKIP',
  'PAUSE',
  'MUTE',
];
const OSES = [
  ['PHONE', 'iOS', '18.1'],
  ['PHONE', 'Android', '15'],
  ['TABLET', 'iPadOS', '18.0'],
  ['DESKTOP', 'Windows', '11'],
  ['CONNECTED_TV', 'tvOS', '18.1'],
  ['SMART_SPEAKER', 'AlexaOS', '8'],
] as const;
const COUNTRIES = [
  ['US', 'CA', 'San Francisco', '94107', 807],
  ['US', 'NY', 'New York', '10001', 501],
  ['GB', 'ENG', 'London', 'EC1A', null],
  ['DE', 'BE', 'Berlin', '10115', null],
  ['BR', 'SP', 'São Paulo', '01000', null],
] as const;

/** mulberry32: tiny, fast and good enough to make repeatable test traffic (and repeatable test choices). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class AdServerSimulator {
  readonly #random: () => number;
  readonly #o: SimulatorOptions;
  #recent: {
    id: string;
    request: string;
    ad: number;
    campaign: number;
    creative: number;
    placement: Placement;
    device: DeviceInput;
    geo: GeoInput | null;
    time: number;
  }[] = [];

  constructor(options: SimulatorOptions) {
    this.#o = options;
    this.#random = rng(options.seed);
  }

  /** 70% impressions, 20% engagements, 10% clicks; clicks and engagements refer to recent impressions. */
  next(): SimulatedEvent {
    const r = this.#random();
    if (r < 0.7 || this.#recent.length === 0) return { kind: 'impression', value: this.#impression() };
    if (r < 0.9) return { kind: 'engagement', value: this.#engagement() };
    return { kind: 'click', value: this.#click() };
  }

  #int(max: number): number {
    return Math.floor(this.#random() * max);
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)] as T;
  }

  #uuid(): string {
    const hex = (n: number): string => Array.from({ length: n }, () => this.#int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + this.#int(4)).toString(16)}${hex(3)}-${hex(12)}`;
  }

  #time(): number {
    // Mostly recent, a tail of late events from earlier days (the case daily partitions must handle).
    const span = this.#o.days * 86_400_000;
    const skew = this.#random() ** 3;
    return Math.floor(this.#o.now - skew * span);
  }

  #device(): DeviceInput {
    const [type, os, version] = this.#pick(OSES);
    return {
      device_type: type,
      os,
      os_version: version,
      app_version: this.#random() < 0.8 ? `7.${this.#int(30)}.${this.#int(10)}` : null,
      user_agent: this.#random() < 0.5 ? `AdlakeSim/1.0 (${os} ${version})` : null,
      advertising_id: this.#random() < 0.7 ? this.#uuid() : null,
      ip_hash: this.#random() < 0.9 ? Buffer.from(Array.from({ length: 32 }, () => this.#int(256))) : null,
      limit_ad_tracking: this.#random() < 0.1,
    };
  }

  #geo(): GeoInput | null {
    if (this.#random() < 0.1) return null;
    const [country, region, city, postal, dma] = this.#pick(COUNTRIES);
    return {
      country,
      region,
      city,
      postal_code: postal,
      dma_code: dma,
      latitude: 40 + this.#random(),
      longitude: -74 + this.#random(),
    };
  }

  #impression(): AdImpressionInput {
    const time = this.#time();
    const value: AdImpressionInput = {
      event_id: this.#uuid(),
      event_time: new Date(time),
      billing_date: new Date(Math.floor(time / 86_400_000) * 86_400_000),
      request_id: this.#uuid(),
      ad_id: 1_000_000 + this.#int(50_000),
      campaign_id: 10_000 + this.#int(500),
      creative_id: 200_000 + this.#int(5_000),
      advertiser_id: 1 + this.#int(200),
      placement: this.#pick(PLACEMENTS),
      device: this.#device(),
      geo: this.#geo(),
      price_micros: 500 + this.#int(20_000),
      currency: 'USD',
      fx_rate_to_usd: this.#random() < 0.2 ? '1.000000' : null,
      segment_ids: Array.from({ length: this.#int(6) }, () => this.#int(10_000)),
      viewability: Array.from({ length: this.#int(3) }, (_, i) => ({
        measured_at: new Date(time + 1000 * (i + 1)),
        visible_percent: this.#int(101),
        in_view_ms: this.#int(30_000),
        vendor: i === 0 ? 'moat' : null,
      })),
      attributes: {
        app: 'radio',
        genre: this.#pick(['pop', 'rock', 'news', 'comedy']),
        tier: this.#random() < 0.3 ? 'premium' : 'free',
      },
    };
    this.#remember(value, time);
    return value;
  }

  #remember(v: AdImpressionInput, time: number): void {
    this.#recent.push({
      id: v.event_id,
      request: v.request_id,
      ad: v.ad_id,
      campaign: v.campaign_id,
      creative: v.creative_id,
      placement: v.placement,
      device: v.device,
      geo: v.geo ?? null,
      time,
    });
    if (this.#recent.length > 1000) this.#recent = this.#recent.slice(500);
  }

  #engagement(): AdEngagementInput {
    const i = this.#pick(this.#recent);
    return {
      event_id: this.#uuid(),
      event_time: new Date(Math.min(this.#o.now, i.time + this.#int(30_000))),
      request_id: i.request,
      impression_id: i.id,
      ad_id: i.ad,
      campaign_id: i.campaign,
      creative_id: i.creative,
      engagement_type: this.#pick(ENGAGEMENTS),
      placement: i.placement,
      playhead_ms: this.#int(30_000),
      device: i.device,
      geo: i.geo,
      billable_micros: this.#random() < 0.3 ? this.#int(5_000) : 0,
      currency: 'USD',
      segment_ids: [],
      attributes: { player: 'web' },
    };
  }

  #click(): AdClickInput {
    const i = this.#pick(this.#recent);
    return {
      event_id: this.#uuid(),
      event_time: new Date(Math.min(this.#o.now, i.time + this.#int(60_000))),
      request_id: i.request,
      impression_id: i.id,
      ad_id: i.ad,
      campaign_id: i.campaign,
      creative_id: i.creative,
      placement: i.placement,
      device: i.device,
      geo: i.geo,
      click_url: `https://ads.example.com/c/${i.creative}?r=${i.request}`,
      cost_micros: this.#int(100_000),
      currency: 'USD',
    };
  }
}
