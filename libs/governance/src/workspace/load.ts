// Reads .avsc files from disk (a directory tree or an explicit list) into a schema workspace.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GovernanceError } from '../errors.ts';
import type { SchemaSource, SchemaWorkspace } from './workspace.ts';
import { createSchemaWorkspace } from './workspace.ts';

export interface LoadWorkspaceOptions {
  /** Schema root directory: every `.avsc` below it is loaded unless `files` is given. */
  dir: string;
  /** Load only these files (absolute, or relative to the current directory) instead of scanning `dir`. */
  files?: readonly string[];
  /** Display paths are relative to this directory (default: the current directory). */
  displayRoot?: string;
}

/** Loads a schema workspace from disk. Missing files throw FILE_NOT_FOUND; schema problems are collected. */
export async function loadSchemaWorkspace(options: LoadWorkspaceOptions): Promise<SchemaWorkspace> {
  const dir = path.resolve(options.dir);
  const displayRoot = path.resolve(options.displayRoot ?? process.cwd());
  const absolute = options.files ? options.files.map((f) => path.resolve(f)) : await findSchemaFiles(dir);
  const sources: SchemaSource[] = await Promise.all(
    absolute.map(async (file) => {
      try {
        return { file: displayPath(displayRoot, file), text: await readFile(file, 'utf8') };
      } catch (error) {
        throw new GovernanceError('FILE_NOT_FOUND', `Cannot read schema file: ${(error as Error).message}`, {
          cause: error,
          context: { file: displayPath(displayRoot, file) },
        });
      }
    }),
  );
  return createSchemaWorkspace(sources, { root: displayPath(displayRoot, dir) });
}

/** Every `*.avsc` below `dir`, sorted; dot-directories and node_modules are skipped. */
export async function findSchemaFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw new GovernanceError(
      'FILE_NOT_FOUND',
      `Cannot read schema directory ${dir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.avsc')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full).split(path.sep);
    if (rel.some((part) => part.startsWith('.') || part === 'node_modules')) continue;
    out.push(full);
  }
  return out.sort();
}

function displayPath(displayRoot: string, file: string): string {
  const rel = path.relative(displayRoot, file);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
