// GET /version: shown to the user and used to tell PVE generations apart.

import { isRecord, own, toText } from "./decode-values";

const MAX_VERSION_LENGTH = 64;

/**
 * The pve-manager version ("8.4.14", "7.4-16"); falls back to the point
 * release ("8.4") when the full version is missing. Null when neither is text.
 */
export function decodeVersion(data: unknown): string | null {
  try {
    if (!isRecord(data)) return null;
    return (
      toText(own(data, "version"), MAX_VERSION_LENGTH) ??
      toText(own(data, "release"), MAX_VERSION_LENGTH)
    );
  } catch {
    return null;
  }
}
