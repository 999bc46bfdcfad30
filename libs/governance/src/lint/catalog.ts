// The fixed list of lint rule ids and categories: ids are a public contract (configs and suppressions name
// them), so they are declared once here and never renamed.

export const LINT_CATEGORIES = ['MINIMAL', 'BASIC', 'STYLE', 'DOCS', 'EVENT'] as const;
export type LintCategory = (typeof LINT_CATEGORIES)[number];

export interface RuleInfo {
  id: string;
  category: LintCategory;
  summary: string;
}

export const LINT_RULES = [
  {
    id: 'FILE_PARSES_JSON',
    category: 'MINIMAL',
    summary: 'The file is strict JSON (no trailing commas, comments or duplicate keys).',
  },
  {
    id: 'FILE_PARSES_AVRO',
    category: 'MINIMAL',
    summary: 'The file is a valid Avro schema (structure, names, and avsc accepts it).',
  },
  {
    id: 'NAMED_TYPE_RESOLVES',
    category: 'MINIMAL',
    summary: 'Every named type used is defined somewhere in the workspace.',
  },
  {
    id: 'NAMED_TYPE_UNIQUE',
    category: 'MINIMAL',
    summary: 'No named type is defined twice in the workspace.',
  },
  { id: 'NO_REFERENCE_CYCLE', category: 'MINIMAL', summary: 'Files do not reference each other in a cycle.' },
  {
    id: 'FIELD_DEFAULT_MATCHES_TYPE',
    category: 'MINIMAL',
    summary: "A field default is valid for the field's type (a union's default matches its first branch).",
  },
  {
    id: 'CONFIG_MAPPING_RESOLVES',
    category: 'MINIMAL',
    summary: 'Every subjects entry of the config matches a schema, and no two schemas share a subject.',
  },
  {
    id: 'FILE_PATH_MATCHES_NAME',
    category: 'BASIC',
    summary: 'A file is at <namespace as folders>/<Name>.avsc below the schema root.',
  },
  {
    id: 'NAMESPACE_REQUIRED',
    category: 'BASIC',
    summary: 'The top-level named type has a non-empty namespace.',
  },
  {
    id: 'ENUM_DEFAULT_VALID',
    category: 'BASIC',
    summary: 'An enum declares a "default" that is one of its symbols.',
  },
  { id: 'UNION_NULL_FIRST', category: 'BASIC', summary: 'A union containing null lists "null" first.' },
  {
    id: 'FIELD_NULLABLE_DEFAULT_NULL',
    category: 'BASIC',
    summary: 'A field whose type is a nullable union has "default": null.',
  },
  { id: 'TYPE_NAME_PASCAL_CASE', category: 'STYLE', summary: 'Record, enum and fixed names are PascalCase.' },
  { id: 'FIELD_LOWER_SNAKE_CASE', category: 'STYLE', summary: 'Field names are lower_snake_case.' },
  { id: 'ENUM_SYMBOL_UPPER_SNAKE_CASE', category: 'STYLE', summary: 'Enum symbols are UPPER_SNAKE_CASE.' },
  {
    id: 'NAMESPACE_LOWER_CASE',
    category: 'STYLE',
    summary: 'Namespaces are lower-case dot-separated identifiers.',
  },
  {
    id: 'TYPE_DOC_REQUIRED',
    category: 'DOCS',
    summary: 'Records, enums and fixed types have a non-empty "doc".',
  },
  { id: 'FIELD_DOC_REQUIRED', category: 'DOCS', summary: 'Fields have a non-empty "doc".' },
  {
    id: 'EVENT_ID_REQUIRED',
    category: 'EVENT',
    summary: 'An event schema has an "event_id" field of type string (optionally logicalType uuid).',
  },
  {
    id: 'EVENT_TIME_REQUIRED',
    category: 'EVENT',
    summary:
      'An event schema has an "event_time" field: long with logicalType timestamp-millis or timestamp-micros.',
  },
] as const satisfies readonly RuleInfo[];

export type LintRuleId = (typeof LINT_RULES)[number]['id'];

export const LINT_RULE_IDS: readonly string[] = LINT_RULES.map((r) => r.id);

const BY_ID: ReadonlyMap<string, RuleInfo> = new Map(LINT_RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

export function isLintCategory(value: string): value is LintCategory {
  return (LINT_CATEGORIES as readonly string[]).includes(value);
}

/** Rule ids selected by `use` (category names or ids) minus `except`. */
export function selectRules(use: readonly string[], except: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const entry of use) {
    if (isLintCategory(entry)) for (const rule of LINT_RULES) if (rule.category === entry) out.add(rule.id);
    if (BY_ID.has(entry)) out.add(entry);
  }
  for (const entry of except) {
    if (isLintCategory(entry))
      for (const rule of LINT_RULES) if (rule.category === entry) out.delete(rule.id);
    out.delete(entry);
  }
  return out;
}
