// The load side of bench:server, in its own process so the bench's CPU time is the server's
// alone: reads the prepared deliveries from the JSON file it is given, posts them `inFlight`
// at a time, and prints one JSON line with how many were answered 204 and how long it took.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const { origin, path, batch, inFlight } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
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
process.stdout.write(`${JSON.stringify({ accepted, seconds })}\n`);
