"""Produces records with Confluent's Python client: SerializingProducer + AvroSerializer (fastavro inside).

Reads one JSON job from stdin:
  {"bootstrap", "registry_url", "topic", "subject", "compression", "records": [...]}
Records use tagged JSON for what JSON cannot carry exactly: {"$i": "123"} an integer of any size,
{"$f": "<16 hex digits>"} a double by its IEEE 754 bits, {"$b": "<hex>"} bytes, {"$d": "1.50"} a decimal.
The serializer uses the subject's latest registered schema (with its references), as a team using
Confluent's clients against schemas registered by the release step would. Prints {"produced": n}.
"""

import json
import struct
import sys
from decimal import Decimal

from confluent_kafka import SerializingProducer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer


def untag(value):
    if isinstance(value, list):
        return [untag(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "$i":
                return int(inner)
            if key == "$f":
                return struct.unpack(">d", bytes.fromhex(inner))[0]
            if key == "$b":
                return bytes.fromhex(inner)
            if key == "$d":
                return Decimal(inner)
        return {k: untag(v) for k, v in value.items()}
    return value


def main():
    job = json.load(sys.stdin)
    registry = SchemaRegistryClient({"url": job["registry_url"], "timeout": 10})
    subject = job["subject"]
    serializer = AvroSerializer(
        registry,
        None,
        None,
        {
            "auto.register.schemas": False,
            "use.latest.version": True,
            "subject.name.strategy": lambda ctx, record_name: subject,
        },
    )
    producer = SerializingProducer(
        {
            "bootstrap.servers": job["bootstrap"],
            "compression.type": job["compression"],
            "enable.idempotence": True,
            "linger.ms": 20,
            "value.serializer": serializer,
        }
    )
    errors = []

    def delivered(err, _msg):
        if err is not None:
            errors.append(str(err))

    for record in job["records"]:
        producer.produce(job["topic"], value=untag(record), on_delivery=delivered)
        producer.poll(0)
    remaining = producer.flush(60)
    if errors or remaining:
        print(json.dumps({"errors": errors[:5], "undelivered": remaining}), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"produced": len(job["records"])}))


if __name__ == "__main__":
    main()
