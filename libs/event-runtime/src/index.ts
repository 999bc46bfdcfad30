// Public surface of the event runtime: what generated event classes import, and what the SDK and the code
// generator build on.
export * from './runtime.ts';
