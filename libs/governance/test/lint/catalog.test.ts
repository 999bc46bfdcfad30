import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LINT_CATEGORIES, LINT_RULES, ruleInfo, selectRules } from '../../src/lint/catalog.ts';

describe('lint catalog', () => {
  it('has unique UPPER_SNAKE_CASE ids in known categories', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of LINT_RULES) {
      assert.match(rule.id, /^[A-Z][A-Z_]*[A-Z]$/);
      assert.ok((LINT_CATEGORIES as readonly string[]).includes(rule.category));
    }
    assert.equal(ruleInfo('FIELD_LOWER_SNAKE_CASE')?.category, 'STYLE');
    assert.equal(ruleInfo('NOPE'), undefined);
  });

  it('selects categories and ids, minus exceptions', () => {
    assert.deepEqual([...selectRules(['EVENT'], [])], ['EVENT_ID_REQUIRED', 'EVENT_TIME_REQUIRED']);
    assert.deepEqual(
      [...selectRules(['EVENT', 'FIELD_DOC_REQUIRED'], ['EVENT_TIME_REQUIRED'])],
      ['EVENT_ID_REQUIRED', 'FIELD_DOC_REQUIRED'],
    );
    assert.equal(selectRules([...LINT_CATEGORIES], ['STYLE']).has('FIELD_LOWER_SNAKE_CASE'), false);
    assert.equal(selectRules([...LINT_CATEGORIES], []).size, LINT_RULES.length);
  });
});
