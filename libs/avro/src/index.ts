// The Avro schema model: every other library asks here what a name means, what a schema's canonical form is and
// where in its JSON a node sits.
export * from './errors.ts';
export * from './json/index.ts';
export {
  AVRO_NAMED_KINDS,
  AVRO_PRIMITIVES,
  isNamedKind,
  isPrimitiveName,
  isValidFullname,
  isValidNamespace,
  isValidSimpleName,
  qualifyName,
  splitFullname,
  type AvroNamedKind,
  type AvroPrimitive,
} from './names.ts';
export {
  walkSchema,
  type FieldNode as WalkedField,
  type NamedTypeNode as WalkedNamedType,
  type ReferenceNode as WalkedReference,
  type SchemaVisitor,
  type UnionNode as WalkedUnion,
  type WalkOptions,
} from './walk.ts';
export {
  PRIMITIVE_TYPES,
  deref,
  parseSchema,
  qualify,
  type ArrayNode,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type Loc,
  type LookupNamedType,
  type MapNode,
  type NamedBase,
  type NamedNode,
  type ParsedSchema,
  type ParseOptions,
  type PrimitiveName,
  type PrimitiveNode,
  type RecordNode,
  type RefNode,
  type ResolvedNode,
  type SchemaNode,
  type UnionNode,
} from './model.ts';
export {
  fingerprint64,
  normalize,
  parsingCanonicalForm,
  sha256Hex,
  type CanonicalOptions,
  type NormalizedSchema,
} from './canonical.ts';
