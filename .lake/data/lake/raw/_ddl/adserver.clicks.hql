CREATE EXTERNAL TABLE IF NOT EXISTS `adserver_clicks` (
  `event_id` STRING COMMENT 'Unique id of this event (UUID), the deduplication key of every downstream consumer.',
  `event_time` TIMESTAMP COMMENT 'When the click happened on the device, in UTC milliseconds since the epoch.',
  `request_id` STRING COMMENT 'Id of the ad request that served the clicked ad.',
  `impression_id` STRING COMMENT 'event_id of the impression that was clicked; null when the click arrived without a matching impression.',
  `ad_id` BIGINT COMMENT 'Id of the ad (the line item instance) that was clicked.',
  `campaign_id` BIGINT COMMENT 'Id of the campaign the ad belongs to.',
  `creative_id` BIGINT COMMENT 'Id of the creative that was clicked.',
  `placement` STRING COMMENT 'Ad slot position within the content.',
  `device` STRUCT<`device_type`:STRING,`os`:STRING,`os_version`:STRING,`app_version`:STRING,`user_agent`:STRING,`advertising_id`:STRING,`ip_hash`:BINARY,`limit_ad_tracking`:BOOLEAN> COMMENT 'Device the click came from.',
  `geo` STRUCT<`country`:STRING,`region`:STRING,`city`:STRING,`postal_code`:STRING,`dma_code`:INT,`latitude`:DOUBLE,`longitude`:DOUBLE> COMMENT 'Location of the device, when it could be resolved from the request.',
  `click_url` STRING COMMENT 'Landing-page URL the click redirected to.',
  `cost_micros` BIGINT COMMENT 'Amount charged for this click in micros of `currency`; 0 for campaigns not priced per click.',
  `currency` STRING COMMENT 'ISO 4217 currency code of cost_micros.',
  `segment_ids` ARRAY<BIGINT> COMMENT 'Audience segments the listener matched when the ad was selected.',
  `attributes` MAP<STRING,STRING> COMMENT 'Free-form string attributes of the request kept for ad-hoc analysis.',
  `is_test` BOOLEAN COMMENT 'True for synthetic traffic from monitoring; excluded from billing.',
  `_kafka_topic` STRING,
  `_kafka_partition` INT,
  `_kafka_offset` BIGINT,
  `_kafka_timestamp` TIMESTAMP
)
COMMENT 'A listener or viewer clicked (or tapped) an ad. Billing source of truth for click-priced campaigns, produced to topic adserver.clicks.'
PARTITIONED BY (`dt` STRING)
STORED AS PARQUET
LOCATION '/data/lake/raw/topic=adserver.clicks'
TBLPROPERTIES ('parquet.compression'='SNAPPY');

