// The Python witnesses (Confluent's client and serializer, fastavro, pyarrow) in a virtual environment the
// tests make themselves under the stack directory, pinned by test/python/requirements.txt: nothing to
// install by hand. Rebuilt when the requirements change.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '@adlake/stack';

const PYTHON_DIR = fileURLToPath(new URL('../python/', import.meta.url));
const REQUIREMENTS = join(PYTHON_DIR, 'requirements.txt');

let ready: string | undefined;

/** The venv's python, created and filled on first use. */
export function witnessPython(): string {
  if (ready !== undefined) return ready;
  const venv = join(loadStackConfig().stackDir, 'python');
  const python = join(venv, 'bin', 'python');
  const stamp = join(venv, 'requirements.sha256');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (!existsSync(python) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    rmSync(venv, { recursive: true, force: true });
    run('python3', ['-m', 'venv', venv], 'python3 -m venv (a Python 3 with the venv module is required)');
    run(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS],
      `pip install -r ${REQUIREMENTS}`,
    );
    writeFileSync(stamp, wanted);
  }
  ready = python;
  return python;
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15 * 60_000 });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${what} failed: ${result.error?.message ?? result.stderr.trim().slice(-2000)}`);
  }
}

/**
 * Runs test/python/<script> with the witnesses; resolves with stdout, rejects with stderr on a non-zero exit
 * or when it runs longer than `timeoutMs` (default 3 minutes).
 */
export function runPython(
  script: string,
  args: readonly string[],
  stdin = '',
  timeoutMs = 180_000,
  env: Record<string, string> = {},
): Promise<string> {
  const python = witnessPython();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(PYTHON_DIR, script), ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${script} exited ${code}: ${Buffer.concat(err).toString('utf8').slice(-3000)}`));
    });
    child.stdin.end(stdin);
  });
}
