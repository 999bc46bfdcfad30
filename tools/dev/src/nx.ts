// Runs an Nx command from the workspace root, streaming its output and feeding test counts to a tally.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestTally } from './tally.ts';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function runNx(args: readonly string[], tally?: TestTally): Promise<{ ok: boolean }> {
  // Stream style keeps each task's lines whole so the tally can read the reporter's counts.
  const child = spawn('npx', ['nx', ...args, '--outputStyle=stream'], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' },
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    console.log(line);
    tally?.observe(line);
  }
  const code: number | null = await new Promise((resolve) => child.on('close', resolve));
  return { ok: code === 0 };
}
