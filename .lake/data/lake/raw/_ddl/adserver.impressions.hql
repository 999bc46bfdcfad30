CREATE EXTERNAL TABLE IF NOT EXISTS `adserver_impressions` (
  `event_id` STRING COMMENT 'Unique id of this event (UUID), the deduplication key of every downstream consumer.',
  `event_time` TIMESTAMP COMMENT 'When the ad rendered on the device, in UTC milliseconds since the epoch.',
  `billing_date` DATE COMMENT 'Day of the publisher billing calendar this impression is invoiced on (may differ from the UTC date of event_time).',
  `request_id` STRING COMMENT 'Id of the ad request this impression answers; joins impressions to clicks and engagements.',
  `ad_id` BIGINT COMMENT 'Id of the ad (the line item instance) that was served.',
  `campaign_id` BIGINT COMMENT 'Id of the campaign the ad belongs to.',
  `creative_id` BIGINT COMMENT 'Id of the creative (audio, video or display asset) that was rendered.',
  `advertiser_id` BIGINT COMMENT 'Id of the advertiser billed for this impression.',
  `placement` STRING COMMENT 'Ad slot position within the content.',
  `device` STRUCT<`device_type`:STRING,`os`:STRING,`os_version`:STRING,`app_version`:STRING,`user_agent`:STRING,`advertising_id`:STRING,`ip_hash`:BINARY,`limit_ad_tracking`:BOOLEAN> COMMENT 'Device the ad was served to.',
  `geo` STRUCT<`country`:STRING,`region`:STRING,`city`:STRING,`postal_code`:STRING,`dma_code`:INT,`latitude`:DOUBLE,`longitude`:DOUBLE> COMMENT 'Location of the device, when it could be resolved from the request.',
  `price_micros` BIGINT COMMENT 'Clearing price of this impression in micros of `currency` (1 unit = 1,000,000 micros).',
  `currency` STRING COMMENT 'ISO 4217 currency code of price_micros.',
  `fx_rate_to_usd` DECIMAL(18,9) COMMENT 'Exchange rate from `currency` to USD applied at serve time; null when `currency` is USD.',
  `segment_ids` ARRAY<BIGINT> COMMENT 'Audience segments the listener matched when the ad was selected.',
  `viewability` ARRAY<STRUCT<`measured_at`:TIMESTAMP,`visible_percent`:INT,`in_view_ms`:INT,`vendor`:STRING>> COMMENT 'Viewability samples collected while the ad was on screen; empty for audio ads.',
  `attributes` MAP<STRING,STRING> COMMENT 'Free-form string attributes of the request (e.g. "genre", "station_id") kept for ad-hoc analysis.',
  `is_test` BOOLEAN COMMENT 'True for synthetic traffic from monitoring; excluded from billing.',
  `_kafka_topic` STRING,
  `_kafka_partition` INT,
  `_kafka_offset` BIGINT,
  `_kafka_timestamp` TIMESTAMP
)
COMMENT 'An ad was rendered to a listener or viewer. The billing source of truth for impression-priced campaigns: one event per served ad, produced by the ad server to topic adserver.impressions.'
PARTITIONED BY (`dt` STRING)
STORED AS PARQUET
LOCATION '/data/lake/raw/topic=adserver.impressions'
TBLPROPERTIES ('parquet.compression'='SNAPPY');

