import { describe, expect, it } from "vitest";

import { keyringErrorMessage } from "../../src/keyring/messages";

describe("keyringErrorMessage", () => {
  it("names the way out for each kind of failure", () => {
    expect(keyringErrorMessage({ kind: "unsupported" })).toMatch(/Plasma 6\.2/);
    expect(keyringErrorMessage({ kind: "unsupported-plasma5" })).toMatch(/install\.sh.*Qt 5/);
    expect(keyringErrorMessage({ kind: "unavailable" })).toMatch(/not running/);
    expect(keyringErrorMessage({ kind: "disabled" })).toMatch(/disabled/);
    expect(keyringErrorMessage({ kind: "denied" })).toMatch(/Try again/);
    expect(keyringErrorMessage({ kind: "locked" })).toMatch(/by itself/);
  });

  it("passes the store's own text through an unknown kind, and the translator over every text", () => {
    expect(keyringErrorMessage({ kind: "other", message: "D-Bus said no" })).toBe(
      "KDE Wallet could not be used: D-Bus said no",
    );
    expect(keyringErrorMessage(null)).toBe("KDE Wallet could not be used: unknown error");
    const seen: string[] = [];
    const tr = (template: string, ...args: unknown[]): string => {
      seen.push(template);
      return "[" + template.replace("%1", String(args[0])) + "]";
    };
    expect(keyringErrorMessage({ kind: "x" }, tr)).toBe(
      "[KDE Wallet could not be used: [unknown error]]",
    );
    expect(seen).toEqual(["unknown error", "KDE Wallet could not be used: %1"]);
  });
});
