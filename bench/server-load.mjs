// The load side of bench:server, in its own thread so the server's event loop measures only
// the server: posts the prepared deliveries, `inFlight` at a time, and counts the 204s.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { origin, path, batch, inFlight } = workerData;
const pool = new Pool(origin, { connections: inFlight, pipelining: 1 });
let next = 0;
let accepted = 0;
const t0 = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < batch.length; i = next++) {
      const d = batch[i];
      const res = await pool.request({ method: 'POST', path, headers: d.headers, body: d.body });
      await res.body.dump();
      if (res.statusCode === 204) accepted += 1;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await pool.close();
parentPort.postMessage({ accepted, seconds });
