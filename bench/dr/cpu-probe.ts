// Loaded into a merge or compact child with `NODE_OPTIONS=--import=<this file>`, so the benchmark runs the
// real command unchanged and still learns what each step cost that process. At every JSON log line the
// command writes, and at exit, it appends the process's own CPU time (process.cpuUsage: user + system,
// this process only) and the wall clock to BENCH_CPU_PROBE_FILE. Reading /proc from the parent could only
// give totals; attributing CPU to each handled commit needs a reading taken inside the process.
import { appendFileSync } from 'node:fs';

export interface ProbeMark {
  /** The log line's event, or probe.start / probe.exit. */
  event: string;
  /** Epoch milliseconds, sub-millisecond precision. */
  wallMs: number;
  /** process.cpuUsage() user + system, microseconds since the process started. */
  cpuUs: number;
  /** The parsed log line, when the mark comes from one. */
  line?: Record<string, unknown>;
}

const file = process.env.BENCH_CPU_PROBE_FILE;

function mark(event: string, line?: Record<string, unknown>): void {
  if (file === undefined) return;
  const u = process.cpuUsage();
  const m: ProbeMark = {
    event,
    wallMs: performance.timeOrigin + performance.now(),
    cpuUs: u.user + u.system,
    ...(line === undefined ? {} : { line }),
  };
  appendFileSync(file, `${JSON.stringify(m)}\n`);
}

if (file !== undefined) {
  mark('probe.start');
  const original = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  const patched = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
    for (const l of text.split('\n')) {
      if (!l.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(l) as Record<string, unknown>;
        if (typeof parsed.event === 'string') mark(parsed.event, parsed);
      } catch {
        // Not a log line of ours: nothing to attribute.
      }
    }
    return original(chunk, ...rest);
  };
  process.stdout.write = patched as typeof process.stdout.write;
  process.on('exit', () => mark('probe.exit'));
}
