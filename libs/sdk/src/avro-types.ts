// avsc Types derived from a generated class: the producer's encoding type. The options (logical types, exact
// long and promotion types) come from the class's own runtime, so the SDK never reads avsc internals and
// every long it writes or reads goes through the same exact code as the class.
import avro from 'avsc';
import type { Type } from 'avsc';
import type { AvroTypeOptions } from '@adlake/events';

type AnyEventClass = {
  readonly schema: unknown;
  readonly type: Type;
  avroOptions(values?: 'class' | 'lossless'): AvroTypeOptions;
};

const encodingTypes = new WeakMap<object, Type>();

/**
 * The type the producer writes with, once the value has been validated by the class: the class's own type but
 * with `uuid` as a plain string. Same bytes (uuid is a string on the wire); it skips the uuid pattern check that
 * validation already ran, which is a sixth of the encoding time of an AdImpression.
 */
export function encodingType(eventClass: AnyEventClass): Type {
  let type = encodingTypes.get(eventClass);
  if (type === undefined) {
    const options = eventClass.avroOptions('class');
    const logicalTypes = { ...options.logicalTypes };
    delete logicalTypes['uuid'];
    try {
      type = avro.Type.forSchema(eventClass.schema as Parameters<typeof avro.Type.forSchema>[0], {
        ...options,
        logicalTypes,
      });
    } catch {
      type = eventClass.type;
    }
    encodingTypes.set(eventClass, type);
  }
  return type;
}
