// Produces a self-contained schema for one document: named types from other files are inlined at their
// first use, every named type carries an explicit namespace and every reference is a fullname, so the result
// means the same thing wherever it is embedded (registry registration, compatibility, codegen).

import { GovernanceError } from '../errors.ts';
import type { JsonObject, JsonValue } from '@adlake/avro';
import { isJsonObject, isNamedKind, isPrimitiveName, qualifyName, splitFullname } from '@adlake/avro';
import type { SchemaDoc, SchemaWorkspace } from './workspace.ts';

/**
 * The document's schema with every external named type inlined (docs and custom attributes kept).
 * Throws UNKNOWN_NAMED_TYPE when a reference cannot be resolved.
 */
export function standaloneSchema(workspace: SchemaWorkspace, doc: SchemaDoc): JsonValue {
  const emitted = new Set<string>();
  return expand(workspace, doc.json, '', emitted, doc);
}

function expand(
  workspace: SchemaWorkspace,
  node: JsonValue,
  namespace: string,
  emitted: Set<string>,
  doc: SchemaDoc,
): JsonValue {
  if (typeof node === 'string') {
    if (isPrimitiveName(node)) return node;
    const fullname = qualifyName(node, namespace);
    if (emitted.has(fullname)) return fullname;
    const def = workspace.lookupNamedType(fullname);
    if (!def) {
      throw new GovernanceError('UNKNOWN_NAMED_TYPE', `Unknown named type "${fullname}"`, {
        context: { file: doc.file },
      });
    }
    return expandNamed(workspace, def.json, def.namespace, fullname, emitted, def.doc);
  }
  if (Array.isArray(node)) return node.map((branch) => expand(workspace, branch, namespace, emitted, doc));
  if (!isJsonObject(node)) return node;
  const type = node.type;
  if (typeof type !== 'string')
    return { ...node, type: expand(workspace, type as JsonValue, namespace, emitted, doc) };
  if (isNamedKind(type)) {
    const name = typeof node.name === 'string' ? node.name : '';
    let ns = namespace;
    if (name.includes('.')) ns = splitFullname(name).namespace;
    else if (typeof node.namespace === 'string') ns = node.namespace;
    return expandNamed(workspace, node, ns, qualifyName(name, ns), emitted, doc);
  }
  if (type === 'array')
    return { ...node, items: expand(workspace, node.items as JsonValue, namespace, emitted, doc) };
  if (type === 'map')
    return { ...node, values: expand(workspace, node.values as JsonValue, namespace, emitted, doc) };
  if (isPrimitiveName(type)) return node;
  // `{"type": "Name"}`: a reference in object form.
  return expand(workspace, type, namespace, emitted, doc);
}

function expandNamed(
  workspace: SchemaWorkspace,
  node: JsonObject,
  namespace: string,
  fullname: string,
  emitted: Set<string>,
  doc: SchemaDoc,
): JsonValue {
  if (emitted.has(fullname)) return fullname;
  emitted.add(fullname);
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
          ? { ...field, type: expand(workspace, field.type as JsonValue, namespace, emitted, doc) }
          : field,
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}
