// V4 has no setTimeout: time comes in from outside. QML hands in a shim over
// Timer; Node hands in one over setTimeout; tests hand in a fake clock.

export type Cancel = () => void;

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs callback once after delayMs; the returned function cancels it. */
  schedule(delayMs: number, callback: () => void): Cancel;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string) => void;
