// Orchestration: up (idempotent, concurrent, bounded readiness), down (only our pids), status and logs.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName, StackConfig } from './config.ts';
import {
  DEFAULT_SERVICES,
  OPTIONAL_SERVICES,
  parseServices,
  SERVICE_NAMES,
  servicePorts,
  SETTINGS,
} from './config.ts';
import { StackError } from './errors.ts';
import type { StackLogger } from './log.ts';
import { consoleLogger, stepLog } from './log.ts';
import { assertPortsFree } from './ports.ts';
import type { Daemon } from './proc.ts';
import { readPidState, removePidFile, residentBytes, stopByPidFile, tailFile } from './proc.ts';
import { hdfs } from './services/hdfs.ts';
import { kafka, kafkaDr, kafkaSecure } from './services/kafka.ts';
import { mirrormaker } from './services/mirrormaker.ts';
import { npm } from './services/npm.ts';
import { keycloak } from './services/keycloak.ts';
import { registry, registrySecure } from './services/registry.ts';
import type { ServiceContext, ServiceDef } from './services/service.ts';
import { cacheDir, logFile, pidFile, serviceDir } from './services/service.ts';

export const SERVICES: Readonly<Record<ServiceName, ServiceDef>> = {
  kafka,
  hdfs,
  registry,
  npm,
  'kafka-dr': kafkaDr,
  mirrormaker,
  'kafka-secure': kafkaSecure,
  keycloak,
  'registry-secure': registrySecure,
};

/** `services` and everything they depend on, transitively, in SERVICE_NAMES order. */
export function withDependencies(services: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set<ServiceName>();
  const add = (name: ServiceName): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    SERVICES[name].dependsOn.forEach(add);
  };
  services.forEach(add);
  return SERVICE_NAMES.filter((name) => wanted.has(name));
}

/**
 * Runs `task` for each service, a service only after the tasks of the services it depends on (`order`
 * 'dependencies-first', for up) or of those depending on it (`order` 'dependents-first', for down) settled.
 */
function inDependencyOrder<T>(
  services: readonly ServiceName[],
  order: 'dependencies-first' | 'dependents-first',
  task: (name: ServiceName, blockers: readonly { name: ServiceName; failed: boolean }[]) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const running = new Map<ServiceName, Promise<T>>();
  const blockersOf = (name: ServiceName): ServiceName[] =>
    order === 'dependencies-first'
      ? SERVICES[name].dependsOn.filter((d) => services.includes(d))
      : services.filter((other) => SERVICES[other].dependsOn.includes(name));
  const run = (name: ServiceName): Promise<T> => {
    const existing = running.get(name);
    if (existing !== undefined) return existing;
    const blockers = blockersOf(name);
    const promise = Promise.allSettled(blockers.map(run)).then((settled) =>
      task(
        name,
        blockers.map((b, i) => ({ name: b, failed: settled[i]?.status === 'rejected' })),
      ),
    );
    running.set(name, promise);
    return promise;
  };
  return Promise.allSettled(services.map(run));
}

/** How long a daemon gets between SIGTERM and SIGKILL. */
const STOP_GRACE_MS = 30_000;

export interface UpOptions {
  /**
   * Services to start, with the services they depend on; DEFAULT_SERVICES when omitted or empty (the
   * optional DR services start only when named).
   */
  readonly services?: readonly string[];
  readonly log?: StackLogger;
}

export interface UpResult {
  readonly started: ServiceName[];
  readonly alreadyRunning: ServiceName[];
}

function context(config: StackConfig, service: ServiceName, log: StackLogger, t0: number): ServiceContext {
  return {
    config,
    dir: serviceDir(config, service),
    cacheDir: cacheDir(config, SERVICES[service].cache),
    log: stepLog(log, service, t0),
  };
}

type RoleStates = { role: string; state: ReturnType<typeof readPidState> }[];

function roleStates(config: StackConfig, def: ServiceDef): RoleStates {
  return def.roles.map((role) => ({ role, state: readPidState(pidFile(config, def.name, role)) }));
}

/** Polls a service's probe until it is ready, a daemon exits, or the timeout passes. */
async function waitReady(ctx: ServiceContext, def: ServiceDef, daemons: readonly Daemon[]): Promise<void> {
  const { config } = ctx;
  const deadline = Date.now() + config.readyTimeoutMs;
  let last = 'no check ran yet';
  let lastLogged = 0;
  for (;;) {
    const dead = daemons.find((d) => d.exit !== undefined);
    if (dead !== undefined) {
      const role = def.roles[daemons.indexOf(dead)] ?? def.name;
      const log = logFile(config, def.name, role);
      throw new StackError(
        'START_FAILED',
        `${def.name}: ${role} exited during start-up (code ${String(dead.exit?.code)}, signal ${String(dead.exit?.signal)}). ` +
          `Last lines of ${log}:\n${tailFile(log)}`,
        { service: def.name, context: { file: log } },
      );
    }
    const result = await def.probe(ctx);
    if (result === true) return;
    last = result;
    if (Date.now() >= deadline) break;
    if (Date.now() - lastLogged > 10_000) {
      ctx.log('wait', `not ready yet: ${last}`);
      lastLogged = Date.now();
    }
    await sleep(500);
  }
  const tails = def.roles
    .map(
      (role) =>
        `--- ${logFile(config, def.name, role)} (last lines) ---\n${tailFile(logFile(config, def.name, role))}`,
    )
    .join('\n');
  throw new StackError(
    'READY_TIMEOUT',
    `${def.name}: not ready after ${config.readyTimeoutMs / 1000}s (last check: ${last}). ` +
      `Raise ${SETTINGS.readyTimeout.env} if the machine is just slow.\n${tails}`,
    { service: def.name, retriable: true },
  );
}

async function stopRoles(config: StackConfig, def: ServiceDef): Promise<string[]> {
  // The DataNode goes before the NameNode, as `stop-dfs.sh` does.
  const roles = [...def.roles].reverse();
  const outcomes: string[] = [];
  for (const role of roles) {
    const outcome = await stopByPidFile(pidFile(config, def.name, role), STOP_GRACE_MS);
    outcomes.push(`${role} ${outcome}`);
  }
  return outcomes;
}

/** Starts one service unless it already runs. Returns whether this call started it. */
async function upOne(
  config: StackConfig,
  def: ServiceDef,
  ctx: ServiceContext,
): Promise<'started' | 'already-running'> {
  const t0 = Date.now();
  let states = roleStates(config, def);
  for (const { role, state } of states) {
    if (state.kind === 'stale') {
      ctx.log('check', `stale pid file for ${role} (${state.reason}); removed`);
      removePidFile(pidFile(config, def.name, role));
    }
  }
  states = roleStates(config, def);
  const running = states.filter((s) => s.state.kind === 'running');
  if (running.length === def.roles.length) {
    ctx.log(
      'check',
      `already running (${running.map((s) => `${s.role} pid ${s.state.kind === 'running' ? s.state.pid : '?'}`).join(', ')}); checking readiness`,
    );
    await waitReady(ctx, def, []);
    ctx.log('ready', 'already running and ready');
    return 'already-running';
  }
  if (running.length > 0) {
    ctx.log('check', `only ${running.map((s) => s.role).join(', ')} running; restarting the service`);
    await stopRoles(config, def);
  }
  await assertPortsFree(def.name, servicePorts(config, def.name));
  mkdirSync(ctx.dir, { recursive: true });
  await def.prepare(ctx);
  ctx.log('start', `starting ${def.roles.join(' + ')}`);
  const daemons = await def.start(ctx);
  try {
    await waitReady(ctx, def, daemons);
  } catch (error) {
    ctx.log('stop', 'start-up failed; stopping what was started');
    await stopRoles(config, def);
    throw error;
  }
  const rss = daemons.map((d) => residentBytes(d.pid) ?? 0).reduce((a, b) => a + b, 0);
  ctx.log(
    'ready',
    `ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (pid ${daemons.map((d) => d.pid).join(', ')}, RSS ${Math.round(rss / 2 ** 20)} MiB)`,
  );
  return 'started';
}

/**
 * Starts the requested services (DEFAULT_SERVICES by default) and those they depend on, concurrently except
 * that a service waits for its dependencies to be ready, and waits until each is really usable. If any
 * fails, the services this call started are stopped again and the error is thrown.
 */
export async function up(config: StackConfig, options: UpOptions = {}): Promise<UpResult> {
  const services = withDependencies(parseServices(options.services ?? [], DEFAULT_SERVICES));
  const logger = options.log ?? consoleLogger;
  const t0 = Date.now();
  const log = stepLog(logger, undefined, t0);
  mkdirSync(config.stackDir, { recursive: true });
  log('up', `services ${services.join(', ')}; data in ${config.stackDir}`);
  const outcomes = await inDependencyOrder(services, 'dependencies-first', (name, dependencies) => {
    const failed = dependencies.filter((d) => d.failed).map((d) => d.name);
    if (failed.length > 0) {
      return Promise.reject(
        new StackError('START_FAILED', `${name}: not started because ${failed.join(', ')} did not start`, {
          service: name,
        }),
      );
    }
    return upOne(config, SERVICES[name], context(config, name, logger, t0));
  });
  const started: ServiceName[] = [];
  const alreadyRunning: ServiceName[] = [];
  const failures: unknown[] = [];
  outcomes.forEach((outcome, i) => {
    const name = services[i] as ServiceName;
    if (outcome.status === 'rejected') failures.push(outcome.reason);
    else if (outcome.value === 'started') started.push(name);
    else alreadyRunning.push(name);
  });
  if (failures.length > 0) {
    if (started.length > 0) {
      log('stop', `stopping ${started.join(', ')} again because another service failed`);
      await down(config, { services: started, log: logger });
    }
    const first = failures[0];
    if (failures.length === 1) throw first;
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n\n');
    throw new StackError(first instanceof StackError ? first.code : 'START_FAILED', messages, {
      cause: first,
      service: first instanceof StackError ? first.service : undefined,
      retriable: failures.every((f) => f instanceof StackError && f.retriable),
    });
  }
  log(
    'up',
    `done in ${((Date.now() - t0) / 1000).toFixed(1)}s; started: ${started.join(', ') || 'none'}; already running: ${alreadyRunning.join(', ') || 'none'}`,
  );
  return { started, alreadyRunning };
}

export interface DownOptions {
  /** Services to stop; every service, optional ones included, when omitted or empty. */
  readonly services?: readonly string[];
  /** Also delete the services' data folders (downloads in <stack dir>/cache are kept). */
  readonly wipe?: boolean;
  readonly log?: StackLogger;
}

export interface DownResult {
  readonly stopped: ServiceName[];
  readonly notRunning: ServiceName[];
}

/**
 * Stops the processes `up` started, found through pid files that still name our own processes. A service
 * stops before the services it depends on (MirrorMaker before the clusters it reads and writes).
 */
export async function down(config: StackConfig, options: DownOptions = {}): Promise<DownResult> {
  const services = parseServices(options.services ?? []);
  const logger = options.log ?? consoleLogger;
  const t0 = Date.now();
  const settled = await inDependencyOrder(services, 'dependents-first', async (name) => {
    const log = stepLog(logger, name, t0);
    const outcomes = await stopRoles(config, SERVICES[name]);
    const didStop = outcomes.some((o) => o.endsWith(' stopped') || o.endsWith(' killed'));
    log('stop', outcomes.join(', '));
    if (options.wipe === true) {
      rmSync(serviceDir(config, name), { recursive: true, force: true });
      log('wipe', `deleted ${serviceDir(config, name)}`);
    }
    return { name, didStop };
  });
  const results = settled.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
  return {
    stopped: results.filter((r) => r.didStop).map((r) => r.name),
    notRunning: results.filter((r) => !r.didStop).map((r) => r.name),
  };
}

export interface ServiceStatus {
  readonly service: ServiceName;
  readonly state: 'running' | 'stopped' | 'partial';
  readonly processes: {
    role: string;
    pid: number | undefined;
    rssBytes: number | undefined;
    note?: string;
  }[];
  /** Result of one readiness check, when running. */
  readonly ready: boolean | undefined;
  readonly detail: string | undefined;
}

/** The default services plus the optional ones that have a pid file (running, partly, or stale). */
function defaultsAndStarted(config: StackConfig): ServiceName[] {
  const started = OPTIONAL_SERVICES.filter((name) =>
    SERVICES[name].roles.some((role) => readPidState(pidFile(config, name, role)).kind !== 'absent'),
  );
  return [...DEFAULT_SERVICES, ...started];
}

/** Named services, or by default DEFAULT_SERVICES and the optional services that were started. */
export async function status(
  config: StackConfig,
  options: { services?: readonly string[] } = {},
): Promise<ServiceStatus[]> {
  const services = parseServices(options.services ?? [], defaultsAndStarted(config));
  return Promise.all(
    services.map(async (name): Promise<ServiceStatus> => {
      const def = SERVICES[name];
      const states = roleStates(config, def);
      const processes = states.map(({ role, state }) =>
        state.kind === 'running'
          ? { role, pid: state.pid, rssBytes: residentBytes(state.pid) }
          : {
              role,
              pid: undefined,
              rssBytes: undefined,
              ...(state.kind === 'stale' ? { note: `stale pid file: ${state.reason}` } : {}),
            },
      );
      const runningCount = processes.filter((p) => p.pid !== undefined).length;
      const state =
        runningCount === 0 ? 'stopped' : runningCount === def.roles.length ? 'running' : 'partial';
      if (state !== 'running')
        return { service: name, state, processes, ready: undefined, detail: undefined };
      const probe = await def
        .probe(context(config, name, () => {}, Date.now()))
        .catch((e: unknown) => String(e));
      return {
        service: name,
        state,
        processes,
        ready: probe === true,
        detail: probe === true ? undefined : probe,
      };
    }),
  );
}

/** The last lines of each process log of the named services; by default of those that have logs. */
export function logs(
  config: StackConfig,
  options: { services?: readonly string[]; lines?: number } = {},
): string {
  const withLogs = SERVICE_NAMES.filter(
    (name) =>
      (DEFAULT_SERVICES as readonly ServiceName[]).includes(name) ||
      SERVICES[name].roles.some((role) => existsSync(logFile(config, name, role))),
  );
  const services = parseServices(options.services ?? [], withLogs);
  return services
    .flatMap((name) =>
      SERVICES[name].roles.map((role) => {
        const file = logFile(config, name, role);
        return `=== ${name}/${role}: ${file} ===\n${tailFile(file, options.lines ?? 40)}`;
      }),
    )
    .join('\n\n');
}
