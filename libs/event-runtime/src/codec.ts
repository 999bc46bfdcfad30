// The codec object a generated event module exports (`defineEvent`): the event's metadata plus a typed codec over
// one avsc Type, built on first use. Consumers such as the SDK rely only on the EventCodec interface, so a codec
// made by another copy or version of this package works with them as long as the interface holds.
import type { Type } from 'avsc';
import { avroTypeOptions, createType } from './avro-type.ts';
import type { AvroSchemaJson, AvroTypeOptions } from './avro-type.ts';
import { EventCodecError } from './errors.ts';
import type { LongRepresentation } from './longs.ts';
import { formatErrors, validateValue } from './validate.ts';
import { checkedWriter } from './writer.ts';
import type { ValidateOptions, ValidationResult } from './validate.ts';

/** The const object generated for each event: metadata plus a typed codec over one avsc Type. */
export interface EventCodec<Value, Input = Value> {
  readonly subject: string;
  readonly topic: string | undefined;
  /** Full name of the root named type; undefined when the root schema is not named. */
  readonly fullname: string | undefined;
  /** Self-contained schema JSON: named types from other files are inlined, so avsc parses it standalone. */
  readonly schema: AvroSchemaJson;
  readonly longs: LongRepresentation;
  /** The avsc Type, created on first use with `wrapUnions: 'auto'` and the logical types wired. */
  readonly type: Type;
  validate(value: unknown, options?: ValidateOptions): ValidationResult;
  isValid(value: unknown): value is Input;
  /** Avro binary; omitted fields that have a default are written with it. Throws EventCodecError on bad input. */
  encode(value: Input): Buffer;
  /**
   * Decodes Avro binary written with this exact schema. Records come back as avsc record instances. A valid
   * value this class cannot represent (a long beyond ±(2^53−1) with number longs, a timestamp beyond a Date)
   * is an EventCodecError whose cause is an AvroRangeError, never a different value.
   */
  decode(buffer: Uint8Array): Value;
  /**
   * avsc options to parse other schemas of this event (writer versions) into this class's values (`class`),
   * or into `lossless` values: longs as numbers when safe and bigints beyond, logical types not applied.
   */
  avroOptions(values?: 'class' | 'lossless'): AvroTypeOptions;
}

export interface EventDefinition {
  subject: string;
  topic: string | undefined;
  fullname: string | undefined;
  schema: AvroSchemaJson;
  longs: LongRepresentation;
}

/** Where `encode` writes before copying out the exact bytes; grows to the largest value seen. */
let scratch = Buffer.allocUnsafe(4096);

class Codec<Value, Input> implements EventCodec<Value, Input> {
  readonly subject: string;
  readonly topic: string | undefined;
  readonly fullname: string | undefined;
  readonly schema: AvroSchemaJson;
  readonly longs: LongRepresentation;
  #type: Type | undefined;

  constructor(definition: EventDefinition) {
    this.subject = definition.subject;
    this.topic = definition.topic;
    this.fullname = definition.fullname;
    this.schema = definition.schema;
    this.longs = definition.longs;
  }

  get type(): Type {
    this.#type ??= createType(this.schema, this.longs);
    return this.#type;
  }

  validate(value: unknown, options?: ValidateOptions): ValidationResult {
    return validateValue(this.type, value, options);
  }

  isValid(value: unknown): value is Input {
    try {
      return this.type.isValid(value);
    } catch {
      return false;
    }
  }

  encode(value: Input): Buffer {
    const write = checkedWriter(this.type);
    if (write !== undefined) {
      let end = -1;
      try {
        end = write(value, scratch, 0);
        if (end > scratch.length) {
          scratch = Buffer.allocUnsafe(2 * end);
          end = write(value, scratch, 0);
        }
      } catch {
        // a throwing getter, say: the validator below reports it as avsc would
      }
      if (end >= 0) return Buffer.from(scratch.subarray(0, end));
    }
    // Refused by the one-pass writer: avsc decides, and the validator names every bad path.
    if (!this.isValid(value)) {
      const { errors } = this.validate(value);
      throw new EventCodecError('INVALID_VALUE', `invalid ${this.subject} value: ${formatErrors(errors)}`, {
        subject: this.subject,
        errors,
      });
    }
    return this.type.toBuffer(value);
  }

  avroOptions(values: 'class' | 'lossless' = 'class'): AvroTypeOptions {
    return avroTypeOptions(values === 'class' ? this.longs : 'lossless');
  }

  decode(buffer: Uint8Array): Value {
    const bytes = Buffer.isBuffer(buffer)
      ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    try {
      return this.type.fromBuffer(bytes) as Value;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EventCodecError('DECODE_FAILED', `cannot decode ${this.subject}: ${reason}`, {
        subject: this.subject,
        cause: error,
      });
    }
  }
}

/** Creates the codec object a generated event module exports; the avsc Type is built on first use. */
export function defineEvent<Value, Input = Value>(definition: EventDefinition): EventCodec<Value, Input> {
  return new Codec<Value, Input>(definition);
}
