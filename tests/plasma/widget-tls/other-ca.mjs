// Test helper (host side): writes the PEM of a CA that did NOT sign the
// simulator's certificate, for the widget's "cluster CA" mode test. Made
// with the simulator's own certificate code so it looks like a real
// pve-root-ca.pem; only the certificate is written, never its key.
//
//   node build/widget-tls-test/other-ca.mjs OUT.pem
//
// Bundled by tests/plasma/test-widget-tls.sh with esbuild.
import { rmSync, writeFileSync } from "node:fs";
import { makeNodeCertificate } from "../../../src/sim-server/certs.ts";

const made = makeNodeCertificate({ commonName: "pve-other-cluster" });
writeFileSync(process.argv[2], made.caPem);
rmSync(made.dir, { recursive: true, force: true });
