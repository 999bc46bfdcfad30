"""Reads Parquet files with pyarrow, fetched straight over WebHDFS's REST API, and prints every row as JSON.

Usage: read_parquet.py <webhdfs-url> <user> <hdfs-path>...
Each row is a JSON object in a canonical form that needs no reader-specific conversions to compare:
integers (timestamps, dates and times by their stored number) as decimal strings, floating point as "nan"
or the 16 hex digits of the IEEE 754 double, bytes as hex, decimals as plain text with the column's scale,
maps as objects.
"""

import io
import json
import struct
import sys
import urllib.request
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from arrow_types import plain


def canon(t, v):
    if v is None:
        return None
    if pa.types.is_struct(t):
        return {f.name: canon(f.type, v[f.name]) for f in t}
    if pa.types.is_map(t):
        return {k: canon(t.item_type, item) for k, item in v}
    if pa.types.is_list(t):
        return [canon(t.value_type, item) for item in v]
    if pa.types.is_boolean(t) or pa.types.is_string(t):
        return v
    if pa.types.is_integer(t):
        return str(v)
    if pa.types.is_floating(t):
        return "nan" if v != v else struct.pack(">d", v).hex()
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t):
        return v.hex()
    if pa.types.is_decimal(t):
        return format(v, "f") if isinstance(v, Decimal) else str(v)
    raise TypeError(f"no canonical form for {t}")


def main():
    base, user, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    for path in paths:
        with urllib.request.urlopen(f"{base}/webhdfs/v1{path}?op=OPEN&user.name={user}") as response:
            table = pq.read_table(io.BytesIO(response.read()))
        table = table.cast(pa.schema([pa.field(f.name, plain(f.type), f.nullable) for f in table.schema]))
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        types = {f.name: f.type for f in table.schema}
        for i in range(table.num_rows):
            print(json.dumps({name: canon(types[name], columns[name][i]) for name in table.column_names}))


if __name__ == "__main__":
    main()
