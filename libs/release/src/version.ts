// Semantic version of an event package from what changed since the last published version: pure rules.

export const SCHEMA_CHANGES = [
  'unchanged',
  'added',
  'removed',
  'doc-only',
  'compatible',
  'breaking',
] as const;
/**
 * How one event schema changed: `doc-only` keeps the canonical form (docs, defaults, aliases, logical types
 * differ); `compatible` is allowed at some level other than NONE; `breaking` only under NONE.
 */
export type SchemaChange = (typeof SCHEMA_CHANGES)[number];

export type Bump = 'none' | 'patch' | 'minor' | 'major';

export interface SchemaFingerprint {
  /** Canonical form fingerprint, referenced types inlined. */
  canonical: string;
  /** Hash of the self-contained schema with docs and defaults. */
  content: string;
}

/** Classifies one schema from its fingerprints before and after, and (when the canonical form changed)
 * whether the change is compatible at some level other than NONE. */
export function classifySchemaChange(
  before: SchemaFingerprint | undefined,
  after: SchemaFingerprint | undefined,
  compatibleSomewhere?: boolean,
): SchemaChange {
  if (before === undefined && after === undefined) return 'unchanged';
  if (before === undefined) return 'added';
  if (after === undefined) return 'removed';
  if (before.canonical === after.canonical)
    return before.content === after.content ? 'unchanged' : 'doc-only';
  return compatibleSomewhere === false ? 'breaking' : 'compatible';
}

/**
 * The bump for a package: a removed or breaking event is major, a new or compatibly changed one minor, a
 * doc-only change (or any other change of the package content, e.g. the generator) patch, nothing: none.
 */
export function bumpFor(changes: readonly SchemaChange[], contentChanged: boolean): Bump {
  if (changes.some((c) => c === 'removed' || c === 'breaking')) return 'major';
  if (changes.some((c) => c === 'added' || c === 'compatible')) return 'minor';
  if (changes.some((c) => c === 'doc-only') || contentChanged) return 'patch';
  return 'none';
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

/** The next version after `previous` (none published: `initial`); `undefined` when nothing changed. */
export function nextVersion(previous: string | undefined, bump: Bump, initial = '1.0.0'): string | undefined {
  if (bump === 'none') return undefined;
  if (previous === undefined) return initial;
  const m = SEMVER.exec(previous);
  if (m === null) throw new RangeError(`"${previous}" is not a semantic version`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A prerelease is below its release, so the release itself may already be the next version.
  const pre = previous.includes('-');
  if (bump === 'major') return pre && minor === 0 && patch === 0 ? `${major}.0.0` : `${major + 1}.0.0`;
  if (bump === 'minor') return pre && patch === 0 ? `${major}.${minor}.0` : `${major}.${minor + 1}.0`;
  return pre ? `${major}.${minor}.${patch}` : `${major}.${minor}.${patch + 1}`;
}

/** Highest of several semantic versions (prereleases below their release). */
export function maxVersion(versions: readonly string[]): string | undefined {
  return [...versions].filter(isSemver).sort(compareVersions).at(-1);
}

export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (pa === null || pb === null) return a.localeCompare(b);
  for (const i of [1, 2, 3]) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  const preA = a.includes('-') ? a.slice(a.indexOf('-')) : '';
  const preB = b.includes('-') ? b.slice(b.indexOf('-')) : '';
  if (preA === preB) return 0;
  if (preA === '') return 1;
  if (preB === '') return -1;
  return preA.localeCompare(preB);
}
