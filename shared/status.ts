/** Types that cross the boundary between the engine and its UIs (tray, window, browser). */

export interface ConfigIssue {
  /** Dotted key path such as `providers[0].models[1].name`; empty for the whole file. */
  path: string;
  line: number;
  col: number;
  message: string;
}

export interface EngineStatus {
  running: boolean;
  url: string | null;
  /** Problems of the config file on disk; the last good config keeps serving meanwhile. */
  configIssues: ConfigIssue[];
  warnings: string[];
  loadedAt: number;
}
