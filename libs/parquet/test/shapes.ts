// Shorthands the Parquet tests build schema specs with.
import type { PrimitiveShape } from '../src/index.ts';

export const p = (
  type: PrimitiveShape['type'],
  extra: Omit<PrimitiveShape, 'kind' | 'type'> = {},
): PrimitiveShape => ({
  kind: 'primitive',
  type,
  ...extra,
});

export const STRING = p('BYTE_ARRAY', { logicalType: { type: 'STRING' } });
