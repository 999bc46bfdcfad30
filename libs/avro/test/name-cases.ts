// The name-resolution rules of docs/names.md as one table. Every consumer that reads names runs it: the
// walk and the typed model here, the workspace (governance), codegen's resolver and the sink's schema reader,
// so the rule is proven the same everywhere. Exported as `@adlake/avro/name-cases`.
//
// Each schema is a whole document whose root is a record; every record has a field and nothing is recursive,
// so readers with narrower needs (the sink stores records as Parquet groups) can run every case too.

export type NameErrorCode = 'AVRO_INVALID' | 'UNKNOWN_NAMED_TYPE' | 'DUPLICATE_NAME';

export interface NameCase {
  /** What the case shows; the test title. */
  title: string;
  /** The rule of docs/names.md it exercises (`order`: a document is read in order). */
  rule: '1' | '2' | '3' | '4' | '5' | '6' | 'order' | 'duplicate' | 'syntax';
  schema: unknown;
  /** Valid: the full names the document defines, in document order. */
  defines?: string[];
  /** Valid: the full name each reference by name resolves to, in document order. */
  references?: string[];
  /** Valid: the aliases of named types, as full names, by the type's full name. */
  aliases?: Record<string, string[]>;
  /** Valid: the aliases of fields, by `<record full name>/<field>`. */
  fieldAliases?: Record<string, string[]>;
  /** Invalid: the code and a fragment of the message every reader gives. */
  error?: { code: NameErrorCode; message: string };
}

type Json = Record<string, unknown>;

const record = (name: string, fields: Json[], extra: Json = {}): Json => ({
  type: 'record',
  name,
  ...extra,
  fields,
});
const field = (name: string, type: unknown, extra: Json = {}): Json => ({ name, type, ...extra });
const fixed = (name: string, extra: Json = {}): Json => ({ type: 'fixed', name, size: 4, ...extra });
const enumType = (name: string, extra: Json = {}): Json => ({ type: 'enum', name, symbols: ['A'], ...extra });

export const NAME_CASES: readonly NameCase[] = [
  // Rule 1: the full name of a definition.
  {
    title: 'a simple name takes its namespace',
    rule: '1',
    schema: record('R', [field('x', 'int')], { namespace: 'a' }),
    defines: ['a.R'],
  },
  {
    title: 'a dotted name is already full; a namespace attribute next to it is ignored',
    rule: '1',
    schema: record('b.c.R', [field('x', 'int')], { namespace: 'a' }),
    defines: ['b.c.R'],
  },
  {
    title: 'a document without namespaces is in the null namespace, and so are its nested types',
    rule: '1',
    schema: record('R', [field('x', fixed('F')), field('y', 'F')]),
    defines: ['R', 'F'],
    references: ['F'],
  },
  {
    title: 'a nested type inherits the enclosing namespace',
    rule: '1',
    schema: record('R', [field('x', fixed('F')), field('y', enumType('E'))], { namespace: 'a' }),
    defines: ['a.R', 'a.F', 'a.E'],
  },
  {
    title: 'namespace "" inside a namespaced parent is the null namespace, for the type and its children',
    rule: '1',
    schema: record(
      'R',
      [field('x', record('S', [field('y', fixed('F')), field('z', 'F')], { namespace: '' }))],
      { namespace: 'a' },
    ),
    defines: ['a.R', 'S', 'F'],
    references: ['F'],
  },
  {
    title: "a dotted name inside a namespaced record: the dotted name's namespace applies to its children",
    rule: '1',
    schema: record(
      'R',
      [field('x', record('b.S', [field('y', fixed('F')), field('w', 'F')])), field('z', 'b.F')],
      { namespace: 'a' },
    ),
    defines: ['a.R', 'b.S', 'b.F'],
    references: ['b.F', 'b.F'],
  },
  {
    title: 'an explicit namespace applies to the children of the type',
    rule: '1',
    schema: record('R', [field('x', record('S', [field('y', fixed('F'))], { namespace: 'b.c' }))], {
      namespace: 'a',
    }),
    defines: ['a.R', 'b.c.S', 'b.c.F'],
  },
  {
    title: '"namespace": null inside a namespace is refused (Avro Java and avsc read it differently)',
    rule: '1',
    schema: record('R', [field('x', fixed('F', { namespace: null }))], { namespace: 'a' }),
    error: { code: 'AVRO_INVALID', message: '"namespace": null inside namespace "a" is refused' },
  },
  {
    title: '"namespace": null where the null namespace encloses it is the null namespace (all agree)',
    rule: '1',
    schema: record('R', [field('x', fixed('F', { namespace: null })), field('y', 'F')], { namespace: null }),
    defines: ['R', 'F'],
    references: ['F'],
  },

  // Rule 2: references.
  {
    title: 'a simple reference resolves in the enclosing namespace',
    rule: '2',
    schema: record('R', [field('x', fixed('F')), field('y', 'F'), field('z', ['null', 'F'])], {
      namespace: 'a',
    }),
    defines: ['a.R', 'a.F'],
    references: ['a.F', 'a.F'],
  },
  {
    title: 'a full-name reference reaches another namespace',
    rule: '2',
    schema: record('R', [field('x', fixed('F')), field('y', record('b.S', [field('z', 'a.F')]))], {
      namespace: 'a',
    }),
    defines: ['a.R', 'a.F', 'b.S'],
    references: ['a.F'],
  },
  {
    title: 'a simple reference from another namespace does not find the type: Foo in b is b.Foo, not a.Foo',
    rule: '2',
    schema: record('R', [field('x', fixed('Foo')), field('y', record('b.S', [field('z', 'Foo')]))], {
      namespace: 'a',
    }),
    error: { code: 'UNKNOWN_NAMED_TYPE', message: 'Unknown named type "b.Foo"' },
  },
  {
    title: 'a reference before the definition is refused (a schema is read in order)',
    rule: 'order',
    schema: record('R', [field('x', 'F'), field('y', fixed('F'))], { namespace: 'a' }),
    error: {
      code: 'UNKNOWN_NAMED_TYPE',
      message: 'Named type "a.F" is used before its definition',
    },
  },

  // Rule 3: no fallback to the null namespace.
  {
    title: 'from inside a namespace, a null-namespace type cannot be named; the error says where it is',
    rule: '3',
    schema: record('R', [field('x', fixed('Money', { namespace: '' })), field('y', 'Money')], {
      namespace: 'a',
    }),
    error: {
      code: 'UNKNOWN_NAMED_TYPE',
      message:
        'Unknown named type "a.Money"; "Money" is in the null namespace, which a name inside a namespace never falls back to',
    },
  },

  // Rule 4: a leading dot is not a name.
  {
    title: 'a reference with a leading dot is refused',
    rule: '4',
    schema: record('R', [field('x', fixed('Money', { namespace: '' })), field('y', '.Money')], {
      namespace: 'a',
    }),
    error: {
      code: 'AVRO_INVALID',
      message: 'Unknown type ".Money": not a primitive, complex or valid named type',
    },
  },
  {
    title: 'a definition named with a leading dot is refused',
    rule: '4',
    schema: record('R', [field('x', fixed('.Money'))], { namespace: 'a' }),
    error: { code: 'AVRO_INVALID', message: 'Invalid fixed name ".Money": each part must match' },
  },
  {
    title: 'an invalid part in a dotted name is refused',
    rule: 'syntax',
    schema: record('a.1R', [field('x', 'int')]),
    error: { code: 'AVRO_INVALID', message: 'Invalid record name "a.1R": each part must match' },
  },
  {
    title: 'a name ending in a dot is refused',
    rule: 'syntax',
    schema: record('R', [field('x', enumType('a.'))]),
    error: { code: 'AVRO_INVALID', message: 'Invalid enum name "a.": each part must match' },
  },
  {
    title: 'an empty part in a namespace is refused',
    rule: 'syntax',
    schema: record('R', [field('x', 'int')], { namespace: 'a..b' }),
    error: { code: 'AVRO_INVALID', message: 'Invalid namespace "a..b": dot-separated parts must match' },
  },
  {
    title: 'an invalid field name is refused',
    rule: 'syntax',
    schema: record('R', [field('a-b', 'int')], { namespace: 'a' }),
    error: { code: 'AVRO_INVALID', message: 'Invalid field name "a-b"' },
  },

  // Rule 5: aliases.
  {
    title: "type aliases take the type's namespace when relative and are full when dotted",
    rule: '5',
    schema: record(
      'R',
      [field('x', fixed('F', { namespace: 'c', aliases: ['G', 'd.H'] })), field('y', 'c.F')],
      { namespace: 'a', aliases: ['Old', 'b.Older'] },
    ),
    defines: ['a.R', 'c.F'],
    references: ['c.F'],
    aliases: { 'a.R': ['a.Old', 'b.Older'], 'c.F': ['c.G', 'd.H'] },
  },
  {
    title: 'field aliases are plain names, never qualified',
    rule: '5',
    schema: record('R', [field('x', 'int', { aliases: ['y', 'old_x'] })], { namespace: 'a' }),
    defines: ['a.R'],
    fieldAliases: { 'a.R/x': ['y', 'old_x'] },
  },
  {
    title: 'a type alias with a leading dot is refused',
    rule: '5',
    schema: record('R', [field('x', 'int')], { namespace: 'a', aliases: ['.Old'] }),
    error: { code: 'AVRO_INVALID', message: 'Invalid alias ".Old": each part must match' },
  },

  // Rule 6: primitives.
  {
    title: 'a primitive type name cannot be redefined',
    rule: '6',
    schema: record('R', [field('x', fixed('int'))]),
    error: { code: 'AVRO_INVALID', message: 'Primitive type name "int" cannot be redefined' },
  },
  {
    title: 'not in a namespace either',
    rule: '6',
    schema: record('R', [field('x', fixed('long'))], { namespace: 'a' }),
    error: { code: 'AVRO_INVALID', message: 'Primitive type name "long" cannot be redefined' },
  },

  // One definition per full name.
  {
    title: 'a full name defined twice is refused',
    rule: 'duplicate',
    schema: record('R', [field('x', fixed('F')), field('y', fixed('F', { size: 8 }))], { namespace: 'a' }),
    error: { code: 'DUPLICATE_NAME', message: 'Named type "a.F" is defined twice' },
  },
  {
    title: 'also when the two definitions spell it differently',
    rule: 'duplicate',
    schema: record('R', [field('x', fixed('F')), field('y', enumType('a.F'))], { namespace: 'a' }),
    error: { code: 'DUPLICATE_NAME', message: 'Named type "a.F" is defined twice' },
  },
];
