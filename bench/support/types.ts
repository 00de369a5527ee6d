import type { Emulator } from '../../emulator';

/** A measured figure with the goal it is held to (if any). */
export interface Goal {
  name: string;
  value: number;
  /** e.g. "≥ 0.7". */
  target: string;
  pass: boolean;
  unit?: string;
}

export interface ScenarioResult {
  /** Raw figures, written to bench/results.json. */
  metrics: Record<string, unknown>;
  goals: Goal[];
}

/** What every scenario gets from bench/run.ts. */
export interface BenchContext {
  /** The compiled app (`node dist/main.js`, NODE_ENV=production, a child process), signed in as the demo user. */
  app: { url: string; pid: number };
  /**
   * A second instance of the compiled app on the same Redis, started as plain `npm start` does (no
   * NODE_ENV); the same session cookie works on both.
   */
  plainApp: { url: string; pid: number };
  /** Headers for an authenticated request: the session cookie and X-Forwarded-Proto (the app runs as if behind TLS). */
  headers: Record<string, string>;
  /** The minimal express + express-session + connect-redis page (a child process), with its own signed-in cookie. */
  baseline: { url: string; pid: number; headers: Record<string, string> };
  emulator: Emulator;
  /** Company ids; the cold ones are loaded by nothing but the cold-load scenario. */
  companies: { acme: number; hundred: number; tenThousand: number; coldThousand: number; coldTenThousand: number };
  /** The `per_page` the app asks Procore for. */
  perPage: number;
  /** Seconds each side is measured in total (split into rounds). */
  durationSeconds: number;
  /** Alternating measuring rounds per side. */
  rounds: number;
  connections: number;
  log(message: string): void;
  /** The bench's own Redis. */
  redisUrl: string;
  /** A free port for an app instance of a scenario's own (its emulator must know the callback first). */
  freePort(): Promise<number>;
  /** One more compiled app (as `npm start`, production) on `port` against `procoreUrl`, the demo user signed in. */
  startApp(options: {
    port: number;
    procoreUrl: string;
    keyPrefix: string;
  }): Promise<{ url: string; headers: Record<string, string>; stop(): Promise<void> }>;
}

export interface Scenario {
  /** Short id, the key in results.json. */
  id: string;
  title: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
