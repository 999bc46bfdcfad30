// Unique, recognisable names for topics, subjects, paths and packages created by integration tests.
import { randomBytes } from 'node:crypto';

/** `<prefix>-<time>-<random>`: sortable, unique across parallel runs, safe as topic/subject/path/package name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
