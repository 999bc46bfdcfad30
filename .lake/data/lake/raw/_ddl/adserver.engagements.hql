CREATE EXTERNAL TABLE IF NOT EXISTS `adserver_engagements` (
  `event_id` STRING COMMENT 'Unique id of this event (UUID), the deduplication key of every downstream consumer.',
  `event_time` TIMESTAMP COMMENT 'When the interaction happened on the device, in UTC milliseconds since the epoch.',
  `request_id` STRING COMMENT 'Id of the ad request that served the ad.',
  `impression_id` STRING COMMENT 'event_id of the impression this engagement belongs to.',
  `ad_id` BIGINT COMMENT 'Id of the ad (the line item instance) that was engaged with.',
  `campaign_id` BIGINT COMMENT 'Id of the campaign the ad belongs to.',
  `creative_id` BIGINT COMMENT 'Id of the creative that was engaged with.',
  `engagement_type` STRING COMMENT 'What the listener or viewer did.',
  `placement` STRING COMMENT 'Ad slot position within the content.',
  `playhead_ms` INT COMMENT 'Position in the creative when the engagement happened, in milliseconds; null for display creatives.',
  `device` STRUCT<`device_type`:STRING,`os`:STRING,`os_version`:STRING,`app_version`:STRING,`user_agent`:STRING,`advertising_id`:STRING,`ip_hash`:BINARY,`limit_ad_tracking`:BOOLEAN> COMMENT 'Device the engagement came from.',
  `geo` STRUCT<`country`:STRING,`region`:STRING,`city`:STRING,`postal_code`:STRING,`dma_code`:INT,`latitude`:DOUBLE,`longitude`:DOUBLE> COMMENT 'Location of the device, when it could be resolved from the request.',
  `billable_micros` BIGINT COMMENT 'Amount charged for this engagement in micros of `currency`; 0 unless the campaign is priced per engagement.',
  `currency` STRING COMMENT 'ISO 4217 currency code of billable_micros.',
  `segment_ids` ARRAY<BIGINT> COMMENT 'Audience segments the listener matched when the ad was selected.',
  `attributes` MAP<STRING,STRING> COMMENT 'Free-form string attributes of the interaction kept for ad-hoc analysis.',
  `is_test` BOOLEAN COMMENT 'True for synthetic traffic from monitoring; excluded from billing.',
  `_kafka_topic` STRING,
  `_kafka_partition` INT,
  `_kafka_offset` BIGINT,
  `_kafka_timestamp` TIMESTAMP
)
COMMENT 'A listener or viewer interacted with an ad that was playing (skip, mute, quartile reached, ...). Produced to topic adserver.engagements.'
PARTITIONED BY (`dt` STRING)
STORED AS PARQUET
LOCATION '/data/lake/raw/topic=adserver.engagements'
TBLPROPERTIES ('parquet.compression'='SNAPPY');

