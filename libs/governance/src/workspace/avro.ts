// Builds avsc Types for every document in dependency order over one shared registry, so a file can use a
// named type another file defines; avsc's errors come back as AVRO_INVALID positioned as well as we can.

import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import { GovernanceError } from '../errors.ts';
import { getAtPointer, isJsonObject, joinPointer, splitFullname } from '@adlake/avro';
import type { JsonValue } from '@adlake/avro';
import type { SchemaDoc, SchemaWorkspace } from './workspace.ts';
import { problemAt } from './workspace.ts';

export interface BuildAvroTypesOptions {
  /** Passed to `Type.forSchema` (e.g. a `decimal` or `timestamp-millis` implementation). */
  logicalTypes?: Record<string, new (schema: Schema, opts?: unknown) => avro.types.LogicalType>;
  wrapUnions?: boolean | 'auto' | 'always' | 'never';
  /** Start from an existing registry (it is not modified). */
  registry?: Record<string, Type>;
  /** Build only these documents and what they depend on (default: every document). */
  only?: readonly SchemaDoc[];
}

export interface AvroBuildResult {
  /** The Type of each document that built, by display file. */
  types: Map<string, Type>;
  /** Every named (and primitive) type built, by fullname. */
  registry: Record<string, Type>;
  /** avsc rejections, one per failing document. */
  problems: GovernanceError[];
  /** Documents not attempted because they, or a dependency, already have a workspace problem or failed. */
  skipped: string[];
}

/** Builds the avsc Type of every document, dependencies first. Never throws for schema errors. */
export function buildAvroTypes(
  workspace: SchemaWorkspace,
  options: BuildAvroTypesOptions = {},
): AvroBuildResult {
  if (options.only === undefined) return buildInOrder(workspace, workspace.order, options);
  const wanted = new Set(options.only.flatMap((doc) => workspace.closureOf(doc)));
  return buildInOrder(
    workspace,
    workspace.order.filter((doc) => wanted.has(doc)),
    options,
  );
}

/** One document's build: its Type and the names it registered, or why it has none. */
interface DocBuild {
  type?: Type;
  /** The names this document's build added (its own named types, and primitives avsc registered). */
  registered: Record<string, Type>;
  problem?: GovernanceError;
  /** Not attempted: the document or a dependency has a workspace problem, or a dependency failed. */
  skipped: boolean;
}

/**
 * Builds with avsc's defaults, per workspace and document. A document builds over the names of its own
 * closure only, so its outcome does not depend on which other documents a caller builds (lint builds all,
 * a compat check only what it checks), and one process checking many selections builds each document once.
 */
const defaultBuilds = new WeakMap<SchemaWorkspace, Map<SchemaDoc, DocBuild>>();

function buildInOrder(
  workspace: SchemaWorkspace,
  order: readonly SchemaDoc[],
  options: BuildAvroTypesOptions,
): AvroBuildResult {
  const defaults =
    options.logicalTypes === undefined && options.wrapUnions === undefined && options.registry === undefined;
  let builds = defaults ? defaultBuilds.get(workspace) : undefined;
  if (builds === undefined) {
    builds = new Map();
    if (defaults) defaultBuilds.set(workspace, builds);
  }
  const registry: Record<string, Type> = Object.assign(
    Object.create(null) as Record<string, Type>,
    options.registry ?? {},
  );
  const types = new Map<string, Type>();
  const problems: GovernanceError[] = [];
  const skipped: string[] = [];
  for (const doc of order) {
    const build = buildOne(workspace, doc, options, builds);
    if (build.skipped) skipped.push(doc.file);
    if (build.problem !== undefined) problems.push(build.problem);
    if (build.type !== undefined) types.set(doc.file, build.type);
    Object.assign(registry, build.registered);
  }
  return { types, registry, problems, skipped };
}

/** Builds `doc` after its dependencies (already built ones come from `builds`). */
function buildOne(
  workspace: SchemaWorkspace,
  doc: SchemaDoc,
  options: BuildAvroTypesOptions,
  builds: Map<SchemaDoc, DocBuild>,
): DocBuild {
  const known = builds.get(doc);
  if (known !== undefined) return known;
  // A file in a reference cycle has a workspace problem, so the recursion stops before going round it.
  const blocked =
    workspace.problemsFor(doc.file).length > 0 ||
    workspace.dependenciesOf(doc).some((dep) => {
      const build = buildOne(workspace, dep, options, builds);
      return build.skipped || build.problem !== undefined;
    });
  let build: DocBuild;
  if (blocked) {
    build = { registered: {}, skipped: true };
  } else {
    // The names of the closure, layered under a scratch registry: a failed build must not leave
    // half-registered names, and what the document adds is what it registered.
    const names = Object.assign(Object.create(null) as Record<string, Type>, options.registry ?? {});
    for (const dep of workspace.closureOf(doc)) {
      if (dep !== doc) Object.assign(names, builds.get(dep)?.registered);
    }
    const scratch = Object.create(names) as Record<string, Type>;
    const pointers = objectPointers(doc.json);
    let last: string | undefined;
    try {
      const type = avro.Type.forSchema(doc.json as Schema, {
        registry: scratch,
        ...(options.logicalTypes ? { logicalTypes: options.logicalTypes } : {}),
        ...(options.wrapUnions !== undefined ? { wrapUnions: options.wrapUnions } : {}),
        typeHook: (schema) => {
          if (typeof schema === 'object' && schema !== null) last = pointers.get(schema as object) ?? last;
          return undefined;
        },
      });
      const registered: Record<string, Type> = {};
      for (const key of Object.keys(scratch)) registered[key] = scratch[key] as Type;
      build = { type, registered, skipped: false };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const pointer = locateAvscError(doc, message, last);
      // avsc quotes the whole field list for a duplicate field; the name is what a reader needs.
      const said = message.startsWith('duplicate field name: ')
        ? `duplicate field name: ${JSON.stringify(getAtPointer(doc.json, pointer))}`
        : message;
      build = {
        registered: {},
        skipped: false,
        problem: problemAt(doc, 'AVRO_INVALID', pointer, `Invalid Avro schema: ${said}`),
      };
    }
  }
  builds.set(doc, build);
  return build;
}

/** The Type of one document, building its dependencies first; throws AVRO_INVALID (or the workspace problem). */
export function buildAvroType(
  workspace: SchemaWorkspace,
  doc: SchemaDoc,
  options: BuildAvroTypesOptions = {},
): Type {
  for (const d of workspace.closureOf(doc)) {
    const first = workspace.problemsFor(d.file)[0];
    if (first) throw first;
  }
  const result = buildInOrder(workspace, workspace.closureOf(doc), options);
  const problem = result.problems[0];
  if (problem) throw problem;
  const type = result.types.get(doc.file);
  if (!type)
    throw new GovernanceError('AVRO_INVALID', `Could not build ${doc.file}`, { context: { file: doc.file } });
  return type;
}

/** Maps each object and array of the document to its pointer, so avsc's typeHook tells us where it was. */
function objectPointers(json: JsonValue): Map<object, string> {
  const out = new Map<object, string>();
  const visit = (value: JsonValue, pointer: string): void => {
    if (Array.isArray(value)) {
      out.set(value, pointer);
      value.forEach((v, i) => visit(v, joinPointer(pointer, i)));
    } else if (isJsonObject(value)) {
      out.set(value, pointer);
      for (const key of Object.keys(value)) visit(value[key] as JsonValue, joinPointer(pointer, key));
    }
  };
  visit(json, '');
  return out;
}

/** Best pointer for an avsc error message: a named token it mentions, else the last schema avsc entered. */
function locateAvscError(doc: SchemaDoc, message: string, last: string | undefined): string {
  const undefinedName = /^undefined type name: (.+)$/.exec(message);
  if (undefinedName?.[1]) {
    const name = undefinedName[1];
    const simple = splitFullname(name).name;
    const hit = findString(
      doc,
      (pointer, value) => (value === name || value === simple) && !pointer.endsWith('/name'),
    );
    if (hit !== undefined) return hit;
  }
  const duplicate = /^duplicate type name: (.+)$/.exec(message);
  if (duplicate?.[1]) {
    const pointer = doc.definedNames.get(duplicate[1]);
    if (pointer !== undefined) return joinPointer(pointer, 'name');
  }
  // A duplicate is located at its second occurrence: the one to remove or rename.
  const repeated = message.startsWith('duplicate field name: ')
    ? /^(.*\/fields)\/\d+\/name$/
    : /^duplicate ".*" symbol: /.test(message)
      ? /^(.*\/symbols)\/\d+$/
      : undefined;
  if (repeated !== undefined) {
    const seen = new Set<string>();
    for (const pointer of doc.positions.values.keys()) {
      const parent = repeated.exec(pointer)?.[1];
      const value = getAtPointer(doc.json, pointer);
      if (parent === undefined || typeof value !== 'string') continue;
      const key = `${parent}\u0000${value}`;
      if (seen.has(key)) return pointer;
      seen.add(key);
    }
  }
  const fieldName = /^invalid field name: (.+)$/.exec(message);
  if (fieldName?.[1]) {
    const hit = findString(
      doc,
      (pointer, value) => value === fieldName[1] && /\/fields\/\d+\/name$/.test(pointer),
    );
    if (hit !== undefined) return hit;
  }
  const fieldDefault = /^incompatible field default (.*?) \(/.exec(message);
  if (fieldDefault?.[1]) {
    for (const pointer of doc.positions.values.keys()) {
      if (!/\/fields\/\d+\/default$/.test(pointer)) continue;
      if (JSON.stringify(getAtPointer(doc.json, pointer)) === fieldDefault[1]) return pointer;
    }
  }
  // avsc ends most messages with the offending JSON value (`invalid order: "sideways"`): find it in the file,
  // preferring the first occurrence after the schema avsc was last working on.
  const trailing = /: ("[^"]*"|-?\d[\d.eE+-]*)$/.exec(message)?.[1];
  if (trailing !== undefined && !/default/.test(message)) {
    const after = last === undefined ? 0 : (doc.positions.values.get(last)?.offset ?? 0);
    let fallback: string | undefined;
    for (const [pointer, position] of doc.positions.values) {
      if (JSON.stringify(getAtPointer(doc.json, pointer)) !== trailing) continue;
      if (position.offset >= after) return pointer;
      fallback ??= pointer;
    }
    if (fallback !== undefined) return fallback;
  }
  if (
    last !== undefined &&
    /default/.test(message) &&
    doc.positions.values.has(joinPointer(last, 'default'))
  ) {
    return joinPointer(last, 'default');
  }
  return last ?? '';
}

function findString(doc: SchemaDoc, test: (pointer: string, value: string) => boolean): string | undefined {
  for (const pointer of doc.positions.values.keys()) {
    const value = getAtPointer(doc.json, pointer);
    if (typeof value === 'string' && test(pointer, value)) return pointer;
  }
  return undefined;
}
