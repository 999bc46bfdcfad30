// Public surface of the position-keeping JSON parser.

export { parseJsonWithPositions, JsonPositions } from './parse.ts';
export type { ParsedJson, ParseJsonOptions, ResolvedPosition } from './parse.ts';
export { escapePointerSegment, joinPointer, parsePointer, parentPointer, getAtPointer } from './pointer.ts';
export { isJsonObject } from './types.ts';
export type { JsonValue, JsonObject, SourcePosition } from './types.ts';
