// The register plan for people (a table) and for machines (JSON).
import type { ApplyResult } from './register.ts';
import { planSummary } from './plan.ts';
import type { RegisterPlan } from './plan.ts';

export function formatPlanTable(plan: RegisterPlan): string {
  const rows = plan.entries.map((e) => [
    e.subject,
    e.kind,
    e.status,
    e.latest === undefined ? '-' : String(e.latest.version),
    e.register ? (e.latest === undefined ? '1' : 'next') : '-',
    e.setLevel ? `${e.registryLevel} -> ${e.configuredLevel}` : e.configuredLevel,
    e.file,
  ]);
  const header = ['SUBJECT', 'KIND', 'STATUS', 'REGISTERED', 'REGISTERS', 'COMPATIBILITY', 'FILE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const e of plan.entries) {
    if (e.status === 'unchanged' || e.reasons.length === 0) continue;
    out.push('', `${e.subject} (${e.status}):`, ...e.reasons.map((r) => `  - ${r}`));
  }
  const counts = planSummary(plan);
  out.push(
    '',
    `${plan.entries.length} subject(s) at ${plan.registryUrl}: ${Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
  );
  return out.join('\n');
}

export function planJson(plan: RegisterPlan, applied?: ApplyResult): Record<string, unknown> {
  return {
    registryUrl: plan.registryUrl,
    globalLevel: plan.globalLevel,
    summary: planSummary(plan),
    subjects: plan.entries,
    ...(applied === undefined
      ? {}
      : { applied: { registered: applied.registered, levelsSet: applied.levelsSet } }),
  };
}
