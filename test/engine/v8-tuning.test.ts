import { afterAll, describe, expect, it, vi } from 'vitest';
import { turnOffMaglev } from '../../main/engine/compiler-tuning';
import { tuneGarbageCollector } from '../../main/engine/gc-tuning';
import { startTestEngine, type TestEngine } from '../helpers/engine';

// test/gc checks what each tuning does to V8, in a process of its own; this checks that the engine
// applies them. Mocked here, so this test process's own V8 keeps its defaults.
vi.mock('../../main/engine/compiler-tuning', () => ({ turnOffMaglev: vi.fn(() => true) }));
vi.mock('../../main/engine/gc-tuning', () => ({ tuneGarbageCollector: vi.fn(() => true) }));

let engine: TestEngine | undefined;
afterAll(() => engine?.stop());

describe('the engine at start (issue 9, fixes 29 and 38)', () => {
  it('turns off pretenuring and Maglev before it serves', async () => {
    expect(tuneGarbageCollector).not.toHaveBeenCalled();
    expect(turnOffMaglev).not.toHaveBeenCalled();
    engine = await startTestEngine('providers: []\n');
    expect(engine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tuneGarbageCollector).toHaveBeenCalledOnce();
    expect(turnOffMaglev).toHaveBeenCalledOnce();
  });
});
