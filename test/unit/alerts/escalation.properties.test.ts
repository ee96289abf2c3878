import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlertSeverity,
  acknowledge,
  type EscalationDue,
  type EscalationState,
  escalationDue,
  failover,
  levelsFor,
  resolve,
  retriggerDue,
  startEscalation,
} from "../../../src/domain/alerts/escalation.ts";
import { type EscalationPolicy, escalationPolicySchema } from "../../../src/domain/houseSettings.ts";

const severities = ["low", "medium", "high", "critical"] as const;

const arbSeverity: fc.Arbitrary<AlertSeverity> = fc.constantFrom(...severities);

/** Any policy the house settings schema accepts. */
const arbPolicy: fc.Arbitrary<EscalationPolicy> = fc
  .record({
    levels: fc.array(
      fc.record({
        target: fc.constantFrom("peer", "keyCounsellor", "onDutyCounsellors", "allCounsellorsAndStaffChannel"),
        timeoutMinutes: fc.integer({ min: 1, max: 24 * 60 }),
        severities: fc.subarray([...severities], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    criticalTimeoutMinutes: fc.integer({ min: 1, max: 120 }),
    loops: fc.integer({ min: 1, max: 10 }),
    retriggerAfterMinutes: fc.integer({ min: 15, max: 7 * 24 * 60 }),
  })
  .map((policy) => escalationPolicySchema.parse(policy));

const arbStart = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true });

type Op = "due" | "failover" | "acknowledge" | "retrigger" | "resolve";
const arbOps = fc.array(
  fc.record({
    op: fc.constantFrom<Op>("due", "due", "due", "failover", "acknowledge", "retrigger", "resolve"),
    afterMs: fc.integer({ min: 0, max: 6 * 60 * 60_000 }),
  }),
  { maxLength: 60 },
);

function apply(op: Op, state: EscalationState, policy: EscalationPolicy, severity: AlertSeverity, now: Date): EscalationState {
  const fromStep = (step: EscalationDue) => (step.kind === "wait" ? state : step.state);
  switch (op) {
    case "due":
      return fromStep(escalationDue(state, policy, severity, now));
    case "failover":
      return fromStep(failover(state, policy, severity, now));
    case "retrigger":
      return fromStep(retriggerDue(state, policy, severity, now));
    case "acknowledge": {
      const result = acknowledge(state, now, policy);
      return result.ok ? result.state : state;
    }
    case "resolve": {
      const result = resolve(state);
      return result.ok ? result.state : state;
    }
  }
}

const rank = (s: EscalationState) => s.loop * 100 + s.level;

describe("escalation, for any policy the settings accept", () => {
  it("never moves an alert backwards: resolved is final, and only a due re-trigger reopens an acknowledged alert", () => {
    fc.assert(
      fc.property(arbPolicy, arbSeverity, arbStart, arbOps, (policy, severity, start, ops) => {
        let now = start;
        let state = startEscalation(policy, severity, now).state;
        for (const { op, afterMs } of ops) {
          now = new Date(now.getTime() + afterMs);
          const next = apply(op, state, policy, severity, now);
          if (state.state === "resolved") expect(next).toEqual(state);
          if (state.state === "acknowledged" && next.state === "open") {
            expect(op).toBe("retrigger");
            expect(state.retriggerAt?.getTime()).toBeLessThanOrEqual(now.getTime());
          }
          if (state.state === "open" && next.state === "open" && next.nextEscalationAt !== null) {
            expect(rank(next)).toBeGreaterThanOrEqual(rank(state));
          }
          if (op === "acknowledge" && state.state === "open") expect([next.level, next.loop]).toEqual([state.level, state.loop]);
          state = next;
        }
      }),
    );
  });

  it("always sets the next escalation and the re-trigger after `now`", () => {
    fc.assert(
      fc.property(arbPolicy, arbSeverity, arbStart, arbOps, (policy, severity, start, ops) => {
        let now = start;
        let state = startEscalation(policy, severity, now).state;
        if (state.nextEscalationAt !== null) expect(state.nextEscalationAt.getTime()).toBeGreaterThan(now.getTime());
        for (const { op, afterMs } of ops) {
          now = new Date(now.getTime() + afterMs);
          const next = apply(op, state, policy, severity, now);
          if (next !== state) {
            if (next.nextEscalationAt !== null) expect(next.nextEscalationAt.getTime()).toBeGreaterThan(now.getTime());
            if (next.retriggerAt !== null) expect(next.retriggerAt.getTime()).toBeGreaterThan(now.getTime());
          }
          state = next;
        }
      }),
    );
  });

  it("notifies exactly (applicable levels x loops) times before it is exhausted, however late the sweeps or failovers", () => {
    fc.assert(
      fc.property(
        arbPolicy,
        arbSeverity,
        arbStart,
        fc.array(fc.record({ lateMs: fc.integer({ min: 0, max: 3_600_000 }), fail: fc.boolean() }), { minLength: 70, maxLength: 70 }),
        (policy, severity, start, sweeps) => {
          let step = startEscalation(policy, severity, start);
          let notifications = 0;
          let now = start;
          for (let i = 0; step.kind === "notify"; i += 1) {
            notifications += 1;
            const sweep = sweeps[i % sweeps.length] ?? { lateMs: 0, fail: false };
            if (!sweep.fail) now = new Date(step.nextEscalationAt.getTime() + sweep.lateMs);
            const due: EscalationDue = sweep.fail
              ? failover(step.state, policy, severity, now, { level: step.level, loop: step.loop })
              : escalationDue(step.state, policy, severity, now);
            if (due.kind === "wait") throw new Error("an open alert that is due must move on");
            step = due;
          }
          expect(notifications).toBe(levelsFor(policy, severity).length * policy.loops);
        },
      ),
    );
  });

  it("keeps peers out of every alert above low severity", () => {
    fc.assert(
      fc.property(arbPolicy, fc.constantFrom<AlertSeverity>("medium", "high", "critical"), (policy, severity) => {
        for (const index of levelsFor(policy, severity)) expect(policy.levels[index]?.target).not.toBe("peer");
      }),
    );
  });
});
