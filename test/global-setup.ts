import { execFileSync } from 'node:child_process';

/** CLI tests run the built bundle, as users do; building takes well under a second. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-main.mjs', '--quiet'], { stdio: 'inherit' });
}
