// Benchmark of schema governance at scale: builds a throwaway Nx workspace and git repository holding a
// generated schema tree with history, then times lint + compatibility through Nx (cold, warm, one file touched,
// affected) and through the plain avro-gov CLI, side by side. Run: `node bench/governance/lint-compat.ts`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  COMMON_NAMESPACE,
  configFile,
  eventSchema,
  eventSpecs,
  schemaPath,
  sharedTypes,
} from './workload.ts';
import type { EventSpec } from './workload.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'node_modules', '.bin');
const PLUGIN = path.join(ROOT, 'tools', 'nx-avro', 'src', 'index.ts');
const TARGETS = 'avro-lint avro-compat';

const HELP = `Usage: node bench/governance/lint-compat.ts [options]

  --schemas <n>      event schemas (default 1000)
  --versions <n>     committed versions of every schema (default 5)
  --namespaces <n>   namespaces = Nx projects holding events (default 20)
  --runs <n>         repetitions of each measured step (default 3)
  --cold-runs <n>    repetitions of the steps that start from an empty cache (default: --runs)
  --keep             keep the generated workspace (its path is printed)
  -h, --help         show this text`;

interface Options {
  schemas: number;
  versions: number;
  namespaces: number;
  runs: number;
  coldRuns: number;
  keep: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      schemas: { type: 'string', default: '1000' },
      versions: { type: 'string', default: '5' },
      namespaces: { type: 'string', default: '20' },
      runs: { type: 'string', default: '3' },
      'cold-runs': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      console.error(`--${name}: expected an integer >= ${min}, got "${value}"`);
      process.exit(2);
    }
    return n;
  };
  const runs = int('runs', values.runs, 1);
  const namespaces = int('namespaces', values.namespaces, 1);
  return {
    schemas: int('schemas', values.schemas, namespaces),
    versions: int('versions', values.versions, 1),
    namespaces,
    runs,
    coldRuns: values['cold-runs'] === undefined ? runs : int('cold-runs', values['cold-runs'], 1),
    keep: values.keep,
  };
}

// --- running commands ---------------------------------------------------------------------------------------

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  // The pinned Node and the workspace bins (avro-gov, nx) first, as `npm run` would put them.
  PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}`,
  // One process tree per command, nothing left running between measurements, no network.
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  FORCE_COLOR: '0',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};

interface Output {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, command: string, args: readonly string[]): Output {
  const r = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(cwd: string, command: string, args: readonly string[]): string {
  const r = run(cwd, command, args);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

interface Sample {
  wallMs: number;
  /** User + system CPU of the whole process tree (every descendant that was waited for), in seconds. */
  cpuS: number;
  userS: number;
  sysS: number;
  /** Largest resident set of any single process in the tree, in MiB. */
  maxRssMiB: number;
  /** One-minute load average when the sample finished: the machine is shared, this says how busy it was. */
  load1: number;
  /** From Nx's summary: tasks in the run, and how many came from the cache. */
  tasks?: number;
  cacheHits?: number;
}

/** Runs a command under GNU time, which reports the CPU of the whole tree (Nx, its task shells, avro-gov, git). */
function measure(cwd: string, argv: readonly string[]): { sample: Sample; output: string } {
  const timeFile = path.join(os.tmpdir(), `adlake-bench-time-${process.pid}.txt`);
  const start = performance.now();
  const r = run(cwd, '/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...argv]);
  const wallMs = performance.now() - start;
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}\n${output}`);
  const [user = NaN, sys = NaN, rssKb = NaN] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
  rmSync(timeFile, { force: true });
  const sample: Sample = {
    wallMs,
    cpuS: user + sys,
    userS: user,
    sysS: sys,
    maxRssMiB: rssKb / 1024,
    load1: os.loadavg()[0] ?? NaN,
  };
  const counts = nxCounts(output);
  if (counts !== undefined) Object.assign(sample, counts);
  return { sample, output };
}

/** Task and cache-hit counts from Nx's closing summary, so a "warm" run is proven to be all hits. */
function nxCounts(output: string): { tasks: number; cacheHits: number } | undefined {
  const summary = /Cache:\s+(\d+)\/(\d+) hit/.exec(output);
  if (summary) return { tasks: Number(summary[2]), cacheHits: Number(summary[1]) };
  const hits = /cache instead of running the command for (\d+) out of (\d+) tasks/.exec(output);
  if (hits) return { tasks: Number(hits[2]), cacheHits: Number(hits[1]) };
  // With no cache hit at all, Nx prints no cache summary: count its one status line per task instead.
  const lines = [...output.matchAll(/^\s*[✔✖]\s+nx run (\S+)(.*)$/gm)];
  if (lines.length === 0) return undefined;
  return { tasks: lines.length, cacheHits: lines.filter((m) => (m[2] ?? '').includes('cache')).length };
}

// --- the workspace ------------------------------------------------------------------------------------------

interface Workspace {
  dir: string;
  specs: EventSpec[];
  files: number;
  projects: number;
  prFiles: string[];
  touchEvent: string;
  touchEventSpec: EventSpec;
  commits: number;
  /** Size of the event schemas at the newest committed version. */
  shape: { topLevelFieldsMin: number; topLevelFieldsMax: number; averageBytes: number };
}

interface LockFile {
  packages: Record<string, Record<string, unknown> | undefined>;
}

function write(dir: string, rel: string, text: string): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function createWorkspace(options: Options): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'adlake-gov-bench-'));
  const specs = eventSpecs(options);
  write(dir, '.gitignore', 'node_modules\n.nx\ngenerated\n');
  // The plugin's targets list avsc as an external input, so Nx needs it in the lockfile (as a consumer of the
  // governance core would have it); the entry is copied from the monorepo's lockfile.
  const avsc = (JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as LockFile).packages[
    'node_modules/avsc'
  ];
  const version = (avsc?.['version'] as string | undefined) ?? '5.7.9';
  const manifest = { name: 'governance-bench', version: '0.0.0', private: true, type: 'module' };
  write(
    dir,
    'package.json',
    `${JSON.stringify({ ...manifest, devDependencies: { avsc: version } }, null, 2)}\n`,
  );
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, version: manifest.version, devDependencies: { avsc: version } },
      'node_modules/avsc': { ...avsc, dev: true },
    },
  };
  write(dir, 'package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  write(
    dir,
    'nx.json',
    `${JSON.stringify(
      {
        defaultBase: 'main',
        namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] },
        tui: { enabled: false },
        useDaemonProcess: false,
        // The real plugin file: it imports @adlake/governance, which resolves from its own location.
        plugins: [{ plugin: PLUGIN, options: { schemasDir: 'schemas', generatedDir: 'generated' } }],
      },
      null,
      2,
    )}\n`,
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The plugin gives every schema project an implicit dependency on a project named @adlake/governance (in
  // this monorepo, the core whose rules decide the results); Nx refuses a graph where it does not exist. A copy
  // of the core's sources stands in for it, so its files are hashed as in the monorepo; avro-gov itself runs
  // from the monorepo through node_modules.
  cpSync(path.join(ROOT, 'libs', 'governance', 'src'), path.join(dir, 'libs', 'governance', 'src'), {
    recursive: true,
  });
  write(
    dir,
    'libs/governance/project.json',
    `${JSON.stringify({ name: '@adlake/governance', root: 'libs/governance', sourceRoot: 'libs/governance/src' }, null, 2)}\n`,
  );
  write(dir, 'schemas/avro-gov.json', configFile(specs));
  must(dir, 'git', ['init', '-q', '-b', 'main']);

  // main: version v of every schema in commit v; the shared types change at versions 3 and 5.
  for (let v = 1; v <= options.versions; v++) {
    for (const [name, text] of sharedTypes(v))
      write(dir, `schemas/${schemaPath(COMMON_NAMESPACE, name)}`, text);
    for (const spec of specs)
      write(dir, `schemas/${schemaPath(spec.namespace, spec.name)}`, eventSchema(spec, v));
    must(dir, 'git', ['add', '-A']);
    must(dir, 'git', ['commit', '-q', '--no-gpg-sign', '-m', `schemas: version ${v}`]);
  }

  // The pull request under review: a branch evolving ten events of the first namespace once more.
  must(dir, 'git', ['checkout', '-q', '-b', 'feature/evolve-events']);
  const prSpecs = specs.filter((s) => s.namespace === specs[0]?.namespace).slice(0, 10);
  const prFiles = prSpecs.map((s) => `schemas/${schemaPath(s.namespace, s.name)}`);
  for (const s of prSpecs) {
    write(
      dir,
      `schemas/${schemaPath(s.namespace, s.name)}`,
      eventSchema(s, options.versions, ['viewability_ms']),
    );
  }
  must(dir, 'git', ['commit', '-q', '--no-gpg-sign', '-am', 'schemas: add viewability_ms']);
  // Pack the objects, as in a clone: compat reads thousands of blobs, and loose objects read several times slower.
  must(dir, 'git', ['gc', '--quiet', '--prune=now']);

  // The file touched by the incremental steps: an event in a namespace the PR does not touch.
  const middle = specs.filter((s) => s.namespace !== specs[0]?.namespace);
  const touchEventSpec = middle[Math.floor(middle.length / 2)] ?? (specs[0] as EventSpec);
  const finals = specs.map((spec) => eventSchema(spec, options.versions));
  const widths = finals.map((text) => (JSON.parse(text) as { fields: unknown[] }).fields.length);
  return {
    dir,
    specs,
    shape: {
      topLevelFieldsMin: Math.min(...widths),
      topLevelFieldsMax: Math.max(...widths),
      averageBytes: Math.round(finals.reduce((n, text) => n + text.length, 0) / finals.length),
    },
    files: specs.length + sharedTypes(1).size,
    projects: new Set([...specs.map((s) => s.namespace), COMMON_NAMESPACE]).size,
    prFiles,
    touchEvent: `schemas/${schemaPath(touchEventSpec.namespace, touchEventSpec.name)}`,
    touchEventSpec,
    commits: options.versions + 1,
  };
}

/** Checks the setup before timing anything: tools resolve, the tree is lint-clean and compatible. */
function verifyWorkspace(ws: Workspace, options: Options): Record<string, unknown> {
  const lint = run(ws.dir, 'avro-gov', ['lint', '--schemas', 'schemas', '--format', 'json']);
  const findings = JSON.parse(lint.stdout || '[]') as unknown[];
  if (lint.status !== 0 || findings.length > 0) {
    throw new Error(
      `generated workspace is not lint-clean (${findings.length} findings)\n${lint.stdout.slice(0, 4000)}`,
    );
  }
  const compat = run(ws.dir, 'avro-gov', ['compat', '--schemas', 'schemas', '--format', 'json']);
  const result = JSON.parse(compat.stdout) as {
    compatible: boolean;
    reports: { status: string; versions: string[] }[];
    findings: unknown[];
  };
  if (compat.status !== 0 || !result.compatible) {
    throw new Error(
      `generated workspace is not compatible\n${compat.stdout.slice(0, 4000)}\n${compat.stderr}`,
    );
  }
  const versionsChecked = result.reports.reduce((n, r) => n + r.versions.length, 0);
  const projects = JSON.parse(must(ws.dir, 'nx', ['show', 'projects', '--json'])) as string[];
  const schemaProjects = projects.filter((p) => p.startsWith('schemas-'));
  if (schemaProjects.length !== ws.projects) {
    throw new Error(`expected ${ws.projects} schema projects, Nx shows ${projects.join(', ')}`);
  }
  const graph = JSON.parse(must(ws.dir, 'nx', ['graph', '--file=stdout'])) as {
    graph: { dependencies: Record<string, { target: string }[]> };
  };
  const commonProject = `schemas-${COMMON_NAMESPACE}`;
  const dependents = Object.entries(graph.graph.dependencies).filter(([, deps]) =>
    deps.some((d) => d.target === commonProject),
  ).length;
  if (dependents !== options.namespaces) {
    throw new Error(
      `expected ${options.namespaces} projects depending on ${commonProject}, found ${dependents}`,
    );
  }
  return {
    lintFindings: findings.length,
    compatReports: result.reports.length,
    compatFindings: result.findings.length,
    previousVersionsChecked: versionsChecked,
    nxProjects: projects,
    dependentsOfCommon: dependents,
  };
}

// --- the measured steps -------------------------------------------------------------------------------------

interface Step {
  name: string;
  what: string;
  argv: string[];
  runs: number;
  /** Untimed work before each repetition (reset the cache, touch a file). */
  before?: (rep: number) => void;
  /** Untimed work after the last repetition (put a touched file back). */
  after?: () => void;
  /** What Nx's summary must say, so a misconfigured step cannot pass for a fast one. */
  expect?: { tasks: number; cacheHits: number };
}

interface StepResult {
  name: string;
  what: string;
  command: string;
  samples: Sample[];
  wallS: Stats;
  cpuS: Stats;
  maxRssMiB: Stats;
}

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

function runStep(ws: Workspace, step: Step): StepResult {
  const samples: Sample[] = [];
  for (let rep = 0; rep < step.runs; rep++) {
    step.before?.(rep);
    const { sample, output } = measure(ws.dir, step.argv);
    if (step.expect && (sample.tasks !== step.expect.tasks || sample.cacheHits !== step.expect.cacheHits)) {
      throw new Error(
        `${step.name}: expected ${step.expect.tasks} tasks with ${step.expect.cacheHits} cache hits, Nx reported ${sample.tasks} / ${sample.cacheHits}\n${output.slice(-3000)}`,
      );
    }
    samples.push(sample);
    const nx = sample.tasks === undefined ? '' : `, ${sample.tasks} tasks, ${sample.cacheHits} from cache`;
    console.error(
      `  ${step.name} #${rep + 1}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${sample.cpuS.toFixed(2)} s CPU${nx} (load ${sample.load1.toFixed(1)})`,
    );
  }
  step.after?.();
  return {
    name: step.name,
    what: step.what,
    command: step.argv.join(' '),
    samples,
    wallS: stats(samples.map((s) => s.wallMs / 1000)),
    cpuS: stats(samples.map((s) => s.cpuS)),
    maxRssMiB: stats(samples.map((s) => s.maxRssMiB)),
  };
}

function steps(ws: Workspace, options: Options): Step[] {
  const reset = (): void => void must(ws.dir, 'nx', ['reset']);
  const touch = (label: string) => (rep: number) =>
    // A new optional field with a name unique to this repetition: a real, compatible edit the cache has not seen.
    write(
      ws.dir,
      ws.touchEvent,
      eventSchema(ws.touchEventSpec, options.versions, [`bench_${label}_r${rep}`]),
    );
  const common = `schemas/${schemaPath(COMMON_NAMESPACE, 'Device')}`;
  const touchShared = (rep: number): void => {
    const device = JSON.parse(sharedTypes(options.versions).get('Device') ?? '{}') as { fields: unknown[] };
    device.fields.push({
      name: `bench_shared_r${rep}`,
      type: ['null', 'string'],
      default: null,
      doc: 'Touched.',
    });
    write(ws.dir, common, `${JSON.stringify(device, null, 2)}\n`);
  };
  const restore = (...files: string[]): void => void must(ws.dir, 'git', ['checkout', '-q', '--', ...files]);
  const all = ws.projects * 2;
  const ns = ws.touchEventSpec.namespace.split('.').join('/');
  const nx = ['nx', 'run-many', '-t', ...TARGETS.split(' ')];
  const affected = ['nx', 'affected', '-t', ...TARGETS.split(' '), '--base=main'];
  return [
    {
      name: 'nx project graph, cold',
      what: 'project graph only (createNodes + createDependencies over every .avsc), after nx reset',
      argv: ['nx', 'show', 'projects'],
      runs: options.runs,
      before: reset,
    },
    {
      name: 'nx run-many, cold',
      what: `every target runs: ${ws.projects} projects x 2 targets, after nx reset`,
      argv: nx,
      runs: options.coldRuns,
      before: reset,
      expect: { tasks: all, cacheHits: 0 },
    },
    {
      name: 'nx run-many, warm',
      what: 'same command again: every task from the local cache',
      argv: nx,
      runs: options.runs,
      expect: { tasks: all, cacheHits: all },
    },
    {
      name: 'nx run-many, 1 event touched',
      what: `warm cache, one event file edited (${ws.touchEvent}): its project's 2 tasks re-run`,
      argv: nx,
      runs: options.runs,
      before: touch('event'),
      expect: { tasks: all, cacheHits: all - 2 },
    },
    {
      name: 'nx run-many, 1 shared type touched',
      what: `warm cache, ${common} edited: its project and all ${options.namespaces} dependents re-run`,
      argv: nx,
      runs: options.coldRuns,
      before: (rep) => {
        restore(ws.touchEvent);
        touchShared(rep);
      },
      expect: { tasks: all, cacheHits: 0 },
    },
    {
      name: 'nx affected, cold (CI)',
      what: `nx reset, one event touched; affected vs main = the PR's namespace + the touched one, 4 tasks`,
      argv: affected,
      runs: options.coldRuns,
      before: (rep) => {
        restore(common);
        reset();
        touch('affected')(rep);
      },
      after: () => restore(ws.touchEvent),
      expect: { tasks: 4, cacheHits: 0 },
    },
    {
      name: 'nx affected, cold (CI), shared type',
      what: `nx reset, ${common} touched; affected vs main = every project (the shared type's dependents), ${all} tasks`,
      argv: affected,
      runs: options.coldRuns,
      before: (rep) => {
        reset();
        touchShared(rep);
      },
      after: () => restore(common),
      expect: { tasks: all, cacheHits: 0 },
    },
    {
      name: 'avro-gov lint, whole tree',
      what: 'plain CLI, no Nx',
      argv: ['avro-gov', 'lint', '--schemas', 'schemas'],
      runs: options.runs,
    },
    {
      name: 'avro-gov compat, whole tree',
      what: `plain CLI, no Nx: ${ws.specs.length} events vs git history (base = merge base with main)`,
      argv: ['avro-gov', 'compat', '--schemas', 'schemas'],
      runs: options.runs,
    },
    {
      name: 'avro-gov lint, 1 namespace',
      what: 'what one avro-lint task runs',
      argv: ['avro-gov', 'lint', `schemas/${ns}/*.avsc`, '--schemas', 'schemas'],
      runs: options.runs,
    },
    {
      name: 'avro-gov compat, 1 namespace',
      what: 'what one avro-compat task runs',
      argv: ['avro-gov', 'compat', `schemas/${ns}/*.avsc`, '--schemas', 'schemas'],
      runs: options.runs,
    },
    {
      name: 'avro-gov compat, shared-type namespace',
      what: `what the ${COMMON_NAMESPACE} avro-compat task runs: every event using a shared type`,
      argv: [
        'avro-gov',
        'compat',
        `schemas/${COMMON_NAMESPACE.split('.').join('/')}/*.avsc`,
        '--schemas',
        'schemas',
      ],
      runs: options.runs,
    },
  ];
}

// --- report -------------------------------------------------------------------------------------------------

function table(results: readonly StepResult[]): string {
  const f = (s: Stats, digits = 2): string =>
    `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  const rows = results.map((r) => {
    const last = r.samples.at(-1);
    const tasks = last?.tasks === undefined ? '' : `${last.tasks - (last.cacheHits ?? 0)} / ${last.tasks}`;
    const load = stats(r.samples.map((x) => x.load1)).median.toFixed(1);
    return [r.name, String(r.samples.length), f(r.wallS), f(r.cpuS), f(r.maxRssMiB, 0), tasks, load];
  });
  const header = [
    'step',
    'n',
    'wall s, median (min–max)',
    'CPU s, median (min–max)',
    'max RSS MiB',
    'tasks run / total',
    'load (1 min)',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function machine(): Record<string, unknown> {
  const version = (cmd: string, args: string[]): string => must(ROOT, cmd, args).trim().split('\n')[0] ?? '';
  const nxVersion = (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules/nx/package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    nx: nxVersion,
    git: version('git', ['--version']),
  };
}

/** Which code was measured: the commit, uncommitted changes, and a hash of the sources that actually run. */
function codeUnderTest(): { commit: string; uncommitted: string[]; sourceHash: string } {
  const commit = must(ROOT, 'git', ['rev-parse', 'HEAD']).trim();
  const status = must(ROOT, 'git', ['status', '--porcelain', '--', 'libs/governance', 'tools/nx-avro']);
  const hash = createHash('sha256');
  for (const dir of ['libs/governance/src', 'tools/nx-avro/src']) {
    const files = readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).sort();
    for (const rel of files) {
      const file = path.join(ROOT, dir, rel);
      if (!statSync(file).isFile()) continue;
      hash.update(`${dir}/${rel}\0`).update(readFileSync(file)).update('\0');
    }
  }
  return {
    commit,
    uncommitted: status.split('\n').filter((line) => line.trim() !== ''),
    sourceHash: hash.digest('hex').slice(0, 16),
  };
}

function main(): void {
  const options = parseOptions();
  const started = new Date();
  const host = machine();
  const code = codeUnderTest();
  console.error(
    `governance bench: ${options.schemas} events x ${options.versions} versions over ${options.namespaces} namespaces, ${options.runs} runs (${options.coldRuns} cold)`,
  );
  let t = performance.now();
  const ws = createWorkspace(options);
  const setupS = (performance.now() - t) / 1000;
  console.error(
    `workspace: ${ws.dir} (${ws.files} schema files in ${ws.projects} namespaces, ${ws.shape.topLevelFieldsMin}-${ws.shape.topLevelFieldsMax} top-level fields and ${ws.shape.averageBytes} bytes per event, ${ws.commits} commits, ${setupS.toFixed(1)} s)`,
  );
  let results: StepResult[] = [];
  let verification: Record<string, unknown> = {};
  try {
    t = performance.now();
    verification = verifyWorkspace(ws, options);
    console.error(
      `verified: ${verification['lintFindings']} lint findings, ${verification['compatReports']} compatible events checked against ${verification['previousVersionsChecked']} previous versions (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    results = steps(ws, options).map((step) => runStep(ws, step));
  } finally {
    if (options.keep) console.error(`kept: ${ws.dir}`);
    else rmSync(ws.dir, { recursive: true, force: true });
  }
  console.log(table(results));
  // Other work may edit the core while this runs; say so rather than report numbers for an unknown mix.
  if (codeUnderTest().sourceHash !== code.sourceHash) {
    console.error(
      'warning: libs/governance or tools/nx-avro changed during the run; numbers may mix versions',
    );
  }
  const report = {
    benchmark: 'governance: lint + compatibility',
    startedAt: started.toISOString(),
    command: `node bench/governance/lint-compat.ts ${process.argv.slice(2).join(' ')}`.trim(),
    options,
    machine: { ...host, loadAverageAtEnd: os.loadavg() },
    code,
    workspace: {
      eventSchemas: ws.specs.length,
      sharedTypes: ws.files - ws.specs.length,
      schemaFiles: ws.files,
      namespaces: options.namespaces,
      nxSchemaProjects: ws.projects,
      commits: ws.commits,
      prFiles: ws.prFiles.length,
      touchedEvent: ws.touchEvent,
      ...ws.shape,
      nxParallel: 3,
      setupSeconds: setupS,
      ...verification,
    },
    steps: results,
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `governance-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`results: ${path.relative(ROOT, out)}`);
}

main();
