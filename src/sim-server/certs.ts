// Per-run certificates for the simulator, shaped like a Proxmox cluster's:
// a self-made CA (PVE's pve-root-ca.pem) signing a node certificate
// (pve-ssl.pem) whose SANs cover the names and addresses a client may use.
// Made with the system's openssl so no key material is ever committed.

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NodeCertificate {
  /** Folder holding ca.pem, node.pem and node.key. */
  dir: string;
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** SHA-256 of the node certificate, "AA:BB:..." as PVE's ssl_fingerprint. */
  fingerprint256: string;
}

export interface CertificateOptions {
  /** DNS names and IP addresses for subjectAltName. */
  hosts?: string[];
  /** Common name of the node certificate. */
  commonName?: string;
  /** Reuse an existing CA (dir with ca.pem and ca.key) to issue a second node certificate. */
  caDir?: string;
  /** Where to write; a fresh temporary folder by default. */
  dir?: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") {
      throw new Error(
        "openssl is needed to make the simulator's certificates (apt install openssl)",
        { cause: err },
      );
    }
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? e.message}`, {
      cause: err,
    });
  }
}

export function makeNodeCertificate(options: CertificateOptions = {}): NodeCertificate {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "proxmon-sim-"));
  const hosts = options.hosts ?? ["localhost", "pve-sim", "127.0.0.1", "::1"];
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  let caDir = dir;
  if (options.caDir) {
    caDir = options.caDir;
  } else {
    openssl(
      ["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "3"]
        .concat([
          "-subj",
          "/CN=Proxmox Virtual Environment/OU=ProxMon Simulator/O=PVE Cluster Manager CA",
        ])
        .concat([
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign",
        ]),
      dir,
    );
  }
  const san = hosts
    .map((h) => (IPV4.test(h) || h.includes(":") ? `IP:${h}` : `DNS:${h}`))
    .join(",");
  writeFileSync(
    join(dir, "node.ext"),
    [
      `subjectAltName=${san}`,
      "basicConstraints=CA:FALSE",
      "keyUsage=digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
  );
  const cn = options.commonName ?? hosts[0] ?? "localhost";
  openssl(
    [
      "req",
      ...ec,
      "-keyout",
      "node.key",
      "-out",
      "node.csr",
      "-subj",
      `/CN=${cn}/OU=PVE Cluster Node/O=Proxmox Virtual Environment`,
    ],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "node.csr",
      "-CA",
      join(caDir, "ca.pem"),
      "-CAkey",
      join(caDir, "ca.key"),
    ].concat([
      "-CAcreateserial",
      "-CAserial",
      join(dir, "ca.srl"),
      "-out",
      "node.pem",
      "-days",
      "3",
      "-extfile",
      "node.ext",
    ]),
    dir,
  );
  const caFile = join(caDir, "ca.pem");
  const certPem = readFileSync(join(dir, "node.pem"), "utf8");
  return {
    dir,
    caFile,
    caPem: readFileSync(caFile, "utf8"),
    certPem,
    keyPem: readFileSync(join(dir, "node.key"), "utf8"),
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}
