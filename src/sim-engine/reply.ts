// An answer of the simulated pveproxy, before any transport puts it on a
// wire. Shared by the in-memory demo transport and the HTTPS simulator so
// both say exactly the same thing for the same request.

export interface ApiReply {
  status: number;
  /** HTTP reason phrase; PVE puts the first line of its error message there. */
  reason: string;
  /** Body text; "" when PVE sends none (401, 595, 596). */
  body: string;
  /** null when PVE sends no Content-Type (empty bodies). */
  contentType: string | null;
  /** Set on failed authentication, which PVE answers only after a delay. */
  authFailed?: boolean;
  /** The token ID that authenticated the request (never its secret); absent without one. */
  signedBy?: string;
}

export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

export function dataReply(data: unknown): ApiReply {
  return {
    status: 200,
    reason: "OK",
    body: JSON.stringify({ data }),
    contentType: JSON_CONTENT_TYPE,
  };
}

/** A status line without body, as PVE sends for 401 and the proxy's 595/596. */
export function emptyReply(status: number, reason: string): ApiReply {
  return { status, reason: firstLine(reason), body: "", contentType: null };
}

export interface ErrorBodyOptions {
  /** pve-http-server >= 5.2.0 repeats the message in the JSON body. */
  messageInBody: boolean;
  /** Per-parameter messages of a 400 "Parameter verification failed." */
  errors?: Record<string, string>;
}

export function errorReply(status: number, message: string, options: ErrorBodyOptions): ApiReply {
  const text = message.charAt(message.length - 1) === "\n" ? message : message + "\n";
  const body: Record<string, unknown> = { data: null };
  if (options.errors) body.errors = options.errors;
  if (options.messageInBody) body.message = text;
  return {
    status,
    reason: firstLine(message),
    body: JSON.stringify(body),
    contentType: JSON_CONTENT_TYPE,
  };
}

/** Reason phrases cannot carry line breaks or control characters. */
export function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? "";
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    out += code < 0x20 || code === 0x7f ? " " : line.charAt(i);
  }
  return out.trim() || "Error";
}
