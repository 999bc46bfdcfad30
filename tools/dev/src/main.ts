// The README's main-job command. Today it brings the real local stack up (each service is ready only after
// a real round trip: a Kafka metadata call, a WebHDFS write and read, registry and npm pings), shows where
// everything listens, and stops what it started. It grows into the full pipeline demo.
import { parseArgs } from 'node:util';
import { down, endpoints, loadStackConfig, status, up } from '@adlake/stack';

const HELP = `Usage: npm run main [-- --keep-stack]

Starts the local stack (Kafka, HDFS, the Confluent-compatible schema registry, the npm registry) if it is
not running, waits until each service answers a real request, prints the endpoints, then stops the
services it started.

Options:
  --keep-stack   leave the stack running afterwards (stop it with: npm run stack -- down)
  --help         show this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'keep-stack': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadStackConfig();
  const started = Date.now();
  const result = await up(config, {});
  try {
    const urls = endpoints(config);
    console.log(`\nstack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  started now:      ${result.started.join(', ') || '(none)'}`);
    console.log(`  already running:  ${result.alreadyRunning.join(', ') || '(none)'}`);
    console.log(`  kafka:            ${urls.kafkaBrokers.join(',')}`);
    console.log(`  schema registry:  ${urls.registryUrl}`);
    console.log(`  webhdfs:          ${urls.webhdfsUrl} (service user ${urls.hdfsUser})`);
    console.log(`  npm registry:     ${urls.npmRegistryUrl} (token in ${urls.npmrcPath})`);
    console.log('');
    console.log(JSON.stringify(await status(config), null, 2));
  } finally {
    if (!values['keep-stack'] && result.started.length > 0) {
      console.log(`\nstopping what this run started: ${result.started.join(', ')}`);
      await down(config, { services: result.started });
    }
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
