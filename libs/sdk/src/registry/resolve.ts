// Turns a registered schema with Confluent references into parsed avsc Types: referenced subjects first, in
// dependency order, sharing one avsc registry, so the main schema can name their types.
import avro from 'avsc';
import type { Type } from 'avsc';
import { parseSchema, parsingCanonicalForm, sha256Hex } from '@adlake/avro';
import { SdkError, SdkErrorCodes, errorMessage } from '../errors.ts';
import type { RegisteredSchema, RegistryClient } from './client.ts';

/** The schema documents to parse, dependencies first; the last one is the schema itself. */
export type ResolvedSchema = readonly unknown[];

export async function resolveReferences(
  client: RegistryClient,
  registered: RegisteredSchema,
  seen: Set<string> = new Set(),
): Promise<ResolvedSchema> {
  const documents: unknown[] = [];
  for (const ref of registered.references) {
    const key = `${ref.subject}@${ref.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const dependency = await client.version(ref.subject, ref.version);
    if (dependency === undefined) {
      throw new SdkError(
        SdkErrorCodes.REGISTRY_ERROR,
        `schema reference ${ref.name} points to ${ref.subject} version ${ref.version}, which does not exist`,
        { context: { subject: ref.subject } },
      );
    }
    documents.push(...(await resolveReferences(client, dependency, seen)));
  }
  documents.push(parseJson(registered));
  return documents;
}

function parseJson(registered: RegisteredSchema): unknown {
  try {
    return JSON.parse(registered.schema) as unknown;
  } catch (error) {
    throw new SdkError(
      SdkErrorCodes.REGISTRY_ERROR,
      `registered schema ${registered.id} is not JSON: ${errorMessage(error)}`,
      {
        cause: error,
        context: { schemaId: registered.id },
      },
    );
  }
}

type ForSchemaOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;

/** Parses the documents in order into one avsc registry and returns the last one's Type. */
export function parseResolved(documents: ResolvedSchema, options: Partial<ForSchemaOptions> = {}): Type {
  const registry = { ...options.registry };
  let type: Type | undefined;
  for (const document of documents) {
    type = avro.Type.forSchema(document as Parameters<typeof avro.Type.forSchema>[0], {
      ...options,
      registry,
    });
  }
  if (type === undefined) throw new RangeError('no schema document to parse');
  return type;
}

/**
 * Parsing Canonical Form of the fully resolved schema, by @adlake/avro: the same function the release step uses,
 * so the id the SDK finds is the one the release registered. Dependencies define the names the schema uses.
 */
export function canonicalForm(documents: ResolvedSchema): string {
  const defined = new Map<string, unknown>();
  const lookupNamedType = (fullname: string): unknown => defined.get(fullname);
  for (const dependency of documents.slice(0, -1)) {
    for (const [fullname, node] of parseSchema(dependency, { lookupNamedType, resolve: 'all' }).named) {
      if (!defined.has(fullname)) defined.set(fullname, node.json);
    }
  }
  if (documents.length === 0) throw new RangeError('no schema document to parse');
  return parsingCanonicalForm(documents.at(-1), { lookupNamedType, references: 'inline' });
}

/** SHA-256 (hex) of the Parsing Canonical Form: equal for the inlined and the referencing form of a schema. */
export function fingerprint(documents: ResolvedSchema): string {
  return sha256Hex(canonicalForm(documents));
}
