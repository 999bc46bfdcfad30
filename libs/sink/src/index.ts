// The sink's building blocks, one folder per concern: where a record goes (partition/), how it is written
// (format/), which backend it lands in (storage/), and how it is made durable (commit/), plus the engine
// that drives them per topic-partition, the audit and the settings.
export * from './errors.ts';
export * from './layout.ts';
export * from './partition/daily.ts';
export * from './storage/index.ts';
export * from './format/index.ts';
export * from './buffer/partition-buffer.ts';
export * from './commit/ledger.ts';
export * from './engine/sink-task.ts';
export * from './audit/audit.ts';
export * from './config/settings.ts';
export * from './commit/lease.ts';
export * from './compact/compaction.ts';
export * from './compact/compactor.ts';
export * from './merge/merger.ts';
export * from './merge/mirror.ts';
export * from './commit/publish.ts';
