"""Runs the sink's Hive DDL in a real Hive metastore and reads every table through three readers we did not write.

Usage: hive_read.py <work-dir> <spec.json>

spec.json: {"hdfs": "hdfs://127.0.0.1:8020", "webhdfs": "http://127.0.0.1:9870", "user": "adlake",
            "tables": [{"name": "...", "ddl": "CREATE EXTERNAL TABLE ...", "location": "/data/lake/.../topic=t"}]}

pyspark 3.5 brings Hive 2.3.9; the metastore is embedded Derby under <work-dir>. Each DDL runs as the sink
wrote it (only the statement's closing semicolon is dropped, as a SQL shell does), then MSCK REPAIR TABLE
finds the day partitions. The readers:
  hive    Hive's own ParquetHiveSerDe (spark.sql.hive.convertMetastoreParquet=false), as Hive itself reads
  spark   Spark's native Parquet reader over the same metastore table
  duckdb  DuckDB over the same files, fetched through WebHDFS
Prints {"<table>": {"hive": rows, "spark": rows, "duckdb": rows}} with rows in a canonical form (timestamps
as epoch microseconds, dates as ISO text, decimals as text, bytes as hex, structs and maps as objects),
ordered by Kafka partition and offset.
"""

import datetime
import decimal
import json
import os
import sys
import urllib.request

import duckdb
from pyspark.sql import Row, SparkSession

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def canon(v):
    if v is None or isinstance(v, (bool, str, int)):
        return v
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime.datetime):
        aware = v if v.tzinfo is not None else v.replace(tzinfo=datetime.timezone.utc)
        delta = aware - EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, Row):
        return {k: canon(x) for k, x in v.asDict(recursive=False).items()}
    if isinstance(v, dict):
        return {str(k): canon(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [canon(x) for x in v]
    raise TypeError(f"no canonical form for {type(v).__name__}")


def ordered(rows):
    return sorted(rows, key=lambda r: (r["_kafka_partition"], r["_kafka_offset"]))


def webhdfs(spec, path, op):
    url = f"{spec['webhdfs']}/webhdfs/v1{path}?op={op}&user.name={spec['user']}"
    with urllib.request.urlopen(url) as answer:
        return answer.read()


def parquet_files(spec, path):
    listing = json.loads(webhdfs(spec, path, "LISTSTATUS"))["FileStatuses"]["FileStatus"]
    for status in listing:
        child = f"{path}/{status['pathSuffix']}"
        if status["type"] == "DIRECTORY":
            yield from parquet_files(spec, child)
        elif child.endswith(".parquet"):
            yield child


def duckdb_rows(spec, work, location):
    local = []
    for path in parquet_files(spec, location):
        target = os.path.join(work, "files", path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(webhdfs(spec, path, "OPEN"))
        local.append(target)
    # The table's partition column is dt; topic= belongs to the table's LOCATION, not a partition.
    relation = duckdb.sql(
        f"SELECT * EXCLUDE (topic) FROM read_parquet({json.dumps(local)}, hive_partitioning = true)"
    )
    names = relation.columns
    return [dict(zip(names, (canon(v) for v in row))) for row in relation.fetchall()]


def main():
    work, spec_file = sys.argv[1], sys.argv[2]
    with open(spec_file) as f:
        spec = json.load(f)
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("adlake-hive-readback")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", os.path.join(work, "warehouse"))
        .config("spark.hadoop.fs.defaultFS", spec["hdfs"])
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={os.path.join(work, 'metastore_db')};create=true",
        )
        .enableHiveSupport()
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = {}
    for table in spec["tables"]:
        spark.sql(table["ddl"].strip().rstrip(";"))
        spark.sql(f"MSCK REPAIR TABLE `{table['name']}`")
        readers = {}
        for reader, convert in (("hive", "false"), ("spark", "true")):
            spark.conf.set("spark.sql.hive.convertMetastoreParquet", convert)
            spark.catalog.refreshTable(table["name"])
            rows = spark.sql(f"SELECT * FROM `{table['name']}`").collect()
            readers[reader] = ordered([canon(r) for r in rows])
        readers["duckdb"] = ordered(duckdb_rows(spec, work, table["location"]))
        out[table["name"]] = readers
    spark.stop()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
