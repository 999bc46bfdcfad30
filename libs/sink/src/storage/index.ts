// Public API of the storage concern: the contract, its two backends and the contract's test suite.
export { LocalStorage } from './local.ts';
export type { LocalStorageOptions } from './local.ts';
export { WebHdfsStorage } from './webhdfs.ts';
export type { WebHdfsStorageOptions } from './webhdfs.ts';
export { backendCode } from './failure.ts';
export { childOf, compareNames, nameOf, normalizeStoragePath, parentOf } from './storage.ts';
export type { Storage, StorageEntry } from './storage.ts';
export { storageContract } from './contract.ts';
export type { StorageContractOptions, TestRunner } from './contract.ts';
