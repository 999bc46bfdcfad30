// Produces a self-contained schema for one document: named types from other files are inlined at their
// first use, every named type carries an explicit namespace and every reference is a fullname, so the result
// means the same thing wherever it is embedded (registry registration, compatibility, codegen).

import { GovernanceError } from '../errors.ts';
import type { JsonObject, JsonValue } from '@adlake/avro';
import {
  definitionName,
  isJsonObject,
  isNamedKind,
  isPrimitiveName,
  referenceName,
  referenceTo,
  splitFullname,
  unreachableNameMessage,
} from '@adlake/avro';
import type { SchemaDoc, SchemaWorkspace } from './workspace.ts';

/**
 * The document's schema with every external named type inlined (docs and custom attributes kept).
 * Throws UNKNOWN_NAMED_TYPE when a reference cannot be resolved.
 */
export function standaloneSchema(workspace: SchemaWorkspace, doc: SchemaDoc): JsonValue {
  return expand(workspace, doc.json, '', { emitted: new Set(), root: doc }, doc);
}

interface Expansion {
  /** Full names already written out: later uses are references. */
  emitted: Set<string>;
  /** The document whose standalone schema this is. */
  root: SchemaDoc;
}

function expand(
  workspace: SchemaWorkspace,
  node: JsonValue,
  namespace: string,
  ctx: Expansion,
  doc: SchemaDoc,
): JsonValue {
  if (typeof node === 'string') {
    if (isPrimitiveName(node)) return node;
    const ref = referenceName(node, namespace);
    if (!ref.ok) throw new GovernanceError(ref.code, ref.message, { context: { file: doc.file } });
    const fullname = ref.fullname;
    if (ctx.emitted.has(fullname)) return written(fullname, namespace, ctx);
    const def = workspace.lookupNamedType(fullname);
    if (!def) {
      throw new GovernanceError('UNKNOWN_NAMED_TYPE', `Unknown named type "${fullname}"`, {
        context: { file: doc.file },
      });
    }
    return expandNamed(workspace, def.json, def.namespace, fullname, ctx, def.doc);
  }
  if (Array.isArray(node)) return node.map((branch) => expand(workspace, branch, namespace, ctx, doc));
  if (!isJsonObject(node)) return node;
  const type = node.type;
  if (typeof type !== 'string')
    return { ...node, type: expand(workspace, type as JsonValue, namespace, ctx, doc) };
  if (isNamedKind(type)) {
    const def = definitionName(type, node, namespace);
    if (!def.ok) throw new GovernanceError(def.code, def.message, { context: { file: doc.file } });
    if (ctx.emitted.has(def.fullname)) return written(def.fullname, namespace, ctx);
    return expandNamed(workspace, node, def.namespace, def.fullname, ctx, doc);
  }
  if (type === 'array')
    return { ...node, items: expand(workspace, node.items as JsonValue, namespace, ctx, doc) };
  if (type === 'map')
    return { ...node, values: expand(workspace, node.values as JsonValue, namespace, ctx, doc) };
  if (isPrimitiveName(type)) return node;
  // `{"type": "Name"}`: a reference in object form.
  return expand(workspace, type, namespace, ctx, doc);
}

/**
 * A reference to a type already written out, as a full name. A type in the null namespace cannot be named from
 * inside a namespace (docs/names.md), so a schema that would need it has no standalone form.
 */
function written(fullname: string, enclosing: string, ctx: Expansion): string {
  const name = referenceTo(fullname, enclosing, 'full');
  if (name === undefined) {
    throw new GovernanceError(
      'AVRO_INVALID',
      `The standalone schema of ${ctx.root.file} cannot be written: ${unreachableNameMessage(fullname, enclosing)}`,
      { context: { file: ctx.root.file } },
    );
  }
  return name;
}

function expandNamed(
  workspace: SchemaWorkspace,
  node: JsonObject,
  namespace: string,
  fullname: string,
  ctx: Expansion,
  doc: SchemaDoc,
): JsonValue {
  if (ctx.emitted.has(fullname)) return fullname;
  ctx.emitted.add(fullname);
  const out: JsonObject = {};
  for (const key of Object.keys(node)) {
    const value = node[key] as JsonValue;
    if (key === 'namespace') continue;
    if (key === 'name') {
      out.name = splitFullname(fullname).name;
      out.namespace = namespace;
    } else if (key === 'fields' && Array.isArray(value)) {
      out.fields = value.map((field) =>
        isJsonObject(field) && Object.hasOwn(field, 'type')
          ? { ...field, type: expand(workspace, field.type as JsonValue, namespace, ctx, doc) }
          : field,
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}
