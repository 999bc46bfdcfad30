// How the sink reads a topic's records: a record written with the event class's own schema is checked and
// handed on still encoded, for the Parquet writer to store straight from its bytes; any other record (an
// older or newer writer schema, a body the direct reader declines) is decoded by the SDK to lossless values
// as before. Both store the same values: test/records.test.ts compares the files they write.
import { HEADER_SIZE, readSchemaId } from '@adlake/sdk';
import type { DecodeResult, WireDecoder } from '@adlake/sdk';
import { compileDirectReader, EncodedRecord, SinkError } from '@adlake/sink';
import type { DailyPartitioner, Placement } from '@adlake/sink';

export type RecordDecode = (value: Buffer | null) => DecodeResult<unknown>;

/**
 * The decode of one topic. `decoder` must read lossless values (the row path); `schema` is the event class's
 * schema, the same object the topic's Parquet writers are opened with.
 */
export function recordDecoder(
  decoder: WireDecoder<unknown>,
  schema: unknown,
  timestampField: string,
): RecordDecode {
  const reader = compileDirectReader(schema, timestampField);
  if (reader === undefined) return (value) => decoder.decodeSync(value);
  const decode = (bytes: Buffer): unknown => {
    const result = decoder.decodeSync(bytes);
    if (result.ok) return result.value;
    // The direct reader accepts only bodies the decoder reads: this would be a bug, never a record's fault.
    throw new SinkError('DECODE_FAILED', `a checked record does not decode: ${result.reason}`);
  };
  return (value) => {
    if (
      value !== null &&
      decoder.writtenWithReaderSchema(readSchemaId(value)) &&
      reader.check(value, HEADER_SIZE, value.length)
    ) {
      const schemaId = value.readUInt32BE(1);
      return {
        ok: true,
        value: new EncodedRecord(reader, value, HEADER_SIZE, reader.time, decode),
        schemaId,
      };
    }
    return decoder.decodeSync(value);
  };
}

/** The day bucket of a decoded record, encoded or not. */
export function placeRecord(
  partitioner: DailyPartitioner,
  value: unknown,
  kafkaTimestamp: number,
): Placement {
  return value instanceof EncodedRecord
    ? partitioner.placeAt(value.time, kafkaTimestamp)
    : partitioner.place(value, kafkaTimestamp);
}
