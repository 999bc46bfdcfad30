// Turns a registered schema with Confluent references into parsed avsc Types: referenced subjects first, in
// dependency order, sharing one avsc registry, so the main schema can name their types.
import avro from 'avsc';
import type { Type } from 'avsc';
import { createHash } from 'node:crypto';
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
 * Parsing Canonical Form of the fully resolved schema. Parsed without logical types and with wrapped unions:
 * canonical form drops logical types and docs anyway, and this parse never fails on union ambiguity.
 */
export function canonicalForm(documents: ResolvedSchema): string {
  return JSON.stringify(parseResolved(documents, { wrapUnions: true }).schema());
}

/** SHA-256 (hex) of the Parsing Canonical Form: equal for the inlined and the referencing form of a schema. */
export function fingerprint(documents: ResolvedSchema): string {
  return createHash('sha256').update(canonicalForm(documents)).digest('hex');
}
