/**
 * The fast-forward's floor, run in its own process as the sandbox is: `count` POSTs of `body` to `url` with node:http
 * and a kept-alive pool (what the sandbox's deliveries use), `concurrency` at a time. Prints
 * `{"ms": …, "cpuUs": …}` (wall time of the deliveries, this process's CPU per delivery).
 *
 * Arguments: url count concurrency content-type; the body on stdin.
 */
import { Agent, request } from 'node:http';

const [url, countText, concurrencyText, contentType] = process.argv.slice(2);
const target = new URL(url!);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const body = Buffer.concat(chunks);
const agent = new Agent({ keepAlive: true });

const post = () =>
  new Promise<void>((resolve, reject) => {
    const outgoing = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        agent,
        headers: { 'content-type': contentType!, 'content-length': String(body.byteLength) },
      },
      (reply) => {
        reply.resume();
        reply.once('end', resolve);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });

for (let i = 0; i < 200; i++) await post(); // warm-up: connections open, code compiled
const cpu = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < count) await post();
  }),
);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms, cpuUs: (used.user + used.system) / count }));
agent.destroy();
