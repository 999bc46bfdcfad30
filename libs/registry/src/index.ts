// One client for the Confluent Schema Registry REST API, used by the release step, the PR check and the SDK.
export * from './errors.ts';
export * from './levels.ts';
export * from './client.ts';
