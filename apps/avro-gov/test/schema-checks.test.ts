// What a PR check must refuse, and how every error comes out: the CLI as a developer calls it (`npx avro-gov`),
// each case with its exact stdout lines and exit code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gitWorkspace, runBin, tempWorkspace } from './support.ts';
import type { CliResult } from './support.ts';

const lines = (r: CliResult): string[] => r.stdout.split('\n').filter((l) => l !== '');

const OLD = '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"}]}';
const OLD_AB =
  '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}';

describe('compat refuses an ambiguous field match, as the registry does', () => {
  const cases = [
    {
      name: 'an alias equal to the field’s own name',
      old: OLD,
      next: '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int","aliases":["a"]}]}',
      line:
        'new.avsc:1:55 AMBIGUOUS_FIELD_MATCH field "a" of n.R matches more than one field written with the old schema (version 1): ' +
        '"a" by name, "a" again by the alias "a" (an alias equal to the field\'s own name); Avro Java refuses to resolve such a pair, ' +
        'so a Schema Registry rejects the change (remove the alias, or the extra field) (backward, against old.avsc)',
    },
    {
      name: 'an alias naming another field',
      old: OLD_AB,
      next: '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int","aliases":["b"]},{"name":"b","type":"int","default":1}]}',
      line:
        'new.avsc:1:55 AMBIGUOUS_FIELD_MATCH field "a" of n.R matches more than one field written with the old schema (version 1): ' +
        '"a" by name, "b" by alias; Avro Java refuses to resolve such a pair, so a Schema Registry rejects the change ' +
        '(remove the alias, or the extra field) (backward, against old.avsc)',
    },
  ];
  for (const c of cases) {
    test(`${c.name}: exit 1 with AMBIGUOUS_FIELD_MATCH`, (t) => {
      const ws = tempWorkspace({ 'old.avsc': c.old, 'new.avsc': c.next });
      t.after(() => ws.remove());
      const r = runBin(ws.dir, ['compat', '--schema', 'new.avsc', '--previous', 'old.avsc']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(lines(r), [c.line]);
      assert.equal(r.stderr, 'incompatible at BACKWARD\n');
    });
  }

  test('the same check runs against git history (the PR check)', (t) => {
    const file = 'schemas/n/R.avsc';
    const ws = gitWorkspace({ [file]: OLD });
    t.after(() => ws.remove());
    ws.commitAll('v1');
    ws.write(file, cases[0]?.next ?? '');
    const r = runBin(ws.dir, ['compat']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(lines(r).length, 1);
    assert.match(r.stdout, /^schemas\/n\/R\.avsc:1:55 AMBIGUOUS_FIELD_MATCH field "a" of n\.R /);
  });
});

describe('compat refuses a schema Avro refuses to parse, with lint’s rule id and position', () => {
  const cases: Array<{ file: string; schema: string; line: string }> = [
    {
      file: 'BadDefault',
      schema:
        '{"type":"record","name":"BadDefault","namespace":"n","fields":[{"name":"b","type":"int","default":"x"}]}',
      line: '1:99 FIELD_DEFAULT_MATCHES_TYPE Default of field "b" does not match its type: expected a 32-bit integer (int), got "x".',
    },
    {
      file: 'BadName',
      schema: '{"type":"record","name":"Bad-Name","namespace":"n","fields":[{"name":"b","type":"int"}]}',
      line: '1:25 FILE_PARSES_AVRO Invalid record name "Bad-Name": each part must match [A-Za-z_][A-Za-z0-9_]*',
    },
    {
      file: 'DupSymbol',
      schema: '{"type":"enum","name":"DupSymbol","namespace":"n","symbols":["A","A"],"default":"A"}',
      line: '1:66 FILE_PARSES_AVRO Invalid Avro schema: duplicate "n.DupSymbol" symbol: "A"',
    },
    {
      file: 'EnumDefault',
      schema: '{"type":"enum","name":"EnumDefault","namespace":"n","symbols":["A"],"default":"Z"}',
      line: '1:79 ENUM_DEFAULT_VALID Enum default "Z" is not one of the symbols of "EnumDefault".',
    },
    {
      file: 'DupField',
      schema:
        '{"type":"record","name":"DupField","namespace":"n","fields":[{"name":"b","type":"int"},{"name":"b","type":"int"}]}',
      line: '1:96 FILE_PARSES_AVRO Invalid Avro schema: duplicate field name: "b"',
    },
    {
      file: 'DupBranch',
      schema:
        '{"type":"record","name":"DupBranch","namespace":"n","fields":[{"name":"b","type":["int","int"]}]}',
      line: '1:83 FILE_PARSES_AVRO Invalid Avro schema: duplicate union branch name: "int"',
    },
    {
      file: 'BadOrder',
      schema:
        '{"type":"record","name":"BadOrder","namespace":"n","fields":[{"name":"b","type":"int","order":"bogus"}]}',
      line: '1:95 FILE_PARSES_AVRO Invalid Avro schema: invalid order: "bogus"',
    },
  ];
  for (const c of cases) {
    test(`${c.file}: compat exits 2 with the line lint gives`, (t) => {
      const path = `schemas/n/${c.file}.avsc`;
      const ws = tempWorkspace({ [path]: c.schema, 'old.avsc': OLD });
      t.after(() => ws.remove());
      const expected = `${path}:${c.line}`;

      const single = runBin(ws.dir, ['compat', '--schema', path, '--previous', path]);
      assert.equal(single.code, 2, single.stdout + single.stderr);
      assert.deepEqual(lines(single), [expected]);
      assert.equal(single.stderr, 'not checked: not a valid Avro schema\n');

      // As the previous version too: the file at fault is named, whichever side it is on.
      const asPrevious = runBin(ws.dir, ['compat', '--schema', 'old.avsc', '--previous', path]);
      assert.equal(asPrevious.code, 2);
      assert.deepEqual(lines(asPrevious), [expected]);

      const lint = runBin(ws.dir, ['lint']);
      assert.ok(lines(lint).includes(expected), `lint says:\n${lint.stdout}`);
    });
  }

  test('the workspace check refuses them as well, before any verdict', (t) => {
    const ws = gitWorkspace({ 'schemas/n/R.avsc': OLD });
    t.after(() => ws.remove());
    ws.commitAll('v1');
    ws.write(
      'schemas/n/R.avsc',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":"x"}]}',
    );
    const r = runBin(ws.dir, ['compat']);
    assert.equal(r.code, 2);
    assert.deepEqual(lines(r), [
      'schemas/n/R.avsc:1:116 FIELD_DEFAULT_MATCHES_TYPE Default of field "b" does not match its type: expected a 32-bit integer (int), got "x".',
    ]);
  });
});

describe('a JSON syntax error is reported once', () => {
  const broken = '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},]}';
  const line = "schemas/n/R.avsc:1:80 FILE_PARSES_JSON Trailing comma before ']'";
  for (const format of ['text', 'json', 'github'] as const) {
    test(`compat --format ${format}`, (t) => {
      const ws = gitWorkspace({ 'schemas/n/R.avsc': OLD });
      t.after(() => ws.remove());
      ws.commitAll('v1');
      ws.write('schemas/n/R.avsc', broken);
      const r = runBin(ws.dir, ['compat', '--format', format]);
      assert.equal(r.code, 2);
      if (format === 'text') assert.deepEqual(lines(r), [line]);
      if (format === 'github') {
        assert.deepEqual(lines(r), [
          "::error file=schemas/n/R.avsc,line=1,col=80,title=FILE_PARSES_JSON::Trailing comma before ']'",
        ]);
      }
      if (format === 'json') {
        const out = JSON.parse(r.stdout) as { compatible: boolean; findings: { id: string }[] };
        assert.equal(out.compatible, false);
        assert.deepEqual(
          out.findings.map((f) => f.id),
          ['FILE_PARSES_JSON'],
        );
      }
    });
  }
});

describe('a path that does not exist is FILE_NOT_FOUND, exit 2', () => {
  const cases: Array<{ args: string[]; line: string }> = [
    { args: ['lint', 'nope/'], line: 'nope/:1:1 FILE_NOT_FOUND path "nope/" does not exist' },
    { args: ['compat', 'nope/'], line: 'nope/:1:1 FILE_NOT_FOUND path "nope/" does not exist' },
    { args: ['generate', 'nope/'], line: 'nope/:1:1 FILE_NOT_FOUND path "nope/" does not exist' },
    {
      args: ['lint', 'schemas/n/Typo.avsc'],
      line: 'schemas/n/Typo.avsc:1:1 FILE_NOT_FOUND path "schemas/n/Typo.avsc" does not exist',
    },
    {
      args: ['compat', '--schema', 'nope.avsc', '--previous', 'schemas/n/R.avsc'],
      line: "nope.avsc:1:1 FILE_NOT_FOUND cannot read nope.avsc: ENOENT: no such file or directory, open 'nope.avsc'",
    },
    {
      args: ['lint', '--schemas', 'nope'],
      line: 'nope:1:1 FILE_NOT_FOUND schema root "nope" does not exist',
    },
    {
      args: ['compat', '--config', 'nope.json'],
      line: 'nope.json:1:1 FILE_NOT_FOUND config file "nope.json" does not exist',
    },
  ];
  for (const c of cases) {
    test(c.args.join(' '), (t) => {
      const ws = gitWorkspace({ 'schemas/n/R.avsc': OLD });
      t.after(() => ws.remove());
      ws.commitAll('v1');
      const r = runBin(ws.dir, c.args);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.deepEqual(lines(r), [c.line]);
    });
  }

  test('a glob is a pattern and may match nothing', (t) => {
    const ws = tempWorkspace({ 'schemas/n/R.avsc': OLD });
    t.after(() => ws.remove());
    assert.equal(runBin(ws.dir, ['lint', 'schemas/n/Nothing*.avsc']).code, 0);
  });
});

describe('every error comes out in the format asked for, on stdout, with its exit code', () => {
  const cases: Array<{ name: string; args: string[]; code: number; check(stdout: string): void }> = [
    {
      name: 'lint --format json, missing path: a findings array, as lint prints',
      args: ['lint', '--format', 'json', 'nope/'],
      code: 2,
      check: (stdout) =>
        assert.deepEqual(JSON.parse(stdout), [
          {
            file: 'nope/',
            line: 1,
            column: 1,
            id: 'FILE_NOT_FOUND',
            severity: 'error',
            message: 'path "nope/" does not exist',
            path: '',
          },
        ]),
    },
    {
      name: 'compat --format json, missing file: the compat document',
      args: ['compat', '--format', 'json', '--schema', 'nope.avsc', '--previous', 'schemas/n/R.avsc'],
      code: 2,
      check: (stdout) => {
        const out = JSON.parse(stdout) as { compatible: boolean; findings: { id: string; file: string }[] };
        assert.equal(out.compatible, false);
        assert.deepEqual(
          out.findings.map((f) => [f.file, f.id]),
          [['nope.avsc', 'FILE_NOT_FOUND']],
        );
      },
    },
    {
      name: 'compat --format github, missing git base: an annotation',
      args: ['compat', '--format', 'github', '--base', 'release-9'],
      code: 2,
      check: (stdout) =>
        assert.equal(
          stdout,
          '::error title=GIT_ERROR::git base "release-9" does not exist in this repository\n',
        ),
    },
    {
      name: 'lint --format github, unknown option: an annotation',
      args: ['lint', '--format', 'github', '--bogus'],
      code: 2,
      check: (stdout) => assert.equal(stdout, "::error title=USAGE::Unknown option '--bogus'\n"),
    },
    {
      name: 'compat --format json, unknown level',
      args: ['compat', '--format=json', '--level', 'SIDEWAYS'],
      code: 2,
      check: (stdout) => {
        const out = JSON.parse(stdout) as { compatible: boolean; findings: { message: string }[] };
        assert.equal(out.compatible, false);
        assert.match(out.findings[0]?.message ?? '', /SIDEWAYS/);
      },
    },
    {
      name: 'generate, text: the finding line',
      args: ['generate', 'nope/'],
      code: 2,
      check: (stdout) => assert.equal(stdout, 'nope/:1:1 FILE_NOT_FOUND path "nope/" does not exist\n'),
    },
  ];
  for (const c of cases) {
    test(c.name, (t) => {
      const ws = gitWorkspace({ 'schemas/n/R.avsc': OLD });
      t.after(() => ws.remove());
      ws.commitAll('v1');
      const r = runBin(ws.dir, c.args);
      assert.equal(r.code, c.code, r.stdout + r.stderr);
      c.check(r.stdout);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});

describe('names resolve by one rule in every command (docs/names.md)', () => {
  // A namespaced record naming a null-namespace type: Avro Java would fall back, the spec, avsc and fastavro
  // do not; a leading dot is not a name at all.
  const order = (reference: string): string =>
    `{"type":"record","name":"Order","namespace":"n","fields":[{"name":"m","type":{"type":"fixed","name":"Money","namespace":"","size":8}},{"name":"p","type":${JSON.stringify(reference)}}]}`;
  const cases = [
    {
      reference: 'Money',
      line: 'schemas/n/Order.avsc:1:154 NAMED_TYPE_RESOLVES Unknown named type "n.Money"; "Money" is in the null namespace, which a name inside a namespace never falls back to',
    },
    {
      reference: '.Money',
      line: 'schemas/n/Order.avsc:1:154 FILE_PARSES_AVRO Unknown type ".Money": not a primitive, complex or valid named type',
    },
  ];
  const config = JSON.stringify({ version: 1, subjects: [{ schema: 'n.Order', topic: 'orders' }] });
  for (const c of cases) {
    test(`"${c.reference}" from inside namespace n: lint, compat (single, git), generate agree`, (t) => {
      const file = 'schemas/n/Order.avsc';
      const ws = gitWorkspace({ [file]: order('long'), 'schemas/avro-gov.json': config });
      t.after(() => ws.remove());
      ws.commitAll('v1');
      ws.write(file, order(c.reference));
      const runs = {
        lint: runBin(ws.dir, ['lint']),
        single: runBin(ws.dir, ['compat', '--schema', file, '--previous', file]),
        git: runBin(ws.dir, ['compat']),
        generate: runBin(ws.dir, ['generate', '--out', 'out']),
      };
      for (const [command, r] of Object.entries(runs)) {
        const minimal = lines(r).filter((l) => /NAMED_TYPE_RESOLVES|FILE_PARSES_AVRO/.test(l));
        assert.deepEqual(minimal, [c.line], `${command}: ${r.stdout}`);
        assert.equal(r.code, 2, command);
      }
    });
  }

  test('the same type in the enclosing namespace resolves in every command', (t) => {
    const file = 'schemas/n/Order.avsc';
    const inNamespace = order('Money').replace('"namespace":"","size"', '"size"');
    const ws = gitWorkspace({ [file]: inNamespace, 'schemas/avro-gov.json': config });
    t.after(() => ws.remove());
    ws.commitAll('v1');
    const lint = runBin(ws.dir, ['lint']);
    assert.deepEqual(
      lines(lint).filter((l) => /NAMED_TYPE_RESOLVES|FILE_PARSES_AVRO/.test(l)),
      [],
    );
    assert.equal(runBin(ws.dir, ['compat', '--schema', file, '--previous', file]).code, 0);
    assert.equal(runBin(ws.dir, ['compat']).code, 0);
    const generate = runBin(ws.dir, ['generate', '--out', 'out']);
    assert.equal(generate.code, 0, generate.stdout + generate.stderr);
  });
});
