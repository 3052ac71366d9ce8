import { z } from 'zod';

/** App preferences (not proxy config): stored by electron-store in the app, a JSON file headless. */
export const prefsSchema = z.object({
  launchAtLogin: z.boolean().default(false),
  theme: z.enum(['light', 'dark', 'system']).default('system'),
  onboardingDone: z.boolean().default(false),
});

export type Prefs = z.infer<typeof prefsSchema>;
export const prefsPatchSchema = prefsSchema.partial().strict();
export type PrefsPatch = z.infer<typeof prefsPatchSchema>;

export const DEFAULT_PREFS: Prefs = prefsSchema.parse({});
