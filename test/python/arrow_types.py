"""Arrow type helpers shared by the Parquet witness scripts."""
import pyarrow as pa


def plain(t):
    """The same type with timestamps, dates and times as the integers they are stored as."""
    if pa.types.is_timestamp(t) or pa.types.is_time64(t):
        return pa.int64()
    if pa.types.is_date32(t) or pa.types.is_time32(t):
        return pa.int32()
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, plain(f.type), f.nullable) for f in t])
    if pa.types.is_map(t):
        return pa.map_(plain(t.key_type), pa.field("value", plain(t.item_type), t.item_field.nullable))
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, plain(t.value_type), t.value_field.nullable))
    return t
