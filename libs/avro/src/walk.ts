// One traversal of an Avro schema document that applies the namespace rules once, so the loader, the lint
// rules and the expansion code all agree on which name a node defines or refers to, and where it sits.

import type { AvroErrorCode } from './errors.ts';
import { joinPointer } from './json/pointer.ts';
import type { JsonObject, JsonValue } from './json/types.ts';
import { isJsonObject } from './json/types.ts';
import type { AvroNamedKind } from './names.ts';
import {
  definitionName,
  fieldAliases,
  fieldName as readFieldName,
  isNamedKind,
  isPrimitiveName,
  isValidSimpleName,
  referenceName,
  typeAliases,
  usedBeforeDefinitionMessage,
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
  /** The type's aliases as full names (relative ones qualified with `namespace`). */
  aliases: string[];
}

export interface FieldNode {
  record: NamedTypeNode;
  index: number;
  /** Pointer of the field object: `/fields/3`. */
  pointer: string;
  json: JsonObject;
  name: string;
  /** The field's aliases, plain names as written. */
  aliases: string[];
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
  /**
   * The document is not a valid Avro schema at `pointer`: `AVRO_INVALID` (structure, an invalid name), or
   * `UNKNOWN_NAMED_TYPE` for a reference to a type the document defines only further on.
   */
  problem?(message: string, pointer: string, code: AvroErrorCode): void;
}

export interface WalkOptions {
  /** Namespace enclosing the root (Avro's "namespace" parsing option); default the null namespace. */
  namespace?: string;
}

/**
 * Walks `json` depth-first in document order, reporting definitions, fields, references and unions, with every
 * name read by docs/names.md. A reference to a type defined further on in the same document is a problem (a
 * schema is read in order); one to a type the document does not define is left to the caller (another file).
 */
export function walkSchema(json: JsonValue, visitor: SchemaVisitor, options: WalkOptions = {}): void {
  const defined = new Set<string>();
  const early: ReferenceNode[] = [];
  const tracking: SchemaVisitor = {
    namedType: (node) => {
      defined.add(node.fullname);
      visitor.namedType?.(node);
    },
    field: (node) => visitor.field?.(node),
    reference: (node) => {
      if (!defined.has(node.fullname)) early.push(node);
      visitor.reference?.(node);
    },
    union: (node) => visitor.union?.(node),
    problem: (message, pointer, code) => visitor.problem?.(message, pointer, code),
  };
  walkType(json, '', options.namespace ?? '', tracking, true, undefined);
  for (const ref of early) {
    if (defined.has(ref.fullname))
      visitor.problem?.(usedBeforeDefinitionMessage(ref.fullname), ref.pointer, 'UNKNOWN_NAMED_TYPE');
  }
}

/** Every named type `json` defines, by full name, in document order; the first definition of a name wins. */
export function definedNamedTypes(json: JsonValue, options: WalkOptions = {}): Map<string, NamedTypeNode> {
  const out = new Map<string, NamedTypeNode>();
  walkSchema(
    json,
    {
      namedType: (node) => {
        if (!out.has(node.fullname)) out.set(node.fullname, node);
      },
    },
    options,
  );
  return out;
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
    if (node.length === 0)
      visitor.problem?.('A union must have at least one branch', pointer, 'AVRO_INVALID');
    node.forEach((branch, i) => {
      const branchPointer = joinPointer(pointer, i);
      if (Array.isArray(branch))
        visitor.problem?.('A union may not directly contain another union', branchPointer, 'AVRO_INVALID');
      else walkType(branch, branchPointer, namespace, visitor, false, undefined);
    });
    return;
  }
  if (!isJsonObject(node)) {
    visitor.problem?.(
      `Invalid schema ${JSON.stringify(node)}: expected a type name, a type object or a union array`,
      pointer,
      'AVRO_INVALID',
    );
    return;
  }
  if (!Object.hasOwn(node, 'type')) {
    visitor.problem?.('Type object is missing "type"', pointer, 'AVRO_INVALID');
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
    if (!Object.hasOwn(node, 'items'))
      visitor.problem?.('Array type is missing "items"', pointer, 'AVRO_INVALID');
    else
      walkType(node.items as JsonValue, joinPointer(pointer, 'items'), namespace, visitor, false, undefined);
    return;
  }
  if (type === 'map') {
    if (!Object.hasOwn(node, 'values'))
      visitor.problem?.('Map type is missing "values"', pointer, 'AVRO_INVALID');
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
  const ref = referenceName(name, namespace);
  if (!ref.ok) {
    visitor.problem?.(ref.message, pointer, ref.code);
    return;
  }
  visitor.reference?.({ name, fullname: ref.fullname, pointer });
}

function walkNamed(
  node: JsonObject,
  kind: AvroNamedKind,
  pointer: string,
  enclosing: string,
  visitor: SchemaVisitor,
  topLevel: boolean,
): void {
  const definition = definitionName(kind, node, enclosing);
  if (!definition.ok) {
    visitor.problem?.(definition.message, joinPointer(pointer, ...definition.at), definition.code);
    return;
  }
  const { fullname, namespace, explicitNamespace } = definition;
  const aliases = typeAliases(node, namespace);
  if (!aliases.ok) visitor.problem?.(aliases.message, joinPointer(pointer, ...aliases.at), aliases.code);
  const named: NamedTypeNode = {
    kind,
    name: node.name as string,
    fullname,
    namespace,
    pointer,
    json: node,
    topLevel,
    explicitNamespace,
    aliases: aliases.ok ? aliases.aliases : [],
  };
  visitor.namedType?.(named);

  if (kind === 'enum') {
    const symbols = node.symbols;
    if (!Array.isArray(symbols)) {
      visitor.problem?.(
        'An enum must have a "symbols" array',
        Object.hasOwn(node, 'symbols') ? joinPointer(pointer, 'symbols') : pointer,
        'AVRO_INVALID',
      );
      return;
    }
    symbols.forEach((symbol, i) => {
      if (typeof symbol !== 'string' || !isValidSimpleName(symbol)) {
        visitor.problem?.(
          `Invalid enum symbol ${JSON.stringify(symbol)}: must match [A-Za-z_][A-Za-z0-9_]*`,
          joinPointer(pointer, 'symbols', i),
          'AVRO_INVALID',
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
        'AVRO_INVALID',
      );
    }
    return;
  }
  const fields = node.fields;
  if (!Array.isArray(fields)) {
    visitor.problem?.(
      `A ${kind} must have a "fields" array`,
      Object.hasOwn(node, 'fields') ? joinPointer(pointer, 'fields') : pointer,
      'AVRO_INVALID',
    );
    return;
  }
  fields.forEach((fieldJson, index) => {
    const fieldPointer = joinPointer(pointer, 'fields', index);
    if (!isJsonObject(fieldJson)) {
      visitor.problem?.('A field must be an object', fieldPointer, 'AVRO_INVALID');
      return;
    }
    const nameOfField = readFieldName(fieldJson);
    if (!nameOfField.ok) {
      visitor.problem?.(nameOfField.message, joinPointer(fieldPointer, ...nameOfField.at), nameOfField.code);
      return;
    }
    const fieldName = nameOfField.name;
    if (!Object.hasOwn(fieldJson, 'type')) {
      visitor.problem?.(`Field ${JSON.stringify(fieldName)} is missing "type"`, fieldPointer, 'AVRO_INVALID');
      return;
    }
    const fieldNode: FieldNode = {
      record: named,
      index,
      pointer: fieldPointer,
      json: fieldJson,
      name: fieldName,
      aliases: [],
      namespace,
    };
    const aliasesOfField = fieldAliases(fieldJson);
    if (aliasesOfField.ok) fieldNode.aliases = aliasesOfField.aliases;
    else
      visitor.problem?.(
        aliasesOfField.message,
        joinPointer(fieldPointer, ...aliasesOfField.at),
        aliasesOfField.code,
      );
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
