// `npm run sim -- [--port N] [--mode pubkey|cert|migrating] [--state DIR] [--faults SPEC] [--seed N]`
// Starts the simulator and, once it listens, prints exactly one JSON line on stdout: the
// credentials line (docs/contracts.md#simulator-credentials-line). Everything else goes to stderr. Exit 2 on bad usage.
import { UsageError } from '../cli/exit-codes';
import { optionsFromArgs, USAGE } from './cli-options';
import { startSimulator } from './server';

async function main(): Promise<void> {
  let options;
  try {
    options = optionsFromArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sim = await startSimulator(options);
  process.stdout.write(`${JSON.stringify(sim.credentials)}\n`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
