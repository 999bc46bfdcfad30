// Strict JSON parser that remembers where every value and member key starts, so findings can point at the
// exact token. JSON.parse cannot do that and silently accepts duplicate keys, which in a schema hide fields.

import { AvroError } from '../errors.ts';
import { escapePointerSegment, parentPointer } from './pointer.ts';
import type { JsonObject, JsonValue, SourcePosition } from './types.ts';

/** A position resolved for a pointer, saying which pointer actually supplied it. */
export interface ResolvedPosition extends SourcePosition {
  /** The pointer whose position this is: the one asked for, or its nearest existing ancestor. */
  pointer: string;
  exact: boolean;
}

/** Start positions of values and member keys, keyed by JSON pointer. */
export class JsonPositions {
  /** Where each value starts (`/fields/2/type` → the first character of that value). */
  readonly values = new Map<string, SourcePosition>();
  /** Where each object member's key starts (`/fields/2/type` → the `"` of `"type"`). */
  readonly keys = new Map<string, SourcePosition>();

  /**
   * The position of the value at `pointer`, falling back to the nearest ancestor that exists (a missing
   * `doc` is reported at the record that lacks it). The root always exists once parsing succeeded.
   */
  positionOf(pointer: string): ResolvedPosition {
    let current: string | undefined = pointer;
    while (current !== undefined) {
      const found = this.values.get(current);
      if (found) return { ...found, pointer: current, exact: current === pointer };
      current = parentPointer(current);
    }
    return { line: 1, column: 1, offset: 0, pointer: '', exact: false };
  }

  /** The position of the key naming the member at `pointer`, else the value's (or an ancestor's) position. */
  keyPositionOf(pointer: string): ResolvedPosition {
    const key = this.keys.get(pointer);
    if (key) return { ...key, pointer, exact: true };
    return this.positionOf(pointer);
  }
}

export interface ParsedJson {
  value: JsonValue;
  positions: JsonPositions;
}

export interface ParseJsonOptions {
  /** File name carried into syntax errors. */
  file?: string;
}

const MAX_DEPTH = 512;

/** Parses strict JSON (RFC 8259; a leading byte-order mark is skipped) and records positions. */
export function parseJsonWithPositions(text: string, options: ParseJsonOptions = {}): ParsedJson {
  const parser = new Parser(text, options.file);
  const value = parser.parseDocument();
  return { value, positions: parser.positions };
}

const CH = {
  TAB: 0x09,
  LF: 0x0a,
  CR: 0x0d,
  SPACE: 0x20,
  QUOTE: 0x22,
  COMMA: 0x2c,
  MINUS: 0x2d,
  DOT: 0x2e,
  SLASH: 0x2f,
  ZERO: 0x30,
  NINE: 0x39,
  COLON: 0x3a,
  LBRACKET: 0x5b,
  BACKSLASH: 0x5c,
  RBRACKET: 0x5d,
  LBRACE: 0x7b,
  RBRACE: 0x7d,
} as const;

class Parser {
  readonly positions = new JsonPositions();
  private readonly text: string;
  private readonly file: string | undefined;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Surrogate pairs already passed on the current line: each is two UTF-16 units but one column. */
  private lineAstral = 0;
  private currentPointer = '';

  constructor(text: string, file: string | undefined) {
    this.text = text;
    this.file = file;
  }

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail('Unexpected end of input: expected a JSON value');
    const value = this.parseValue('', 0);
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail(`Unexpected ${this.describeHere()} after the JSON value: expected end of input`);
    }
    return value;
  }

  private here(): SourcePosition {
    return { line: this.line, column: this.pos - this.lineStart - this.lineAstral + 1, offset: this.pos };
  }

  private fail(message: string, at: SourcePosition = this.here()): never {
    throw new AvroError('JSON_SYNTAX', message, {
      context: { file: this.file, line: at.line, column: at.column, path: this.currentPointer },
    });
  }

  private skipWhitespace(): void {
    const text = this.text;
    const length = text.length;
    let pos = this.pos;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === CH.SPACE || c === CH.TAB) {
        pos++;
      } else if (c === CH.LF) {
        pos++;
        this.newLine(pos);
      } else if (c === CH.CR) {
        pos++;
        if (text.charCodeAt(pos) === CH.LF) pos++;
        this.newLine(pos);
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  private newLine(start: number): void {
    this.line++;
    this.lineStart = start;
    this.lineAstral = 0;
  }

  /** A short rendering of the token at the cursor for error messages. */
  private describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    const c = this.text.charCodeAt(this.pos);
    if (isWordChar(c)) {
      let end = this.pos;
      while (end < this.text.length && end - this.pos < 32 && isWordChar(this.text.charCodeAt(end))) end++;
      return `token '${this.text.slice(this.pos, end)}'`;
    }
    const ch = String.fromCodePoint(this.text.codePointAt(this.pos) ?? c);
    if (c < 0x20) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return `character '${ch}'`;
  }

  private parseValue(pointer: string, depth: number): JsonValue {
    this.currentPointer = pointer;
    this.positions.values.set(pointer, this.here());
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case CH.LBRACE:
        return this.parseObject(pointer, depth + 1);
      case CH.LBRACKET:
        return this.parseArray(pointer, depth + 1);
      case CH.QUOTE:
        return this.parseString();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      default:
        if (c === CH.MINUS || (c >= CH.ZERO && c <= CH.NINE)) return this.parseNumber();
        if (c === CH.SLASH) this.fail('Comments are not allowed in JSON');
        if (c === 0x27) this.fail(`Unexpected character "'": strings must use double quotes`);
        if (Number.isNaN(c)) this.fail('Unexpected end of input: expected a JSON value');
        this.fail(`Unexpected ${this.describeHere()}: expected a JSON value`);
    }
  }

  private parseObject(pointer: string, depth: number): JsonObject {
    if (depth > MAX_DEPTH) this.fail(`Nesting deeper than ${MAX_DEPTH} levels`);
    const open = this.here();
    const object: JsonObject = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CH.RBRACE) {
      this.pos++;
      return object;
    }
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== CH.QUOTE) {
        if (Number.isNaN(c))
          this.fail(`Unexpected end of input: object opened at ${open.line}:${open.column} is not closed`);
        if (c === CH.RBRACE) this.fail(`Unexpected character '}': expected an object key`);
        if (c === CH.SLASH) this.fail('Comments are not allowed in JSON');
        this.fail(`Unexpected ${this.describeHere()}: expected an object key in double quotes`);
      }
      const keyPosition = this.here();
      const key = this.parseString();
      const memberPointer = pointer + '/' + escapePointerSegment(key);
      if (Object.hasOwn(object, key)) {
        const first = this.positions.keys.get(memberPointer);
        const where = first ? ` (first defined at ${first.line}:${first.column})` : '';
        this.currentPointer = memberPointer;
        this.fail(`Duplicate key ${JSON.stringify(key)}${where}`, keyPosition);
      }
      this.positions.keys.set(memberPointer, keyPosition);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== CH.COLON) {
        this.currentPointer = memberPointer;
        this.fail(`Unexpected ${this.describeHere()}: expected ':' after key ${JSON.stringify(key)}`);
      }
      this.pos++;
      this.skipWhitespace();
      if (this.pos >= this.text.length)
        this.fail(`Unexpected end of input: expected a value for key ${JSON.stringify(key)}`);
      const value = this.parseValue(memberPointer, depth);
      if (key === '__proto__') {
        // A plain assignment would replace the prototype instead of creating the member.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        object[key] = value;
      }
      this.currentPointer = pointer;
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === CH.COMMA) {
        const comma = this.here();
        this.pos++;
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) === CH.RBRACE) this.fail(`Trailing comma before '}'`, comma);
        continue;
      }
      if (next === CH.RBRACE) {
        this.pos++;
        return object;
      }
      if (Number.isNaN(next))
        this.fail(`Unexpected end of input: object opened at ${open.line}:${open.column} is not closed`);
      this.fail(`Unexpected ${this.describeHere()}: expected ',' or '}' after an object member`);
    }
  }

  private parseArray(pointer: string, depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) this.fail(`Nesting deeper than ${MAX_DEPTH} levels`);
    const open = this.here();
    const array: JsonValue[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CH.RBRACKET) {
      this.pos++;
      return array;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) === CH.COMMA)
        this.fail(`Unexpected character ',': expected a JSON value`);
      if (this.pos >= this.text.length)
        this.fail(`Unexpected end of input: array opened at ${open.line}:${open.column} is not closed`);
      array.push(this.parseValue(pointer + '/' + array.length, depth));
      this.currentPointer = pointer;
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === CH.COMMA) {
        const comma = this.here();
        this.pos++;
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) === CH.RBRACKET) this.fail(`Trailing comma before ']'`, comma);
        continue;
      }
      if (next === CH.RBRACKET) {
        this.pos++;
        return array;
      }
      if (Number.isNaN(next))
        this.fail(`Unexpected end of input: array opened at ${open.line}:${open.column} is not closed`);
      this.fail(`Unexpected ${this.describeHere()}: expected ',' or ']' after an array element`);
    }
  }

  /** Parses the string at the cursor (which is on the opening quote). */
  private parseString(): string {
    const text = this.text;
    const length = text.length;
    const start = this.here();
    let pos = this.pos + 1;
    let chunkStart = pos;
    let out = '';
    for (;;) {
      if (pos >= length) {
        this.pos = pos;
        this.fail(`Unterminated string starting at ${start.line}:${start.column}`);
      }
      const c = text.charCodeAt(pos);
      if (c === CH.QUOTE) {
        out += text.slice(chunkStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c === CH.BACKSLASH) {
        out += text.slice(chunkStart, pos);
        this.pos = pos;
        out += this.parseEscape();
        pos = this.pos;
        chunkStart = pos;
        continue;
      }
      if (c < 0x20) {
        this.pos = pos;
        if (c === CH.LF || c === CH.CR)
          this.fail(
            `Unterminated string starting at ${start.line}:${start.column}: line break inside a string`,
          );
        this.fail(`Unescaped control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in string`);
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        const low = text.charCodeAt(pos + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          this.lineAstral++;
          pos += 2;
          continue;
        }
      }
      pos++;
    }
  }

  /** Decodes the escape at the cursor (on the backslash) and leaves the cursor after it. */
  private parseEscape(): string {
    const c = this.text.charCodeAt(this.pos + 1);
    switch (c) {
      case 0x22:
        this.pos += 2;
        return '"';
      case 0x5c:
        this.pos += 2;
        return '\\';
      case 0x2f:
        this.pos += 2;
        return '/';
      case 0x62:
        this.pos += 2;
        return '\b';
      case 0x66:
        this.pos += 2;
        return '\f';
      case 0x6e:
        this.pos += 2;
        return '\n';
      case 0x72:
        this.pos += 2;
        return '\r';
      case 0x74:
        this.pos += 2;
        return '\t';
      case 0x75: {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          this.fail(`Invalid unicode escape '\\u${hex.replace(/["\r\n].*$/s, '')}': expected 4 hex digits`);
        this.pos += 6;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default: {
        if (Number.isNaN(c)) {
          this.pos++;
          this.fail('Unexpected end of input inside a string escape');
        }
        const ch = String.fromCodePoint(this.text.codePointAt(this.pos + 1) ?? c);
        this.fail(`Invalid escape sequence '\\${ch}'`);
      }
    }
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === CH.MINUS) pos++;
    const firstDigit = text.charCodeAt(pos);
    if (!isDigit(firstDigit)) {
      this.pos = pos;
      this.fail(`Unexpected ${this.describeHere()}: expected a digit after '-'`);
    }
    if (firstDigit === CH.ZERO) {
      pos++;
      if (isDigit(text.charCodeAt(pos))) {
        this.pos = start;
        this.fail('Numbers must not have leading zeros');
      }
    } else {
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (text.charCodeAt(pos) === CH.DOT) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) {
        this.pos = pos;
        this.fail(`Unexpected ${this.describeHere()}: expected a digit after the decimal point`);
      }
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === CH.MINUS) pos++;
      if (!isDigit(text.charCodeAt(pos))) {
        this.pos = pos;
        this.fail(`Unexpected ${this.describeHere()}: expected a digit in the exponent`);
      }
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (isWordChar(text.charCodeAt(pos))) {
      this.pos = start;
      let end = pos;
      while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
      this.fail(`Invalid number '${text.slice(start, end)}'`);
    }
    this.pos = pos;
    return Number(text.slice(start, pos));
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos) && !isWordChar(this.text.charCodeAt(this.pos + word.length))) {
      this.pos += word.length;
      return value;
    }
    this.fail(`Unexpected ${this.describeHere()}: expected a JSON value`);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x2d ||
    c === 0x2b ||
    c === 0x2e
  );
}
