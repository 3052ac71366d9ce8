// Run as its own process (`node test/gc/pretenuring-workload.ts [tuned] [requests]`): keep-alive
// requests through undici to a local server, as the proxy's upstream calls are, then prints how
// many scavenges and mark-compacts ran and how many bytes the scavenges promoted.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Pool } from 'undici';
import { tuneGarbageCollector } from '../../main/engine/gc-tuning.ts';

const tuned = process.argv[2] === 'tuned';
const requests = Number(process.argv[3] ?? 20_000);
if (tuned && !tuneGarbageCollector()) throw new Error('the runtime refused the flag');

const events = Array.from({ length: 20 }, (_, i) => `data: {"index":${i},"text":"${'x'.repeat(120)}"}\n\n`);
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(events.join(''));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });

const counts = { minor: 0, major: 0 };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { kind } = (entry as unknown as { detail: { kind: number } }).detail;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
  }
});
observer.observe({ entryTypes: ['gc'] });

let sent = 0;
async function client(): Promise<void> {
  while (sent < requests) {
    sent++;
    const answer = await pool.request({ path: '/', method: 'POST', body: '{"stream":true}' });
    for await (const _chunk of answer.body);
  }
}
await Promise.all(Array.from({ length: 8 }, client));
await new Promise((resolve) => setImmediate(resolve)); // the observer's last entries
observer.disconnect();
await pool.close();
server.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
