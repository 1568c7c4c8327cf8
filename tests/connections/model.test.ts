// The connection model and the CLI's config file (issue 11): host entries,
// the secret variable a name maps to, and every validation message naming
// where the problem is.
import { describe, expect, it } from "vitest";

import { shouldFailOver, createFailoverClient } from "../../src/api/failover";
import type { ApiCall, ProxmoxClient } from "../../src/api/client";
import type { ProxmonError, Result } from "../../src/api/errors";
import { parseConnectionsFile } from "../../src/cli/config-file";
import {
  findConnection,
  formatAddress,
  parseHostEntry,
  secretVariableName,
} from "../../src/connections/model";

describe("host entries", () => {
  it.each([
    ["pve1.lan", "pve1.lan", 8006],
    ["10.0.0.12:8006", "10.0.0.12", 8006],
    ["10.0.0.12:8443", "10.0.0.12", 8443],
    ["[fe80::1]:8006", "fe80::1", 8006],
    ["[fe80::1]", "fe80::1", 8006],
    ["fe80::1", "fe80::1", 8006],
    ["  pve2  ", "pve2", 8006],
  ])("%s → %s port %d", (entry, host, port) => {
    const r = parseHostEntry(entry);
    expect(r).toEqual({ ok: true, value: { entry: entry.trim(), host, port } });
  });

  it.each([
    ["", "empty"],
    ["https://pve1", "without https://"],
    ["pve1/api2", "without https://"],
    ["pve 1", "spaces"],
    ["pve1:", "without a port"],
    ["pve1:0", "1 to 65535"],
    ["pve1:70000", "1 to 65535"],
    ["pve1:80a", "1 to 65535"],
    [":8006", "no host"],
    ["[fe80::1", "closing"],
    ["[fe80::1]x", "only"],
    ["[pve1]:8006", "IPv6 addresses only"],
  ])("refuses %j (%s)", (entry, words) => {
    const r = parseHostEntry(entry);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(words);
  });

  it("formats the address that answered as HOST:PORT", () => {
    expect(formatAddress({ host: "pve1.lan", port: 8006 })).toBe("pve1.lan:8006");
    expect(formatAddress({ host: "fe80::1", port: 8006 })).toBe("[fe80::1]:8006");
  });
});

describe("secret variable names", () => {
  it.each([
    ["home", "PROXMON_TOKEN_SECRET_HOME"],
    ["home-lab", "PROXMON_TOKEN_SECRET_HOME_LAB"],
    ["Büro 2", "PROXMON_TOKEN_SECRET_B_RO_2"],
    ["prod.eu", "PROXMON_TOKEN_SECRET_PROD_EU"],
  ])("%s → %s", (name, variable) => {
    expect(secretVariableName(name)).toBe(variable);
  });
});

const TOKEN = "monitor@pve!proxmon";

function parse(json: unknown) {
  return parseConnectionsFile(json);
}

describe("the config file", () => {
  it("reads the issue's example: defaults, trust per connection, enabled", () => {
    const r = parse({
      connections: [
        {
          name: "home",
          hosts: ["pve1.lan", "10.0.0.12:8006"],
          tokenId: TOKEN,
          fingerprints: {
            "pve1.lan": "ab".repeat(32),
            "10.0.0.12:8006": "sha256 Fingerprint=" + "CD:".repeat(31) + "CD",
          },
        },
        { name: "office", hosts: ["pve.office"], tokenId: TOKEN, ca: "pve-root-ca.pem" },
        { name: "lab", hosts: ["lab"], tokenId: TOKEN, insecure: true, enabled: false },
        { name: "plain", hosts: ["plain"], tokenId: TOKEN },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [home, office, lab, plain] = r.value;
    expect(home?.hosts.map((h) => [h.host, h.port])).toEqual([
      ["pve1.lan", 8006],
      ["10.0.0.12", 8006],
    ]);
    expect(home?.trust).toEqual({
      mode: "pin",
      fingerprints: {
        "pve1.lan": "AB:".repeat(31) + "AB",
        "10.0.0.12:8006": "CD:".repeat(31) + "CD",
      },
    });
    expect(office?.trust).toEqual({ mode: "ca", caPem: "", caFile: "pve-root-ca.pem" });
    expect(lab?.trust).toEqual({ mode: "insecure" });
    expect(lab?.enabled).toBe(false);
    expect(plain?.trust).toEqual({ mode: "system" });
    expect(plain?.enabled).toBe(true);
    expect(findConnection(r.value, "OFFICE")?.name).toBe("office");
  });

  it("lists every problem with where it is", () => {
    const r = parse({
      connections: [
        { name: "", hosts: [], tokenId: "monitor" },
        { name: "a", hosts: ["x", "x:8006"], tokenId: TOKEN, ca: "c", insecure: true },
        {
          name: "b",
          hosts: ["b1", "b2"],
          tokenId: TOKEN,
          fingerprints: { b1: "AB".repeat(32), b3: "zz" },
        },
        { name: "c", hosts: ["c"], tokenId: TOKEN, colour: "red" },
        "nope",
      ],
      extra: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join("\n");
    expect(text).toContain("extra: unknown field");
    expect(text).toContain("connections[0].name: the name must not be empty");
    expect(text).toContain("connections[0].hosts: expected a list of one or more");
    expect(text).toContain("connections[0].tokenId: ");
    expect(text).toContain('connections[1].hosts[1]: "x:8006" is listed twice');
    expect(text).toContain("connections[1]: give only one of ca, insecure");
    expect(text).toContain('connections[2].fingerprints["b3"]: not one of the hosts entries');
    expect(text).toContain('connections[2].fingerprints: no fingerprint for "b2"');
    expect(text).toContain("connections[3].colour: unknown field");
    expect(text).toContain("connections[4]: expected an object");
  });

  it("refuses two names that read the same secret variable", () => {
    const r = parse({
      connections: [
        { name: "home-lab", hosts: ["a"], tokenId: TOKEN },
        { name: "home_lab", hosts: ["b"], tokenId: TOKEN },
        { name: "home-lab", hosts: ["c"], tokenId: TOKEN },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toContain("connections[1].name");
    expect(r.errors[0]).toContain("PROXMON_TOKEN_SECRET_HOME_LAB");
    expect(r.errors[1]).toContain("connections[2].name");
  });

  it("refuses a secret in the file without echoing it", () => {
    const r = parse({
      connections: [{ name: "home", hosts: ["a"], tokenId: TOKEN, secret: "s3cr3t-value-123" }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join()).toContain("PROXMON_TOKEN_SECRET_HOME");
    expect(r.errors.join()).not.toContain("s3cr3t");
  });

  it("needs {connections: [...]}", () => {
    expect(parse([]).ok).toBe(false);
    expect(parse({ connections: [] }).ok).toBe(false);
  });
});

// ---- failover client over fake clients

function fakeClient(answers: Array<Result<unknown>>, asked: string[], name: string): ProxmoxClient {
  return {
    baseUrl: "https://" + name + ":8006/api2/json",
    get(path: string): ApiCall<unknown> {
      asked.push(name + " " + path);
      const next = answers.shift() ?? { ok: true, value: name };
      return { result: Promise.resolve(next), abort: () => undefined };
    },
    post(path: string): ApiCall<unknown> {
      asked.push(name + " POST " + path);
      return { result: Promise.resolve({ ok: true, value: name }), abort: () => undefined };
    },
    cleanText: (t: string) => t,
  };
}

function err(kind: ProxmonError["kind"], status?: number): Result<unknown> {
  return { ok: false, error: { kind, message: kind, status } };
}

describe("failover client", () => {
  it.each([
    [err("unreachable"), "/cluster/resources", true],
    [err("timeout"), "/cluster/resources", true],
    [err("node-unreachable", 595), "/cluster/resources", true],
    [err("node-unreachable", 596), "/version", true],
    [err("node-unreachable", 595), "/nodes/pve2/rrddata", false],
    [err("node-unreachable", 597), "/cluster/resources", false],
    [err("tls"), "/cluster/resources", false],
    [err("auth", 401), "/cluster/resources", false],
    [err("server", 500), "/cluster/resources", false],
    [err("bad-response"), "/cluster/resources", false],
  ])("%j on %s fails over: %s", (answer, path, expected) => {
    if (answer.ok) throw new Error("unreachable");
    expect(shouldFailOver(answer.error, path)).toBe(expected);
  });

  it("tries the next address, then prefers the one that answered", async () => {
    const asked: string[] = [];
    const client = createFailoverClient({
      addresses: [
        { host: "a", port: 8006, client: fakeClient([err("unreachable")], asked, "a") },
        { host: "b", port: 8006, client: fakeClient([], asked, "b") },
      ],
    });
    const first = await client.get("/cluster/resources").result;
    expect(first).toEqual({ ok: true, value: "b" });
    expect(client.answered()).toEqual({ host: "b", port: 8006 });
    await client.get("/version").result;
    expect(asked).toEqual(["a /cluster/resources", "b /cluster/resources", "b /version"]);
    expect(client.baseUrl).toBe("https://b:8006/api2/json");
  });

  it("stops at a TLS failure and reports it; the last error when all fail", async () => {
    const asked: string[] = [];
    const client = createFailoverClient({
      addresses: [
        { host: "a", port: 1, client: fakeClient([err("unreachable")], asked, "a") },
        { host: "b", port: 2, client: fakeClient([err("tls")], asked, "b") },
        { host: "c", port: 3, client: fakeClient([], asked, "c") },
      ],
    });
    const r = await client.get("/cluster/resources").result;
    expect(r.ok ? "" : r.error.kind).toBe("tls");
    expect(asked).toEqual(["a /cluster/resources", "b /cluster/resources"]);
    expect(client.answered()).toBeNull();
  });

  it("never fails a POST over", async () => {
    const asked: string[] = [];
    const client = createFailoverClient({
      addresses: [
        { host: "a", port: 1, client: fakeClient([], asked, "a") },
        { host: "b", port: 2, client: fakeClient([], asked, "b") },
      ],
    });
    await client.post("/nodes/pve1/qemu/100/status/start").result;
    expect(asked).toEqual(["a POST /nodes/pve1/qemu/100/status/start"]);
  });
});
