// Public API of @adlake/stack for the test runner and the integration tests.
export {
  DEFAULT_SERVICES,
  endpoints,
  loadStackConfig,
  mirroredTopic,
  OPTIONAL_SERVICES,
  SERVICE_NAMES,
  SETTINGS,
} from './config.ts';
export type { ServiceName, StackConfig, StackEndpoints } from './config.ts';
export { StackError, StackErrorCodes } from './errors.ts';
export type { StackErrorCode } from './errors.ts';
export { consoleLogger, formatLogEntry, silentLogger } from './log.ts';
export type { LogEntry, StackLogger } from './log.ts';
export { down, logs, status, up } from './stack.ts';
export type { DownOptions, DownResult, ServiceStatus, UpOptions, UpResult } from './stack.ts';
