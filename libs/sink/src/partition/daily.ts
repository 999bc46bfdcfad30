// Where a record goes: the day bucket (dt=YYYY-MM-DD) of its event time in a configured timezone, from a
// configured field, falling back to the Kafka timestamp when the field is absent (and counting that).

export interface DailyPartitionerOptions {
  /** Dotted path of the event-time field, e.g. `event_time` or `header.ts`. */
  timestampField: string;
  /** IANA timezone of the day boundaries. */
  timezone: string;
}

export type TimestampSource = 'field' | 'kafka';

export type Placement = { ok: true; dt: string; source: TimestampSource } | { ok: false; reason: string };

// Timezone offsets are whole quarter hours, so the day is constant within an aligned 15-minute slot.
const SLOT_MS = 15 * 60 * 1000;
// The epoch to year 9999: Kafka marks "no timestamp" as -1, and no ad event predates 1970.
const MIN_MS = 0;
const MAX_MS = Date.UTC(9999, 11, 31);

export class DailyPartitioner {
  readonly #path: readonly string[];
  readonly #format: Intl.DateTimeFormat;
  readonly #utc: boolean;
  readonly #slots = new Map<number, string>();

  constructor(options: DailyPartitionerOptions) {
    this.#path = options.timestampField.split('.');
    // Throws RangeError for an unknown timezone: callers validate config with it at start-up.
    this.#format = new Intl.DateTimeFormat('en-CA', {
      timeZone: options.timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    this.#utc = options.timezone === 'UTC' || options.timezone === 'Etc/UTC';
  }

  /** The day bucket for a decoded record and its Kafka timestamp (ms; negative when the broker had none). */
  place(value: unknown, kafkaTimestampMs: number): Placement {
    return this.placeAt(this.#read(value), kafkaTimestampMs);
  }

  /** The day bucket for the event-time field's value as already read from a record (undefined when absent). */
  placeAt(fieldValue: unknown, kafkaTimestampMs: number): Placement {
    const fieldMs = toMillis(fieldValue);
    if (fieldMs !== undefined) return { ok: true, dt: this.day(fieldMs), source: 'field' };
    if (Number.isFinite(kafkaTimestampMs) && kafkaTimestampMs >= MIN_MS && kafkaTimestampMs <= MAX_MS) {
      return { ok: true, dt: this.day(kafkaTimestampMs), source: 'kafka' };
    }
    return {
      ok: false,
      reason: `no usable timestamp: field "${this.#path.join('.')}" is absent or invalid and the Kafka timestamp is ${kafkaTimestampMs}`,
    };
  }

  /** `YYYY-MM-DD` of an epoch-millisecond instant in the configured timezone. */
  day(ms: number): string {
    const slot = Math.floor(ms / SLOT_MS);
    let dt = this.#slots.get(slot);
    if (dt === undefined) {
      dt = this.#utc
        ? new Date(slot * SLOT_MS).toISOString().slice(0, 10)
        : this.#format.format(slot * SLOT_MS);
      // Bounded: a sink sees a handful of days; a replay of years would otherwise grow this forever.
      if (this.#slots.size > 100_000) this.#slots.clear();
      this.#slots.set(slot, dt);
    }
    return dt;
  }

  #read(value: unknown): unknown {
    let current = value;
    for (const key of this.#path) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  }
}

function toMillis(v: unknown): number | undefined {
  let ms: number | undefined;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v;
  else if (typeof v === 'bigint') ms = Number(v);
  if (ms === undefined || !Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  return ms;
}
