// Temp workspaces and a black-box runner for CLI tests: the real bin, a real process, real exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/** The workspace's `node_modules/.bin`: where `npx avro-gov` finds the command and the pinned `node`. */
const BIN = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `avro-gov` exactly as `npx avro-gov` does from the repository: the linked bin, started by its shebang
 * with `node_modules/.bin` first on the PATH, so the bin link and the pinned Node are part of what is tested.
 */
export function runBin(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(path.join(BIN, 'avro-gov'), [...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}` },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface TempWorkspace {
  dir: string;
  write(file: string, text: string): void;
  git(...args: string[]): string;
  commitAll(message: string): string;
  remove(): void;
}

export function tempWorkspace(files: Record<string, string> = {}): TempWorkspace {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-'));
  const ws: TempWorkspace = {
    dir,
    write(file, text) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    },
    git(...args) {
      return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
    },
    commitAll(message) {
      ws.git('add', '-A');
      ws.git('commit', '-q', '-m', message);
      return ws.git('rev-parse', '--short=7', 'HEAD');
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [file, text] of Object.entries(files)) ws.write(file, text);
  return ws;
}

export function gitWorkspace(files: Record<string, string> = {}): TempWorkspace {
  const ws = tempWorkspace(files);
  ws.git('init', '-q', '-b', 'main');
  ws.git('config', 'user.email', 'dev@example.com');
  ws.git('config', 'user.name', 'Dev');
  return ws;
}

export interface FieldSpec {
  name: string;
  type: unknown;
  default?: unknown;
}

/** A lint-clean event schema, pretty-printed as a developer would write it (positions are stable). */
export function eventSchema(name: string, namespace: string, extraFields: readonly FieldSpec[] = []): string {
  const fields = [
    { name: 'event_id', type: { type: 'string', logicalType: 'uuid' }, doc: 'Unique id of the event.' },
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When it happened.' },
    ...extraFields.map((f) => ({ ...f, doc: `The ${f.name}.` })),
  ];
  return `${JSON.stringify({ type: 'record', name, namespace, doc: `The ${name} event.`, fields }, null, 2)}\n`;
}

export function configFor(subjects: { schema: string; topic: string; compatibility?: string }[]): string {
  return `${JSON.stringify({ version: 1, subjects }, null, 2)}\n`;
}

/** 1-based line and column of the first `needle` in `text`, after `anchor` when given. */
export function positionOf(text: string, needle: string, anchor?: string): { line: number; column: number } {
  const from = anchor === undefined ? 0 : text.indexOf(anchor);
  if (from < 0) throw new Error(`"${anchor}" not found`);
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
