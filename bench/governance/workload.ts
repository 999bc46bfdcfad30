// The governance benchmark's workload: a lint-clean, realistically sized schema tree (ad events spread over
// namespaces, shared types used across files, a topic per event) and its evolution, one version at a time.
// Pure functions from sizes to file contents; writing files and committing them is the runner's job.

export interface WorkloadSize {
  /** Event schemas in total (shared types come on top). */
  schemas: number;
  /** Namespaces the events are spread over; each is one Nx project. */
  namespaces: number;
}

export interface EventSpec {
  /** Position among all events, 0-based. */
  index: number;
  namespace: string;
  name: string;
  topic: string;
  compatibility: 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FULL_TRANSITIVE';
}

type Json = Record<string, unknown>;

export const COMMON_NAMESPACE = 'com.acme.common';

const DOMAINS = [
  'adserver',
  'bidder',
  'tracking',
  'billing',
  'video',
  'audio',
  'podcast',
  'display',
  'social',
  'search',
  'native',
  'ctv',
  'dooh',
  'retail',
  'mobile',
  'web',
  'email',
  'affiliate',
  'measurement',
  'identity',
];

const NOUNS = [
  'Impression',
  'Click',
  'Engagement',
  'Conversion',
  'Bid',
  'Win',
  'Loss',
  'Request',
  'Response',
  'Quartile',
  'Skip',
  'Mute',
  'Install',
  'View',
  'Hover',
  'Expand',
  'Close',
  'Start',
  'Complete',
  'Pause',
];

function domainOf(n: number): string {
  return DOMAINS[n] ?? `domain${String(n).padStart(3, '0')}`;
}

function snake(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Every event, round-robin over the namespaces so each namespace holds about the same number. */
export function eventSpecs(size: WorkloadSize): EventSpec[] {
  const specs: EventSpec[] = [];
  const perNamespace = new Map<number, number>();
  for (let index = 0; index < size.schemas; index++) {
    const ns = index % size.namespaces;
    const k = perNamespace.get(ns) ?? 0;
    perNamespace.set(ns, k + 1);
    const noun = NOUNS[k % NOUNS.length] ?? 'Event';
    const name = `${noun}Event${String(k).padStart(3, '0')}`;
    const domain = domainOf(ns);
    // A realistic mix: most subjects transitive, some plain BACKWARD, some FULL_TRANSITIVE.
    const compatibility =
      index % 5 === 3 ? 'BACKWARD' : index % 5 === 4 ? 'FULL_TRANSITIVE' : 'BACKWARD_TRANSITIVE';
    specs.push({
      index,
      namespace: `com.acme.${domain}`,
      name,
      topic: `${domain}.${snake(name)}`,
      compatibility,
    });
  }
  return specs;
}

/** Path below the schema root: namespace folders, then `Name.avsc`. */
export function schemaPath(namespace: string, name: string): string {
  return `${namespace.split('.').join('/')}/${name}.avsc`;
}

/** The governance config: one subject per event, the shared namespace as types, every lint category. */
export function configFile(specs: readonly EventSpec[]): string {
  const subjects: Json[] = specs.map((s) =>
    s.compatibility === 'BACKWARD_TRANSITIVE'
      ? { schema: `${s.namespace}.${s.name}`, topic: s.topic }
      : { schema: `${s.namespace}.${s.name}`, topic: s.topic, compatibility: s.compatibility },
  );
  subjects.push({ files: `${COMMON_NAMESPACE.split('.').join('/')}/**`, kind: 'type' });
  return json({
    version: 1,
    defaults: { strategy: 'TopicNameStrategy', compatibility: 'BACKWARD_TRANSITIVE' },
    subjects,
    lint: { use: ['MINIMAL', 'BASIC', 'STYLE', 'DOCS', 'EVENT'], except: [], ignore: [], ignore_only: {} },
  });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function field(name: string, type: unknown, doc: string, extra: Json = {}): Json {
  return { name, type, ...extra, doc };
}

const nullable = (type: unknown, doc: string, name: string): Json =>
  field(name, ['null', type], doc, { default: null });

/**
 * The shared types at a version (1-based): `Device` gains a field at version 3 and `Geo` at version 5,
 * so reading history must also read the referenced files as they were at each commit.
 */
export function sharedTypes(version: number): Map<string, string> {
  const deviceFields: Json[] = [
    field('device_id', ['null', 'string'], 'Advertising id of the device, when consented.', {
      default: null,
    }),
    field(
      'device_type',
      {
        type: 'enum',
        name: 'DeviceType',
        doc: 'Form factor of the device.',
        symbols: ['UNKNOWN', 'PHONE', 'TABLET', 'DESKTOP', 'CONNECTED_TV', 'SMART_SPEAKER'],
        default: 'UNKNOWN',
      },
      'Form factor of the device.',
      { default: 'UNKNOWN' },
    ),
    field('os', 'string', 'Operating system family, e.g. iOS or Android.'),
    field('ip_truncated', ['null', 'string'], 'Client IP with the last octet zeroed.', { default: null }),
  ];
  if (version >= 3) deviceFields.push(nullable('string', 'Operating system version string.', 'os_version'));
  const geoFields: Json[] = [
    field('country', 'string', 'ISO 3166-1 alpha-2 country code.'),
    nullable('string', 'Region or state code, when known.', 'region'),
    nullable('string', 'City name, when known.', 'city'),
    nullable('double', 'Latitude in degrees, rounded to two decimals.', 'latitude'),
    nullable('double', 'Longitude in degrees, rounded to two decimals.', 'longitude'),
  ];
  if (version >= 5) geoFields.push(nullable('string', 'Postal code, when known.', 'postal_code'));
  const ns = COMMON_NAMESPACE;
  return new Map([
    [
      'Device',
      json({
        type: 'record',
        name: 'Device',
        namespace: ns,
        doc: 'The device an ad event came from.',
        fields: deviceFields,
      }),
    ],
    [
      'Geo',
      json({
        type: 'record',
        name: 'Geo',
        namespace: ns,
        doc: 'Coarse location of a device.',
        fields: geoFields,
      }),
    ],
    [
      'Placement',
      json({
        type: 'enum',
        name: 'Placement',
        namespace: ns,
        doc: 'Position of the ad slot within the content.',
        symbols: ['UNKNOWN', 'PRE_ROLL', 'MID_ROLL', 'POST_ROLL', 'BANNER', 'INTERSTITIAL', 'NATIVE'],
        default: 'UNKNOWN',
      }),
    ],
    [
      'Money',
      json({
        type: 'record',
        name: 'Money',
        namespace: ns,
        doc: 'An amount of money in micros of a currency.',
        fields: [
          field('amount_micros', 'long', 'Amount in millionths of the currency unit.', { default: 0 }),
          field('currency', 'string', 'ISO 4217 currency code.', { default: 'USD' }),
        ],
      }),
    ],
  ]);
}

/** The evolution step that produces version `v` (2-based); every step is backward and forward compatible. */
function evolve(fields: Json[], name: string, v: number): void {
  switch (v) {
    case 2:
      fields.push(nullable('long', 'Id of the publisher that owns the inventory.', 'publisher_id'));
      return;
    case 3:
      fields.push(nullable('string', 'IAB TCF consent string sent with the request.', 'consent_string'));
      return;
    case 4: {
      // A new enum symbol (the enum's default keeps old readers working) and a field in the nested record.
      const outcome = fields.find((f) => f['name'] === 'outcome');
      const type = outcome?.['type'] as { symbols: string[] } | undefined;
      type?.symbols.push('CANCELLED');
      const pricing = fields.find((f) => f['name'] === 'pricing');
      const record = pricing?.['type'] as { fields: Json[] } | undefined;
      record?.fields.push(
        field('discount_micros', 'long', `Discount applied to the ${name} price, in micros.`, { default: 0 }),
      );
      return;
    }
    case 5:
      fields.push(nullable('string', 'Programmatic deal id, for deal-based buys.', 'deal_id'));
      return;
    default:
      fields.push(nullable('string', `Field added at schema version ${v}.`, `extension_v${v}`));
  }
}

/** An event schema at a version (1-based), plus optional extra nullable fields (the PR, a touched file). */
export function eventSchema(spec: EventSpec, version: number, extraFields: readonly string[] = []): string {
  const { name, namespace } = spec;
  const common = (type: string): string => `${COMMON_NAMESPACE}.${type}`;
  const fields: Json[] = [
    field(
      'event_id',
      { type: 'string', logicalType: 'uuid' },
      'Unique id of this event (UUID), the deduplication key.',
    ),
    field(
      'event_time',
      { type: 'long', logicalType: 'timestamp-millis' },
      'When the event happened on the device, in UTC milliseconds since the epoch.',
    ),
    field(
      'request_id',
      { type: 'string', logicalType: 'uuid' },
      'Id of the ad request this event belongs to.',
    ),
    field('ad_id', 'long', 'Id of the ad (line item instance).'),
    field('campaign_id', 'long', 'Id of the campaign the ad belongs to.'),
    field('creative_id', 'long', 'Id of the creative shown.'),
    field('placement', common('Placement'), 'Ad slot position within the content.', { default: 'UNKNOWN' }),
    field('device', common('Device'), 'Device the event came from.'),
    nullable(common('Geo'), 'Location of the device, when it could be resolved.', 'geo'),
    field(
      'pricing',
      {
        type: 'record',
        name: `${name}Pricing`,
        doc: `Price of the ${name} as billed.`,
        fields: [
          field('price', common('Money'), 'Price charged.'),
          nullable('long', 'Floor price of the auction, in micros.', 'bid_floor_micros'),
          field(
            'model',
            {
              type: 'enum',
              name: `${name}PricingModel`,
              doc: 'How the buy is priced.',
              symbols: ['UNKNOWN', 'CPM', 'CPC', 'CPA', 'FLAT'],
              default: 'UNKNOWN',
            },
            'Pricing model of the buy.',
            { default: 'UNKNOWN' },
          ),
        ],
      },
      `Price of the ${name}.`,
    ),
    field(
      'outcome',
      {
        type: 'enum',
        name: `${name}Outcome`,
        doc: `How the ${name} ended.`,
        symbols: ['UNKNOWN', 'SUCCESS', 'FAILURE', 'TIMEOUT'],
        default: 'UNKNOWN',
      },
      `How the ${name} ended.`,
      { default: 'UNKNOWN' },
    ),
    field('segment_ids', { type: 'array', items: 'long' }, 'Audience segments the listener matched.', {
      default: [],
    }),
    field('attributes', { type: 'map', values: 'string' }, 'Free-form string attributes of the request.', {
      default: {},
    }),
    nullable('string', 'User agent of the client, when sent.', 'user_agent'),
    nullable({ type: 'string', logicalType: 'uuid' }, 'Listening session id, when known.', 'session_id'),
    field('sequence_number', 'int', 'Position of this event in its session.', { default: 0 }),
    field('is_test', 'boolean', 'True for synthetic monitoring traffic; excluded from billing.', {
      default: false,
    }),
  ];
  // Vary the width a little so the files are not all the same size (17 to 19 top-level fields at version 1).
  for (let i = 0; i < spec.index % 3; i++) {
    fields.push(field(`metric_${i}`, 'double', `Domain-specific measurement number ${i}.`, { default: 0 }));
  }
  for (let v = 2; v <= version; v++) evolve(fields, name, v);
  for (const extra of extraFields) fields.push(nullable('string', `Added by change ${extra}.`, extra));
  return json({
    type: 'record',
    name,
    namespace,
    doc: `A ${snake(name).replace(/_/g, ' ')} in the ${namespace} domain, produced to topic ${spec.topic}.`,
    fields,
  });
}
