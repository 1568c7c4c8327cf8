import { describe, expect, it } from "vitest";

import {
  BODY_ERROR_HEADER,
  WIRE_DETAIL,
  classifyResponse,
  classifyWireFailure,
  formatHostPort,
  parsePermissionReason,
  redactSecret,
  type ProxmonError,
  type RequestContext,
} from "../../src/api/errors";
import type { CertificateInfo, TransportResponse } from "../../src/api/transport";

const SECRET = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ctx: RequestContext = {
  host: "pve.lan",
  port: 8006,
  path: "/cluster/resources",
  timeoutMs: 10_000,
  secret: SECRET,
};

const CERT: CertificateInfo = {
  fingerprint256:
    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
  subject: "CN=pve.lan, OU=PVE Cluster Node, O=Proxmox Virtual Environment",
  issuer: "CN=Proxmox Virtual Environment, OU=abc, O=PVE Cluster Manager CA",
  validFrom: "2025-01-01T00:00:00.000Z",
  validTo: "2027-01-01T00:00:00.000Z",
};

function response(
  status: number,
  reason: string,
  body = "",
  headers: Record<string, string> = {},
): TransportResponse {
  return { status, reason, body, headers };
}

function errorOf(r: TransportResponse, context: RequestContext = ctx): ProxmonError {
  const result = classifyResponse(r, context);
  if (result.ok) {
    throw new Error("expected an error, got " + JSON.stringify(result.value));
  }
  return result.error;
}

function expectOneSafeLine(error: ProxmonError): void {
  for (let i = 0; i < error.message.length; i++) {
    const code = error.message.charCodeAt(i);
    expect(code >= 0x20 && code !== 0x7f).toBe(true);
  }
  expect(error.message.toLowerCase()).not.toContain(SECRET);
  expect(error.message.length).toBeLessThan(600);
}

describe("classifyResponse: success", () => {
  it("returns the envelope's data", () => {
    const result = classifyResponse(response(200, "OK", '{"data":[{"id":"node/pve"}]}'), ctx);
    expect(result).toEqual({ ok: true, value: [{ id: "node/pve" }] });
  });

  it("accepts data: null and extra top-level keys", () => {
    expect(classifyResponse(response(200, "OK", '{"data":null}'), ctx)).toEqual({
      ok: true,
      value: null,
    });
    expect(classifyResponse(response(200, "OK", '{"total":2,"data":[1,2]}'), ctx)).toEqual({
      ok: true,
      value: [1, 2],
    });
  });
});

describe("classifyResponse: leading white space", () => {
  // Every character JavaScript's \s matches, and the byte-order mark.
  const SPACES = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a]
    .concat([0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff])
    .map((c) => String.fromCharCode(c));
  for (const ch of SPACES) {
    it(`skips U+${ch.charCodeAt(0).toString(16).padStart(4, "0")} before the JSON`, () => {
      const body = ch + ch + '{"data":[1]}';
      expect(/^[\s\ufeff]+/.exec(body)![0]).toBe(ch + ch);
      expect(classifyResponse(response(200, "OK", body), ctx)).toEqual({ ok: true, value: [1] });
    });
  }
  it("white space alone is an empty body; other invisible characters are not skipped", () => {
    expect(errorOf(response(200, "OK", " \ufeff\n")).message).toContain("an empty body");
    expect(/\s/.test("\u200b")).toBe(false);
    expect(errorOf(response(200, "OK", '\u200b{"data":1}')).message).toContain("invalid JSON");
    expect(errorOf(response(200, "OK", " \u00a0<html>")).message).toContain("an HTML page");
  });
});

describe("classifyResponse: bad responses on 200", () => {
  it("empty body", () => {
    const error = errorOf(response(200, "OK", ""));
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain("empty body");
    expect(error.status).toBe(200);
    expectOneSafeLine(error);
  });

  it("HTML page, with a short clean preview", () => {
    const html =
      "<!DOCTYPE html>\n<html>\n<head><title>Login</title></head><body>" + "x".repeat(500);
    const error = errorOf(response(200, "OK", html));
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain("HTML page");
    expect(error.message).toContain('("<!DOCTYPE html> <html> <head><title>Login');
    const preview = /\("([^"]*)"\)/.exec(error.message)?.[1] ?? "";
    expect(preview.length).toBeLessThanOrEqual(80);
    expectOneSafeLine(error);
  });

  it("garbage JSON", () => {
    const error = errorOf(response(200, "OK", '{"data": [1, 2,'));
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain("invalid JSON");
    expect(error.message).toContain('{"data": [1, 2,');
  });

  it("JSON without data", () => {
    const error = errorOf(response(200, "OK", '{"result":[]}'));
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain('without a "data" field');
  });

  it("JSON that is not an object", () => {
    expect(errorOf(response(200, "OK", "[1,2]")).message).toContain("not an object");
    expect(errorOf(response(200, "OK", "null")).message).toContain("not an object");
  });

  it("body the transport could not deliver", () => {
    const error = errorOf(
      response(200, "OK", "", {
        [BODY_ERROR_HEADER]: "response larger than 64 MiB",
        "content-type": "application/json",
      }),
    );
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain("could not be read (response larger than 64 MiB)");
  });

  it("control characters in a preview are removed", () => {
    const error = errorOf(response(200, "OK", "\u0000\u001b[31mhello\u0007\r\nworld\u202e"));
    expect(error.message).toContain('("[31mhello world")');
    expectOneSafeLine(error);
  });
});

describe("classifyResponse: 401", () => {
  const reasons = [
    "invalid token value!",
    "Authentication failed!",
    "no such token 'mon' for user 'root@pam'",
    "user 'mon@pve' is disabled",
    "token 'mon' access expired",
    "'abc' is not a valid token ID - not able to split into user and token parts",
    "no tokenid specified",
    "No ticket",
  ];
  for (const reason of reasons) {
    it(`includes PVE's reason: ${reason}`, () => {
      const error = errorOf(response(401, reason));
      expect(error.kind).toBe("auth");
      expect(error.status).toBe(401);
      expect(error.message).toContain(`(${reason})`);
      expect(error.message).toContain("user@realm!tokenname");
      expect(error.message).toContain("secret");
      expectOneSafeLine(error);
    });
  }

  it("without any reason", () => {
    expect(errorOf(response(401, "")).message).toContain("(401)");
  });
});

describe("classifyResponse: 403", () => {
  it("parses a missing privilege", () => {
    const error = errorOf(
      response(403, "Permission check failed (/nodes/pve, Sys.Audit)", '{"data":null}'),
      { ...ctx, path: "/nodes/pve/status" },
    );
    expect(error.kind).toBe("permission");
    expect(error.aclPath).toBe("/nodes/pve");
    expect(error.privilege).toBe("Sys.Audit");
    expect(error.message).toBe(
      "Permission denied for /nodes/pve/status: the token lacks Sys.Audit on /nodes/pve — grant it to the token (or to the user and untick 'Privilege Separation').",
    );
  });

  it("reads the JSON message of PVE ≥ 8.3 when the reason is not usable", () => {
    const error = errorOf(
      response(
        403,
        "Forbidden",
        '{"data":null,"message":"Permission check failed (/vms/100, VM.Audit|VM.Monitor)\\n"}',
      ),
    );
    expect(error.aclPath).toBe("/vms/100");
    expect(error.privilege).toBe("VM.Audit|VM.Monitor");
    expect(error.message).toContain("lacks VM.Audit or VM.Monitor on /vms/100");
  });

  it("an endpoint that tokens may not use", () => {
    const reason =
      "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.)";
    const error = errorOf(response(403, reason), { ...ctx, path: "/access/ticket" });
    expect(error.kind).toBe("permission");
    expect(error.aclPath).toBeUndefined();
    expect(error.message).toContain("does not let API tokens use /access/ticket");
    expect(parsePermissionReason(reason)).toEqual({
      kind: "token-not-allowed",
      uri: "/access/ticket",
    });
  });

  it("other permission failures keep their reason", () => {
    const error = errorOf(response(403, "Permission check failed (user != root@pam)"));
    expect(error.kind).toBe("permission");
    expect(error.message).toContain("(Permission check failed (user != root@pam))");
  });
});

describe("classifyResponse: proxied node failures", () => {
  it("595", () => {
    const error = errorOf(response(595, "No route to host"), {
      ...ctx,
      path: "/nodes/pve2/status",
    });
    expect(error.kind).toBe("node-unreachable");
    expect(error.message).toContain(
      "A cluster node did not answer (595 No route to host) for /nodes/pve2/status",
    );
  });

  it("596", () => {
    const error = errorOf(response(596, "Connection timed out"));
    expect(error.kind).toBe("node-unreachable");
    expect(error.message).toContain("(596 Connection timed out)");
  });
});

describe("classifyResponse: server errors", () => {
  it("500 prefers the first line of the JSON message", () => {
    const body =
      '{"data":null,"message":"Configuration file \'nodes/pve/qemu-server/999.conf\' does not exist\\nsecond line\\n"}';
    const error = errorOf(response(500, "Internal Server Error", body), {
      ...ctx,
      path: "/nodes/pve/qemu/999/status/current",
    });
    expect(error.kind).toBe("server");
    expect(error.status).toBe(500);
    expect(error.message).toContain(
      "(500 Configuration file 'nodes/pve/qemu-server/999.conf' does not exist)",
    );
    expect(error.message).not.toContain("second line");
  });

  it("500 with the message only in the reason (PVE < 8.3)", () => {
    const reason =
      "hostname lookup 'nosuch' failed - failed to get address info for: nosuch: Name or service not known";
    const error = errorOf(response(500, reason, '{"data":null}'));
    expect(error.message).toContain("(500 hostname lookup 'nosuch' failed");
  });

  it("501", () => {
    const error = errorOf(response(501, "Method 'GET /foo' not implemented", '{"data":null}'), {
      ...ctx,
      path: "/foo",
    });
    expect(error.kind).toBe("server");
    expect(error.message).toContain(
      "does not implement /foo (501 Method 'GET /foo' not implemented)",
    );
  });

  it("501 with a plain-text body and no reason", () => {
    const error = errorOf(response(501, "", "no such uri\n"));
    expect(error.message).toContain("(501 no such uri)");
  });

  it("400 lists parameter errors", () => {
    const body =
      '{"data":null,"errors":{"vmid":"value must have a minimum value of 100"},"message":"Parameter verification failed.\\n"}';
    const error = errorOf(response(400, "Parameter verification failed.", body));
    expect(error.kind).toBe("server");
    expect(error.message).toContain(
      "(400 Parameter verification failed. — vmid: value must have a minimum value of 100)",
    );
  });

  it("redirects and invalid statuses", () => {
    expect(errorOf(response(301, "Moved Permanently")).message).toContain("redirected");
    expect(errorOf(response(0, "")).kind).toBe("bad-response");
  });

  it("long and hostile reasons are cleaned and bounded", () => {
    const error = errorOf(response(500, "boom\r\nInjected: header\u0000" + "y".repeat(5000)));
    expectOneSafeLine(error);
    expect(error.message).toContain("boom Injected: header");
    expect(error.message).toContain("…");
  });
});

describe("classifyWireFailure", () => {
  it("tls with a certificate names the fingerprint", () => {
    const error = classifyWireFailure(
      { kind: "tls", detail: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", certificate: CERT },
      ctx,
    );
    expect(error.kind).toBe("tls");
    expect(error.certificate).toEqual(CERT);
    expect(error.message).toBe(
      `The server's certificate is not trusted (it is signed by a CA the system does not know; SHA-256 ${CERT.fingerprint256}). Compare it with the fingerprint shown in Proxmox under Node → System → Certificates, then pin it or install the cluster CA.`,
    );
  });

  it("tls pin mismatch", () => {
    const error = classifyWireFailure(
      { kind: "tls", detail: WIRE_DETAIL.pinMismatch, certificate: CERT },
      ctx,
    );
    expect(error.message).toContain(
      `(SHA-256 ${CERT.fingerprint256}) does not match the pinned fingerprint`,
    );
  });

  it("tls host name mismatch", () => {
    const error = classifyWireFailure(
      {
        kind: "tls",
        detail: "ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match",
        certificate: CERT,
      },
      ctx,
    );
    expect(error.message).toContain("not valid for the name pve.lan");
  });

  it("tls handshake on a port that speaks plain HTTP", () => {
    const error = classifyWireFailure({ kind: "tls", detail: "wrong version number" }, ctx);
    expect(error.message).toContain("pve.lan:8006 does not speak HTTPS");
  });

  it("unreachable", () => {
    const error = classifyWireFailure({ kind: "unreachable", detail: "ECONNREFUSED" }, ctx);
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe(
      "Cannot reach pve.lan:8006 (connection refused). Check host and port, and that pveproxy runs.",
    );
    expect(
      classifyWireFailure({ kind: "unreachable", detail: "ENOTFOUND" }, ctx).message,
    ).toContain("(host name not found)");
    expect(
      classifyWireFailure({ kind: "unreachable", detail: "ECONNRESET" }, ctx).message,
    ).toContain("(connection reset)");
  });

  it("unreachable from XMLHttpRequest names both causes and the TLS way out", () => {
    const error = classifyWireFailure({ kind: "unreachable", detail: WIRE_DETAIL.noResponse }, ctx);
    expect(error.kind).toBe("unreachable");
    expect(error.message).toContain("refused");
    expect(error.message).toContain("certificate");
    expect(error.message).toContain("cluster CA");
  });

  it("IPv6 hosts are bracketed", () => {
    const error = classifyWireFailure(
      { kind: "unreachable", detail: "EHOSTUNREACH" },
      { ...ctx, host: "fe80::1" },
    );
    expect(error.message).toContain("Cannot reach [fe80::1]:8006 (no route to host)");
    expect(formatHostPort("[::1]", 8006)).toBe("[::1]:8006");
  });

  it("timeout", () => {
    expect(classifyWireFailure({ kind: "timeout", detail: "" }, ctx).message).toContain(
      "pve.lan:8006 did not answer within 10 s",
    );
    expect(
      classifyWireFailure({ kind: "timeout", detail: "" }, { ...ctx, timeoutMs: 2500 }).message,
    ).toContain("within 2.5 s");
  });

  it("aborted", () => {
    const error = classifyWireFailure({ kind: "aborted", detail: "" }, ctx);
    expect(error.kind).toBe("aborted");
    expect(error.path).toBe("/cluster/resources");
  });
});

describe("secrets never reach a message", () => {
  const header = `PVEAPIToken=root@pam!mon=${SECRET}`;

  it("redactSecret", () => {
    expect(redactSecret(`x ${SECRET.toUpperCase()} y`, SECRET)).toBe("x [redacted] y");
    expect(redactSecret(`got ${header}; ok`, "")).toBe("got PVEAPIToken=[redacted]; ok");
    expect(redactSecret("PVEAPIToken root@pam!mon=abc", "")).toBe("PVEAPIToken=[redacted]");
    expect(redactSecret("secret=12345678-1234-1234-1234-123456789abc", "")).toBe(
      "secret=[redacted]",
    );
    expect(redactSecret("vm uuid 12345678-1234-1234-1234-123456789abc", "")).toContain("12345678-");
    expect(redactSecret("a.b*c", "a.b*c")).toBe("[redacted]");
  });

  const echoes: TransportResponse[] = [
    response(401, `invalid token '${header}'`),
    response(401, `bad secret ${SECRET}`),
    response(403, `Permission check failed (/${SECRET}, Sys.Audit)`),
    response(500, "x", `{"data":null,"message":"echo: ${header}\\n"}`),
    response(500, "", `echo ${SECRET}\n`),
    response(595, `No route ${SECRET}`),
    response(200, "OK", `<html>${SECRET}</html>`),
    response(200, "OK", `{"nodata": "${SECRET}"}`),
    response(200, "OK", `not json ${SECRET.slice(0, 18)}\u0000${SECRET.slice(18)}`),
    response(200, "OK", " ".repeat(70_000) + SECRET),
    response(200, "OK", "<" + " ".repeat(65_536 - 10) + SECRET),
    response(400, "Parameter verification failed.", `{"data":null,"errors":{"x":"${SECRET}"}}`),
    response(200, "OK", "", { [BODY_ERROR_HEADER]: SECRET }),
  ];
  echoes.forEach((r, i) => {
    it(`echo #${i} (${r.status})`, () => {
      const error = errorOf(r);
      expectOneSafeLine(error);
      expect(error.message).not.toContain(SECRET.slice(0, 8));
      expect(error.aclPath ?? "").not.toContain(SECRET.slice(0, 8));
    });
  });

  it("a secret split by a control character does not survive", () => {
    const error = errorOf(response(200, "OK", `x${SECRET.slice(0, 10)}\u200b${SECRET.slice(10)}`));
    expect(error.message).toContain("x[redacted]");
  });

  it("wire failure details are scrubbed too", () => {
    const error = classifyWireFailure({ kind: "unreachable", detail: `EWEIRD ${header}` }, ctx);
    expect(error.message).not.toContain(SECRET);
    const tls = classifyWireFailure({ kind: "tls", detail: `alert ${SECRET}` }, ctx);
    expect(tls.message).not.toContain(SECRET);
  });
});

describe("format characters inside a secret", () => {
  const SECRET_F = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
  const ctxF = { host: "pve", port: 8006, path: "/cluster/resources", secret: SECRET_F };
  // Unicode category Cf, plus the combining grapheme joiner U+034F.
  const INVISIBLE = [
    "\u00ad",
    "\u034f",
    "\u061c",
    "\u180e",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u2060",
    "\u2063",
    "\u2064",
    "\u206a",
    "\ufeff",
    "\ufff9",
    "\u{110bd}",
    "\u{1d173}",
    "\u{e0001}",
    "\u{e0041}",
  ];
  for (const ch of INVISIBLE) {
    const code = "U+" + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    const split = SECRET_F.slice(0, 9) + ch + SECRET_F.slice(9, 20) + ch + ch + SECRET_F.slice(20);
    it(`${code} inserted into the secret does not hide it from an error message`, () => {
      const r = classifyResponse(
        { status: 500, reason: "boom " + split, headers: {}, body: "" },
        ctxF,
      );
      expect(r.ok).toBe(false);
      const message = r.ok ? "" : r.error.message;
      expect(message).toContain("boom [redacted]");
      expect(message).not.toContain(ch);
    });
    it(`${code} inserted into the secret does not hide it from redactSecret (CLI output)`, () => {
      expect(redactSecret("a " + split + " b", SECRET_F)).toBe("a [redacted] b");
      expect(redactSecret(split.toUpperCase(), SECRET_F)).toBe("[redacted]");
    });
  }
  it("leaves text without the secret alone, format characters included", () => {
    const text = "family \u{1f468}\u200d\u{1f469} soft\u00adhyphen";
    expect(redactSecret(text, SECRET_F)).toBe(text);
  });
});

describe("TLS errors in CA mode", () => {
  const ctxCa = { host: "pve.lan", port: 8006, path: "/version" };
  it("names the CA from the settings instead of the system's trust store", () => {
    for (const detail of [
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "SELF_SIGNED_CERT_IN_CHAIN",
      "The issuer certificate could not be found",
    ]) {
      const error = classifyWireFailure({ kind: "tls", detail, caMode: true }, ctxCa);
      expect(error.message).toMatch(
        /^The server's certificate is not signed by the Proxmox cluster CA given in the settings \(or --ca\), or it is not issued for the name pve\.lan/,
      );
      expect(error.message).not.toContain("system does not know");
    }
  });
  it("keeps the system wording without CA mode, and specific reasons in CA mode", () => {
    const system = classifyWireFailure(
      { kind: "tls", detail: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" },
      ctxCa,
    );
    expect(system.message).toContain("the system does not know");
    const expired = classifyWireFailure(
      { kind: "tls", detail: "CERT_HAS_EXPIRED", caMode: true },
      ctxCa,
    );
    expect(expired.message).toContain("it has expired");
  });
});
