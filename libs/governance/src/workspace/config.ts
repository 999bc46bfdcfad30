// The governance config (schemas/avro-gov.json): which schema goes to which Kafka topic under which registry
// subject and compatibility level, and how lint is configured. Validation names the key path and position
// of every error, because a config mistake silently mis-registers schemas.

import { COMPATIBILITY_LEVELS } from '../compat/levels.ts';
import type { CompatibilityLevel } from '../compat/levels.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GovernanceError } from '../errors.ts';
import type { JsonObject, JsonPositions, JsonValue } from '@adlake/avro';
import { isJsonObject, isValidFullname, joinPointer, parseJsonWithPositions } from '@adlake/avro';
import { LINT_CATEGORIES, isLintCategory, ruleInfo } from '../lint/catalog.ts';
import { globToRegExp, matchesGlob } from './glob.ts';
import type { SchemaDoc, SchemaWorkspace } from './workspace.ts';

export const SUBJECT_NAME_STRATEGIES = [
  'TopicNameStrategy',
  'RecordNameStrategy',
  'TopicRecordNameStrategy',
] as const;
export type SubjectNameStrategy = (typeof SUBJECT_NAME_STRATEGIES)[number];

export const SCHEMA_KINDS = ['event', 'type'] as const;
/** `event`: produced to a topic and registered; `type`: a shared named type only used by reference. */
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** One entry of `subjects`: how the schemas it matches are published. */
export interface SchemaMapping {
  /** Position in `subjects`, and its pointer (`/subjects/2`), for messages. */
  index: number;
  pointer: string;
  /** Matches the document whose root type has this fullname. */
  schema?: string;
  /** Matches documents whose path relative to the schema root matches this glob. */
  files?: string;
  kind: SchemaKind;
  topic?: string;
  strategy: SubjectNameStrategy;
  compatibility: CompatibilityLevel;
}

export interface LintConfig {
  /** Categories and/or rule ids to run. */
  use: string[];
  /** Rule ids or categories removed from `use`. */
  except: string[];
  /** Paths (relative to the schema root: files, directories or globs) no rule reports on. */
  ignore: string[];
  /** Rule id or category → paths it does not report on. */
  ignoreOnly: Record<string, string[]>;
}

export interface GovernanceConfig {
  /** Display path of the config file, when loaded from one. */
  file?: string;
  version: 1;
  defaults: { strategy: SubjectNameStrategy; compatibility: CompatibilityLevel };
  subjects: SchemaMapping[];
  lint: LintConfig;
  /** Positions in the config file, for errors found later (e.g. a mapping that matches nothing). */
  positions?: JsonPositions;
}

/** How one schema document is published; `kind: 'type'` documents have no topic or subject. */
export interface SchemaBinding {
  kind: SchemaKind;
  topic?: string;
  subject?: string;
  strategy: SubjectNameStrategy;
  compatibility: CompatibilityLevel;
  /** The subjects entry that matched; absent when none did (an unmapped schema is a shared type). */
  mapping?: SchemaMapping;
}

export const DEFAULT_LINT_USE: readonly string[] = LINT_CATEGORIES;

export function defaultConfig(): GovernanceConfig {
  return {
    version: 1,
    defaults: { strategy: 'TopicNameStrategy', compatibility: 'BACKWARD' },
    subjects: [],
    lint: { use: [...DEFAULT_LINT_USE], except: [], ignore: [], ignoreOnly: {} },
  };
}

/** Reads and validates a config file; throws JSON_SYNTAX, FILE_NOT_FOUND or CONFIG_INVALID (the first error). */
export async function loadConfig(
  file: string,
  options: { displayRoot?: string } = {},
): Promise<GovernanceConfig> {
  const display = path
    .relative(path.resolve(options.displayRoot ?? process.cwd()), path.resolve(file))
    .split(path.sep)
    .join('/');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GovernanceError('FILE_NOT_FOUND', `Cannot read config file: ${(error as Error).message}`, {
      cause: error,
      context: { file: display },
    });
  }
  return parseConfig(text, display);
}

/** Validates config text; throws the first error (its message says how many more there are). */
export function parseConfig(text: string, file?: string): GovernanceConfig {
  const { config, errors } = validateConfig(text, file);
  const first = errors[0];
  if (first) {
    if (errors.length === 1) throw first;
    throw new GovernanceError(
      'CONFIG_INVALID',
      `${first.message} (and ${errors.length - 1} more config error(s))`,
      {
        context: first.context,
        cause: first,
      },
    );
  }
  return config as GovernanceConfig;
}

/** Validates config text and returns every error; `config` is set only when there are none. */
export function validateConfig(
  text: string,
  file?: string,
): { config?: GovernanceConfig; errors: GovernanceError[] } {
  const parsed = parseJsonWithPositions(text, { file });
  const v = new Validator(parsed.positions, file);
  const config = v.config(parsed.value);
  return v.errors.length > 0 ? { errors: v.errors } : { config, errors: [] };
}

/** The mapping for a document: the first `subjects` entry naming its fullname or matching its path. */
export function bindingFor(doc: SchemaDoc, config: GovernanceConfig): SchemaBinding {
  const mapping = config.subjects.find((m) => mappingMatches(m, doc));
  if (!mapping)
    return { kind: 'type', strategy: config.defaults.strategy, compatibility: config.defaults.compatibility };
  const binding: SchemaBinding = {
    kind: mapping.kind,
    strategy: mapping.strategy,
    compatibility: mapping.compatibility,
    mapping,
  };
  if (mapping.kind === 'event' && mapping.topic !== undefined) {
    binding.topic = mapping.topic;
    binding.subject = subjectName(mapping.strategy, mapping.topic, doc.fullname ?? '');
  }
  return binding;
}

/** The registry subject a document is registered under, or undefined for a shared (non-event) type. */
export function subjectFor(doc: SchemaDoc, config: GovernanceConfig): string | undefined {
  return bindingFor(doc, config).subject;
}

/** The Kafka topic a document's events are produced to, or undefined for a shared type. */
export function topicFor(doc: SchemaDoc, config: GovernanceConfig): string | undefined {
  return bindingFor(doc, config).topic;
}

/** Subject naming per Confluent's strategies (value subjects). */
export function subjectName(strategy: SubjectNameStrategy, topic: string, fullname: string): string {
  switch (strategy) {
    case 'TopicNameStrategy':
      return `${topic}-value`;
    case 'RecordNameStrategy':
      return fullname;
    case 'TopicRecordNameStrategy':
      return `${topic}-${fullname}`;
  }
}

function mappingMatches(mapping: SchemaMapping, doc: SchemaDoc): boolean {
  if (mapping.schema !== undefined) return doc.fullname === mapping.schema;
  if (mapping.files !== undefined) return matchesGlob(doc.relPath, mapping.files);
  return false;
}

/**
 * Problems only visible against the schemas: entries matching no document, event entries whose schema has
 * no named root, and two documents landing on the same subject. Errors are positioned in the config file.
 */
export function checkConfigAgainstWorkspace(
  config: GovernanceConfig,
  workspace: SchemaWorkspace,
): GovernanceError[] {
  const errors: GovernanceError[] = [];
  const at = (pointer: string, message: string): GovernanceError => {
    const pos = config.positions?.positionOf(pointer);
    return new GovernanceError('CONFIG_INVALID', `${pointer}: ${message}`, {
      context: {
        file: config.file ?? 'avro-gov.json',
        line: pos?.line ?? 1,
        column: pos?.column ?? 1,
        configKey: pointer,
        path: pointer,
      },
    });
  };
  const used = new Set<SchemaMapping>();
  const subjects = new Map<string, SchemaDoc>();
  for (const doc of workspace.docs) {
    const binding = bindingFor(doc, config);
    if (binding.mapping) used.add(binding.mapping);
    if (!binding.subject || !binding.mapping) continue;
    if (binding.kind === 'event' && doc.fullname === undefined) {
      errors.push(
        at(binding.mapping.pointer, `${doc.file} is mapped as an event but its root is not a named type`),
      );
      continue;
    }
    const other = subjects.get(binding.subject);
    if (other) {
      errors.push(
        at(binding.mapping.pointer, `${doc.file} and ${other.file} both map to subject "${binding.subject}"`),
      );
    } else {
      subjects.set(binding.subject, doc);
    }
  }
  for (const mapping of config.subjects) {
    if (used.has(mapping)) continue;
    const key = mapping.schema !== undefined ? 'schema' : 'files';
    const what = mapping.schema !== undefined ? `schema "${mapping.schema}"` : `files "${mapping.files}"`;
    errors.push(at(joinPointer(mapping.pointer, key), `${what} matches no schema document in the workspace`));
  }
  return errors;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

class Validator {
  readonly errors: GovernanceError[] = [];
  private readonly positions: JsonPositions;
  private readonly file: string | undefined;

  constructor(positions: JsonPositions, file: string | undefined) {
    this.positions = positions;
    this.file = file;
  }

  error(pointer: string, message: string, atKey = false): void {
    const pos = atKey ? this.positions.keyPositionOf(pointer) : this.positions.positionOf(pointer);
    this.errors.push(
      new GovernanceError('CONFIG_INVALID', `${pointer === '' ? '/' : pointer}: ${message}`, {
        context: { file: this.file, line: pos.line, column: pos.column, configKey: pointer, path: pointer },
      }),
    );
  }

  private object(
    value: JsonValue | undefined,
    pointer: string,
    keys: readonly string[],
  ): JsonObject | undefined {
    if (!isJsonObject(value)) {
      this.error(pointer, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        this.error(joinPointer(pointer, key), `unknown key (expected one of ${keys.join(', ')})`, true);
    }
    return value;
  }

  private oneOf<T extends string>(
    value: JsonValue | undefined,
    pointer: string,
    allowed: readonly T[],
    fallback: T,
  ): T {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.error(pointer, `must be one of ${allowed.join(', ')}`);
    return fallback;
  }

  private stringList(
    value: JsonValue | undefined,
    pointer: string,
    check?: (s: string, p: string) => void,
  ): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.error(pointer, 'must be an array of strings');
      return [];
    }
    const out: string[] = [];
    value.forEach((item, i) => {
      const p = joinPointer(pointer, i);
      if (typeof item !== 'string') this.error(p, 'must be a string');
      else {
        check?.(item, p);
        out.push(item);
      }
    });
    return out;
  }

  private relativePath(s: string, p: string): void {
    if (s === '' || s.startsWith('/') || s.split('/').includes('..') || s.includes('\\')) {
      this.error(p, 'must be a forward-slash path relative to the schema root (no leading "/", no "..")');
    } else {
      try {
        globToRegExp(s);
      } catch {
        this.error(p, 'is not a valid glob');
      }
    }
  }

  private ruleOrCategory(s: string, p: string): void {
    if (!isLintCategory(s) && !ruleInfo(s)) {
      this.error(
        p,
        `unknown lint rule or category "${s}" (categories: ${LINT_CATEGORIES.join(', ')}; see docs/lint-rules.md for rule ids)`,
      );
    }
  }

  config(value: JsonValue): GovernanceConfig {
    const config = defaultConfig();
    config.file = this.file;
    config.positions = this.positions;
    const root = this.object(value, '', ['$schema', 'version', 'defaults', 'subjects', 'lint']);
    if (!root) return config;
    if (root.version !== undefined && root.version !== 1) this.error('/version', 'must be 1');

    if (root.defaults !== undefined) {
      const defaults = this.object(root.defaults, '/defaults', ['strategy', 'compatibility']);
      if (defaults) {
        config.defaults.strategy = this.oneOf(
          defaults.strategy,
          '/defaults/strategy',
          SUBJECT_NAME_STRATEGIES,
          'TopicNameStrategy',
        );
        config.defaults.compatibility = this.oneOf(
          defaults.compatibility,
          '/defaults/compatibility',
          COMPATIBILITY_LEVELS,
          'BACKWARD',
        );
      }
    }

    if (root.subjects !== undefined) {
      if (!Array.isArray(root.subjects)) this.error('/subjects', 'must be an array');
      else root.subjects.forEach((entry, i) => this.mapping(entry, i, config));
    }

    if (root.lint !== undefined) {
      const lint = this.object(root.lint, '/lint', ['use', 'except', 'ignore', 'ignore_only']);
      if (lint) {
        if (lint.use !== undefined)
          config.lint.use = this.stringList(lint.use, '/lint/use', (s, p) => this.ruleOrCategory(s, p));
        config.lint.except = this.stringList(lint.except, '/lint/except', (s, p) =>
          this.ruleOrCategory(s, p),
        );
        config.lint.ignore = this.stringList(lint.ignore, '/lint/ignore', (s, p) => this.relativePath(s, p));
        if (lint.ignore_only !== undefined) {
          if (!isJsonObject(lint.ignore_only))
            this.error('/lint/ignore_only', 'must be an object mapping rule ids to path arrays');
          else {
            for (const key of Object.keys(lint.ignore_only)) {
              const p = joinPointer('/lint/ignore_only', key);
              if (!isLintCategory(key) && !ruleInfo(key)) {
                this.error(p, `unknown lint rule or category "${key}"`, true);
                continue;
              }
              config.lint.ignoreOnly[key] = this.stringList(lint.ignore_only[key], p, (s, q) =>
                this.relativePath(s, q),
              );
            }
          }
        }
      }
    }
    return config;
  }

  private mapping(entry: JsonValue, index: number, config: GovernanceConfig): void {
    const pointer = joinPointer('/subjects', index);
    const obj = this.object(entry, pointer, [
      'schema',
      'files',
      'kind',
      'topic',
      'strategy',
      'compatibility',
    ]);
    if (!obj) return;
    const mapping: SchemaMapping = {
      index,
      pointer,
      kind: 'event',
      strategy: config.defaults.strategy,
      compatibility: config.defaults.compatibility,
    };
    const hasSchema = obj.schema !== undefined;
    const hasFiles = obj.files !== undefined;
    if (hasSchema === hasFiles)
      this.error(pointer, 'must have exactly one of "schema" (a fullname) or "files" (a glob)');
    if (hasSchema) {
      if (typeof obj.schema !== 'string' || !isValidFullname(obj.schema))
        this.error(`${pointer}/schema`, 'must be a full Avro name like "com.acme.adserver.AdClick"');
      else mapping.schema = obj.schema;
    }
    if (hasFiles) {
      if (typeof obj.files !== 'string') this.error(`${pointer}/files`, 'must be a glob string');
      else {
        this.relativePath(obj.files, `${pointer}/files`);
        mapping.files = obj.files;
      }
    }
    if (obj.topic !== undefined) {
      if (
        typeof obj.topic !== 'string' ||
        !TOPIC_NAME.test(obj.topic) ||
        obj.topic === '.' ||
        obj.topic === '..'
      ) {
        this.error(`${pointer}/topic`, 'must be a Kafka topic name (1-249 characters of A-Z a-z 0-9 . _ -)');
      } else {
        mapping.topic = obj.topic;
      }
    }
    mapping.kind = this.oneOf(
      obj.kind,
      `${pointer}/kind`,
      SCHEMA_KINDS,
      obj.topic !== undefined ? 'event' : 'type',
    );
    mapping.strategy = this.oneOf(
      obj.strategy,
      `${pointer}/strategy`,
      SUBJECT_NAME_STRATEGIES,
      config.defaults.strategy,
    );
    mapping.compatibility = this.oneOf(
      obj.compatibility,
      `${pointer}/compatibility`,
      COMPATIBILITY_LEVELS,
      config.defaults.compatibility,
    );
    if (mapping.kind === 'event' && obj.topic === undefined)
      this.error(pointer, 'an event mapping needs a "topic"');
    if (mapping.kind === 'type') {
      for (const key of ['topic', 'strategy', 'compatibility']) {
        if (obj[key] !== undefined)
          this.error(
            `${pointer}/${key}`,
            'a "type" mapping is not registered on its own, so it takes no topic, strategy or compatibility',
          );
      }
    }
    config.subjects.push(mapping);
  }
}
