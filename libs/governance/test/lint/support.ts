// Builds small in-memory workspaces and configs for lint tests.

import type { Finding } from '../../src/diagnostics/finding.ts';
import { lintWorkspace } from '../../src/lint/lint.ts';
import { parseConfig } from '../../src/workspace/config.ts';
import type { GovernanceConfig } from '../../src/workspace/config.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';

export type Files = Record<string, unknown>;

/** A schema file's text: strings are taken verbatim, anything else is pretty-printed JSON. */
export function text(json: unknown): string {
  return typeof json === 'string' ? json : JSON.stringify(json, null, 2);
}

export function lintFiles(files: Files, config: unknown = {}): Finding[] {
  const workspace = createSchemaWorkspace(
    Object.entries(files).map(([file, json]) => ({ file: `schemas/${file}`, text: text(json) })),
    { root: 'schemas' },
  );
  const cfg: GovernanceConfig = parseConfig(JSON.stringify(config), 'schemas/avro-gov.json');
  return lintWorkspace(workspace, cfg);
}

/** `file path ID` for compact assertions (the schemas/ prefix dropped). */
export function brief(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.file.replace(/^schemas\//, '')} ${f.path} ${f.id}`);
}

export function record(
  name: string,
  namespace: string | undefined,
  fields: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'record',
    name,
    ...(namespace === undefined ? {} : { namespace }),
    doc: `The ${name} record.`,
    fields,
    ...extra,
  };
}

export function field(
  name: string,
  type: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name, type, doc: `The ${name} field.`, ...extra };
}

export const EVENT_ID = field('event_id', { type: 'string', logicalType: 'uuid' });
export const EVENT_TIME = field('event_time', { type: 'long', logicalType: 'timestamp-millis' });

/** A lint-clean event at its canonical path, with optional extra fields. */
export function eventFile(...fields: unknown[]): Files {
  return { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [EVENT_ID, EVENT_TIME, ...fields]) };
}

export const EVENT_CONFIG = { subjects: [{ schema: 'com.acme.Ev', topic: 'acme.events' }] };
