// doctor's power-actions line: which guests this token may start, stop, …
// Power actions are optional, so a missing VM.PowerMgmt is a "!", never a
// failure; the advice is a separate token for actions.

import { guestPermission, POWER_PRIVILEGE, type PermissionMap } from "../actions/permissions";
import type { GuestInfo } from "../model/types";
import { plainTranslator } from "../notify/message";

export interface PowerReportSink {
  ok(text: string): void;
  warn(text: string): void;
  detail(text: string): void;
}

const MAX_LISTED = 8;

export function reportPowerPermissions(
  sink: PowerReportSink,
  map: PermissionMap,
  guests: GuestInfo[],
  tokenId: string,
): void {
  const candidates = guests.filter((g) => !g.template).sort((a, b) => a.vmid - b.vmid);
  if (candidates.length === 0) return;
  const denied = candidates.filter(
    (g) =>
      !guestPermission(map, { vmid: g.vmid, name: g.name, pool: g.pool }, plainTranslator).allowed,
  );
  if (denied.length === 0) {
    sink.ok(`Power actions: ${POWER_PRIVILEGE} on all ${candidates.length} guest(s)`);
    return;
  }
  const allowed = candidates.length - denied.length;
  sink.warn(
    `Power actions: ${POWER_PRIVILEGE} on ${allowed} of ${candidates.length} guest(s); start/stop/… are refused for the rest (optional)`,
  );
  for (const g of denied.slice(0, MAX_LISTED))
    sink.detail(`${POWER_PRIVILEGE} missing on /vms/${g.vmid} (${g.name})`);
  if (denied.length > MAX_LISTED) sink.detail(`… and ${denied.length - MAX_LISTED} more`);
  if (tokenId.indexOf("!") >= 0) {
    sink.detail("Keep this token read-only; for actions use a token of a user of its own, e.g.:");
  }
  sink.detail("  pveum user add ops@pve");
  sink.detail("  pveum acl modify /vms --users ops@pve --roles PVEVMUser");
  sink.detail("  pveum user token add ops@pve proxmon --privsep 0");
}
