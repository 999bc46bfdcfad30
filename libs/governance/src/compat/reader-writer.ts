// Decides whether data written with one Avro schema can be read with another, by the spec's "Schema
// Resolution" rules as Avro Java's SchemaCompatibility (and so Confluent Schema Registry) applies them.
import {
  deref,
  parseSchema,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type Loc,
  type LookupNamedType,
  type NamedNode,
  type ParsedSchema,
  type PrimitiveName,
  type RecordNode,
  type ResolvedNode,
  type SchemaNode,
  type UnionNode,
} from '@adlake/avro';

export const COMPAT_ERROR_TYPES = [
  'NAME_MISMATCH',
  'FIXED_SIZE_MISMATCH',
  'MISSING_ENUM_SYMBOLS',
  'READER_FIELD_MISSING_DEFAULT_VALUE',
  'TYPE_MISMATCH',
  'MISSING_UNION_BRANCH',
  'AMBIGUOUS_FIELD_MATCH',
] as const;
export type CompatErrorType = (typeof COMPAT_ERROR_TYPES)[number];

/** Advisories that never make a pair incompatible: things Avro Java accepts that can still surprise. */
export const COMPAT_WARNING_TYPES = ['LOGICAL_TYPE_CHANGED'] as const;
export type CompatWarningType = (typeof COMPAT_WARNING_TYPES)[number];

interface Located {
  message: string;
  /** JSON pointer into the reader's document (or into `readerNamedType`'s document when that is set). */
  readerPath: string;
  writerPath: string;
  /** Full name of the named type, defined in another file, whose document `readerPath` points into. */
  readerNamedType?: string;
  writerNamedType?: string;
}

export interface CompatIssue extends Located {
  type: CompatErrorType;
  /** For MISSING_UNION_BRANCH: why the closest reader branch (same kind and name) does not fit. */
  causes?: CompatIssue[];
}

export interface CompatWarning extends Located {
  type: CompatWarningType;
}

export interface ReaderWriterOptions {
  /** Resolves named types from other files, for both sides unless a side-specific one is given. */
  lookupNamedType?: LookupNamedType;
  readerLookupNamedType?: LookupNamedType;
  writerLookupNamedType?: LookupNamedType;
  /** Which side is the edited schema; messages then read "changed from <old> to <new>". */
  newSide?: 'reader' | 'writer';
  /** How messages name each side, e.g. "the new schema" / "the old schema (version 3)". */
  readerLabel?: string;
  writerLabel?: string;
}

export interface ReaderWriterResult {
  compatible: boolean;
  issues: CompatIssue[];
  warnings: CompatWarning[];
}

/** Checks that every datum written with `writer` can be read with `reader` (both .avsc JSON values). */
export function checkReaderWriter(
  reader: unknown,
  writer: unknown,
  options: ReaderWriterOptions = {},
): ReaderWriterResult {
  const readerLookup = options.readerLookupNamedType ?? options.lookupNamedType;
  const writerLookup = options.writerLookupNamedType ?? options.lookupNamedType;
  return checkParsed(
    parseSchema(reader, readerLookup === undefined ? {} : { lookupNamedType: readerLookup }),
    parseSchema(writer, writerLookup === undefined ? {} : { lookupNamedType: writerLookup }),
    options,
  );
}

/** As `checkReaderWriter`, on schemas already parsed with every name resolved. */
export function checkParsed(
  reader: ParsedSchema,
  writer: ParsedSchema,
  options: ReaderWriterOptions = {},
): ReaderWriterResult {
  return new Checker(reader, options).run(writer);
}

// Spec "Schema Resolution": the writer's type may be promoted to the reader's.
const PROMOTIONS: Record<PrimitiveName, readonly PrimitiveName[]> = {
  null: [],
  boolean: [],
  int: [],
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

/** Where in the schema a comparison happens, in words, for messages. */
interface Where {
  field?: string;
  trail: string[];
  /** Set while checking one branch of a writer union against a non-union reader: the whole writer type. */
  writerWhole?: ResolvedNode;
}

const ROOT: Where = { trail: [] };

function located(message: string, readerLoc: Loc, writerLoc: Loc): Located {
  const out: Located = { message, readerPath: readerLoc.path, writerPath: writerLoc.path };
  if (readerLoc.namedType !== undefined) out.readerNamedType = readerLoc.namedType;
  if (writerLoc.namedType !== undefined) out.writerNamedType = writerLoc.namedType;
  return out;
}

function at(loc: Loc, ...tokens: (string | number)[]): Loc {
  const path = loc.path + tokens.map((t) => `/${t}`).join('');
  return loc.namedType === undefined ? { path } : { path, namedType: loc.namedType };
}

export function describeType(node: SchemaNode, depth = 0): string {
  const n = deref(node);
  switch (n.kind) {
    case 'primitive':
      return n.logicalType === undefined ? n.type : `${n.type} (${n.logicalType})`;
    case 'array':
      return depth > 1 ? 'array' : `array of ${describeType(n.items, depth + 1)}`;
    case 'map':
      return depth > 1 ? 'map' : `map of ${describeType(n.values, depth + 1)}`;
    case 'union':
      return `union [${n.branches.map((b) => describeType(b, depth + 1)).join(', ')}]`;
    case 'fixed':
      return `fixed ${n.fullname} (${n.size} bytes)`;
    default:
      return `${n.kind} ${n.fullname}`;
  }
}

function describeWhere(where: Where): string {
  const trail = where.trail.join(', ');
  if (where.field !== undefined) return `field "${where.field}"${trail === '' ? '' : ` (${trail})`}`;
  return trail === '' ? 'the top-level schema' : `${trail} of the top-level schema`;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

class Checker {
  private readonly reader: ParsedSchema;
  private readonly options: ReaderWriterOptions;
  private readonly R: string;
  private readonly W: string;
  /** Record pairs being or already compared: `null` while in progress (a recursive use is then assumed
   * compatible, as in Avro Java), the issues once done. Keyed by node identity, like Avro Java's memo. */
  private readonly memo = new Map<RecordNode, Map<RecordNode, CompatIssue[] | null>>();
  private readonly warnings = new Map<string, CompatWarning>();

  constructor(reader: ParsedSchema, options: ReaderWriterOptions) {
    this.reader = reader;
    this.options = options;
    this.R = options.readerLabel ?? 'the reader schema';
    this.W = options.writerLabel ?? 'the writer schema';
  }

  run(writer: ParsedSchema): ReaderWriterResult {
    const all = this.check(this.reader.root, writer.root, ROOT);
    // A record pair reached along two paths yields the same issue objects twice; report each once.
    const seen = new Set<string>();
    const issues = all.filter((i) => {
      const key = `${i.type}|${i.readerNamedType ?? ''}|${i.readerPath}|${i.writerNamedType ?? ''}|${i.writerPath}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { compatible: issues.length === 0, issues, warnings: [...this.warnings.values()] };
  }

  /** "X changed from <old> to <new>" when the caller said which side is new, else a neutral phrasing. */
  private changed(what: string, readerValue: string, writerValue: string): string {
    if (this.options.newSide === 'reader') return `${what} changed from ${writerValue} to ${readerValue}`;
    if (this.options.newSide === 'writer') return `${what} changed from ${readerValue} to ${writerValue}`;
    return `${what} is ${writerValue} in ${this.W} but ${readerValue} in ${this.R}`;
  }

  private issue(
    type: CompatErrorType,
    readerLoc: Loc,
    writerLoc: Loc,
    message: string,
    causes?: CompatIssue[],
  ): CompatIssue {
    const out: CompatIssue = { type, ...located(message, readerLoc, writerLoc) };
    if (causes !== undefined && causes.length > 0) out.causes = causes;
    return out;
  }

  private warn(type: CompatWarningType, readerLoc: Loc, writerLoc: Loc, message: string): void {
    this.warnings.set(`${type}|${message}|${readerLoc.path}|${writerLoc.path}`, {
      type,
      ...located(message, readerLoc, writerLoc),
    });
  }

  /** The whole check for one reader/writer pair; an empty list means compatible. */
  private check(r: SchemaNode, w: SchemaNode, where: Where): CompatIssue[] {
    const rr = deref(r);
    const ww = deref(w);
    if (rr.kind === 'record' && ww.kind === 'record') {
      let byWriter = this.memo.get(rr);
      if (byWriter === undefined) this.memo.set(rr, (byWriter = new Map()));
      if (byWriter.has(ww)) return byWriter.get(ww) ?? [];
      byWriter.set(ww, null);
      const result = this.checkRecords(rr, ww);
      byWriter.set(ww, result);
      return result;
    }
    return this.calculate(r, rr, w, ww, where);
  }

  private calculate(
    r: SchemaNode,
    rr: ResolvedNode,
    w: SchemaNode,
    ww: ResolvedNode,
    where: Where,
  ): CompatIssue[] {
    const inner = (step: string): Where => ({
      ...(where.field === undefined ? {} : { field: where.field }),
      trail: [...where.trail, step],
    });

    if (rr.kind === 'primitive' && ww.kind === 'primitive' && rr.type === ww.type) {
      this.checkLogical(r, rr, w, ww, where);
      return [];
    }
    if (rr.kind === 'array' && ww.kind === 'array')
      return this.check(rr.items, ww.items, inner('array items'));
    if (rr.kind === 'map' && ww.kind === 'map') return this.check(rr.values, ww.values, inner('map values'));
    if (rr.kind === 'fixed' && ww.kind === 'fixed') return this.checkFixed(r, rr, w, ww, where);
    if (rr.kind === 'enum' && ww.kind === 'enum') return this.checkEnums(rr, ww);
    if (rr.kind === 'union' && ww.kind === 'union') return this.checkUnions(rr, ww, where);

    if (ww.kind === 'union') {
      // A non-union reader must be able to read every branch the writer may have used.
      return ww.branches.flatMap((branch) => this.check(r, branch, { ...where, writerWhole: ww }));
    }
    if (rr.kind === 'union') {
      // Avro Java: compatible if any reader branch reads the writer's type in full.
      if (rr.branches.some((branch) => this.check(branch, w, ROOT).length === 0)) return [];
      const message =
        `${this.changed(`${describeWhere(where)} type`, describeType(rr), describeType(ww))}; ` +
        `no branch of the union in ${this.R} can read the ${describeType(ww)} data written with ${this.W}`;
      return [
        this.issue('MISSING_UNION_BRANCH', r.loc, w.loc, message, this.closestCauses(rr, ww, w, where)),
      ];
    }
    if (rr.kind === 'primitive' && ww.kind === 'primitive' && PROMOTIONS[rr.type].includes(ww.type)) {
      this.checkLogical(r, rr, w, ww, where);
      return [];
    }
    const writerWhole = where.writerWhole ?? ww;
    const message =
      `${this.changed(`${describeWhere(where)} type`, describeType(rr), describeType(writerWhole))}; ` +
      `a reader using ${this.R} cannot read ${describeType(ww)} data written with ${this.W}`;
    return [this.issue('TYPE_MISMATCH', r.loc, w.loc, message)];
  }

  private checkUnions(rr: UnionNode, ww: UnionNode, where: Where): CompatIssue[] {
    const issues: CompatIssue[] = [];
    ww.branches.forEach((branch, i) => {
      // As in Avro Java, a failing writer branch is reported as one MISSING_UNION_BRANCH; the detail of the
      // closest reader branch is kept in `causes` so the developer sees what to fix.
      if (this.check(rr, branch, ROOT).length === 0) return;
      const wb = deref(branch);
      const message =
        `${describeWhere(where)}: union branch ${i} (${describeType(wb)}) written with ${this.W} has no ` +
        `compatible branch in the union of ${this.R} (${describeType(rr)}), so a reader using ${this.R} ` +
        `cannot read it`;
      issues.push(
        this.issue(
          'MISSING_UNION_BRANCH',
          rr.loc,
          branch.loc,
          message,
          this.closestCauses(rr, wb, branch, where),
        ),
      );
    });
    return issues;
  }

  /** The first reader branch the spec would "match" with the writer type (same kind and name, or a promotion),
   * checked in full: the issues that keep it from reading the writer's data. */
  private closestCauses(
    rr: UnionNode,
    wb: ResolvedNode,
    w: SchemaNode,
    where: Where,
  ): CompatIssue[] | undefined {
    for (const branch of rr.branches) {
      const b = deref(branch);
      if (!this.shallowMatch(b, wb)) continue;
      const causes = this.check(branch, w, {
        trail: where.trail,
        ...(where.field === undefined ? {} : { field: where.field }),
      });
      return causes.length === 0 ? undefined : causes;
    }
    return undefined;
  }

  private shallowMatch(rb: ResolvedNode, wb: ResolvedNode): boolean {
    if (rb.kind === 'primitive' && wb.kind === 'primitive') {
      return rb.type === wb.type || PROMOTIONS[rb.type].includes(wb.type);
    }
    if (rb.kind !== wb.kind) return false;
    if (rb.kind === 'record' || rb.kind === 'enum' || rb.kind === 'fixed')
      return this.namesMatch(rb, wb as NamedNode);
    return true;
  }

  /** Spec: same unqualified name; Avro Java additionally accepts a reader alias equal to the writer's full name. */
  private namesMatch(rr: NamedNode, ww: NamedNode): boolean {
    return rr.name === ww.name || rr.aliases.includes(ww.fullname);
  }

  private checkName(rr: NamedNode, ww: NamedNode): CompatIssue[] {
    if (this.namesMatch(rr, ww)) return [];
    const hint =
      this.options.newSide === 'reader'
        ? ` (add "${ww.fullname}" to the "aliases" of ${rr.fullname} to keep reading it)`
        : '';
    const message =
      `${this.changed(`${rr.kind} name`, `"${rr.fullname}"`, `"${ww.fullname}"`)}; a reader using ${this.R} ` +
      `matches a ${rr.kind} by its unqualified name or its aliases, and neither matches "${ww.fullname}" ` +
      `written with ${this.W}${hint}`;
    return [this.issue('NAME_MISMATCH', at(rr.loc, 'name'), at(ww.loc, 'name'), message)];
  }

  private checkRecords(rr: RecordNode, ww: RecordNode): CompatIssue[] {
    const issues = this.checkName(rr, ww);
    const isRoot = deref(this.reader.root) === rr;
    for (const field of rr.fields) {
      const label = isRoot ? field.name : `${rr.name}.${field.name}`;
      const matches = this.writerFieldsOf(field, ww);
      if (matches.length > 1) {
        issues.push(this.ambiguous(rr, field, ww, matches));
        continue;
      }
      const writerField = matches[0];
      if (writerField !== undefined) {
        issues.push(...this.check(field.type, writerField.type, { field: label, trail: [] }));
        continue;
      }
      if (field.hasDefault) continue;
      const why =
        this.options.newSide === 'reader'
          ? `field "${label}" was added without a default`
          : this.options.newSide === 'writer'
            ? `field "${label}" was removed, but ${this.R} declares it without a default`
            : `field "${label}" has no default in ${this.R} and is absent from ${this.W}`;
      const message = `${why}; a reader using ${this.R} has no value for it when reading data written with ${this.W}`;
      issues.push(
        this.issue(
          'READER_FIELD_MISSING_DEFAULT_VALUE',
          at(rr.loc, 'fields', field.index),
          at(ww.loc, 'fields'),
          message,
        ),
      );
    }
    return issues;
  }

  /**
   * The writer fields a reader field reads: the one of the same name, and each one an alias names. More than
   * one is an error in Avro Java (`lookupWriterField` throws), so a registry refuses the pair. That includes
   * an alias equal to the field's own name, which finds the same writer field twice.
   */
  private writerFieldsOf(field: FieldNode, ww: RecordNode): FieldNode[] {
    const direct = ww.fields.find((f) => f.name === field.name);
    const byAlias = [...new Set(field.aliases)].flatMap((alias) => ww.fields.filter((f) => f.name === alias));
    return direct === undefined ? byAlias : [direct, ...byAlias];
  }

  private ambiguous(rr: RecordNode, field: FieldNode, ww: RecordNode, matches: FieldNode[]): CompatIssue {
    const how = matches.map((f, i) =>
      i === 0 && f.name === field.name
        ? `"${f.name}" by name`
        : f.name === field.name
          ? `"${f.name}" again by the alias "${f.name}" (an alias equal to the field's own name)`
          : `"${f.name}" by alias`,
    );
    return this.issue(
      'AMBIGUOUS_FIELD_MATCH',
      at(rr.loc, 'fields', field.index),
      ww.loc,
      `field "${field.name}" of ${rr.fullname} matches more than one field written with ${this.W}: ` +
        `${how.join(', ')}; Avro Java refuses to resolve such a pair, so a Schema Registry rejects the change ` +
        `(remove the alias, or the extra field)`,
    );
  }

  private checkEnums(rr: EnumNode, ww: EnumNode): CompatIssue[] {
    const issues = this.checkName(rr, ww);
    const missing = ww.symbols.filter((s) => !rr.symbols.includes(s));
    // Avro 1.9+: a reader enum default (one of its own symbols) absorbs every unknown symbol.
    const hasDefault = rr.default !== undefined && rr.symbols.includes(rr.default);
    if (missing.length === 0 || hasDefault) return issues;
    const list = `[${quoteList(missing)}]`;
    const why =
      this.options.newSide === 'reader'
        ? `enum ${rr.fullname} lost symbol(s) ${list}`
        : this.options.newSide === 'writer'
          ? `enum ${ww.fullname} gained symbol(s) ${list}, and ${this.R} gives the enum no "default"`
          : `${this.W} may write enum symbol(s) ${list} that enum ${rr.fullname} in ${this.R} lacks, with no "default"`;
    const message = `${why}; a reader using ${this.R} cannot read them in data written with ${this.W}`;
    issues.push(this.issue('MISSING_ENUM_SYMBOLS', at(rr.loc, 'symbols'), at(ww.loc, 'symbols'), message));
    return issues;
  }

  private checkFixed(
    r: SchemaNode,
    rr: FixedNode,
    w: SchemaNode,
    ww: FixedNode,
    where: Where,
  ): CompatIssue[] {
    const issues = this.checkName(rr, ww);
    if (rr.size !== ww.size) {
      const message =
        `${this.changed(`fixed ${rr.fullname} size`, `${rr.size}`, `${ww.size}`)}; a reader using ${this.R} ` +
        `cannot read the ${ww.size}-byte values written with ${this.W}`;
      issues.push(this.issue('FIXED_SIZE_MISMATCH', at(rr.loc, 'size'), at(ww.loc, 'size'), message));
    } else {
      this.checkLogical(r, rr, w, ww, where);
    }
    return issues;
  }

  /** Logical types do not take part in resolution (Avro Java, Confluent); flag changes that reinterpret data. */
  private checkLogical(r: SchemaNode, rr: ResolvedNode, w: SchemaNode, ww: ResolvedNode, where: Where): void {
    const rl = rr.logicalType;
    const wl = ww.logicalType;
    const whereText = describeWhere(where);
    if (rl !== wl) {
      this.warn(
        'LOGICAL_TYPE_CHANGED',
        r.loc,
        w.loc,
        `${this.changed(`${whereText} logical type`, rl ?? 'none', wl ?? 'none')}; Avro and Confluent still ` +
          `call this compatible, but a reader using ${this.R} interprets the values written with ${this.W} differently`,
      );
      return;
    }
    if (rl !== 'decimal') return;
    const rp = rr.json?.['precision'];
    const wp = ww.json?.['precision'];
    const rs = rr.json?.['scale'] ?? 0;
    const ws = ww.json?.['scale'] ?? 0;
    if (rs !== ws) {
      this.warn(
        'LOGICAL_TYPE_CHANGED',
        r.loc,
        w.loc,
        `${this.changed(`${whereText} decimal scale`, String(rs), String(ws))}; Avro and Confluent still call ` +
          `this compatible, but a reader using ${this.R} scales the values written with ${this.W} by the wrong power of ten`,
      );
    } else if (rp !== wp) {
      this.warn(
        'LOGICAL_TYPE_CHANGED',
        r.loc,
        w.loc,
        `${this.changed(`${whereText} decimal precision`, String(rp), String(wp))}; Avro and Confluent still call ` +
          `this compatible, but values written with ${this.W} may not fit the precision of ${this.R}`,
      );
    }
  }
}
