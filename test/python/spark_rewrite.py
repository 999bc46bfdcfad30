"""Rewrites a Parquet file with Spark (parquet-mr, snappy) and says how large Spark's file is.

Usage: spark_rewrite.py <our file> <output dir>

Prints JSON: our and Spark's row counts, the bytes of Spark's part files, and whether every row reads back
equal from both files (each row as Spark's JSON of all its columns, compared as multisets both ways).
"""
import glob
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql.functions import struct, to_json


def main() -> None:
    ours, out = sys.argv[1], sys.argv[2]
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("adlake-parquet-size")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Timestamps as the sink writes them (INT64 millis), not Spark's default INT96: same rows, same types.
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
        .config("spark.sql.parquet.compression.codec", "snappy")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.parquet(ours)
    df.coalesce(1).write.mode("overwrite").parquet(out)
    parts = glob.glob(os.path.join(out, "part-*.parquet"))
    back = spark.read.parquet(out)
    a = df.select(to_json(struct(*df.columns)).alias("j"))
    b = back.select(to_json(struct(*back.columns)).alias("j"))
    equal = a.exceptAll(b).count() == 0 and b.exceptAll(a).count() == 0
    print(
        json.dumps(
            {
                "oursRows": df.count(),
                "sparkRows": back.count(),
                "sparkBytes": sum(os.path.getsize(p) for p in parts),
                "sparkFiles": len(parts),
                "equal": equal,
                "sparkVersion": spark.version,
            }
        )
    )
    spark.stop()


if __name__ == "__main__":
    main()
