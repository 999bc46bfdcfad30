// avsc Types derived from a generated class: the producer's encoding type. It is built by the runtime from the
// class's schema and long representation, so the SDK never assembles avsc options itself and every long it
// writes goes through the same exact code as the class.
import type { Type } from 'avsc';
import { createType, SUPPORTED_LOGICAL_TYPES } from '@adlake/event-runtime';
import type { EventCodec } from '@adlake/event-runtime';

type AnyEventClass = Pick<EventCodec<unknown, never>, 'schema' | 'longs' | 'type'>;

// uuid is a string on the wire: writing it as one gives the same bytes without a second pattern check.
const ENCODING_LOGICAL_TYPES = SUPPORTED_LOGICAL_TYPES.filter((name) => name !== 'uuid');

const encodingTypes = new WeakMap<object, Type>();

/**
 * The type the producer writes with, once the value has been validated by the class: the class's own type but
 * with `uuid` as a plain string. Same bytes (uuid is a string on the wire); it skips the uuid pattern check that
 * validation already ran, which is a sixth of the encoding time of an AdImpression.
 */
export function encodingType(eventClass: AnyEventClass): Type {
  let type = encodingTypes.get(eventClass);
  if (type === undefined) {
    try {
      type = createType(eventClass.schema, eventClass.longs, { logicalTypes: ENCODING_LOGICAL_TYPES });
    } catch {
      // The class's own type is always right, only slower.
      type = eventClass.type;
    }
    encodingTypes.set(eventClass, type);
  }
  return type;
}
