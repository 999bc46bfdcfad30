// What the register step registers: one unit per subject, in dependency order. Events get their configured
// subject; a shared named type that an event uses gets its own subject (its fullname, as Confluent's
// RecordNameStrategy would name it) so events can point at it with a schema reference.
import { assertAvroValid, bindingFor, standaloneSchema } from '@adlake/governance';
import { normalize } from '@adlake/avro';
import type { JsonValue, NormalizedSchema } from '@adlake/avro';
import type { CompatibilityLevel, GovernanceConfig, SchemaDoc, SchemaWorkspace } from '@adlake/governance';
import { ReleaseError } from './errors.ts';
import { contentSha256 } from './stable-json.ts';

/**
 * `subjects`: shared types are registered under their own subject and referenced (Confluent schema
 * references). `inline`: each event is registered self-contained, shared types inlined, no references.
 */
export const REFERENCE_MODES = ['subjects', 'inline'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

/** A reference before versions are known: the named type and the subject that holds it. */
export interface PlannedReference {
  name: string;
  subject: string;
}

export interface RegistrationUnit {
  subject: string;
  kind: 'event' | 'type';
  fullname: string;
  file: string;
  doc: SchemaDoc;
  /** The schema as registered: the document itself (references mode) or self-contained (inline mode). */
  json: JsonValue;
  /** The text sent to the registry. */
  schema: string;
  references: PlannedReference[];
  level: CompatibilityLevel;
  /** Parsing Canonical Form fingerprints of `json` (referenced types stay names). */
  fingerprint: NormalizedSchema;
  /** SHA-256 of `json` with keys sorted: changes with docs, defaults and aliases too. */
  contentSha256: string;
}

export function registrationUnits(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  mode: ReferenceMode = 'subjects',
): RegistrationUnit[] {
  assertAvroValid(workspace);
  const events = new Set(workspace.order.filter((doc) => bindingFor(doc, config).kind === 'event'));
  const wanted = new Set<SchemaDoc>(events);
  if (mode === 'subjects')
    for (const doc of events) for (const dep of workspace.closureOf(doc)) wanted.add(dep);
  const subjectOf = (doc: SchemaDoc): string => {
    const subject = bindingFor(doc, config).subject ?? doc.fullname;
    if (subject === undefined) {
      throw new ReleaseError(
        'CONFIG_INVALID',
        `${doc.file} has no named root type, so it cannot get a subject`,
        {
          context: { file: doc.file },
        },
      );
    }
    return subject;
  };
  const units: RegistrationUnit[] = [];
  const seen = new Map<string, string>();
  for (const doc of workspace.order) {
    if (!wanted.has(doc)) continue;
    const binding = bindingFor(doc, config);
    const subject = subjectOf(doc);
    const other = seen.get(subject);
    if (other !== undefined) {
      throw new ReleaseError('CONFIG_INVALID', `${doc.file} and ${other} both map to subject "${subject}"`, {
        context: { file: doc.file, subject },
      });
    }
    seen.set(subject, doc.file);
    const json = mode === 'inline' ? standaloneSchema(workspace, doc) : doc.json;
    const references =
      mode === 'inline'
        ? []
        : workspace
            .dependenciesOf(doc)
            .filter((dep) => dep !== doc)
            .map((dep) => ({ name: dep.fullname ?? dep.file, subject: subjectOf(dep) }));
    units.push({
      subject,
      kind: events.has(doc) ? 'event' : 'type',
      fullname: doc.fullname ?? doc.file,
      file: doc.file,
      doc,
      json,
      schema: JSON.stringify(json),
      references,
      level: binding.compatibility,
      fingerprint: normalize(json, { lookupNamedType: (n) => workspace.lookupNamedType(n)?.json }),
      contentSha256: contentSha256(json),
    });
  }
  return units;
}
