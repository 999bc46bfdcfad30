// The Hive DDL: one row per Avro type for the column type, and the whole statement for AdImpression.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdImpression } from '@adlake/events';
import { hiveCreateTable, hiveType } from '../../src/format/hive.ts';

const TYPES: [string, unknown, string][] = [
  ['boolean', 'boolean', 'BOOLEAN'],
  ['int', 'int', 'INT'],
  ['long', 'long', 'BIGINT'],
  ['float', 'float', 'FLOAT'],
  ['double', 'double', 'DOUBLE'],
  ['string', 'string', 'STRING'],
  ['bytes', 'bytes', 'BINARY'],
  ['fixed', { type: 'fixed', name: 'F', size: 32 }, 'BINARY'],
  ['enum', { type: 'enum', name: 'E', symbols: ['A'] }, 'STRING'],
  ['uuid', { type: 'string', logicalType: 'uuid' }, 'STRING'],
  ['timestamp-millis', { type: 'long', logicalType: 'timestamp-millis' }, 'TIMESTAMP'],
  ['timestamp-micros', { type: 'long', logicalType: 'timestamp-micros' }, 'TIMESTAMP'],
  ['date', { type: 'int', logicalType: 'date' }, 'DATE'],
  ['time-millis', { type: 'int', logicalType: 'time-millis' }, 'INT'],
  ['time-micros', { type: 'long', logicalType: 'time-micros' }, 'BIGINT'],
  ['decimal', { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 9 }, 'DECIMAL(18,9)'],
  ['nullable', ['null', 'string'], 'STRING'],
  [
    'record',
    {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: ['null', 'string'] },
      ],
    },
    'STRUCT<`a`:INT,`b`:STRING>',
  ],
  ['array', { type: 'array', items: 'long' }, 'ARRAY<BIGINT>'],
  [
    'array of records',
    { type: 'array', items: { type: 'record', name: 'V', fields: [{ name: 'x', type: 'int' }] } },
    'ARRAY<STRUCT<`x`:INT>>',
  ],
  ['map', { type: 'map', values: { type: 'array', items: 'double' } }, 'MAP<STRING,ARRAY<DOUBLE>>'],
  ['multi-branch union', ['null', 'int', 'string'], 'STRUCT<`member0`:INT,`member1`:STRING>'],
];

describe('hiveType', () => {
  for (const [name, type, hive] of TYPES) it(name, () => assert.equal(hiveType(type), hive));
});

describe('hiveCreateTable', () => {
  it('declares the AdImpression table over <root>/topic=<t>, partitioned by dt', () => {
    const ddl = hiveCreateTable(AdImpression.schema, {
      database: 'raw',
      topic: 'adserver.impressions',
      root: 'hdfs:///data/lake/raw/',
    });
    const lines = ddl.split('\n');
    assert.equal(lines[0], 'CREATE EXTERNAL TABLE IF NOT EXISTS `raw`.`adserver_impressions` (');
    const column = (name: string): string | undefined => lines.find((l) => l.startsWith(`  \`${name}\` `));
    assert.match(column('event_id') ?? '', /^ {2}`event_id` STRING COMMENT 'Unique id of this event/);
    assert.match(column('event_time') ?? '', /`event_time` TIMESTAMP COMMENT/);
    assert.match(column('billing_date') ?? '', /`billing_date` DATE COMMENT/);
    assert.match(
      column('device') ?? '',
      /`device` STRUCT<`device_type`:STRING,`os`:STRING,`os_version`:STRING,`app_version`:STRING,`user_agent`:STRING,`advertising_id`:STRING,`ip_hash`:BINARY,`limit_ad_tracking`:BOOLEAN>/,
    );
    assert.match(column('fx_rate_to_usd') ?? '', /`fx_rate_to_usd` DECIMAL\(18,9\)/);
    assert.match(column('segment_ids') ?? '', /`segment_ids` ARRAY<BIGINT>/);
    assert.match(
      column('viewability') ?? '',
      /`viewability` ARRAY<STRUCT<`measured_at`:TIMESTAMP,`visible_percent`:INT,`in_view_ms`:INT,`vendor`:STRING>>/,
    );
    assert.match(column('attributes') ?? '', /`attributes` MAP<STRING,STRING>/);
    assert.equal(column('_kafka_topic'), '  `_kafka_topic` STRING,');
    assert.equal(column('_kafka_partition'), '  `_kafka_partition` INT,');
    assert.equal(column('_kafka_offset'), '  `_kafka_offset` BIGINT,');
    assert.equal(column('_kafka_timestamp'), '  `_kafka_timestamp` TIMESTAMP');
    assert.deepEqual(lines.slice(-7), [
      ')',
      "COMMENT 'An ad was rendered to a listener or viewer. The billing source of truth for impression-priced campaigns: one event per served ad, produced by the ad server to topic adserver.impressions.'",
      'PARTITIONED BY (`dt` STRING)',
      'STORED AS PARQUET',
      "LOCATION 'hdfs:///data/lake/raw/topic=adserver.impressions'",
      "TBLPROPERTIES ('parquet.compression'='SNAPPY');",
      '',
    ]);
  });

  it('escapes quotes in comments and honours table, lineage and compression options', () => {
    const schema = {
      type: 'record',
      name: 'Q',
      fields: [{ name: 'a', type: 'int', doc: 'it\'s "quoted"' }],
    };
    const ddl = hiveCreateTable(schema, {
      topic: 't',
      root: '/lake',
      table: 'q',
      lineage: false,
      compression: 'zstd',
    });
    assert.equal(
      ddl,
      "CREATE EXTERNAL TABLE IF NOT EXISTS `q` (\n  `a` INT COMMENT 'it\\'s \"quoted\"'\n)\nPARTITIONED BY (`dt` STRING)\nSTORED AS PARQUET\nLOCATION '/lake/topic=t'\nTBLPROPERTIES ('parquet.compression'='ZSTD');\n",
    );
  });
});
