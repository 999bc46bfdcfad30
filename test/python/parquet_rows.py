"""Reads local Parquet files with pyarrow and prints, per file, one JSON line with its rows and metadata.

Usage: parquet_rows.py <file>...
Values come in a canonical form that needs no reader-specific conversions to compare: integers as decimal
strings, timestamps and times as microseconds and dates as days (strings), floating point as "nan" or the 16
hex digits of the IEEE 754 double (so -0.0 and float32 rounding show), bytes as hex, decimals as the unscaled
integer (string), maps as [key, value] pairs in file order, structs as objects. INT96 timestamps are read at
microsecond precision: pyarrow's default (nanoseconds) cannot hold instants outside 1677-2262.
"""

import json
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from arrow_types import plain

MICROS = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": None}


def to_micros(unit, v):
    factor = MICROS[unit]
    if factor is None:
        if v % 1000 != 0:
            raise ValueError(f"{v} ns is not a whole number of microseconds")
        return v // 1000
    return v * factor


def unscaled(v, scale):
    """The unscaled integer of a Decimal, exactly: Decimal arithmetic would round to the context's 28 digits."""
    sign, digits, exponent = v.as_tuple()
    n = int("".join(map(str, digits)) or "0")
    shift = exponent + scale
    if shift < 0:
        raise ValueError(f"{v} has more than {scale} fraction digits")
    n *= 10**shift
    return -n if sign else n


def floating(v):
    return "nan" if v != v else struct.pack(">d", v).hex()


def canon(t, v):
    """`t` is the column's own type, `v` its value read through plain(t)."""
    if v is None:
        return None
    if pa.types.is_struct(t):
        return {f.name: canon(f.type, v[f.name]) for f in t}
    if pa.types.is_map(t):
        return [[canon(t.key_type, k), canon(t.item_type, item)] for k, item in v]
    if pa.types.is_list(t):
        return [canon(t.value_type, item) for item in v]
    if pa.types.is_timestamp(t) or pa.types.is_time32(t) or pa.types.is_time64(t):
        return str(to_micros(t.unit, v))
    if pa.types.is_boolean(t) or pa.types.is_string(t):
        return v
    if pa.types.is_integer(t) or pa.types.is_date32(t):
        return str(v)
    if pa.types.is_floating(t):
        return floating(v)
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t):
        return v.hex()
    if pa.types.is_decimal(t):
        return str(unscaled(v, t.scale))
    raise TypeError(f"no canonical form for {t}")


def stat(physical, v):
    if v is None:
        return None
    if physical in ("FLOAT", "DOUBLE"):
        return floating(v)
    if physical == "BYTE_ARRAY":
        # Bounds as bytes in hex: a truncated max need not be a value any row holds.
        return (v.encode("utf-8") if isinstance(v, str) else bytes(v)).hex()
    return str(v)


def describe(path):
    table = pq.read_table(path, coerce_int96_timestamp_unit="us")
    read = table.cast(pa.schema([pa.field(f.name, plain(f.type), f.nullable) for f in table.schema]))
    columns = {name: read.column(name).to_pylist() for name in read.column_names}
    types = {f.name: f.type for f in table.schema}
    rows = [
        {name: canon(types[name], columns[name][i]) for name in read.column_names} for i in range(read.num_rows)
    ]
    meta = pq.ParquetFile(path).metadata
    groups = []
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        chunks = {}
        for c in range(rg.num_columns):
            col = rg.column(c)
            s = col.statistics
            chunks[col.path_in_schema] = {
                "codec": col.compression,
                "nulls": None if s is None or not s.has_null_count else s.null_count,
                "min": stat(col.physical_type, s.min_raw) if s is not None and s.has_min_max else None,
                "max": stat(col.physical_type, s.max_raw) if s is not None and s.has_min_max else None,
            }
        groups.append({"rows": rg.num_rows, "columns": chunks})
    return {
        "path": path,
        "types": {f.name: str(f.type) for f in table.schema},
        "rows": rows,
        "row_groups": groups,
        "created_by": meta.created_by,
        "metadata": {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()},
    }


def main():
    for path in sys.argv[1:]:
        print(json.dumps(describe(path)))


if __name__ == "__main__":
    main()
