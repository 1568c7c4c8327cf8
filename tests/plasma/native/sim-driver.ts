// Host half of tests/plasma/test-native-tls.sh: the HTTPS servers the native
// TLS module is tested against, all on the host's 127.0.0.1 and all signed by
// one per-run CA (the simulator's own certificate code):
//
//   a        the simulator with a node certificate for localhost/127.0.0.1
//   b        the simulator with a certificate from the same CA issued only
//            for "wrong.example" (the "CA, wrong host name" case)
//   c        the simulator whose certificate is replaced on POST /rotate
//            (same CA, same names, new key: the "changed after pinning" case)
//   hang     a TCP port that accepts and never speaks TLS (timeouts)
//   closed   a port nobody listens on (refused connections)
//
// A plain-HTTP control server answers GET /stats (API requests each simulator
// saw) and POST /rotate. Everything the QML test needs is written as an ES
// module (env.mjs) next to it. Bundled with esbuild --platform=node.
//
//   node sim-driver.mjs OUT_DIR      (stops on SIGTERM)

import { mkdirSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { join } from "node:path";

import { DEMO_SCENARIO } from "../../../src/demo/demo-scenario";
import { makeNodeCertificate, type NodeCertificate } from "../../../src/sim-server/certs";
import { startSimulator, type SimulatorHandle } from "../../../src/sim-server/server";

const out = process.argv[2] ?? "";
if (out === "") {
  console.error("usage: sim-driver.mjs OUT_DIR");
  process.exit(2);
}

const HOSTS = ["localhost", "pve-sim", "127.0.0.1", "::1"];

async function main(): Promise<void> {
  const certA = makeNodeCertificate({ hosts: HOSTS, dir: mkdir("cert-a") });
  const caDir = certA.dir;
  const certB = makeNodeCertificate({ hosts: ["wrong.example"], caDir, dir: mkdir("cert-b") });
  let certC: NodeCertificate = makeNodeCertificate({ hosts: HOSTS, caDir, dir: mkdir("cert-c1") });
  let rotations = 0;

  const a = await startSimulator({ certificate: certA });
  const b = await startSimulator({ certificate: certB });
  let c: SimulatorHandle = await startSimulator({ certificate: certC });
  const cPort = c.port;
  /** Requests the replaced simulators had seen, so /stats keeps counting per port. */
  let cEarlier = 0;

  const hangSockets = new Set<Socket>();
  const hang = createTcpServer((socket) => {
    hangSockets.add(socket);
    socket.on("close", () => hangSockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
  const closed = createTcpServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const stats = (): Record<string, number> => ({
    a: a.stats.total,
    b: b.stats.total,
    c: cEarlier + c.stats.total,
    cCurrent: c.stats.total,
  });

  const control = createHttpServer((req, res) => {
    const reply = (status: number, value: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.method === "GET" && req.url === "/stats") {
      reply(200, stats());
      return;
    }
    if (req.method === "POST" && req.url === "/rotate") {
      void (async () => {
        rotations++;
        cEarlier += c.stats.total;
        await c.stop();
        certC = makeNodeCertificate({
          hosts: HOSTS,
          caDir,
          dir: mkdir("cert-c" + String(rotations + 1)),
        });
        c = await startSimulator({ certificate: certC, port: cPort });
        reply(200, { fingerprint256: certC.fingerprint256, port: c.port });
      })().catch((err: unknown) => reply(500, { error: String(err) }));
      return;
    }
    reply(404, { error: "unknown" });
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const controlPort = (control.address() as { port: number }).port;

  const env = {
    caPem: certA.caPem,
    // The simulators run the demo scenario, which brings its own token.
    token: { id: DEMO_SCENARIO.token?.id ?? "", secret: DEMO_SCENARIO.token?.secret ?? "" },
    a: { port: a.port, fingerprint256: a.fingerprint256 },
    b: { port: b.port, fingerprint256: b.fingerprint256 },
    c: { port: c.port, fingerprint256: c.fingerprint256 },
    hangPort: (hang.address() as { port: number }).port,
    closedPort,
    control: "http://127.0.0.1:" + String(controlPort),
  };
  writeFileSync(join(out, "env.mjs"), "export const env = " + JSON.stringify(env, null, 2) + ";\n");
  writeFileSync(join(out, "env.json"), JSON.stringify(env, null, 2) + "\n");
  console.log("native-tls sim-driver ready");

  const stop = (): void => {
    for (const s of hangSockets) s.destroy();
    hang.close();
    control.close();
    void Promise.all([a.stop(), b.stop(), c.stop()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function mkdir(name: string): string {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

main().catch((err: unknown) => {
  console.error("sim-driver:", err);
  process.exit(1);
});
