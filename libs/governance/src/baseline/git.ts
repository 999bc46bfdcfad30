// Previous versions of schema files from git history, read with two git processes however many files.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { GovernanceError } from '../errors.ts';

export interface HistoricVersion {
  /** Short commit id, or another label for non-git baselines. */
  version: string;
  /** Where the text came from, e.g. `git:1a2b3c4:schemas/com/acme/X.avsc`. */
  source: string;
  text: string;
  /** Full commit id, for git versions: other files are read as they were at this commit. */
  commit?: string;
}

export interface GitHistoryOptions {
  /** Any directory inside the repository; paths are resolved against it. */
  cwd: string;
  /** Schema files, relative to `cwd`. */
  files: readonly string[];
  /** The newest commit whose versions count as "previous"; default: the merge base of HEAD and main. */
  base?: string;
  /** Branch the default base is computed against (`main`, or `origin/main` when only that exists). */
  mainBranch?: string;
  /** Answers to reuse across calls in one process (see GitReadCache). */
  cache?: GitReadCache;
}

/**
 * What git answers that cannot change while one process runs many checks of one repository: the top level of
 * a directory, a base ref resolved to a commit, and blobs by full commit id and path (a commit's tree is
 * immutable). The Nx batch executor shares one across its tasks, so a blob every task needs is read once.
 * Not for a long-lived process: a branch moving under it would not be seen.
 */
export class GitReadCache {
  readonly #tops = new Map<string, Promise<string>>();
  readonly #bases = new Map<string, Promise<string>>();
  readonly #blobs = new Map<string, string | undefined>();
  readonly #readers = new Map<string, BlobReader>();

  /** The repository's top level for a directory inside it. */
  top(cwd: string): Promise<string> {
    return memo(this.#tops, resolve(cwd), () => topLevel(cwd));
  }

  /** The commit a base option resolves to (the merge base with main when none is given). */
  base(cwd: string, options: GitHistoryOptions): Promise<string> {
    const key = `${resolve(cwd)}\0${options.base ?? ''}\0${options.mainBranch ?? ''}`;
    return memo(this.#bases, key, () => resolveBase(options));
  }

  /** Blob texts by top level, commit and path; undefined for a path absent at that commit. */
  get blobs(): Map<string, string | undefined> {
    return this.#blobs;
  }

  /** One `git cat-file --batch` per repository for the cache's life, instead of one per read. */
  reader(top: string): BlobReader {
    let reader = this.#readers.get(top);
    if (reader === undefined) {
      reader = new BlobReader(top);
      this.#readers.set(top, reader);
    }
    return reader;
  }

  /** Ends the git processes the cache started; it can still be used, and starts them again. */
  close(): void {
    for (const reader of this.#readers.values()) reader.close();
    this.#readers.clear();
  }
}

/**
 * A running `git cat-file --batch`: each request is a line of specs, each answer a header and the blob, in
 * order. Starting git once matters in a process holding a large heap, where every spawn copies its mappings.
 */
class BlobReader {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: {
    spec: string;
    resolve: (blob: Buffer | undefined) => void;
    reject: (e: Error) => void;
  }[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #failure: GovernanceError | undefined;

  constructor(top: string) {
    this.#child = spawn('git', ['cat-file', '--batch'], { cwd: top, stdio: ['pipe', 'pipe', 'pipe'] });
    const errors: Buffer[] = [];
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#answer();
    });
    this.#child.stderr.on('data', (c: Buffer) => errors.push(c));
    this.#child.on('error', (cause) =>
      this.#fail(new GovernanceError('GIT_ERROR', `cannot run git: ${cause.message}`, { cause })),
    );
    this.#child.on('close', (code) => {
      const said = Buffer.concat(errors).toString('utf8').trim();
      this.#fail(new GovernanceError('GIT_ERROR', said || `git cat-file exited with ${code}`));
    });
    this.#child.stdin.on('error', () => undefined);
    this.#hold(false);
  }

  /** The blob each spec names, or undefined where git answers "missing". */
  read(specs: readonly string[]): Promise<(Buffer | undefined)[]> {
    if (specs.length === 0) return Promise.resolve([]);
    const answers = specs.map(
      (spec) =>
        new Promise<Buffer | undefined>((resolve, reject) => {
          if (this.#failure !== undefined) reject(this.#failure);
          else {
            this.#waiting.push({ spec, resolve, reject });
            this.#hold(true);
          }
        }),
    );
    if (this.#failure === undefined) this.#child.stdin.write(`${specs.join('\n')}\n`);
    return Promise.all(answers);
  }

  close(): void {
    this.#child.stdin.end();
  }

  #answer(): void {
    let at = 0;
    while (this.#waiting.length > 0) {
      const headerEnd = this.#buffer.indexOf(0x0a, at);
      if (headerEnd < 0) break;
      const header = this.#buffer.subarray(at, headerEnd).toString('utf8');
      const next = this.#waiting[0];
      if (next === undefined) break;
      if (header.endsWith(' missing')) {
        this.#waiting.shift();
        next.resolve(undefined);
        at = headerEnd + 1;
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (!Number.isFinite(size)) {
        this.#waiting.shift();
        next.reject(new GovernanceError('GIT_ERROR', `git could not read ${next.spec}`));
        at = headerEnd + 1;
        continue;
      }
      if (this.#buffer.length < headerEnd + 1 + size + 1) break;
      this.#waiting.shift();
      next.resolve(this.#buffer.subarray(headerEnd + 1, headerEnd + 1 + size));
      at = headerEnd + 1 + size + 1;
    }
    this.#buffer = this.#buffer.subarray(at);
    if (this.#waiting.length === 0) this.#hold(false);
  }

  /** Keeps the process alive while an answer is awaited, and only then: an idle reader never holds it open. */
  #hold(on: boolean): void {
    const { stdin, stdout, stderr } = this.#child;
    for (const handle of [this.#child, stdin, stdout, stderr] as { ref?(): void; unref?(): void }[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }

  #fail(error: GovernanceError): void {
    this.#failure ??= error;
    for (const w of this.#waiting.splice(0)) w.reject(this.#failure);
  }
}

function memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
    // A failure is not an answer worth keeping: the next caller asks git again and reports its own error.
    value.catch(() => map.delete(key));
  }
  return value;
}

async function topLevel(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/**
 * For each file, its distinct versions in the history of `base`, oldest first (consecutive identical
 * contents collapse into one). A file with no history yet maps to an empty list: it is new.
 * Renames are not followed: a renamed file starts a new history, as a new subject would.
 */
export async function gitHistory(options: GitHistoryOptions): Promise<Map<string, HistoricVersion[]>> {
  const top = await (options.cache?.top(options.cwd) ?? topLevel(options.cwd));
  const base = await (options.cache?.base(options.cwd, options) ?? resolveBase(options));
  const byRepoPath = new Map<string, string>();
  for (const file of options.files) {
    byRepoPath.set(relative(top, resolve(options.cwd, file)).split(sep).join('/'), file);
  }
  const result = new Map<string, HistoricVersion[]>(options.files.map((f) => [f, []]));
  if (byRepoPath.size === 0) return result;

  // One log over all paths: commit ids oldest first, each followed by the files it added or modified.
  const log = await git(top, [
    'log',
    '--reverse',
    '--no-renames',
    '--format=%x00%H',
    '--name-status',
    base,
    '--',
    ...byRepoPath.keys(),
  ]);
  const wanted: { file: string; commit: string; repoPath: string }[] = [];
  for (const block of log.split('\0').slice(1)) {
    const [commit = '', ...lines] = block.split('\n');
    for (const line of lines) {
      const [status, repoPath] = line.split('\t');
      if (status === undefined || repoPath === undefined || status.startsWith('D')) continue;
      const file = byRepoPath.get(repoPath);
      if (file !== undefined) wanted.push({ file, commit: commit.trim(), repoPath });
    }
  }
  const texts = await catFiles(
    top,
    wanted.map((w) => `${w.commit}:${w.repoPath}`),
    false,
    options.cache,
  );
  wanted.forEach((w, i) => {
    const versions = result.get(w.file) ?? [];
    const text = texts[i] ?? '';
    if (versions.at(-1)?.text === text) return;
    const short = w.commit.slice(0, 7);
    versions.push({ version: short, source: `git:${short}:${w.repoPath}`, text, commit: w.commit });
    result.set(w.file, versions);
  });
  return result;
}

async function resolveBase(options: GitHistoryOptions): Promise<string> {
  if (options.base !== undefined) {
    try {
      return (
        await git(options.cwd, ['rev-parse', '--verify', '--quiet', `${options.base}^{commit}`])
      ).trim();
    } catch {
      throw new GovernanceError('GIT_ERROR', `git base "${options.base}" does not exist in this repository`, {
        context: { configKey: '--base' },
      });
    }
  }
  const candidates =
    options.mainBranch === undefined ? ['main', 'origin/main', 'master'] : [options.mainBranch];
  for (const branch of candidates) {
    try {
      return (await git(options.cwd, ['merge-base', 'HEAD', branch])).trim();
    } catch {
      // try the next candidate
    }
  }
  throw new GovernanceError(
    'GIT_ERROR',
    `cannot find a merge base of HEAD with ${candidates.join(' or ')}; pass --base <ref> to say what to compare against`,
    { context: { configKey: '--base' } },
  );
}

/**
 * Reads files as they were at given commits (`{ commit, file }`, file relative to `cwd`), through one git
 * process; a file absent at its commit reads as `undefined`.
 */
export async function readFilesAt(
  cwd: string,
  wanted: readonly { commit: string; file: string }[],
  cache?: GitReadCache,
): Promise<(string | undefined)[]> {
  if (wanted.length === 0) return [];
  const top = await (cache?.top(cwd) ?? topLevel(cwd));
  const specs = wanted.map((w) => `${w.commit}:${relative(top, resolve(cwd, w.file)).split(sep).join('/')}`);
  return catFiles(top, specs, true, cache);
}

/**
 * Reads many blobs through one `git cat-file --batch` process. Specs name full commit ids, so a cached
 * answer (a text, or "missing" when tolerant) is the answer git would give again.
 */
async function catFiles(
  cwd: string,
  specs: readonly string[],
  tolerant: false,
  cache?: GitReadCache,
): Promise<string[]>;
async function catFiles(
  cwd: string,
  specs: readonly string[],
  tolerant: true,
  cache?: GitReadCache,
): Promise<(string | undefined)[]>;
async function catFiles(
  cwd: string,
  specs: readonly string[],
  tolerant: boolean,
  cache?: GitReadCache,
): Promise<(string | undefined)[]> {
  if (cache === undefined) return readBlobs(cwd, specs, tolerant);
  const key = (spec: string): string => `${cwd}\0${spec}`;
  const missing = [...new Set(specs.filter((spec) => !cache.blobs.has(key(spec))))];
  const read = await cache.reader(cwd).read(missing);
  missing.forEach((spec, i) => cache.blobs.set(key(spec), read[i]?.toString('utf8')));
  return specs.map((spec) => {
    const text = cache.blobs.get(key(spec));
    if (text === undefined && !tolerant) throw new GovernanceError('GIT_ERROR', `git could not read ${spec}`);
    return text;
  });
}

async function readBlobs(
  cwd: string,
  specs: readonly string[],
  tolerant: boolean,
): Promise<(string | undefined)[]> {
  if (specs.length === 0) return [];
  const out = await git(cwd, ['cat-file', '--batch'], `${specs.join('\n')}\n`, 'buffer');
  const texts: (string | undefined)[] = [];
  let at = 0;
  for (const spec of specs) {
    const headerEnd = out.indexOf(0x0a, at);
    const header = out.subarray(at, headerEnd).toString('utf8');
    if (header.endsWith(' missing') && tolerant) {
      texts.push(undefined);
      at = headerEnd + 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (header.endsWith(' missing') || !Number.isFinite(size)) {
      throw new GovernanceError('GIT_ERROR', `git could not read ${spec}`);
    }
    texts.push(out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    at = headerEnd + 1 + size + 1;
  }
  return texts;
}

function git(cwd: string, args: string[], input?: string): Promise<string>;
function git(cwd: string, args: string[], input: string, as: 'buffer'): Promise<Buffer>;
function git(cwd: string, args: string[], input?: string, as?: 'buffer'): Promise<string | Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errors.push(c));
    child.on('error', (cause) =>
      reject(new GovernanceError('GIT_ERROR', `cannot run git: ${cause.message}`, { cause })),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        const message = Buffer.concat(errors).toString('utf8').trim() || `git ${args[0]} exited with ${code}`;
        reject(new GovernanceError('GIT_ERROR', message));
        return;
      }
      const out = Buffer.concat(chunks);
      resolvePromise(as === 'buffer' ? out : out.toString('utf8'));
    });
    // git may exit before reading its input (a bad ref); its exit code tells the story, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
