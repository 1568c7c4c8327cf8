// One refresh's worth of notification work, in the order that matters:
// learn what changed (tracker), keep what the user asked for (filter), then
// rate-limit, detect flapping and group (limiter). The monitor and the CLI's
// `watch` both use this, so the terminal and the desktop say the same thing.

import { createChangeTracker } from "./diff";
import { parseFilter, shouldNotify, type EventContext, type NotifySettings } from "./filter";
import { createNotificationLimiter, type Notification } from "./limiter";
import {
  MAX_NAME_LENGTH,
  MAX_TITLE_LENGTH,
  capText,
  plainTranslator,
  redactTokenId,
  type Translator,
} from "./message";
import type { Snapshot } from "../model/types";
import { createStorageAlertTracker, type StorageAlertSettings } from "../history/storage-alerts";

export interface NotificationSettings extends NotifySettings {
  enabled: boolean;
  rateLimitEnabled: boolean;
  rateLimitSeconds: number;
  /** Show "user@realm!token" in texts instead of "user@realm!…"; off by default. */
  showTokenId?: boolean;
  /** Filling-up thresholds (issue 12); absent: 85 % / 95 %, 3 points of hysteresis. */
  storageAlerts?: Partial<StorageAlertSettings>;
}

export const DEFAULT_NOTIFICATION_SETTINGS: Readonly<NotificationSettings> = Object.freeze({
  enabled: true,
  mode: "all",
  patterns: "",
  notifyOnStart: true,
  notifyOnStop: true,
  notifyOnNodeChange: true,
  rateLimitEnabled: true,
  rateLimitSeconds: 120,
});

export interface NotificationPipelineOptions {
  /** "host:port", or "connection:NAME" with several connections — keeps rate limits of two clusters apart. */
  endpoint: string;
  /**
   * Several connections (issue 11): the connection's display name. Every
   * notification then names it ("home: web-01 started") and carries it in
   * `connection`, and cluster:NAME filter entries match it. Absent: texts
   * as with one connection.
   */
  connectionName?: string;
  settings: NotificationSettings;
  tokenId?: string;
  secret?: string;
  tr?: Translator;
}

export interface NotificationPipeline {
  /** Feed each new snapshot; returns the notifications to deliver now. */
  onSnapshot(snapshot: Snapshot, nowMs: number): Notification[];
  /** Forget everything; the next snapshot is a baseline. */
  reset(): void;
}

export function createNotificationPipeline(
  options: NotificationPipelineOptions,
): NotificationPipeline {
  const settings = options.settings;
  const tr = options.tr || plainTranslator;
  const tracker = createChangeTracker();
  const storageAlerts = createStorageAlertTracker(settings.storageAlerts);
  const compiled = parseFilter(settings.patterns || "", tr);
  const limiter = createNotificationLimiter({
    endpoint: options.endpoint,
    minIntervalSec: settings.rateLimitEnabled ? Math.max(0, settings.rateLimitSeconds) : 0,
    tr,
  });

  function scrub(n: Notification): Notification {
    // Guest names and PVE texts are untrusted and might quote the token;
    // a notification can end up on a lock screen, so redact here, last.
    if (settings.showTokenId || !options.tokenId) return n;
    const tokenId = options.tokenId;
    n.title = redactTokenId(n.title, tokenId, options.secret);
    n.body = redactTokenId(n.body, tokenId, options.secret);
    return n;
  }

  const connectionName = options.connectionName;

  function context(snapshot: Snapshot): EventContext {
    return { connection: connectionName, cluster: snapshot.cluster.name };
  }

  function named(n: Notification): Notification {
    if (connectionName === undefined) return n;
    n.connection = connectionName;
    n.title = capText(
      tr("%1: %2", capText(connectionName, MAX_NAME_LENGTH), n.title),
      MAX_TITLE_LENGTH,
    );
    return n;
  }

  return {
    onSnapshot(snapshot: Snapshot, nowMs: number): Notification[] {
      const events = tracker.update(snapshot).concat(storageAlerts.update(snapshot));
      if (!settings.enabled) return [];
      const wanted = [];
      for (let i = 0; i < events.length; i++) {
        const event = events[i];
        if (event && shouldNotify(event, settings, compiled, context(snapshot))) wanted.push(event);
      }
      return limiter.process(wanted, nowMs).map(scrub).map(named);
    },
    reset(): void {
      tracker.reset();
      storageAlerts.reset();
      limiter.reset();
    },
  };
}
