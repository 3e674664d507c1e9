// Plain-Node entry for the loopback web host (`npm run web`; `npm start` falls back to it
// when the Electron runtime is not installed). Prints one JSON line with the URL to open.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppContext } from '../app/context';
import { startRegisterApi } from '../register/start';
import { startWebHost } from './web';

const { values } = parseArgs({
  options: { port: { type: 'string' }, static: { type: 'string' } },
  allowPositionals: false,
});

const ctx = createAppContext({ host: 'web' });
const host = await startWebHost({
  router: ctx.router,
  bus: ctx.bus,
  log: ctx.log,
  staticDir: resolve(values.static ?? 'dist/renderer'),
  port: values.port ? Number(values.port) : 0,
});
const register = await startRegisterApi(ctx);
// The page can load before the till is ready; its calls say "still starting" until then.
void ctx.startTill().then(() => ctx.refreshHealth());
process.stdout.write(JSON.stringify({ url: host.url, open: host.launchUrl, dataDir: ctx.dataDir.path, ...(register ? { register: register.url } : {}) }) + '\n');

const stop = async () => {
  await ctx.close();
  await host.close();
  await register?.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
