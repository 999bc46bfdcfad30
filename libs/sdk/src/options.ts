// Each option is declared once with its doc, unit and default, and validated at start-up with errors that
// name the key (`/options/lingerMs must be ...`).
import { SdkError, SdkErrorCodes } from './errors.ts';

export interface OptionSpec<T> {
  doc: string;
  default: T;
  /** Returns what is wrong with the value, or undefined. */
  check(value: unknown): string | undefined;
}

export const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: unknown): string | undefined =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be an integer in [${min}, ${max}]`;

export const oneOf =
  (...allowed: readonly unknown[]) =>
  (value: unknown): string | undefined =>
    allowed.includes(value)
      ? undefined
      : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;

export const bool = (value: unknown): string | undefined =>
  typeof value === 'boolean' ? undefined : 'must be a boolean';

/** Fills defaults and validates every declared key; an unknown key is an error too (likely a typo). */
export function resolveOptions<S extends Record<string, OptionSpec<unknown>>>(
  specs: S,
  given: { readonly [K in keyof S]?: S[K]['default'] | undefined },
  known: readonly string[] = [],
): { [K in keyof S]: S[K]['default'] } {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!(key in specs) && !known.includes(key)) {
      throw new SdkError(SdkErrorCodes.CONFIG_INVALID, `/options/${key} is not an option`, {
        context: { option: `/options/${key}` },
      });
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = (given as Record<string, unknown>)[key] ?? spec.default;
    const problem = spec.check(value);
    if (problem !== undefined) {
      throw new SdkError(
        SdkErrorCodes.CONFIG_INVALID,
        `/options/${key} ${problem}, got ${JSON.stringify(value)}`,
        {
          context: { option: `/options/${key}` },
        },
      );
    }
    out[key] = value;
  }
  return out as { [K in keyof S]: S[K]['default'] };
}
