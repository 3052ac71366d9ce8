// Preloaded into a process under test (`node --import <this file>?out=<path>`): V8's sampling heap
// profiler, objects later collected by minor and major GCs included, so it counts every allocation
// rather than what is still alive. The first SIGUSR2 starts sampling, the second writes the profile
// to `out` (written to <out>.tmp, then renamed, so a reader never sees half of it).
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = new URL(import.meta.url).searchParams.get('out');
if (!out) throw new Error('heap-sampler.mjs: add ?out=<path> to its URL');
const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
let sampling = false;
process.on('SIGUSR2', () => {
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error;
    writeFileSync(`${out}.tmp`, JSON.stringify(result.profile));
    renameSync(`${out}.tmp`, out);
  });
});
