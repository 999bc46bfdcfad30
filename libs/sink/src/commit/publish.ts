// The one atomic step every record of the lake is published with (ledger entries, fences, compaction and
// mirror-merge records, leases): write a draft, then rename it to its final name. A rename never
// overwrites, so the record appears whole or not at all, and of two writers of the same name only one wins.
import { parseLedgerName } from '../layout.ts';
import type { Storage } from '../storage/storage.ts';

/** True when `final` now holds `body`; false when something else already held that name (the draft is removed). */
export async function publishOnce(
  storage: Storage,
  final: string,
  writer: string,
  body: unknown,
): Promise<boolean> {
  const draft = `${final}.tmp-${writer}`;
  await storage.writeFile(draft, new TextEncoder().encode(JSON.stringify(body)));
  if (await storage.rename(draft, final)) return true;
  await storage.delete(draft).catch(() => false);
  return false;
}

/** The sequence numbers of the records a directory holds (`<seq>.json`, drafts left out), ascending. */
export async function listedSeqs(storage: Storage, dir: string): Promise<number[]> {
  return (await storage.list(dir))
    .flatMap((e) => {
      const seq = parseLedgerName(e.name);
      return seq === undefined ? [] : [seq];
    })
    .sort((a, b) => a - b);
}

/** The partitions a per-partition directory lists (`partition=<n>` children), ascending. */
export async function listedPartitions(storage: Storage, dir: string): Promise<number[]> {
  return (await storage.list(dir))
    .flatMap((e) => {
      const m = /^partition=(\d+)$/.exec(e.name);
      return m === null ? [] : [Number(m[1])];
    })
    .sort((a, b) => a - b);
}
