// The schema workspace: every .avsc parsed with positions, named types indexed across files, references
// resolved, and the problems (syntax, structure, unknown names, duplicates, cycles) collected, not thrown,
// so one bad file does not hide the findings of the others.

import { GovernanceError, asGovernanceError } from '../errors.ts';
import type { GovernanceErrorCode } from '../errors.ts';
import type { AvroNamedKind, JsonObject, JsonPositions, JsonValue, LookupNamedType } from '@adlake/avro';
import {
  duplicateNameMessage,
  joinPointer,
  nullNamespaceHint,
  parseJsonWithPositions,
  splitFullname,
  walkSchema,
} from '@adlake/avro';

/** One schema file's text, as read from disk or from a git revision. */
export interface SchemaSource {
  /** Path used in findings, forward slashes (e.g. `schemas/com/acme/adserver/AdClick.avsc`). */
  file: string;
  text: string;
}

export interface SchemaDoc {
  /** Display path (workspace-relative, forward slashes). */
  file: string;
  /** Path relative to the schema root (`com/acme/adserver/AdClick.avsc`): what config globs and lint paths match. */
  relPath: string;
  text: string;
  json: JsonValue;
  positions: JsonPositions;
  /** Fullname of the root type when it is a named type. */
  fullname: string | undefined;
  /** Namespace of the root named type (`''` = null namespace), undefined when the root is not named. */
  namespace: string | undefined;
  /** Every named type this file defines: fullname → pointer of its definition. */
  definedNames: Map<string, string>;
  /** Names this file uses but does not define: fullname → pointers of each use. */
  references: Map<string, string[]>;
}

/** A file that could not be parsed as JSON; it takes no further part in the workspace. */
export interface UnparsedSchema {
  file: string;
  relPath: string;
  text: string;
  error: GovernanceError;
}

export interface NamedTypeDefinition {
  fullname: string;
  kind: AvroNamedKind;
  /** Effective namespace of the definition, `''` for the null namespace. */
  namespace: string;
  doc: SchemaDoc;
  pointer: string;
  /** The definition's JSON as written; nested unqualified names resolve against `namespace`. */
  json: JsonObject;
}

export interface CreateWorkspaceOptions {
  /**
   * Display-path prefix of the schema root (`schemas`): stripped from `file` to give `relPath`.
   * Default `''` (files are already relative to the schema root).
   */
  root?: string;
}

/** Builds a workspace from in-memory sources (the disk loader and git-version loaders both end here). */
export function createSchemaWorkspace(
  sources: readonly SchemaSource[],
  options: CreateWorkspaceOptions = {},
): SchemaWorkspace {
  return new SchemaWorkspace(sources, options);
}

export class SchemaWorkspace {
  /** Display-path prefix of the schema root, without trailing slash. */
  readonly root: string;
  /** Parsed documents, sorted by file. */
  readonly docs: readonly SchemaDoc[];
  readonly unparsed: readonly UnparsedSchema[];
  /** Every problem found while loading, in file order; each carries file, line, column and pointer. */
  readonly problems: readonly GovernanceError[];
  /** Dependencies first; files in a reference cycle keep file order among themselves. */
  readonly order: readonly SchemaDoc[];

  private readonly index = new Map<string, NamedTypeDefinition>();
  private readonly byFile = new Map<string, SchemaDoc>();
  private readonly deps = new Map<SchemaDoc, SchemaDoc[]>();
  private readonly problemsByFile = new Map<string, GovernanceError[]>();

  constructor(sources: readonly SchemaSource[], options: CreateWorkspaceOptions) {
    this.root = (options.root ?? '')
      .replace(/\\/g, '/')
      .replace(/\/+$/, '')
      .replace(/^\.\/?/, '');
    const problems: GovernanceError[] = [];
    const docs: SchemaDoc[] = [];
    const unparsed: UnparsedSchema[] = [];
    const definitions: { def: NamedTypeDefinition }[] = [];
    const sorted = [...sources].sort((a, b) => compareStrings(a.file, b.file));

    for (const source of sorted) {
      const file = source.file.replace(/\\/g, '/');
      const relPath = this.relativePath(file);
      let parsed;
      try {
        parsed = parseJsonWithPositions(source.text, { file });
      } catch (caught) {
        const error = asGovernanceError(caught);
        if (error === undefined) throw caught;
        unparsed.push({ file, relPath, text: source.text, error });
        problems.push(error);
        continue;
      }
      const doc: SchemaDoc = {
        file,
        relPath,
        text: source.text,
        json: parsed.value,
        positions: parsed.positions,
        fullname: undefined,
        namespace: undefined,
        definedNames: new Map(),
        references: new Map(),
      };
      const uses: { fullname: string; pointer: string }[] = [];
      walkSchema(parsed.value, {
        namedType: (node) => {
          if (node.topLevel) {
            doc.fullname = node.fullname;
            doc.namespace = node.namespace;
          }
          const previous = doc.definedNames.get(node.fullname);
          if (previous !== undefined) {
            problems.push(
              problemAt(
                doc,
                'DUPLICATE_NAME',
                joinPointer(node.pointer, 'name'),
                `${duplicateNameMessage(node.fullname)} in this file (first at ${formatAt(doc, joinPointer(previous, 'name'))})`,
              ),
            );
            return;
          }
          doc.definedNames.set(node.fullname, node.pointer);
          definitions.push({
            def: {
              fullname: node.fullname,
              kind: node.kind,
              namespace: node.namespace,
              doc,
              pointer: node.pointer,
              json: node.json,
            },
          });
        },
        reference: (node) => uses.push({ fullname: node.fullname, pointer: node.pointer }),
        problem: (message, pointer, code) => problems.push(problemAt(doc, code, pointer, message)),
      });
      for (const use of uses) {
        if (doc.definedNames.has(use.fullname)) continue;
        const list = doc.references.get(use.fullname);
        if (list) list.push(use.pointer);
        else doc.references.set(use.fullname, [use.pointer]);
      }
      docs.push(doc);
      this.byFile.set(file, doc);
    }

    // Index across files; a name defined twice is reported at both places, the first file keeps it.
    const reportedFirst = new Set<string>();
    for (const { def } of definitions) {
      const existing = this.index.get(def.fullname);
      if (!existing) {
        this.index.set(def.fullname, def);
        continue;
      }
      if (existing.doc === def.doc) continue; // reported above
      if (!reportedFirst.has(def.fullname)) {
        reportedFirst.add(def.fullname);
        problems.push(
          problemAt(
            existing.doc,
            'DUPLICATE_NAME',
            joinPointer(existing.pointer, 'name'),
            `Named type "${def.fullname}" is also defined in ${def.doc.file}:${formatAt(def.doc, joinPointer(def.pointer, 'name'))}`,
          ),
        );
      }
      problems.push(
        problemAt(
          def.doc,
          'DUPLICATE_NAME',
          joinPointer(def.pointer, 'name'),
          `Named type "${def.fullname}" is already defined in ${existing.doc.file}:${formatAt(existing.doc, joinPointer(existing.pointer, 'name'))}`,
        ),
      );
    }

    // Resolve cross-file references.
    for (const doc of docs) {
      const deps = new Set<SchemaDoc>();
      for (const [fullname, pointers] of doc.references) {
        const def = this.index.get(fullname);
        if (def) {
          if (def.doc !== doc) deps.add(def.doc);
          continue;
        }
        const hint = this.suggest(fullname);
        for (const pointer of pointers) {
          problems.push(
            problemAt(doc, 'UNKNOWN_NAMED_TYPE', pointer, `Unknown named type "${fullname}"${hint}`),
          );
        }
      }
      this.deps.set(
        doc,
        [...deps].sort((a, b) => compareStrings(a.file, b.file)),
      );
    }

    for (const cycle of this.findCycles(docs)) {
      const names = cycle.map((d) => d.file);
      const members = new Set(cycle);
      for (const doc of cycle) {
        // Report at the first reference that leads into the cycle.
        let pointer = '';
        for (const [fullname, pointers] of doc.references) {
          const def = this.index.get(fullname);
          if (def && members.has(def.doc) && pointers[0] !== undefined) {
            pointer = pointers[0];
            break;
          }
        }
        problems.push(
          problemAt(
            doc,
            'REFERENCE_CYCLE',
            pointer,
            `Files reference each other in a cycle (${[...names, names[0]].join(' → ')}); Avro cannot resolve a named type across files before it is defined`,
          ),
        );
      }
    }

    problems.sort(compareProblems);
    for (const problem of problems) {
      const file = problem.context.file ?? '';
      const list = this.problemsByFile.get(file);
      if (list) list.push(problem);
      else this.problemsByFile.set(file, [problem]);
    }
    this.docs = docs;
    this.unparsed = unparsed;
    this.problems = problems;
    this.order = this.topologicalOrder(docs);
  }

  /** The definition of a named type anywhere in the workspace (the first file's, if duplicated). */
  lookupNamedType(fullname: string): NamedTypeDefinition | undefined {
    return this.index.get(fullname);
  }

  /** Every named type in the workspace by fullname. */
  get namedTypes(): ReadonlyMap<string, NamedTypeDefinition> {
    return this.index;
  }

  getDoc(file: string): SchemaDoc | undefined {
    return this.byFile.get(file);
  }

  /** The document whose root type has this fullname. */
  docForFullname(fullname: string): SchemaDoc | undefined {
    const def = this.index.get(fullname);
    return def && def.pointer === '' ? def.doc : undefined;
  }

  /** Files whose named types this document uses, sorted by file. */
  dependenciesOf(doc: SchemaDoc): readonly SchemaDoc[] {
    return this.deps.get(doc) ?? [];
  }

  /** This document and everything it transitively depends on, dependencies first. */
  closureOf(doc: SchemaDoc): SchemaDoc[] {
    const seen = new Set<SchemaDoc>();
    const out: SchemaDoc[] = [];
    const visit = (d: SchemaDoc): void => {
      if (seen.has(d)) return;
      seen.add(d);
      for (const dep of this.dependenciesOf(d)) visit(dep);
      out.push(d);
    };
    visit(doc);
    return out;
  }

  problemsFor(file: string): readonly GovernanceError[] {
    return this.problemsByFile.get(file) ?? [];
  }

  private relativePath(file: string): string {
    if (this.root === '') return file;
    return file.startsWith(this.root + '/') ? file.slice(this.root.length + 1) : file;
  }

  private suggest(fullname: string): string {
    const { name } = splitFullname(fullname);
    const candidates = [...this.index.keys()].filter(
      (other) => other !== name && splitFullname(other).name === name,
    );
    const nullNamespace = nullNamespaceHint(fullname, (n) => this.index.has(n));
    return candidates.length > 0
      ? ` (did you mean ${candidates.map((c) => `"${c}"`).join(' or ')}?)${nullNamespace}`
      : nullNamespace;
  }

  /** Strongly connected components with more than one file (Tarjan), each in file order. */
  private findCycles(docs: readonly SchemaDoc[]): SchemaDoc[][] {
    const indexOf = new Map<SchemaDoc, number>();
    const low = new Map<SchemaDoc, number>();
    const onStack = new Set<SchemaDoc>();
    const stack: SchemaDoc[] = [];
    const cycles: SchemaDoc[][] = [];
    let counter = 0;
    const strongConnect = (v: SchemaDoc): void => {
      indexOf.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      for (const w of this.dependenciesOf(v)) {
        if (!indexOf.has(w)) {
          strongConnect(w);
          low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v) ?? 0, indexOf.get(w) ?? 0));
        }
      }
      if (low.get(v) === indexOf.get(v)) {
        const component: SchemaDoc[] = [];
        let w: SchemaDoc | undefined;
        do {
          w = stack.pop();
          if (w) {
            onStack.delete(w);
            component.push(w);
          }
        } while (w && w !== v);
        if (component.length > 1) cycles.push(component.sort((a, b) => compareStrings(a.file, b.file)));
      }
    };
    for (const doc of docs) if (!indexOf.has(doc)) strongConnect(doc);
    return cycles.sort((a, b) => compareStrings(a[0]?.file ?? '', b[0]?.file ?? ''));
  }

  private topologicalOrder(docs: readonly SchemaDoc[]): SchemaDoc[] {
    const seen = new Set<SchemaDoc>();
    const out: SchemaDoc[] = [];
    const visit = (doc: SchemaDoc): void => {
      if (seen.has(doc)) return;
      seen.add(doc);
      for (const dep of this.dependenciesOf(doc)) visit(dep);
      out.push(doc);
    };
    for (const doc of docs) visit(doc);
    return out;
  }
}

/** A GovernanceError positioned at `pointer` (or its nearest existing ancestor) in `doc`. */
export function problemAt(
  doc: SchemaDoc,
  code: GovernanceErrorCode,
  pointer: string,
  message: string,
): GovernanceError {
  const at = doc.positions.positionOf(pointer);
  return new GovernanceError(code, message, {
    context: { file: doc.file, line: at.line, column: at.column, path: pointer },
  });
}

function formatAt(doc: SchemaDoc, pointer: string): string {
  const at = doc.positions.positionOf(pointer);
  return `${at.line}:${at.column}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareProblems(a: GovernanceError, b: GovernanceError): number {
  return (
    compareStrings(a.context.file ?? '', b.context.file ?? '') ||
    (a.context.line ?? 0) - (b.context.line ?? 0) ||
    (a.context.column ?? 0) - (b.context.column ?? 0) ||
    compareStrings(a.code, b.code)
  );
}

/** The workspace as the schema model's lookup: a named type's JSON by full name, for parsing, checking and
 * generating one schema that uses types defined in other files. */
export function namedTypeLookup(workspace: SchemaWorkspace): LookupNamedType {
  return (fullname) => workspace.lookupNamedType(fullname)?.json;
}
