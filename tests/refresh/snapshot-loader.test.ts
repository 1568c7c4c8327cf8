import { describe, expect, it } from "vitest";
import type { ApiCall, ProxmoxClient } from "../../src/api/client";
import type { ProxmonError, Result } from "../../src/api/errors";
import type { NodeInfo, Snapshot } from "../../src/model/types";
import { createRefreshController } from "../../src/refresh/controller";
import {
  createSnapshotLoader,
  type ResourcesPart,
  type SnapshotDecoders,
} from "../../src/refresh/snapshot-loader";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";
import { nodeInfo } from "../helpers/snapshots";

interface FakeRequest {
  path: string;
  aborted: boolean;
  answer(result: Result<unknown>): void;
}

function fakeClient() {
  const requests: FakeRequest[] = [];
  const client: ProxmoxClient = {
    baseUrl: "https://pve.lan:8006/api2/json",
    get(path: string): ApiCall<unknown> {
      let settle!: (r: Result<unknown>) => void;
      let settled = false;
      const result = new Promise<Result<unknown>>((r) => (settle = r));
      const request: FakeRequest = {
        path,
        aborted: false,
        answer(r) {
          if (settled) return;
          settled = true;
          settle(r);
        },
      };
      requests.push(request);
      return {
        result,
        abort() {
          request.aborted = true;
          request.answer({ ok: false, error: { kind: "aborted", message: "aborted", path } });
        },
      };
    },
    post: () => {
      throw new Error("the loader never POSTs");
    },
    cleanText: (text: string) => text,
  };
  /** Answers the still-open request for `path` from the latest refresh. */
  function answer(path: string, result: Result<unknown>) {
    const open = requests.filter((r) => r.path === path);
    const request = open[open.length - 1];
    if (!request) throw new Error("no request for " + path);
    request.answer(result);
  }
  return { client, requests, answer };
}

const node = (name: string, status: NodeInfo["status"] = "online"): NodeInfo =>
  nodeInfo(name, {
    status,
    cpu: 0.1,
    maxcpu: 8,
    mem: 1,
    maxmem: 2,
    disk: 1,
    maxdisk: 2,
    uptime: 100,
  });

const RESOURCES: ResourcesPart = {
  nodes: [node("pve1"), node("pve2", "offline")],
  guests: [],
  storage: [],
};

// Stand-ins with the agreed signatures: the wire format here is whatever
// the test hands over, which keeps these tests about combining, not decoding.
const decoders: SnapshotDecoders = {
  decodeResources: (data) =>
    data && typeof data === "object" && "nodes" in data ? (data as ResourcesPart) : null,
  decodeClusterStatus: (data) => {
    const d = data as { name?: string; quorate?: boolean } | null;
    return d && typeof d === "object" && "name" in d
      ? { name: d.name ?? null, quorate: d.quorate ?? null, standalone: false }
      : null;
  },
  decodeVersion: (data) => {
    const d = data as { version?: unknown } | null;
    return d && typeof d.version === "string" ? d.version : null;
  },
  assembleSnapshot: (parts): Snapshot => ({
    cluster: {
      name: parts.cluster ? parts.cluster.name : null,
      quorate: parts.cluster ? parts.cluster.quorate : null,
      version: parts.version ?? null,
    },
    nodes: parts.resources.nodes,
    guests: parts.resources.guests,
    storage: parts.resources.storage,
  }),
};

const ok = (value: unknown): Result<unknown> => ({ ok: true, value });
const err = (kind: ProxmonError["kind"], path: string, status?: number): Result<unknown> => ({
  ok: false,
  error: { kind, message: kind + " on " + path, path, status },
});

const CLUSTER = { name: "homelab", quorate: true };
const VERSION = { version: "8.4.14" };
/** The cluster info a snapshot carries once CLUSTER and VERSION were read. */
const HOMELAB = { name: "homelab", quorate: true, version: "8.4.14" };
const ALL_PATHS = ["/cluster/resources", "/cluster/status", "/version"];
const ALL_OK = {
  "/cluster/resources": ok(RESOURCES),
  "/cluster/status": ok(CLUSTER),
  "/version": ok(VERSION),
};

function answerAll(
  fake: ReturnType<typeof fakeClient>,
  answers: { [path: string]: Result<unknown> },
) {
  for (const path of Object.keys(answers)) {
    if (fake.requests.some((r) => r.path === path)) fake.answer(path, answers[path]!);
  }
}

/** A fresh loader's first refresh, its requests answered with `answers` at once. */
function firstRefresh(answers: { [path: string]: Result<unknown> } = ALL_OK) {
  const fake = fakeClient();
  const loader = createSnapshotLoader(fake.client, decoders);
  const handle = loader.load({ attempt: 1, refreshIndex: 0 });
  answerAll(fake, answers);
  return { fake, loader, result: handle.result };
}

/** A loader whose first refresh has been answered in full. */
async function loadedOnce() {
  const { fake, loader, result } = firstRefresh();
  await result;
  return { fake, loader };
}

function requestedPaths(fake: ReturnType<typeof fakeClient>): string[] {
  return fake.requests.map((r) => r.path);
}

describe("snapshot loader", () => {
  it("asks resources, cluster status and version in parallel at the first refresh", async () => {
    const fake = fakeClient();
    const loader = createSnapshotLoader(fake.client, decoders);
    const handle = loader.load({ attempt: 1, refreshIndex: 0 });
    expect(requestedPaths(fake)).toEqual(ALL_PATHS);
    answerAll(fake, {
      "/version": ok(VERSION),
      "/cluster/status": ok(CLUSTER),
      "/cluster/resources": ok(RESOURCES),
    });
    const result = await handle.result;
    expect(result).toEqual({
      ok: true,
      value: {
        cluster: HOMELAB,
        nodes: RESOURCES.nodes,
        guests: [],
        storage: [],
      },
    });
  });

  it("later refreshes ask only /cluster/resources and keep the cluster info", async () => {
    const { fake, loader } = await loadedOnce();

    fake.requests.length = 0;
    const second = loader.load({ attempt: 1, refreshIndex: 1 });
    expect(requestedPaths(fake)).toEqual(["/cluster/resources"]);
    fake.answer("/cluster/resources", ok(RESOURCES));
    const result = await second.result;
    expect(result.ok && result.value.cluster).toEqual(HOMELAB);

    fake.requests.length = 0;
    loader.load({ attempt: 1, refreshIndex: 10 });
    expect(requestedPaths(fake)).toEqual(["/cluster/resources", "/cluster/status"]);
  });

  it("a failing extra does not fail the refresh; the previous cluster info stays and it is asked again", async () => {
    const { fake, loader } = await loadedOnce();

    const tenth = loader.load({ attempt: 1, refreshIndex: 10 });
    fake.answer("/cluster/status", err("timeout", "/cluster/status"));
    fake.answer("/cluster/resources", ok(RESOURCES));
    const result = await tenth.result;
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.cluster.name).toBe("homelab");

    fake.requests.length = 0;
    loader.load({ attempt: 1, refreshIndex: 11 });
    expect(requestedPaths(fake)).toContain("/cluster/status");
  });

  it("an unreadable extra answer keeps the previous value too", async () => {
    const { fake, loader } = await loadedOnce();
    const tenth = loader.load({ attempt: 1, refreshIndex: 10 });
    answerAll(fake, { "/cluster/resources": ok(RESOURCES), "/cluster/status": ok("garbage") });
    const result = await tenth.result;
    expect(result.ok && result.value.cluster).toEqual(HOMELAB);
  });

  it("a 403 on /cluster/status breaks nothing: name and quorum unknown, no error, asked again only rarely", async () => {
    const first = firstRefresh({
      ...ALL_OK,
      "/cluster/status": err("permission", "/cluster/status", 403),
    });
    const { fake, loader } = first;
    const result = await first.result;
    expect(result).toMatchObject({
      ok: true,
      value: { cluster: { name: null, quorate: null, version: "8.4.14" } },
    });

    fake.requests.length = 0;
    for (let i = 1; i < 60; i++) {
      const h = loader.load({ attempt: 1, refreshIndex: i });
      fake.answer("/cluster/resources", ok(RESOURCES));
      await h.result;
    }
    expect(fake.requests.every((r) => r.path === "/cluster/resources")).toBe(true);
    fake.requests.length = 0;
    loader.load({ attempt: 1, refreshIndex: 60 });
    expect(requestedPaths(fake)).toEqual(["/cluster/resources", "/cluster/status"]);
  });

  it("clears a known cluster name when the token loses access to /cluster/status", async () => {
    const { fake, loader } = await loadedOnce();
    const tenth = loader.load({ attempt: 1, refreshIndex: 10 });
    answerAll(fake, {
      "/cluster/resources": ok(RESOURCES),
      "/cluster/status": err("permission", "/cluster/status", 403),
    });
    const result = await tenth.result;
    expect(result.ok && result.value.cluster).toEqual({
      name: null,
      quorate: null,
      version: "8.4.14",
    });
  });

  it("fails with bad-response when /cluster/resources cannot be decoded", async () => {
    const result = await firstRefresh({ ...ALL_OK, "/cluster/resources": ok([1, 2, 3]) }).result;
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "bad-response", path: "/cluster/resources" },
    });
  });

  it("passes on the failure of /cluster/resources, and still remembers the extras it got", async () => {
    const first = firstRefresh({
      ...ALL_OK,
      "/cluster/resources": err("server", "/cluster/resources", 500),
    });
    const { fake, loader } = first;
    expect(await first.result).toMatchObject({ ok: false, error: { kind: "server", status: 500 } });

    fake.requests.length = 0;
    const next = loader.load({ attempt: 2, refreshIndex: 1 });
    expect(requestedPaths(fake)).toEqual(["/cluster/resources"]);
    fake.answer("/cluster/resources", ok(RESOURCES));
    const result = await next.result;
    expect(result.ok && result.value.cluster).toEqual(HOMELAB);
  });

  it("abort() aborts every request of that refresh", async () => {
    const fake = fakeClient();
    const loader = createSnapshotLoader(fake.client, decoders);
    const h = loader.load({ attempt: 1, refreshIndex: 0 });
    h.abort();
    expect(fake.requests.map((r) => r.aborted)).toEqual([true, true, true]);
    expect(await h.result).toMatchObject({ ok: false, error: { kind: "aborted" } });
    // Aborted extras are not remembered as answered.
    fake.requests.length = 0;
    loader.load({ attempt: 1, refreshIndex: 1 });
    expect(requestedPaths(fake)).toEqual(ALL_PATHS);
  });

  it("reset() forgets cluster info and asks /version again", async () => {
    const { fake, loader } = await loadedOnce();
    loader.reset();
    fake.requests.length = 0;
    const next = loader.load({ attempt: 1, refreshIndex: 1 });
    expect(requestedPaths(fake)).toEqual(ALL_PATHS);
    answerAll(fake, {
      "/cluster/resources": ok(RESOURCES),
      "/cluster/status": err("timeout", "/cluster/status"),
      "/version": err("timeout", "/version"),
    });
    const result = await next.result;
    expect(result.ok && result.value.cluster).toEqual({ name: null, quorate: null, version: null });
  });

  it("only ever uses cluster-wide endpoints, even with offline nodes, under a real controller", async () => {
    const fake = fakeClient();
    const loader = createSnapshotLoader(fake.client, decoders);
    const scheduler = createFakeScheduler();
    const controller = createRefreshController<Snapshot>({
      scheduler,
      load: loader.load,
      intervalMs: 10_000,
      random: () => 0.5,
    });
    controller.start();
    for (let i = 0; i < 25; i++) {
      for (const r of fake.requests) {
        if (r.path === "/cluster/resources") r.answer(ok(RESOURCES));
        else if (r.path === "/cluster/status") r.answer(ok(CLUSTER));
        else r.answer(ok(VERSION));
      }
      await flushPromises();
      scheduler.runNext();
    }
    const paths = new Set(requestedPaths(fake));
    expect([...paths].sort()).toEqual(ALL_PATHS);
    expect(fake.requests.filter((r) => r.path === "/cluster/status")).toHaveLength(3);
    expect(fake.requests.filter((r) => r.path === "/version")).toHaveLength(1);
    expect(controller.getState().data?.cluster.name).toBe("homelab");
    controller.dispose();
  });
});
