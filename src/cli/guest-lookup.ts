// The guest behind a VMID, as /cluster/resources lists it: its node, type,
// state and lock. Shared by the power verbs and `history`.

import type { ProxmoxClient } from "../api/client";
import { decodeResources } from "../model/decode-resources";
import type { GuestInfo } from "../model/types";
import { apiError, type Connection } from "./connection";
import { CliError } from "./io";

export async function lookupGuest(
  client: Pick<ProxmoxClient, "get">,
  connection: Connection,
  vmid: number,
): Promise<GuestInfo> {
  const resources = await client.get("/cluster/resources", { type: "vm" }).result;
  if (!resources.ok) throw apiError(resources.error, connection);
  const decoded = decodeResources(resources.value);
  if (decoded === null) {
    throw new CliError("bad-response", "GET /cluster/resources answered in an unexpected format");
  }
  const found = decoded.guests.filter((g) => g.vmid === vmid)[0];
  if (!found) {
    throw new CliError(
      "config",
      `no guest ${vmid} in /cluster/resources: it does not exist, or the token lacks VM.Audit on /vms/${vmid}`,
    );
  }
  return found;
}
