"""Reads a topic with Confluent's Python client and AvroDeserializer and prints one JSON line per record.

Usage: consume.py <bootstrap> <registry-url> <topic> <count>
Stops after <count> records (or fails after 60 s). Values are printed with str() for what JSON lacks.
Partitions are assigned, not subscribed: no group join to wait for.
"""

import faulthandler
import json
import sys
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, DeserializingConsumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer


def main():
    bootstrap, registry_url, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    consumer = DeserializingConsumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"adlake-witness-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "value.deserializer": AvroDeserializer(SchemaRegistryClient({"url": registry_url, "timeout": 10})),
        }
    )
    # A hard stop whatever the client is waiting for, with every thread's stack on stderr to say where.
    faulthandler.dump_traceback_later(90, exit=True)
    partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    seen = 0
    deadline = time.time() + 60
    while seen < count:
        if time.time() > deadline:
            print(f"only {seen} of {count} records after 60 s", file=sys.stderr)
            sys.exit(1)
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error() is not None:
            print(str(message.error()), file=sys.stderr)
            sys.exit(1)
        print(json.dumps(message.value(), default=str))
        seen += 1
    consumer.close()


if __name__ == "__main__":
    main()
