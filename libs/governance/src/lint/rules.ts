// The per-document lint rules. Each inspects the nodes of one parsed schema and reports the pointer of the
// exact offending value; loader problems (syntax, unknown names, duplicates, cycles) are mapped in lint.ts.

import { isJsonObject, joinPointer, splitFullname, walkSchema } from '@adlake/avro';
import type {
  JsonValue,
  WalkedField as FieldNode,
  WalkedNamedType as NamedTypeNode,
  WalkedUnion as UnionNode,
} from '@adlake/avro';
import type { SchemaBinding } from '../workspace/config.ts';
import type { SchemaDoc, SchemaWorkspace } from '../workspace/workspace.ts';
import { checkDefault, describeValue } from './defaults.ts';
import type { LintRuleId } from './catalog.ts';

export interface DocNodes {
  namedTypes: NamedTypeNode[];
  fields: FieldNode[];
  unions: UnionNode[];
}

export interface RuleContext {
  doc: SchemaDoc;
  workspace: SchemaWorkspace;
  binding: SchemaBinding;
  nodes: DocNodes;
  report(pointer: string, message: string): void;
}

export type RuleCheck = (ctx: RuleContext) => void;

export function collectNodes(doc: SchemaDoc): DocNodes {
  const nodes: DocNodes = { namedTypes: [], fields: [], unions: [] };
  walkSchema(doc.json, {
    namedType: (n) => nodes.namedTypes.push(n),
    field: (f) => nodes.fields.push(f),
    union: (u) => nodes.unions.push(u),
  });
  return nodes;
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const LOWER_SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const UPPER_SNAKE_CASE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const LOWER_NAMESPACE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;
const TIMESTAMP_LOGICAL_TYPES = ['timestamp-millis', 'timestamp-micros'];

const KIND_LABEL: Record<string, string> = { record: 'Record', error: 'Error', enum: 'Enum', fixed: 'Fixed' };

function label(node: NamedTypeNode): string {
  return KIND_LABEL[node.kind] ?? 'Type';
}

function simpleName(node: NamedTypeNode): string {
  return splitFullname(node.fullname).name;
}

function hasDoc(json: { doc?: JsonValue }): boolean {
  return typeof json.doc === 'string' && json.doc.trim() !== '';
}

function isNullBranch(branch: JsonValue): boolean {
  return branch === 'null' || (isJsonObject(branch) && branch.type === 'null');
}

/** Rules that look at one document, by id. Loader-derived rules have no entry here. */
export const DOC_RULES: Partial<Record<LintRuleId, RuleCheck>> = {
  FIELD_DEFAULT_MATCHES_TYPE(ctx) {
    for (const field of ctx.nodes.fields) {
      if (!Object.hasOwn(field.json, 'default')) continue;
      const value = field.json.default as JsonValue;
      const problem = checkDefault(field.json.type as JsonValue, value, field.namespace, (n) =>
        ctx.workspace.lookupNamedType(n),
      );
      if (problem) {
        ctx.report(
          joinPointer(field.pointer, 'default') + problem.pointer,
          `Default of field "${field.name}" does not match its type: ${problem.reason}.`,
        );
      }
    }
  },

  FILE_PATH_MATCHES_NAME(ctx) {
    const { doc } = ctx;
    if (doc.fullname === undefined) return;
    const { namespace, name } = splitFullname(doc.fullname);
    const expected = (namespace === '' ? '' : namespace.split('.').join('/') + '/') + name + '.avsc';
    if (doc.relPath !== expected) {
      ctx.report(
        '/name',
        `File path "${doc.relPath}" does not match the schema name "${doc.fullname}"; expected "${expected}" below the schema root.`,
      );
    }
  },

  NAMESPACE_REQUIRED(ctx) {
    const root = ctx.nodes.namedTypes.find((n) => n.topLevel);
    if (root && root.namespace === '') {
      ctx.report(
        joinPointer(root.pointer, 'name'),
        `Top-level ${root.kind} "${root.fullname}" has no namespace; add "namespace" (e.g. "com.acme.adserver").`,
      );
    }
  },

  ENUM_DEFAULT_VALID(ctx) {
    for (const node of ctx.nodes.namedTypes) {
      if (node.kind !== 'enum') continue;
      const symbols = Array.isArray(node.json.symbols) ? node.json.symbols : [];
      if (!Object.hasOwn(node.json, 'default')) {
        ctx.report(
          joinPointer(node.pointer, 'name'),
          `Enum "${simpleName(node)}" has no "default"; without one, readers fail on symbols added later.`,
        );
      } else if (typeof node.json.default !== 'string' || !symbols.includes(node.json.default)) {
        ctx.report(
          joinPointer(node.pointer, 'default'),
          `Enum default ${describeValue(node.json.default as JsonValue)} is not one of the symbols of "${simpleName(node)}".`,
        );
      }
    }
  },

  UNION_NULL_FIRST(ctx) {
    for (const union of ctx.nodes.unions) {
      const index = union.branches.findIndex(isNullBranch);
      if (index > 0)
        ctx.report(
          joinPointer(union.pointer, index),
          `"null" should be the first branch of a nullable union.`,
        );
    }
  },

  FIELD_NULLABLE_DEFAULT_NULL(ctx) {
    for (const field of ctx.nodes.fields) {
      const type = field.json.type;
      if (!Array.isArray(type) || !type.some(isNullBranch)) continue;
      if (!Object.hasOwn(field.json, 'default')) {
        ctx.report(
          joinPointer(field.pointer, 'name'),
          `Nullable field "${field.name}" should have "default": null.`,
        );
      } else if (field.json.default !== null) {
        ctx.report(
          joinPointer(field.pointer, 'default'),
          `Nullable field "${field.name}" should have "default": null, not ${describeValue(field.json.default as JsonValue)}.`,
        );
      }
    }
  },

  TYPE_NAME_PASCAL_CASE(ctx) {
    for (const node of ctx.nodes.namedTypes) {
      const name = simpleName(node);
      if (!PASCAL_CASE.test(name))
        ctx.report(joinPointer(node.pointer, 'name'), `${label(node)} name "${name}" should be PascalCase.`);
    }
  },

  FIELD_LOWER_SNAKE_CASE(ctx) {
    for (const field of ctx.nodes.fields) {
      if (!LOWER_SNAKE_CASE.test(field.name))
        ctx.report(
          joinPointer(field.pointer, 'name'),
          `Field name "${field.name}" should be lower_snake_case.`,
        );
    }
  },

  ENUM_SYMBOL_UPPER_SNAKE_CASE(ctx) {
    for (const node of ctx.nodes.namedTypes) {
      if (node.kind !== 'enum' || !Array.isArray(node.json.symbols)) continue;
      node.json.symbols.forEach((symbol, i) => {
        if (typeof symbol === 'string' && !UPPER_SNAKE_CASE.test(symbol)) {
          ctx.report(
            joinPointer(node.pointer, 'symbols', i),
            `Enum symbol "${symbol}" should be UPPER_SNAKE_CASE.`,
          );
        }
      });
    }
  },

  NAMESPACE_LOWER_CASE(ctx) {
    for (const node of ctx.nodes.namedTypes) {
      if (!node.explicitNamespace || node.namespace === '' || LOWER_NAMESPACE.test(node.namespace)) continue;
      const pointer = node.name.includes('.')
        ? joinPointer(node.pointer, 'name')
        : joinPointer(node.pointer, 'namespace');
      ctx.report(pointer, `Namespace "${node.namespace}" should be lower-case dot-separated identifiers.`);
    }
  },

  TYPE_DOC_REQUIRED(ctx) {
    for (const node of ctx.nodes.namedTypes) {
      if (hasDoc(node.json)) continue;
      const pointer = Object.hasOwn(node.json, 'doc')
        ? joinPointer(node.pointer, 'doc')
        : joinPointer(node.pointer, 'name');
      ctx.report(pointer, `${label(node)} "${simpleName(node)}" should have a non-empty "doc".`);
    }
  },

  FIELD_DOC_REQUIRED(ctx) {
    for (const field of ctx.nodes.fields) {
      if (hasDoc(field.json)) continue;
      const pointer = Object.hasOwn(field.json, 'doc')
        ? joinPointer(field.pointer, 'doc')
        : joinPointer(field.pointer, 'name');
      ctx.report(pointer, `Field "${field.name}" should have a non-empty "doc".`);
    }
  },

  EVENT_ID_REQUIRED(ctx) {
    eventField(ctx, 'event_id', 'string (optionally with "logicalType": "uuid")', (type) => {
      if (type === 'string') return true;
      return (
        isJsonObject(type) &&
        type.type === 'string' &&
        (type.logicalType === undefined || type.logicalType === 'uuid')
      );
    });
  },

  EVENT_TIME_REQUIRED(ctx) {
    eventField(
      ctx,
      'event_time',
      '{"type": "long", "logicalType": "timestamp-millis"} (or timestamp-micros)',
      (type) => {
        return (
          isJsonObject(type) &&
          type.type === 'long' &&
          typeof type.logicalType === 'string' &&
          TIMESTAMP_LOGICAL_TYPES.includes(type.logicalType)
        );
      },
    );
  },
};

function eventField(
  ctx: RuleContext,
  name: string,
  expected: string,
  ok: (type: JsonValue) => boolean,
): void {
  if (ctx.binding.kind !== 'event') return;
  const root = ctx.nodes.namedTypes.find((n) => n.topLevel);
  if (!root || (root.kind !== 'record' && root.kind !== 'error')) return;
  const field = ctx.nodes.fields.find((f) => f.record === root && f.name === name);
  const topic = ctx.binding.topic ? ` (topic ${ctx.binding.topic})` : '';
  if (!field) {
    ctx.report(
      joinPointer(root.pointer, 'name'),
      `Event "${simpleName(root)}"${topic} must have a field "${name}" of type ${expected}.`,
    );
    return;
  }
  if (!ok(field.json.type as JsonValue)) {
    ctx.report(
      joinPointer(field.pointer, 'type'),
      `Field "${name}" of event "${simpleName(root)}" must be of type ${expected}.`,
    );
  }
}
