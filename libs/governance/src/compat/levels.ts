// The Confluent Schema Registry compatibility levels, and what each one checks.
import { GovernanceError, type GovernanceErrorContext } from '../errors.ts';

// The level names are the registry's vocabulary; governance says what each one checks.
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '@adlake/registry';

export { COMPATIBILITY_LEVELS, type CompatibilityLevel };

/** `backward`: the new schema reads data written with an old one. `forward`: an old schema reads the new one's. */
export type Direction = 'backward' | 'forward';

export interface LevelPlan {
  directions: readonly Direction[];
  /** Against every previous version (true) or only the latest (false). */
  transitive: boolean;
}

const PLANS: Record<CompatibilityLevel, LevelPlan> = {
  NONE: { directions: [], transitive: false },
  BACKWARD: { directions: ['backward'], transitive: false },
  BACKWARD_TRANSITIVE: { directions: ['backward'], transitive: true },
  FORWARD: { directions: ['forward'], transitive: false },
  FORWARD_TRANSITIVE: { directions: ['forward'], transitive: true },
  FULL: { directions: ['backward', 'forward'], transitive: false },
  FULL_TRANSITIVE: { directions: ['backward', 'forward'], transitive: true },
};

export function levelPlan(level: CompatibilityLevel): LevelPlan {
  return PLANS[level];
}

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

/** Reads a level from config or a flag; case and surrounding blanks are forgiven, nothing else. */
export function parseCompatibilityLevel(
  value: unknown,
  context: GovernanceErrorContext = {},
): CompatibilityLevel {
  const normalized = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (isCompatibilityLevel(normalized)) return normalized;
  const shown =
    typeof value === 'string' ? `"${value}"` : value === undefined ? 'nothing' : JSON.stringify(value);
  throw new GovernanceError(
    'USAGE',
    `unknown compatibility level ${shown}; expected one of ${COMPATIBILITY_LEVELS.join(', ')}`,
    { context },
  );
}
