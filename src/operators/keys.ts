/**
 * Redis keys of the operators component. Everything about one person shares the hash tag
 * `{user:<id>}`, so the per-person commands (and MULTI/Lua over them) stay on one Cluster node;
 * the other keys are single keys used with single-key commands only.
 */
export function personTag(userId: number): string {
  return `{user:${userId}}`;
}

export const operatorKeys = (prefix: string) => ({
  /** Stream of audit events, capped (XADD MAXLEN ~). */
  audit: `${prefix}audit`,
  /** Sorted set: Procore user id → last time seen (for the admin list). */
  people: `${prefix}people`,
  /** Sorted set: instance id → last heartbeat. */
  instances: `${prefix}instances`,
  /** Hash of one person's token health counters. */
  person: (userId: number) => `${prefix}person:${personTag(userId)}`,
  /** Sorted set: session handle → when that session expires. */
  sessions: (userId: number) => `${prefix}user-sessions:${personTag(userId)}`,
  /** Hash: session handle → what the session list shows (and `<handle>:seen` → last activity). */
  sessionInfo: (userId: number) => `${prefix}user-session-info:${personTag(userId)}`,
  /** String, set when a session was ended from another of its person's sessions: the sign-in page says so. */
  endedElsewhere: (handle: string) => `${prefix}ended-elsewhere:${handle}`,
});

export type OperatorKeys = ReturnType<typeof operatorKeys>;
