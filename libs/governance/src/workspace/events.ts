// Which schemas of a workspace are events (mapped to a subject by the config), in dependency order: what
// `avro-gov generate` and the release step both generate code for.
import { bindingFor } from './config.ts';
import type { GovernanceConfig } from './config.ts';
import type { SchemaDoc, SchemaWorkspace } from './workspace.ts';

export interface WorkspaceEvent {
  doc: SchemaDoc;
  subject: string;
  topic?: string;
}

export function workspaceEvents(workspace: SchemaWorkspace, config: GovernanceConfig): WorkspaceEvent[] {
  return workspace.order.flatMap((doc) => {
    const { kind, subject, topic } = bindingFor(doc, config);
    if (kind !== 'event' || subject === undefined) return [];
    return [{ doc, subject, ...(topic === undefined ? {} : { topic }) }];
  });
}

/** Namespaces with at least one event schema, sorted: one generated package each. */
export function eventNamespaces(events: readonly WorkspaceEvent[]): string[] {
  return [...new Set(events.flatMap((e) => (e.doc.namespace === undefined ? [] : [e.doc.namespace])))].sort();
}

/** The events as code generation reads them: file, schema JSON, subject and topic. */
export function codegenSchemas(
  events: readonly WorkspaceEvent[],
): { file: string; json: unknown; subject: string; topic?: string }[] {
  return events.map(({ doc, subject, topic }) => ({
    file: doc.file,
    json: doc.json,
    subject,
    ...(topic === undefined ? {} : { topic }),
  }));
}
