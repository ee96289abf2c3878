import type { EscalationPolicy } from "../houseSettings.ts";

/**
 * The escalation state machine, PagerDuty style, over the policy snapshot stored on the alert.
 * Open alerts walk the levels that handle their severity, one step per due instant; after the last
 * level the ladder is walked again, `loops` times in all, then the alert is exhausted (still open,
 * nextEscalationAt null) and the caller posts a final notice to the staff channel. Acknowledging
 * pauses it until retriggerAt; resolving ends it for good.
 */

export type EscalationLevel = EscalationPolicy["levels"][number];
export type AlertSeverity = EscalationLevel["severities"][number];

export interface EscalationState {
  state: "open" | "acknowledged" | "resolved";
  /** Index into policy.levels of the level most recently notified. */
  level: number;
  /** 0-based pass over the ladder. */
  loop: number;
  nextEscalationAt: Date | null;
  retriggerAt: Date | null;
}

/** What the caller does next: notify `level`'s targets, or post the final notice for an exhausted alert. */
export type EscalationStep =
  | { kind: "notify"; level: number; loop: number; nextEscalationAt: Date; state: EscalationState }
  | { kind: "exhausted"; state: EscalationState };

export type EscalationDue = EscalationStep | { kind: "wait" };

export type AcknowledgeResult = { ok: true; state: EscalationState } | { ok: false; reason: "already_acknowledged" | "already_resolved" };

export type ResolveResult = { ok: true; state: EscalationState } | { ok: false; reason: "already_resolved" };

interface Rung {
  index: number;
  level: EscalationLevel;
}

const MINUTE_MS = 60_000;
const WAIT: EscalationDue = { kind: "wait" };

function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MINUTE_MS);
}

function isPeer(level: EscalationLevel): boolean {
  return level.target === "peer";
}

/**
 * Peers are kept to low severity even if a policy lists them for more, and a policy that forgot a
 * severity falls back to every counsellor level rather than dropping the alert. Only a policy with
 * nothing but peer levels leaves a higher severity with no ladder (the alert is exhausted at once).
 */
function ladder(policy: EscalationPolicy, severity: AlertSeverity): Rung[] {
  const rungs = policy.levels.map((level, index) => ({ index, level }));
  const allowed = rungs.filter(({ level }) => severity === "low" || !isPeer(level));
  const handling = allowed.filter(({ level }) => level.severities.includes(severity));
  return handling.length > 0 ? handling : rungs.filter(({ level }) => !isPeer(level));
}

function firstCounsellorRung(rungs: readonly Rung[]): Rung | undefined {
  return rungs.find(({ level }) => !isPeer(level)) ?? rungs[0];
}

/** Indexes into policy.levels of the levels that handle this severity, in escalation order. */
export function levelsFor(policy: EscalationPolicy, severity: AlertSeverity): number[] {
  return ladder(policy, severity).map(({ index }) => index);
}

/** Critical alerts use one short timeout at every level; everything else uses the level's own. */
export function timeoutMinutesFor(policy: EscalationPolicy, level: EscalationLevel, severity: AlertSeverity): number {
  return severity === "critical" ? policy.criticalTimeoutMinutes : level.timeoutMinutes;
}

function notify(policy: EscalationPolicy, severity: AlertSeverity, rung: Rung, loop: number, now: Date): EscalationStep {
  const nextEscalationAt = addMinutes(now, timeoutMinutesFor(policy, rung.level, severity));
  return {
    kind: "notify",
    level: rung.index,
    loop,
    nextEscalationAt,
    state: { state: "open", level: rung.index, loop, nextEscalationAt: new Date(nextEscalationAt), retriggerAt: null },
  };
}

function exhausted(state: EscalationState): EscalationStep {
  return { kind: "exhausted", state: { ...state, state: "open", nextEscalationAt: null, retriggerAt: null } };
}

/**
 * Critical alerts, and any alert the caller asks to, skip the peer levels: a resident in crisis
 * needs a counsellor first, not their buddy.
 */
export function startEscalation(
  policy: EscalationPolicy,
  severity: AlertSeverity,
  now: Date,
  opts: { startAtCounsellor?: boolean } = {},
): EscalationStep {
  const rungs = ladder(policy, severity);
  const first = severity === "critical" || opts.startAtCounsellor === true ? firstCounsellorRung(rungs) : rungs[0];
  const start: EscalationState = { state: "open", level: 0, loop: 0, nextEscalationAt: null, retriggerAt: null };
  return first === undefined ? exhausted(start) : notify(policy, severity, first, 0, now);
}

/**
 * One step per call, timed from `now` rather than from the missed instant: after an outage every
 * level still gets its full timeout instead of a burst of catch-up notifications.
 */
function advance(state: EscalationState, policy: EscalationPolicy, severity: AlertSeverity, now: Date): EscalationStep {
  const rungs = ladder(policy, severity);
  const next = rungs.find(({ index }) => index > state.level);
  if (next !== undefined) return notify(policy, severity, next, state.loop, now);
  const first = rungs[0];
  const loop = state.loop + 1;
  if (first === undefined || loop >= policy.loops) return exhausted(state);
  return notify(policy, severity, first, loop, now);
}

function isWaiting(state: EscalationState): state is EscalationState & { nextEscalationAt: Date } {
  return state.state === "open" && state.nextEscalationAt !== null;
}

export function escalationDue(state: EscalationState, policy: EscalationPolicy, severity: AlertSeverity, now: Date): EscalationDue {
  if (!isWaiting(state) || state.nextEscalationAt.getTime() > now.getTime()) return WAIT;
  return advance(state, policy, severity, now);
}

/**
 * Every target of a level failed to receive the alert: move on now instead of waiting out a
 * timeout nobody can answer. Pass `failed` (the level and loop the delivery was for) so a failure
 * reported after the alert has already moved on does not skip the level now being tried.
 */
export function failover(
  state: EscalationState,
  policy: EscalationPolicy,
  severity: AlertSeverity,
  now: Date,
  failed?: { level: number; loop: number },
): EscalationDue {
  if (!isWaiting(state)) return WAIT;
  if (failed !== undefined && (failed.level !== state.level || failed.loop !== state.loop)) return WAIT;
  return advance(state, policy, severity, now);
}

/** A second acknowledgement changes nothing, so the retrigger clock is not pushed back by a repeat press. */
export function acknowledge(state: EscalationState, now: Date, policy: EscalationPolicy): AcknowledgeResult {
  if (state.state === "resolved") return { ok: false, reason: "already_resolved" };
  if (state.state === "acknowledged") return { ok: false, reason: "already_acknowledged" };
  return {
    ok: true,
    state: { ...state, state: "acknowledged", nextEscalationAt: null, retriggerAt: addMinutes(now, policy.retriggerAfterMinutes) },
  };
}

/** Acknowledged but not resolved in time: escalate again from the first counsellor level, loop 0. */
export function retriggerDue(state: EscalationState, policy: EscalationPolicy, severity: AlertSeverity, now: Date): EscalationDue {
  if (state.state !== "acknowledged" || state.retriggerAt === null || state.retriggerAt.getTime() > now.getTime()) {
    return WAIT;
  }
  const first = firstCounsellorRung(ladder(policy, severity));
  return first === undefined ? exhausted(state) : notify(policy, severity, first, 0, now);
}

/** Resolved is final: nothing reopens it, and a second resolve is refused so it is recorded once. */
export function resolve(state: EscalationState): ResolveResult {
  if (state.state === "resolved") return { ok: false, reason: "already_resolved" };
  return { ok: true, state: { ...state, state: "resolved", nextEscalationAt: null, retriggerAt: null } };
}
