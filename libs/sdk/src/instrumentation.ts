// Instrumentation on node:diagnostics_channel: every publish is behind `hasSubscribers`, and timings are only
// taken when someone listens, so an unobserved producer or consumer pays one boolean check per batch.
import diagnostics from 'node:diagnostics_channel';

export const CHANNEL_NAMES = {
  /** A batch was acknowledged: `{ topic, subject, count, bytes, durationMs }` (one message per class and flush). */
  sent: 'adlake:sdk:producer:sent',
  /** A batch failed for good: `{ topic, subject, count, durationMs, error }`. */
  failed: 'adlake:sdk:producer:failed',
  /** `send`/`sendBatch` rejected invalid events: `{ subject, count, errors }`. */
  rejected: 'adlake:sdk:producer:rejected',
  /** A flush is retried: `{ retry, delayMs, error }`. */
  retry: 'adlake:sdk:producer:retry',
  /** Records handed to handlers: `{ topic, partition, count, durationMs }` per fetched batch. */
  consumed: 'adlake:sdk:consumer:consumed',
  /** A record could not be decoded: `{ topic, partition, offset, code, reason, schemaId }`. */
  decodeFailed: 'adlake:sdk:consumer:decode-failed',
  /** A record went to the dead-letter topic: `{ topic, partition, offset, deadLetterTopic, code }`. */
  deadLettered: 'adlake:sdk:consumer:dead-lettered',
} as const;

export const channels = {
  sent: diagnostics.channel(CHANNEL_NAMES.sent),
  failed: diagnostics.channel(CHANNEL_NAMES.failed),
  rejected: diagnostics.channel(CHANNEL_NAMES.rejected),
  retry: diagnostics.channel(CHANNEL_NAMES.retry),
  consumed: diagnostics.channel(CHANNEL_NAMES.consumed),
  decodeFailed: diagnostics.channel(CHANNEL_NAMES.decodeFailed),
  deadLettered: diagnostics.channel(CHANNEL_NAMES.deadLettered),
} as const;

export interface SdkMetrics {
  sent: number;
  failed: number;
  rejected: number;
  retries: number;
  consumed: number;
  decodeFailed: number;
  deadLettered: number;
  /** Latency of acknowledged flushes, in ms: sum and max (mean = sum / flushes). */
  sendLatencyMs: { flushes: number; sum: number; max: number };
}

/** Subscribes counters to every channel; `stop()` unsubscribes (and the SDK goes back to costing nothing). */
export function collectMetrics(): { metrics: SdkMetrics; stop(): void } {
  const metrics: SdkMetrics = {
    sent: 0,
    failed: 0,
    rejected: 0,
    retries: 0,
    consumed: 0,
    decodeFailed: 0,
    deadLettered: 0,
    sendLatencyMs: { flushes: 0, sum: 0, max: 0 },
  };
  const handlers: [diagnostics.Channel, (message: unknown) => void][] = [
    [
      channels.sent,
      (m) => {
        const { count, durationMs } = m as { count: number; durationMs: number };
        metrics.sent += count;
        metrics.sendLatencyMs.flushes++;
        metrics.sendLatencyMs.sum += durationMs;
        metrics.sendLatencyMs.max = Math.max(metrics.sendLatencyMs.max, durationMs);
      },
    ],
    [channels.failed, (m) => (metrics.failed += (m as { count: number }).count)],
    [channels.rejected, (m) => (metrics.rejected += (m as { count: number }).count)],
    [channels.retry, () => metrics.retries++],
    [channels.consumed, (m) => (metrics.consumed += (m as { count: number }).count)],
    [channels.decodeFailed, () => metrics.decodeFailed++],
    [channels.deadLettered, () => metrics.deadLettered++],
  ];
  for (const [channel, handler] of handlers) channel.subscribe(handler);
  return {
    metrics,
    stop() {
      for (const [channel, handler] of handlers) channel.unsubscribe(handler);
    },
  };
}
