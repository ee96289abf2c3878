import { describe, expect, it } from "vitest";
import {
  type AlertSeverity,
  acknowledge,
  type EscalationState,
  escalationDue,
  failover,
  levelsFor,
  resolve,
  retriggerDue,
  startEscalation,
} from "../../../src/domain/alerts/escalation.ts";
import { defaultEscalationPolicy, type EscalationPolicy } from "../../../src/domain/houseSettings.ts";

// Default policy: 0 peer (low only), 1 key counsellor, 2 on-duty counsellors, 3 everyone + staff channel;
// 15 minutes a level, 5 for critical, three loops, re-trigger 4 hours after an acknowledgement.
const policy = defaultEscalationPolicy;
const T0 = new Date("2025-03-10T21:00:00.000Z");
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

type Notification = { level: number; loop: number; at: string; until: string };

/** Runs an alert nobody answers, sweeping exactly when each level times out, and lists who heard when. */
function unansweredWalk(p: EscalationPolicy, severity: AlertSeverity, opts: { startAtCounsellor?: boolean } = {}) {
  const heard: Notification[] = [];
  let step = startEscalation(p, severity, T0, opts);
  let now = T0;
  while (step.kind === "notify") {
    heard.push({ level: step.level, loop: step.loop, at: now.toISOString(), until: step.nextEscalationAt.toISOString() });
    now = step.nextEscalationAt;
    const due = escalationDue(step.state, p, severity, now);
    if (due.kind === "wait") throw new Error("an open alert must move on when its level times out");
    step = due;
  }
  return { heard, exhaustedAt: now.toISOString(), finalState: step.state };
}

const iso = (minutes: number) => at(minutes).toISOString();
const rung = (level: number, loop: number, from: number, timeout: number): Notification => ({
  level,
  loop,
  at: iso(from),
  until: iso(from + timeout),
});

function openAt(level: number, loop: number, next: Date | null): EscalationState {
  return { state: "open", level, loop, nextEscalationAt: next, retriggerAt: null };
}

function notified(step: ReturnType<typeof escalationDue>) {
  if (step.kind !== "notify") throw new Error(`expected a notification, got ${step.kind}`);
  return step;
}

describe("which levels hear about which alerts", () => {
  it("lets peers hear only about low-severity alerts", () => {
    expect(levelsFor(policy, "low")).toEqual([0, 1, 2, 3]);
    for (const severity of ["medium", "high", "critical"] as const) expect(levelsFor(policy, severity)).toEqual([1, 2, 3]);
  });

  it("keeps peers out of a serious alert even if a policy lists them for it", () => {
    const loose: EscalationPolicy = {
      ...policy,
      levels: [{ target: "peer", timeoutMinutes: 10, severities: ["low", "high"] }, ...policy.levels.slice(1)],
    };
    expect(levelsFor(loose, "high")).toEqual([1, 2, 3]);
  });

  it("sends a severity the policy forgot to every counsellor level rather than to nobody", () => {
    const forgetful: EscalationPolicy = {
      ...policy,
      levels: [
        { target: "peer", timeoutMinutes: 10, severities: ["low"] },
        { target: "keyCounsellor", timeoutMinutes: 10, severities: ["low", "critical"] },
        { target: "allCounsellorsAndStaffChannel", timeoutMinutes: 10, severities: ["critical"] },
      ],
    };
    expect(levelsFor(forgetful, "medium")).toEqual([1, 2]);
    expect(levelsFor(forgetful, "critical")).toEqual([1, 2]);
  });

  it("only skips levels that do not handle the severity", () => {
    const split: EscalationPolicy = {
      ...policy,
      levels: [
        { target: "keyCounsellor", timeoutMinutes: 10, severities: ["medium", "high"] },
        { target: "onDutyCounsellors", timeoutMinutes: 10, severities: ["high"] },
        { target: "allCounsellorsAndStaffChannel", timeoutMinutes: 10, severities: ["medium", "high"] },
      ],
    };
    expect(levelsFor(split, "medium")).toEqual([0, 2]);
    expect(levelsFor(split, "high")).toEqual([0, 1, 2]);
  });
});

describe("an alert nobody answers", () => {
  it("low severity: buddy, key counsellor, on-duty, everyone; three times over, 15 minutes each, then stops", () => {
    const { heard, exhaustedAt, finalState } = unansweredWalk(policy, "low");
    const expected: Notification[] = [];
    for (let loop = 0; loop < 3; loop += 1) {
      for (let level = 0; level < 4; level += 1) expected.push(rung(level, loop, (loop * 4 + level) * 15, 15));
    }
    expect(heard).toEqual(expected);
    expect(exhaustedAt).toBe(iso(180));
    expect(finalState).toEqual({ state: "open", level: 3, loop: 2, nextEscalationAt: null, retriggerAt: null });
  });

  it("high severity: starts with the key counsellor and never reaches a peer", () => {
    const { heard, exhaustedAt } = unansweredWalk(policy, "high");
    expect(heard.map(({ level }) => level)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(heard[0]).toEqual(rung(1, 0, 0, 15));
    expect(heard[3]).toEqual(rung(1, 1, 45, 15));
    expect(exhaustedAt).toBe(iso(135));
  });

  it("critical: starts at the counsellor level and moves every 5 minutes at every level", () => {
    const { heard, exhaustedAt } = unansweredWalk(policy, "critical");
    expect(heard).toEqual([
      rung(1, 0, 0, 5),
      rung(2, 0, 5, 5),
      rung(3, 0, 10, 5),
      rung(1, 1, 15, 5),
      rung(2, 1, 20, 5),
      rung(3, 1, 25, 5),
      rung(1, 2, 30, 5),
      rung(2, 2, 35, 5),
      rung(3, 2, 40, 5),
    ]);
    expect(exhaustedAt).toBe(iso(45));
  });

  it("follows each level's own timeout from the policy snapshot", () => {
    const uneven: EscalationPolicy = {
      levels: [
        { target: "keyCounsellor", timeoutMinutes: 10, severities: ["medium"] },
        { target: "onDutyCounsellors", timeoutMinutes: 20, severities: ["medium"] },
        { target: "allCounsellorsAndStaffChannel", timeoutMinutes: 30, severities: ["medium"] },
      ],
      criticalTimeoutMinutes: 3,
      loops: 2,
      retriggerAfterMinutes: 60,
    };
    const { heard, exhaustedAt } = unansweredWalk(uneven, "medium");
    expect(heard).toEqual([
      rung(0, 0, 0, 10),
      rung(1, 0, 10, 20),
      rung(2, 0, 30, 30),
      rung(0, 1, 60, 10),
      rung(1, 1, 70, 20),
      rung(2, 1, 90, 30),
    ]);
    expect(exhaustedAt).toBe(iso(120));
  });

  it("a low alert asked to start at the counsellor skips the buddy at first", () => {
    const { heard } = unansweredWalk(policy, "low", { startAtCounsellor: true });
    expect(heard[0]).toEqual(rung(1, 0, 0, 15));
    expect(heard.map(({ level }) => level)).toEqual([1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it("a policy with only peer levels cannot take a serious alert: it is exhausted at once, for the staff channel", () => {
    const peersOnly: EscalationPolicy = { ...policy, levels: [{ target: "peer", timeoutMinutes: 15, severities: ["low"] }] };
    expect(startEscalation(peersOnly, "high", T0)).toEqual({
      kind: "exhausted",
      state: { state: "open", level: 0, loop: 0, nextEscalationAt: null, retriggerAt: null },
    });
    expect(startEscalation(peersOnly, "low", T0).kind).toBe("notify");
  });
});

describe("timing of a single step", () => {
  const state = openAt(1, 0, at(15));

  it("waits until the level's time is up, to the millisecond", () => {
    expect(escalationDue(state, policy, "high", new Date(at(15).getTime() - 1))).toEqual({ kind: "wait" });
    expect(notified(escalationDue(state, policy, "high", at(15))).level).toBe(2);
  });

  it("after a late sweep moves one level only, and gives that level its full timeout from now", () => {
    const step = notified(escalationDue(state, policy, "high", at(40)));
    expect(step).toMatchObject({ level: 2, loop: 0, nextEscalationAt: at(55) });
    expect(escalationDue(step.state, policy, "high", at(41))).toEqual({ kind: "wait" });
  });

  it("reports exhaustion once, then waits for ever", () => {
    const last = openAt(3, 2, at(45));
    const done = escalationDue(last, policy, "high", at(45));
    expect(done.kind).toBe("exhausted");
    if (done.kind !== "exhausted") return;
    expect(escalationDue(done.state, policy, "high", at(10_000))).toEqual({ kind: "wait" });
  });

  it("does not change the state it was given", () => {
    const before = structuredClone(state);
    escalationDue(state, policy, "high", at(15));
    expect(state).toEqual(before);
  });
});

describe("acknowledging an alert", () => {
  const open = openAt(2, 1, at(20));

  it("stops the escalation and sets the re-trigger 4 hours on", () => {
    expect(acknowledge(open, at(12), policy)).toEqual({
      ok: true,
      state: { state: "acknowledged", level: 2, loop: 1, nextEscalationAt: null, retriggerAt: at(12 + 240) },
    });
  });

  it("a second press changes nothing, so the re-trigger is not pushed back", () => {
    const first = acknowledge(open, at(12), policy);
    if (!first.ok) throw new Error("first acknowledgement refused");
    expect(acknowledge(first.state, at(100), policy)).toEqual({ ok: false, reason: "already_acknowledged" });
    expect(escalationDue(first.state, policy, "high", at(100))).toEqual({ kind: "wait" });
  });

  it("works on an alert that already stopped escalating", () => {
    const exhausted = openAt(3, 2, null);
    expect(acknowledge(exhausted, at(300), policy)).toMatchObject({ ok: true, state: { state: "acknowledged" } });
  });

  it("re-triggers if nobody resolves it, from the first counsellor level of loop 0, even for a low alert", () => {
    const acked = acknowledge(openAt(0, 1, at(70)), at(62), policy);
    if (!acked.ok) throw new Error("acknowledgement refused");
    expect(retriggerDue(acked.state, policy, "low", at(62 + 239))).toEqual({ kind: "wait" });
    expect(retriggerDue(acked.state, policy, "low", at(62 + 240))).toEqual({
      kind: "notify",
      level: 1,
      loop: 0,
      nextEscalationAt: at(62 + 255),
      state: { state: "open", level: 1, loop: 0, nextEscalationAt: at(62 + 255), retriggerAt: null },
    });
  });

  it("re-triggers a critical alert on the critical timeout, and it escalates again from there", () => {
    const acked = acknowledge(openAt(3, 2, null), at(50), policy);
    if (!acked.ok) throw new Error("acknowledgement refused");
    const again = notified(retriggerDue(acked.state, policy, "critical", at(290)));
    expect(again).toMatchObject({ level: 1, loop: 0, nextEscalationAt: at(295) });
    expect(notified(escalationDue(again.state, policy, "critical", at(295)))).toMatchObject({ level: 2, nextEscalationAt: at(300) });
  });

  it("re-trigger leaves open and resolved alerts alone", () => {
    expect(retriggerDue(openAt(1, 0, at(15)), policy, "high", at(1_000))).toEqual({ kind: "wait" });
    const resolved = resolve(openAt(1, 0, at(15)));
    if (!resolved.ok) throw new Error("resolve refused");
    expect(retriggerDue(resolved.state, policy, "high", at(1_000))).toEqual({ kind: "wait" });
  });
});

describe("resolving an alert", () => {
  it("ends it from open or acknowledged", () => {
    expect(resolve(openAt(2, 0, at(30)))).toEqual({
      ok: true,
      state: { state: "resolved", level: 2, loop: 0, nextEscalationAt: null, retriggerAt: null },
    });
    const acked = acknowledge(openAt(2, 0, at(30)), at(20), policy);
    if (!acked.ok) throw new Error("acknowledgement refused");
    expect(resolve(acked.state)).toMatchObject({ ok: true, state: { state: "resolved", retriggerAt: null } });
  });

  it("is final: a second resolve, an acknowledge, an escalation, a re-trigger and a failover are all refused", () => {
    const done = resolve(openAt(2, 0, at(30)));
    if (!done.ok) throw new Error("resolve refused");
    const later = at(10_000);
    expect(resolve(done.state)).toEqual({ ok: false, reason: "already_resolved" });
    expect(acknowledge(done.state, later, policy)).toEqual({ ok: false, reason: "already_resolved" });
    expect(escalationDue(done.state, policy, "high", later)).toEqual({ kind: "wait" });
    expect(retriggerDue(done.state, policy, "high", later)).toEqual({ kind: "wait" });
    expect(failover(done.state, policy, "high", later)).toEqual({ kind: "wait" });
  });
});

describe("when every target at a level could not be reached", () => {
  it("moves to the next level at once, and that level gets its full timeout", () => {
    const step = notified(failover(openAt(1, 0, at(15)), policy, "high", at(2)));
    expect(step).toMatchObject({ level: 2, loop: 0, nextEscalationAt: at(17) });
  });

  it("on a critical alert, uses the critical timeout for the next level", () => {
    expect(notified(failover(openAt(1, 0, at(5)), policy, "critical", at(1)))).toMatchObject({
      level: 2,
      nextEscalationAt: at(6),
    });
  });

  it("wraps to the next loop after the last level, and exhausts after the last loop", () => {
    expect(notified(failover(openAt(3, 0, at(45)), policy, "low", at(31)))).toMatchObject({ level: 0, loop: 1 });
    expect(failover(openAt(3, 2, at(45)), policy, "low", at(31)).kind).toBe("exhausted");
  });

  it("ignores a failure reported for a level the alert has already left", () => {
    const movedOn = openAt(2, 0, at(30));
    expect(failover(movedOn, policy, "high", at(16), { level: 1, loop: 0 })).toEqual({ kind: "wait" });
    expect(failover(movedOn, policy, "high", at(16), { level: 2, loop: 0 }).kind).toBe("notify");
  });

  it("does nothing once someone has acknowledged", () => {
    const acked = acknowledge(openAt(1, 0, at(15)), at(3), policy);
    if (!acked.ok) throw new Error("acknowledgement refused");
    expect(failover(acked.state, policy, "high", at(4))).toEqual({ kind: "wait" });
  });

  it("skips exactly one level, the same as that level timing out now", () => {
    const state = openAt(1, 1, at(60));
    expect(failover(state, policy, "medium", at(50))).toEqual(
      escalationDue({ ...state, nextEscalationAt: at(50) }, policy, "medium", at(50)),
    );
  });
});
