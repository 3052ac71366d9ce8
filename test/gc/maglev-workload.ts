// Run as its own process (`node --trace-opt test/gc/maglev-workload.ts [tuned]`): a hot function
// called often enough that V8 optimizes it; --trace-opt names the tier each compilation targets.
import { turnOffMaglev } from '../../main/engine/compiler-tuning.ts';

if (process.argv[2] === 'tuned' && !turnOffMaglev()) throw new Error('the runtime refused the flag');

function area(shape: { width: number; height: number }): number {
  return shape.width * shape.height;
}
let total = 0;
for (let i = 0; i < 3_000_000; i++) total += area({ width: i, height: 2 });
process.stdout.write(`total ${total}\n`);
