// The merge and compact commands: build the clients, hold the tree's lease, run one pass or keep running
// passes (`--watch`), log every step as JSON and exit non-zero when a pass cannot finish. The libraries do
// the work (libs/sink/src/merge, libs/sink/src/compact); this file only decides what to run on what.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { compactTopic, Lease, mergeMirroredTopic, mergeTopic, SinkError } from '@adlake/sink';
import type { SinkSettings, Storage } from '@adlake/sink';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from './log.ts';
import { buildStorage, kafkaSecurity } from './wiring.ts';

export interface MaintenanceOptions {
  watch: boolean;
  /** Topics to work on; default: the production settings' `topics`. */
  topics: readonly string[];
  signal: AbortSignal;
}

export function writerId(job: string): string {
  return `${job}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Runs `pass` once, or every `maintenance.intervalMs` until the signal, holding the lease throughout. */
async function underLease(
  storage: Storage,
  root: string,
  job: string,
  owner: string,
  settings: SinkSettings,
  options: MaintenanceOptions,
  log: Logger,
  pass: () => Promise<void>,
): Promise<void> {
  const lease = new Lease({
    storage,
    root,
    job,
    owner,
    // A watcher renews every pass; the lease outlives a few missed passes, no more.
    ttlMs: Math.max(600_000, settings['maintenance.intervalMs'] * 5),
  });
  await lease.acquire();
  log.info(`${job}.lease`, { path: lease.path, owner });
  try {
    for (let n = 1; ; n++) {
      const started = performance.now();
      try {
        await pass();
        log.info(`${job}.pass`, { pass: n, ms: Math.round(performance.now() - started) });
      } catch (error) {
        // A watcher waits out an outage (HDFS in safe mode, a NameNode restart): the next pass finishes
        // what this one left. Anything else, or a one-shot run, ends the process.
        if (!options.watch || !(error instanceof SinkError && error.retriable)) throw error;
        log.warn(`${job}.pass-failed`, {
          pass: n,
          code: error.code,
          message: error.message,
          retriable: true,
        });
      }
      if (!options.watch || options.signal.aborted) return;
      await sleep(settings['maintenance.intervalMs'], undefined, { signal: options.signal }).catch(
        () => undefined,
      );
      if (options.signal.aborted) return;
      await lease.renew();
    }
  } finally {
    await lease.release();
  }
}

export async function runCompact(
  settings: SinkSettings,
  options: MaintenanceOptions,
  log: Logger,
): Promise<void> {
  if (settings['sink.role'] === 'dr') {
    // The merger finds DR files by the DR ledger's names; compacting them would hide them from it.
    throw new SinkError(
      'CONFIG_INVALID',
      `compact: sink.role is dr; a DR tree (${settings['output.root']}) is merged into production, not compacted`,
      { context: { configKey: 'sink.role' } },
    );
  }
  const storage = buildStorage(settings);
  const root = settings['output.root'];
  const owner = writerId('compact');
  await underLease(storage, root, 'compact', owner, settings, options, log, async () => {
    for (const topic of options.topics) {
      const report = await compactTopic({
        storage,
        root,
        topic,
        writerId: owner,
        targetBytes: settings['compaction.targetBytes'],
        graceMs: settings['compaction.graceMs'],
        signal: options.signal,
        onCompacted: (r) =>
          log.info('compact.committed', {
            topic: r.topic,
            partition: r.partition,
            dt: r.dt,
            seq: r.seq,
            inputs: r.inputs.length,
            output: r.output.path,
            bytes: r.output.length,
            rows: r.output.rows,
          }),
      });
      log.info('compact.topic', {
        topic,
        compactions: report.compactions,
        inputFiles: report.inputFiles,
        bytes: report.bytes,
        rows: report.rows,
        filesBefore: report.partitions.reduce((n, p) => n + p.filesBefore, 0),
        filesAfter: report.partitions.reduce((n, p) => n + p.filesAfter, 0),
      });
    }
  });
}

export type DrActive = 'auto' | 'yes' | 'no';

/**
 * Whether the DR sink is consuming: its consumer group on the DR cluster has members. `auto` asks Kafka;
 * a DR cluster that cannot be asked counts as active, so the newest DR files stay where the DR sink expects
 * them.
 */
async function drIsActive(dr: SinkSettings, mode: DrActive, log: Logger): Promise<boolean> {
  if (mode !== 'auto') return mode === 'yes';
  const admin = new Kafka({
    clientId: `${dr['kafka.clientId']}-merge`,
    brokers: dr['kafka.brokers'],
    ...kafkaSecurity(dr),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    const { groups } = await admin.describeGroups([dr['kafka.groupId']]);
    const members = groups[0]?.members.length ?? 0;
    return members > 0;
  } catch (error) {
    log.warn('merge.dr-state-unknown', {
      group: dr['kafka.groupId'],
      brokers: dr['kafka.brokers'],
      message: String(error),
      assumed: 'active',
    });
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The DR topic that carries a production topic: the topic itself when the DR sink reads it (same cluster);
 * otherwise a DR topic named as MirrorMaker 2's default policy names a mirror (`<source alias>.<topic>`),
 * or one the DR settings' `topicClasses` read as that topic.
 */
export function drSourceOf(topic: string, dr: SinkSettings): string {
  if (dr.topics.includes(topic)) return topic;
  const mirrored = dr.topics.find((t) => t.endsWith(`.${topic}`));
  if (mirrored !== undefined) return mirrored;
  for (const pair of dr.topicClasses) {
    const [source, target] = pair.split('=').map((x) => x.trim());
    if (target === topic && source !== undefined && source !== '') return source;
  }
  return topic;
}

export async function runMerge(
  production: SinkSettings,
  dr: SinkSettings,
  options: MaintenanceOptions & { drActive: DrActive },
  log: Logger,
): Promise<void> {
  if (production['output.root'] === dr['output.root']) {
    throw new SinkError(
      'CONFIG_INVALID',
      `merge: the DR settings' output.root is production's (${dr['output.root']}); the DR sink must write elsewhere`,
      { context: { configKey: 'output.root' } },
    );
  }
  const storage = buildStorage(production);
  const root = production['output.root'];
  const owner = writerId('merge');
  await underLease(storage, root, 'merge', owner, production, options, log, async () => {
    const active = await drIsActive(dr, options.drActive, log);
    for (const topic of options.topics) {
      const source = drSourceOf(topic, dr);
      if (source === topic) {
        const report = await mergeTopic({
          storage,
          productionRoot: root,
          drRoot: dr['output.root'],
          topic,
          writerId: owner,
          drActive: active,
          signal: options.signal,
          onHandled: (e) => log.info(`merge.${e.action}`, { ...e }),
        });
        log.info('merge.topic', {
          topic,
          mode: 'same-cluster',
          drActive: active,
          mergedCommits: report.mergedCommits,
          mergedRows: report.mergedRows,
          droppedCommits: report.droppedCommits,
          waiting: report.partitions.filter((p) => p.waitingFor !== undefined),
        });
      } else {
        const report = await mergeMirroredTopic({
          storage,
          productionRoot: root,
          drRoot: dr['output.root'],
          topic,
          source,
          writerId: owner,
          drActive: active,
          eventIdField: production['merge.eventIdField'],
          settleMs: production['merge.settleMs'],
          signal: options.signal,
          onHandled: (r) =>
            log.info('merge.mirrored', {
              topic,
              source,
              partition: r.partition,
              drSeq: r.drSeq,
              fromOffset: r.fromOffset,
              nextOffset: r.nextOffset,
              rows: r.files.reduce((n, f) => n + f.rows, 0),
              duplicates: r.duplicates,
            }),
        });
        log.info('merge.topic', {
          topic,
          mode: 'mirrored',
          source,
          drActive: active,
          mergedRows: report.mergedRows,
          duplicates: report.duplicates,
          waiting: report.partitions.filter((p) => p.waiting !== undefined),
        });
      }
    }
  });
}
