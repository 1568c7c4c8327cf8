// Small checkers for hand-written JSON (scenario files, control requests).
// Each records "path: what is wrong" and returns undefined, so one pass
// reports every mistake in a file instead of stopping at the first.

export type Errors = string[];

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object whose keys are all in `allowed`; unknown keys are reported (they are usually typos). */
export function checkObject(
  value: unknown,
  path: string,
  errors: Errors,
  allowed: string[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    errors.push(`${path}: expected an object, got ${typeName(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (allowed.indexOf(key) < 0) {
      errors.push(`${join(path, key)}: unknown field (expected one of: ${allowed.join(", ")})`);
    }
  }
  return value;
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function checkNumber(
  value: unknown,
  path: string,
  errors: Errors,
  rule: NumberRule = {},
): number | undefined {
  if (typeof value !== "number" || !isFinite(value)) {
    errors.push(`${path}: expected a number, got ${typeName(value)}`);
    return undefined;
  }
  if (rule.integer && Math.floor(value) !== value) {
    errors.push(`${path}: expected a whole number, got ${value}`);
    return undefined;
  }
  if (rule.min !== undefined && value < rule.min) {
    errors.push(`${path}: must be at least ${rule.min}, got ${value}`);
    return undefined;
  }
  if (rule.max !== undefined && value > rule.max) {
    errors.push(`${path}: must be at most ${rule.max}, got ${value}`);
    return undefined;
  }
  return value;
}

export function checkString(
  value: unknown,
  path: string,
  errors: Errors,
  pattern?: RegExp,
  patternHint?: string,
): string | undefined {
  if (typeof value !== "string") {
    errors.push(`${path}: expected a string, got ${typeName(value)}`);
    return undefined;
  }
  if (pattern && !pattern.test(value)) {
    errors.push(
      `${path}: ${JSON.stringify(value)} is not ${patternHint ?? `matching ${pattern.source}`}`,
    );
    return undefined;
  }
  return value;
}

export function checkBoolean(value: unknown, path: string, errors: Errors): boolean | undefined {
  if (value === true || value === false) return value;
  if (value === 0 || value === 1) return value === 1;
  errors.push(`${path}: expected true or false, got ${typeName(value)}`);
  return undefined;
}

export function checkEnum<T extends string>(
  value: unknown,
  path: string,
  errors: Errors,
  options: readonly T[],
): T | undefined {
  if (typeof value !== "string" || (options as readonly string[]).indexOf(value) < 0) {
    errors.push(
      `${path}: expected one of ${options.map((o) => JSON.stringify(o)).join(", ")}, got ${typeName(value)}`,
    );
    return undefined;
  }
  return value as T;
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  K: 1024,
  M: 1024 * 1024,
  G: 1024 * 1024 * 1024,
  T: 1024 * 1024 * 1024 * 1024,
  P: 1024 * 1024 * 1024 * 1024 * 1024,
};

/** Bytes as a number, or a string with a binary unit: "512M", "64G", "1.5T", "4GiB". */
export function checkSize(value: unknown, path: string, errors: Errors): number | undefined {
  if (typeof value === "number") {
    return checkNumber(value, path, errors, { min: 0 }) === undefined
      ? undefined
      : Math.round(value);
  }
  if (typeof value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtTpP]?)(?:i?B)?\s*$/.exec(value);
    if (m) {
      const unit = SIZE_UNITS[(m[2] ?? "").toUpperCase()] ?? 1;
      return Math.round(parseFloat(m[1] ?? "0") * unit);
    }
  }
  errors.push(
    `${path}: expected a size in bytes or like "512M", "64G", "2T", got ${typeName(value)}`,
  );
  return undefined;
}

/** A display name: 1 to 128 characters, no control characters. */
export function checkDisplayName(value: unknown, path: string, errors: Errors): string | undefined {
  const s = checkString(value, path, errors);
  if (s === undefined) return undefined;
  let ok = s.length >= 1 && s.length <= 128;
  for (let i = 0; ok && i < s.length; i++) if (s.charCodeAt(i) < 0x20) ok = false;
  if (!ok) {
    errors.push(`${path}: ${JSON.stringify(s)} is not a name of 1 to 128 printable characters`);
    return undefined;
  }
  return s;
}
