// Contract of the Proxmox API client (implementation: see below).
import type { Result } from "./errors";
import type { Transport } from "./transport";

export interface ClientOptions {
  transport: Transport;
  /** Host name or address, without scheme or port ("pve.example.lan", "10.0.0.2", "[fe80::1]"). */
  host: string;
  port: number;
  /** "user@realm!tokenname" */
  tokenId: string;
  /** The token's UUID secret. Only ever placed in the Authorization header. */
  secret: string;
  timeoutMs: number;
}

export interface ApiCall<T> {
  /** Always resolves; failures are classified ProxmonError values. */
  readonly result: Promise<Result<T>>;
  abort(): void;
}

export interface ProxmoxClient {
  /** "https://host:port/api2/json" */
  readonly baseUrl: string;
  /** GET an API path ("/cluster/resources"); resolves with the envelope's `data`, still untrusted. */
  get(path: string, query?: Record<string, string>): ApiCall<unknown>;
}
