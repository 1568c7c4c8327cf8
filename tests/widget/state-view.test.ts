// The state view's decision table, row by row.
import { describe, expect, it } from "vitest";
import { plainTranslator } from "../../src/notify/message";
import { buildStateView, type StateViewInput } from "../../src/widget/state-view";
import { plainContextTranslator } from "../../src/widget/texts";

const t = { tr: plainTranslator, trc: plainContextTranslator };
const base: StateViewInput = {
  phase: "error",
  errorKind: "",
  errorMessage: "boom",
  secretMissing: false,
  secretMessage: "",
  configurationProblem: "",
  demoMode: false,
  host: "pve",
  port: 8006,
  nativeAvailable: false,
  tlsMode: "system",
  tlsProblem: "",
  certificate: null,
  pinnedFingerprint: "",
  errorAclPath: "",
  errorPrivilege: "",
};
const CERT = {
  fingerprint256: "AA",
  subject: "CN=pve",
  issuer: "CN=CA",
  validFrom: "a",
  validTo: "b",
};

describe("state view", () => {
  it("icons and titles per error class", () => {
    const cases: Array<[string, string, string]> = [
      ["auth", "dialog-password", "The API token was rejected"],
      ["permission", "dialog-password", "The API token lacks a permission"],
      ["unreachable", "network-disconnect", "The server cannot be reached"],
      ["timeout", "chronometer", "The server did not answer in time"],
      [
        "node-unreachable",
        "network-disconnect",
        "The node answering the API cannot reach the cluster",
      ],
      ["server", "network-disconnect", "Proxmox VE returned an error"],
      ["tls", "security-low", "The server's certificate is not trusted"],
    ];
    for (const [kind, icon, title] of cases) {
      const s = buildStateView(t, { ...base, errorKind: kind });
      expect([kind, s.icon, s.title]).toEqual([kind, icon, title]);
      expect(s.message).toBe("boom");
      expect(s.showRetry && s.showConfigure && !s.showDemo && !s.busy).toBe(true);
      expect(s.retryAction).toBe("refreshNow");
    }
  });

  it("permission names the privilege and path", () => {
    const s = buildStateView(t, {
      ...base,
      errorKind: "permission",
      errorPrivilege: "Sys.Audit",
      errorAclPath: "/nodes/pve",
    });
    expect(s.explanation).toContain("Grant the privilege Sys.Audit on /nodes/pve");
    expect(buildStateView(t, { ...base, errorKind: "permission" }).explanation).toContain(
      "PVEAuditor role on /",
    );
  });

  it("unreachable without the module explains the certificate look-alike and both ways out", () => {
    const s = buildStateView(t, { ...base, errorKind: "unreachable" });
    expect(s.explanation).toContain("pve:8006");
    expect(s.explanation).toContain("scp root@pve:/etc/pve/pve-root-ca.pem");
    expect(s.explanation).toContain("./install.sh");
    expect(s.detailed).toBe(true);
    const withModule = buildStateView(t, {
      ...base,
      errorKind: "unreachable",
      nativeAvailable: true,
    });
    expect(withModule.explanation).toBe(
      "Check the host name and port (pve:8006), that pveproxy runs, and your network.",
    );
  });

  it("an untrusted certificate: its details, then CA steps and pin or install advice", () => {
    const s = buildStateView(t, {
      ...base,
      errorKind: "tls",
      certificate: CERT,
      nativeAvailable: true,
    });
    expect(s.certificate).toEqual({
      fingerprint256: "AA",
      subject: "CN=pve",
      issuer: "CN=CA",
      validText: "a – b",
      fingerprintLabel: "SHA-256:",
    });
    expect(s.explanation).toContain("sudo update-ca-certificates");
    expect(s.explanation).toContain("Trust this certificate");
    const ca = buildStateView(t, { ...base, errorKind: "tls", tlsMode: "ca", certificate: CERT });
    expect(ca.explanation).toContain(
      "not issued by the Proxmox cluster CA in the settings, or does not name pve",
    );
    const pinned = buildStateView(t, {
      ...base,
      errorKind: "tls",
      certificate: CERT,
      pinnedFingerprint: "BB",
    });
    expect(pinned.title).toBe("The server's certificate has changed");
    expect(pinned.pinnedFingerprint).toBe("BB");
    expect(pinned.certificate?.fingerprintLabel).toBe("Server now:");
  });

  it("the certificate only shows with a TLS error", () => {
    expect(
      buildStateView(t, { ...base, errorKind: "auth", certificate: CERT }).certificate,
    ).toBeNull();
  });

  it("loading, unconfigured, missing secret, demo", () => {
    const loading = buildStateView(t, { ...base, phase: "loading", demoMode: true });
    expect(loading.busy && !loading.showConfigure && !loading.showRetry).toBe(true);
    expect(loading.title).toBe("Connecting to the demo cluster…");
    expect(loading.showLeaveDemo).toBe(true);
    const un = buildStateView(t, {
      ...base,
      phase: "unconfigured",
      configurationProblem: "No Proxmox host is set.",
    });
    expect(un.icon).toBe("configure");
    expect(un.explanation).toMatch(/^No Proxmox host is set\. Enter the host/);
    expect(un.showDemo && !un.showRetry).toBe(true);
    const missing = buildStateView(t, {
      ...base,
      phase: "unconfigured",
      secretMissing: true,
      secretMessage: "none stored",
    });
    expect([missing.icon, missing.title, missing.explanation]).toEqual([
      "dialog-password",
      "Missing token secret",
      "none stored",
    ]);
    expect(missing.showRetry && missing.retryAction === "reloadSecret").toBe(true);
  });

  it("TLS settings that cannot be used", () => {
    const fp = buildStateView(t, {
      ...base,
      errorKind: "tls-setup",
      tlsProblem: "bad-fingerprint",
    });
    expect(fp.title).toBe("The pinned fingerprint is not valid");
    expect(fp.explanation).toContain("./install.sh");
    const ca = buildStateView(t, { ...base, errorKind: "tls-setup", tlsProblem: "bad-ca" });
    expect(ca.explanation).toContain("cat /etc/pve/pve-root-ca.pem");
    const native = buildStateView(t, {
      ...base,
      errorKind: "tls-setup",
      tlsProblem: "native-missing",
    });
    expect(native.explanation).toContain("Then set Trust to “System certificate store”");
  });
});

describe("the install advice names the Qt packages of the package's Plasma", () => {
  const untrusted: StateViewInput = { ...base, errorKind: "tls" };
  it("Plasma 6 (and no edition given): Qt 6", () => {
    for (const input of [untrusted, { ...untrusted, plasma: 6 }]) {
      const hint = buildStateView(t, input).explanation;
      expect(hint).toContain("cmake, g++, make, qt6-base-dev and qt6-declarative-dev installed");
      expect(hint).toContain(
        "Fedora: qt6-qtbase-devel qt6-qtdeclarative-devel; Arch: qt6-base qt6-declarative",
      );
    }
  });
  it("Plasma 5.27: Qt 5 (native/qt5 builds the same TLS module)", () => {
    const hint = buildStateView(t, { ...untrusted, plasma: 5 }).explanation;
    expect(hint).toContain("cmake, g++, make, qtbase5-dev and qtdeclarative5-dev installed");
    expect(hint).toContain(
      "Fedora: qt5-qtbase-devel qt5-qtdeclarative-devel; Arch: qt5-base qt5-declarative",
    );
    expect(hint).not.toContain("qt6");
  });
});
