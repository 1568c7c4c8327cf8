// What Qt's V4 engine offers beyond ES2016 (qml-runtime.md), declared by hand
// because the core's `lib` deliberately excludes "dom": anything not listed
// here is a compile error rather than a ReferenceError inside plasmashell.

interface Console {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}
declare const console: Console;

interface QmlXMLHttpRequest {
  readonly readyState: number;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  onreadystatechange: (() => void) | null;
  open(method: string, url: string, async?: boolean): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: string | null): void;
  abort(): void;
}
