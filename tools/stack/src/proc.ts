// Our daemons' lifecycle: pid files, spawning detached processes with logs, and stopping exactly ours.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.ts';

/** What a pid file holds. */
export interface PidRecord {
  readonly pid: number;
  /** Strings that must all appear in /proc/<pid>/cmdline for the pid to still be ours. */
  readonly markers: readonly string[];
  /** The process's working directory (/proc/<pid>/cwd); checked too, since a process may rewrite its cmdline. */
  readonly cwd?: string;
  readonly startedAt: string;
}

export type PidState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'running'; readonly pid: number }
  /** The file names a process that is gone or is now someone else's (pid reuse). */
  | { readonly kind: 'stale'; readonly pid: number; readonly reason: string };

/** Parses a pid file's text; undefined for anything malformed (treated as stale by the caller). */
export function parsePidRecord(text: string): PidRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<PidRecord>;
    if (
      typeof value.pid === 'number' &&
      Number.isInteger(value.pid) &&
      value.pid > 1 &&
      Array.isArray(value.markers) &&
      value.markers.length > 0 &&
      value.markers.every((m) => typeof m === 'string' && m.length > 0)
    ) {
      return {
        pid: value.pid,
        markers: value.markers,
        ...(typeof value.cwd === 'string' ? { cwd: value.cwd } : {}),
        startedAt: String(value.startedAt ?? ''),
      };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export interface ProcInfo {
  /** /proc/<pid>/cmdline with NULs as spaces; undefined when the process is gone. */
  readonly cmdline: string | undefined;
  /** Exited but not reaped yet. */
  readonly zombie: boolean;
  /** Target of /proc/<pid>/cwd, if readable. */
  readonly cwd?: string | undefined;
}

/** Decides whether a pid file still describes a live process of ours (see PidRecord). */
export function classifyPid(fileText: string | undefined, proc: ProcInfo | undefined): PidState {
  if (fileText === undefined) return { kind: 'absent' };
  const record = parsePidRecord(fileText);
  if (record === undefined) return { kind: 'stale', pid: 0, reason: 'unreadable pid file' };
  if (proc === undefined || proc.cmdline === undefined) {
    return { kind: 'stale', pid: record.pid, reason: `process ${record.pid} is gone` };
  }
  if (proc.zombie) return { kind: 'stale', pid: record.pid, reason: `process ${record.pid} has exited` };
  const cmdline = proc.cmdline;
  const missing = record.markers.find((m) => !cmdline.includes(m));
  if (missing !== undefined) {
    return { kind: 'stale', pid: record.pid, reason: `pid ${record.pid} now belongs to another program` };
  }
  if (record.cwd !== undefined && proc.cwd !== record.cwd) {
    return {
      kind: 'stale',
      pid: record.pid,
      reason: `pid ${record.pid} now belongs to another program (other cwd)`,
    };
  }
  return { kind: 'running', pid: record.pid };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads /proc for a pid: its command line and whether it is a zombie. */
export function inspectProcess(pid: number): ProcInfo {
  const cmdline = readOptional(`/proc/${pid}/cmdline`);
  const stat = readOptional(`/proc/${pid}/stat`);
  // The state letter follows the parenthesised command name, which may itself contain spaces.
  const state =
    stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return {
    cmdline: cmdline === undefined || cmdline === '' ? undefined : cmdline.replaceAll('\0', ' '),
    zombie: state === 'Z' || state === 'X',
    cwd: readLink(`/proc/${pid}/cwd`),
  };
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export function readPidState(pidFile: string): PidState {
  const text = readOptional(pidFile);
  if (text === undefined) return { kind: 'absent' };
  const record = parsePidRecord(text);
  return classifyPid(text, record === undefined ? undefined : inspectProcess(record.pid));
}

export function writePidFile(pidFile: string, record: PidRecord): void {
  writeFileSync(pidFile, `${JSON.stringify(record)}\n`);
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

/** Resident memory of a process in bytes (VmRSS), undefined if gone. */
export function residentBytes(pid: number): number | undefined {
  const status = readOptional(`/proc/${pid}/status`);
  const match = status === undefined ? null : /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

export interface Daemon {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Set once the process exits while we are still watching it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Starts a detached process writing stdout+stderr to logFile, records its pid file and returns it. */
export function spawnDaemon(options: {
  service: string;
  command: string;
  args: readonly string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  markers: readonly string[];
  env?: NodeJS.ProcessEnv;
}): Daemon {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) {
    throw new StackError('START_FAILED', `${options.service}: could not start ${options.command}.`, {
      service: options.service,
    });
  }
  const daemon: Daemon = { pid: child.pid, child, exit: undefined };
  child.on('error', () => {
    daemon.exit = { code: null, signal: null };
  });
  child.on('exit', (code, signal) => {
    daemon.exit = { code, signal };
  });
  child.unref();
  writePidFile(options.pidFile, {
    pid: child.pid,
    markers: options.markers,
    cwd: realpathSync(options.cwd),
    startedAt: new Date().toISOString(),
  });
  return daemon;
}

/**
 * Alive until the kernel has finished the exit: /proc/<pid>/cmdline empties when the memory is released,
 * before the sockets are closed, so only the state letter in /proc/<pid>/stat says it is really over.
 */
function alive(pid: number): boolean {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Stops the process a pid file names, if it is still ours: SIGTERM, then SIGKILL after graceMs.
 * Returns what happened. A stale or absent pid file is removed without signalling anything.
 */
export async function stopByPidFile(
  pidFile: string,
  graceMs: number,
): Promise<'stopped' | 'killed' | 'not-running' | 'stale'> {
  const state = readPidState(pidFile);
  if (state.kind === 'absent') return 'not-running';
  if (state.kind === 'stale') {
    removePidFile(pidFile);
    return 'stale';
  }
  const { pid } = state;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    removePidFile(pidFile);
    return 'not-running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) {
      removePidFile(pidFile);
      return 'stopped';
    }
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  removePidFile(pidFile);
  return 'killed';
}

/** The last `lines` lines of a log file, for failure messages. */
export function tailFile(path: string, lines = 30): string {
  const text = readOptional(path);
  if (text === undefined) return `(no log at ${path})`;
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
