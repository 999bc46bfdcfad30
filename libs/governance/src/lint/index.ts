// Public surface of lint: the rule catalog and the workspace linter.

export {
  LINT_CATEGORIES,
  LINT_RULES,
  LINT_RULE_IDS,
  isLintCategory,
  ruleInfo,
  selectRules,
} from './catalog.ts';
export type { LintCategory, LintRuleId, RuleInfo } from './catalog.ts';
export { InvalidSchemaError, assertAvroValid, avroValidityFindings, lintWorkspace } from './lint.ts';
export type { LintOptions } from './lint.ts';
export { checkDefault } from './defaults.ts';
export type { DefaultMismatch, NamedTypeLookup } from './defaults.ts';
