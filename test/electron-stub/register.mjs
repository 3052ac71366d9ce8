// `node --import ./register.mjs dist/main/app.mjs`: resolves 'electron' to the recording stub, so the
// bundled main process boots under plain Node.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: ${JSON.stringify(new URL('./electron.mjs', import.meta.url).href)}, shortCircuit: true };
      return next(specifier, context);
    }
  `)}`,
);
