import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, importsOf, sourceFiles } from './imports';

const root = resolve(import.meta.dirname, '../..');

describe('import boundaries', () => {
  it('hold across main/, shared/ and renderer/', () => {
    const files = ['main', 'shared', 'renderer'].flatMap((dir) => sourceFiles(join(root, dir)));
    expect(files.length).toBeGreaterThan(10);
    const violations = files.flatMap((file) => checkFile(root, file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('finds every import form', () => {
    const source = `import a from 'x1';\nimport { b } from "x2";\nimport 'x3';\nexport * from './x4';\nconst c = await import('x5');\nconst d = require('x6');`;
    expect(importsOf(source)).toEqual(['x1', 'x2', 'x3', './x4', 'x5', 'x6']);
  });

  it('flags electron outside main/app, builtins and main/ from the renderer', () => {
    const at = (path: string, source: string) => checkFile(root, join(root, path), source).map((v) => v.rule);
    expect(at('main/engine/x.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(at('main/app/main.ts', "import { app } from 'electron';")).toEqual([]);
    expect(at('renderer/x.tsx', "import fs from 'node:fs';")).toHaveLength(1);
    expect(at('shared/x.ts', "import { join } from 'path';")).toHaveLength(1);
    expect(at('shared/x.ts', "import { Engine } from '../main/engine/engine';")).toHaveLength(1);
    expect(at('renderer/pages/x.tsx', "import { x } from '../../shared/contract';")).toEqual([]);
  });
});
