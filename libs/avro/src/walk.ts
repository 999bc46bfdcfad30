// One traversal of an Avro schema document that applies the namespace rules once, so the loader, the lint
// rules and the expansion code all agree on which name a node defines or refers to, and where it sits.

import { joinPointer } from './json/pointer.ts';
import type { JsonObject, JsonValue } from './json/types.ts';
import { isJsonObject } from './json/types.ts';
import type { AvroNamedKind } from './names.ts';
import {
  isNamedKind,
  isPrimitiveName,
  isValidFullname,
  isValidNamespace,
  isValidSimpleName,
  qualifyName,
  splitFullname,
} from './names.ts';

export interface NamedTypeNode {
  kind: AvroNamedKind;
  /** The `name` attribute as written (may be dotted). */
  name: string;
  fullname: string;
  /** Effective namespace, `''` for the null namespace. */
  namespace: string;
  pointer: string;
  json: JsonObject;
  /** True for the document's root type. */
  topLevel: boolean;
  /** True when the namespace came from an explicit `namespace` attribute or a dotted name, not inheritance. */
  explicitNamespace: boolean;
}

export interface FieldNode {
  record: NamedTypeNode;
  index: number;
  /** Pointer of the field object: `/fields/3`. */
  pointer: string;
  json: JsonObject;
  name: string;
  /** Namespace in which the field's type names resolve (the record's). */
  namespace: string;
}

export interface ReferenceNode {
  /** The name as written. */
  name: string;
  fullname: string;
  pointer: string;
}

export interface UnionNode {
  pointer: string;
  branches: JsonValue[];
  namespace: string;
  /** Set when the union is directly a field's type. */
  field?: FieldNode;
}

export interface SchemaVisitor {
  namedType?(node: NamedTypeNode): void;
  field?(node: FieldNode): void;
  reference?(node: ReferenceNode): void;
  union?(node: UnionNode): void;
  /** A structural error: the document is not a valid Avro schema at `pointer`. */
  problem?(message: string, pointer: string): void;
}

export interface WalkOptions {
  /** Namespace enclosing the root (Avro's "namespace" parsing option); default the null namespace. */
  namespace?: string;
}

/** Walks `json` depth-first in document order, reporting definitions, fields, references and unions. */
export function walkSchema(json: JsonValue, visitor: SchemaVisitor, options: WalkOptions = {}): void {
  walkType(json, '', options.namespace ?? '', visitor, true, undefined);
}

function walkType(
  node: JsonValue,
  pointer: string,
  namespace: string,
  visitor: SchemaVisitor,
  topLevel: boolean,
  field: FieldNode | undefined,
): void {
  if (typeof node === 'string') {
    if (!isPrimitiveName(node)) reference(node, pointer, namespace, visitor);
    return;
  }
  if (Array.isArray(node)) {
    visitor.union?.({ pointer, branches: node, namespace, field });
    if (node.length === 0) visitor.problem?.('A union must have at least one branch', pointer);
    node.forEach((branch, i) => {
      const branchPointer = joinPointer(pointer, i);
      if (Array.isArray(branch))
        visitor.problem?.('A union may not directly contain another union', branchPointer);
      else walkType(branch, branchPointer, namespace, visitor, false, undefined);
    });
    return;
  }
  if (!isJsonObject(node)) {
    visitor.problem?.(
      `Invalid schema ${JSON.stringify(node)}: expected a type name, a type object or a union array`,
      pointer,
    );
    return;
  }
  if (!Object.hasOwn(node, 'type')) {
    visitor.problem?.('Type object is missing "type"', pointer);
    return;
  }
  const type = node.type as JsonValue;
  const typePointer = joinPointer(pointer, 'type');
  if (typeof type !== 'string') {
    // `{"type": {...}}` / `{"type": [...]}` wraps another schema.
    walkType(type, typePointer, namespace, visitor, false, field);
    return;
  }
  if (isNamedKind(type)) {
    walkNamed(node, type, pointer, namespace, visitor, topLevel);
    return;
  }
  if (isPrimitiveName(type)) return;
  if (type === 'array') {
    if (!Object.hasOwn(node, 'items')) visitor.problem?.('Array type is missing "items"', pointer);
    else
      walkType(node.items as JsonValue, joinPointer(pointer, 'items'), namespace, visitor, false, undefined);
    return;
  }
  if (type === 'map') {
    if (!Object.hasOwn(node, 'values')) visitor.problem?.('Map type is missing "values"', pointer);
    else
      walkType(
        node.values as JsonValue,
        joinPointer(pointer, 'values'),
        namespace,
        visitor,
        false,
        undefined,
      );
    return;
  }
  // `{"type": "com.acme.Device"}`: a reference in object form.
  reference(type, typePointer, namespace, visitor);
}

function reference(name: string, pointer: string, namespace: string, visitor: SchemaVisitor): void {
  if (!isValidFullname(name)) {
    visitor.problem?.(
      `Unknown type ${JSON.stringify(name)}: not a primitive, complex or valid named type`,
      pointer,
    );
    return;
  }
  visitor.reference?.({ name, fullname: qualifyName(name, namespace), pointer });
}

function walkNamed(
  node: JsonObject,
  kind: AvroNamedKind,
  pointer: string,
  enclosing: string,
  visitor: SchemaVisitor,
  topLevel: boolean,
): void {
  const name = node.name;
  if (typeof name !== 'string') {
    visitor.problem?.(
      `A ${kind} must have a string "name"`,
      name === undefined ? pointer : joinPointer(pointer, 'name'),
    );
    return;
  }
  if (!isValidFullname(name)) {
    visitor.problem?.(
      `Invalid ${kind} name ${JSON.stringify(name)}: each part must match [A-Za-z_][A-Za-z0-9_]*`,
      joinPointer(pointer, 'name'),
    );
    return;
  }
  let namespace = enclosing;
  let explicitNamespace = false;
  if (name.includes('.')) {
    namespace = splitFullname(name).namespace;
    explicitNamespace = true;
  } else if (Object.hasOwn(node, 'namespace')) {
    const ns = node.namespace;
    if (typeof ns !== 'string' && ns !== null) {
      visitor.problem?.('"namespace" must be a string', joinPointer(pointer, 'namespace'));
    } else if (ns !== null && !isValidNamespace(ns)) {
      visitor.problem?.(
        `Invalid namespace ${JSON.stringify(ns)}: dot-separated parts must match [A-Za-z_][A-Za-z0-9_]*`,
        joinPointer(pointer, 'namespace'),
      );
    } else {
      namespace = ns ?? '';
      explicitNamespace = true;
    }
  }
  const fullname = qualifyName(name, namespace);
  const simple = splitFullname(fullname).name;
  if (isPrimitiveName(simple)) {
    visitor.problem?.(
      `Primitive type name ${JSON.stringify(simple)} cannot be redefined`,
      joinPointer(pointer, 'name'),
    );
    return;
  }
  const named: NamedTypeNode = {
    kind,
    name,
    fullname,
    namespace,
    pointer,
    json: node,
    topLevel,
    explicitNamespace,
  };
  visitor.namedType?.(named);

  if (kind === 'enum') {
    const symbols = node.symbols;
    if (!Array.isArray(symbols)) {
      visitor.problem?.(
        'An enum must have a "symbols" array',
        Object.hasOwn(node, 'symbols') ? joinPointer(pointer, 'symbols') : pointer,
      );
      return;
    }
    symbols.forEach((symbol, i) => {
      if (typeof symbol !== 'string' || !isValidSimpleName(symbol)) {
        visitor.problem?.(
          `Invalid enum symbol ${JSON.stringify(symbol)}: must match [A-Za-z_][A-Za-z0-9_]*`,
          joinPointer(pointer, 'symbols', i),
        );
      }
    });
    return;
  }
  if (kind === 'fixed') {
    const size = node.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      visitor.problem?.(
        'A fixed must have a non-negative integer "size"',
        Object.hasOwn(node, 'size') ? joinPointer(pointer, 'size') : pointer,
      );
    }
    return;
  }
  const fields = node.fields;
  if (!Array.isArray(fields)) {
    visitor.problem?.(
      `A ${kind} must have a "fields" array`,
      Object.hasOwn(node, 'fields') ? joinPointer(pointer, 'fields') : pointer,
    );
    return;
  }
  fields.forEach((fieldJson, index) => {
    const fieldPointer = joinPointer(pointer, 'fields', index);
    if (!isJsonObject(fieldJson)) {
      visitor.problem?.('A field must be an object', fieldPointer);
      return;
    }
    const fieldName = fieldJson.name;
    if (typeof fieldName !== 'string' || !isValidSimpleName(fieldName)) {
      visitor.problem?.(
        `Invalid field name ${JSON.stringify(fieldName)}: must be a string matching [A-Za-z_][A-Za-z0-9_]*`,
        fieldName === undefined ? fieldPointer : joinPointer(fieldPointer, 'name'),
      );
      return;
    }
    if (!Object.hasOwn(fieldJson, 'type')) {
      visitor.problem?.(`Field ${JSON.stringify(fieldName)} is missing "type"`, fieldPointer);
      return;
    }
    const fieldNode: FieldNode = {
      record: named,
      index,
      pointer: fieldPointer,
      json: fieldJson,
      name: fieldName,
      namespace,
    };
    visitor.field?.(fieldNode);
    walkType(
      fieldJson.type as JsonValue,
      joinPointer(fieldPointer, 'type'),
      namespace,
      visitor,
      false,
      fieldNode,
    );
  });
}
