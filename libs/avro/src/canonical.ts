// Avro Parsing Canonical Form and its fingerprints: the identity of a schema for "is this the same schema?".
import { createHash } from 'node:crypto';
import { parseSchema, type LookupNamedType, type NamedNode, type SchemaNode } from './model.ts';

export interface CanonicalOptions {
  /** Resolves names defined in other files; needed for `references: 'inline'`, otherwise used to tell a name
   * in the enclosing namespace from one in the null namespace. When given, every name must resolve. */
  lookupNamedType?: LookupNamedType;
  /** `name` (default): a type from another file stays a full-name reference, as in a registry schema with
   * references. `inline`: its definition is written at its first use, so the form covers the whole graph. */
  references?: 'name' | 'inline';
}

export interface NormalizedSchema {
  /** The Parsing Canonical Form text. */
  canonical: string;
  /** CRC-64-AVRO (Rabin) fingerprint of the canonical form, 16 lowercase hex digits, big-endian. */
  rabin: string;
  /** SHA-256 of the canonical form's UTF-8 bytes, lowercase hex. */
  sha256: string;
}

/** The spec's Parsing Canonical Form: [PRIMITIVES] [FULLNAMES] [STRIP] [ORDER] [STRINGS] [INTEGERS] [WHITESPACE]. */
export function parsingCanonicalForm(schema: unknown, options: CanonicalOptions = {}): string {
  const inline = options.references === 'inline';
  const parsed = parseSchema(schema, {
    ...(options.lookupNamedType === undefined ? {} : { lookupNamedType: options.lookupNamedType }),
    // With nothing to look names up in, a name from another file is written qualified by the spec's rule.
    resolve: inline || options.lookupNamedType !== undefined ? 'all' : 'local',
  });
  const written = new Set<NamedNode>();
  const str = (s: string): string => JSON.stringify(s);

  function emit(node: SchemaNode): string {
    switch (node.kind) {
      case 'primitive':
        return str(node.type);
      case 'ref': {
        const target = node.target;
        if (target === undefined) return str(node.fullname);
        // Only a type from another file is inlined; a local one is written where the document defines it.
        return inline && target.loc.namedType !== undefined && !written.has(target)
          ? emit(target)
          : str(target.fullname);
      }
      case 'array':
        return `{"type":"array","items":${emit(node.items)}}`;
      case 'map':
        return `{"type":"map","values":${emit(node.values)}}`;
      case 'union':
        return `[${node.branches.map(emit).join(',')}]`;
      default: {
        if (written.has(node)) return str(node.fullname);
        written.add(node);
        const head = `{"name":${str(node.fullname)},"type":${str(node.kind)}`;
        if (node.kind === 'enum') return `${head},"symbols":[${node.symbols.map(str).join(',')}]}`;
        if (node.kind === 'fixed') return `${head},"size":${node.size}}`;
        const fields = node.fields.map((f) => `{"name":${str(f.name)},"type":${emit(f.type)}}`);
        return `${head},"fields":[${fields.join(',')}]}`;
      }
    }
  }

  return emit(parsed.root);
}

const EMPTY64 = 0xc15d213aa4d7a795n;
const MASK64 = 0xffffffffffffffffn;
let table: BigUint64Array | undefined;

function crcTable(): BigUint64Array {
  if (table !== undefined) return table;
  table = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY64 & -(fp & 1n) & MASK64);
    table[i] = fp;
  }
  return table;
}

/** CRC-64-AVRO, the spec's 64-bit Rabin fingerprint, as an unsigned 64-bit integer. */
export function fingerprint64(data: string | Uint8Array): bigint {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const t = crcTable();
  let fp = EMPTY64;
  for (const b of bytes) fp = (fp >> 8n) ^ (t[Number((fp ^ BigInt(b)) & 0xffn)] as bigint);
  return fp;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical form plus both fingerprints: two schemas are "the same" when their canonical forms are equal. */
export function normalize(schema: unknown, options: CanonicalOptions = {}): NormalizedSchema {
  const canonical = parsingCanonicalForm(schema, options);
  return {
    canonical,
    rabin: fingerprint64(canonical).toString(16).padStart(16, '0'),
    sha256: sha256Hex(canonical),
  };
}
