// The value and position types the JSON parser produces, shared by every consumer of parsed schemas.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/** A place in the source text. Line and column are 1-based; columns count Unicode code points. */
export interface SourcePosition {
  line: number;
  column: number;
  /** 0-based UTF-16 offset into the text. */
  offset: number;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
