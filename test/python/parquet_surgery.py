"""Checks files made by @adlake/parquet's filterRows and concatFiles against pyarrow's own operations.

Usage:
  parquet_surgery.py concat <result> <input>...      result == pa.concat_tables(inputs)
  parquet_surgery.py filter <result> <input> <mask>  result == input.filter(mask); mask is a string of 0/1
  parquet_surgery.py rewrite <result> <input>        writes input again with pyarrow's own writer: dictionary
                                                     pages with a small limit (so chunks fall back to PLAIN),
                                                     v1 data pages, small pages and row groups, snappy
Prints one JSON object (rewrite: the rows and the encodings pyarrow wrote): whether pyarrow's tables are equal (every column, nested ones included), the row
counts pyarrow and DuckDB find in the result, and the first column that differs when they are not.
"""

import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def first_difference(actual, expected):
    if actual.schema != expected.schema:
        return f"schema: {actual.schema} vs {expected.schema}"
    if actual.num_rows != expected.num_rows:
        return f"rows: {actual.num_rows} vs {expected.num_rows}"
    for name in expected.column_names:
        if not actual.column(name).equals(expected.column(name)):
            return name
    return None


def main():
    mode, result = sys.argv[1], sys.argv[2]
    if mode == "rewrite":
        pq.write_table(
            pq.read_table(sys.argv[3]),
            result,
            row_group_size=70,
            data_page_size=512,
            dictionary_pagesize_limit=256,
            use_dictionary=True,
            data_page_version="1.0",
            compression="snappy",
        )
        meta = pq.ParquetFile(result).metadata
        encodings = sorted(
            {
                e
                for g in range(meta.num_row_groups)
                for c in range(meta.num_columns)
                for e in meta.row_group(g).column(c).encodings
            }
        )
        print(json.dumps({"rows": meta.num_rows, "encodings": encodings}))
        return
    actual = pq.read_table(result)
    if mode == "concat":
        expected = pa.concat_tables([pq.read_table(p) for p in sys.argv[3:]])
    elif mode == "filter":
        mask = pa.array([c == "1" for c in sys.argv[4]])
        expected = pq.read_table(sys.argv[3]).filter(mask)
    else:
        raise SystemExit(f"unknown mode {mode}")
    equal = actual.equals(expected)
    duck_rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{result}')").fetchall()[0][0]
    print(
        json.dumps(
            {
                "equal": equal,
                "rows": actual.num_rows,
                "expected_rows": expected.num_rows,
                "duckdb_rows": duck_rows,
                "row_groups": pq.ParquetFile(result).metadata.num_row_groups,
                "difference": None if equal else first_difference(actual, expected),
            }
        )
    )


if __name__ == "__main__":
    main()
