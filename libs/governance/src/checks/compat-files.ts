// Single-file mode of the compatibility check: a new schema file against previous versions given as files,
// with no workspace, config or history around them.
import { readFile } from 'node:fs/promises';
import type { CompatibilityLevel } from '../compat/levels.ts';
import { checkCompatibility } from '../compat/check.ts';
import type { Finding } from '../diagnostics/finding.ts';
import { GovernanceError } from '../errors.ts';
import { avroValidityFindings } from '../lint/lint.ts';
import { createSchemaWorkspace } from '../workspace/workspace.ts';
import type { SchemaDoc } from '../workspace/workspace.ts';
import { positionedFinding } from './compat-workspace.ts';

export interface FileCompatResult {
  /** False when a file is not valid Avro: then nothing was compared and `findings` say why. */
  checked: boolean;
  compatible: boolean;
  level: CompatibilityLevel;
  /** Positioned in the new file (or, for invalid input, in the file at fault). */
  findings: Finding[];
}

/**
 * Checks `newFile` against `previousFiles` (oldest first) at `level`. Each file is read on its own: one that
 * Avro refuses to parse is reported under lint's rule ids and at lint's positions, before any verdict, because
 * a registry would reject it whatever its history.
 */
export async function checkSchemaFiles(
  newFile: string,
  previousFiles: readonly string[],
  level: CompatibilityLevel,
): Promise<FileCompatResult> {
  const files = [newFile, ...previousFiles];
  const read = new Map<string, SchemaDoc | undefined>();
  const invalid: Finding[] = [];
  for (const file of files) {
    if (read.has(file)) continue;
    const workspace = createSchemaWorkspace([{ file, text: await readSchema(file) }]);
    invalid.push(...avroValidityFindings(workspace));
    read.set(file, workspace.docs[0]);
  }
  const [doc, ...previousDocs] = files.map((file) => read.get(file));
  if (invalid.length > 0 || doc === undefined) {
    return { checked: false, compatible: false, level, findings: invalid };
  }
  const previous = previousDocs.flatMap((old, i) =>
    old === undefined ? [] : [{ version: String(i + 1), source: old.file, schema: old.json }],
  );
  const result = checkCompatibility({ schema: doc.json, previous, level });
  const findings = [...result.findings, ...result.warnings].map((f) =>
    positionedFinding(doc.file, doc.positions, f),
  );
  return { checked: true, compatible: !findings.some((f) => f.severity === 'error'), level, findings };
}

async function readSchema(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new GovernanceError('FILE_NOT_FOUND', `cannot read ${file}: ${(cause as Error).message}`, {
      cause,
      context: { file },
    });
  }
}
