import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertForSignal, lowMoodTwoDaysRunning, type RiskSignalKind, riskSignalKinds } from "../../../src/domain/alerts/riskRules.ts";

const house = { missedBeforeAlert: 2, cravingThreshold: 8 };
const signal = (kind: RiskSignalKind, details: { missedInARow?: number; craving?: number } = {}) => ({ kind, details });

describe("how serious each signal is", () => {
  it.each([
    ["reported_use", "high", "reported_use"],
    ["high_craving", "medium", "high_craving"],
    ["low_mood", "medium", "low_mood"],
    ["crisis_words", "critical", "crisis"],
    ["sos", "critical", "crisis"],
    ["unreachable", "low", "unreachable"],
  ] as const)("%s raises a %s alert", (kind, severity, dedupKind) => {
    expect(alertForSignal(signal(kind), house)).toEqual({ action: "alert", severity, dedupKind });
  });

  it("treats SOS and crisis words as one crisis, so a resident who does both gets one alert", () => {
    const sos = alertForSignal(signal("sos"), house);
    const words = alertForSignal(signal("crisis_words"), house);
    expect(sos).toEqual(words);
  });

  it("raises an alert for every kind of signal once the count and craving are high enough", () => {
    for (const kind of riskSignalKinds) expect(alertForSignal(signal(kind, { missedInARow: 5, craving: 10 }), house).action).toBe("alert");
  });
});

describe("a craving", () => {
  it("alerts at the house threshold and above", () => {
    expect(alertForSignal(signal("high_craving", { craving: 8 }), house).action).toBe("alert");
    expect(alertForSignal(signal("high_craving", { craving: 10 }), house).action).toBe("alert");
  });

  it("below the house's current threshold does nothing, even if an older threshold raised the signal", () => {
    expect(alertForSignal(signal("high_craving", { craving: 7 }), house)).toEqual({ action: "none" });
  });
});

describe("missed check-ins", () => {
  it("first nudge the buddy, then alert the counsellor once the house's count is reached", () => {
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 1 }), house)).toEqual({ action: "nudgeBuddy" });
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 2 }), house)).toEqual({
      action: "alert",
      severity: "medium",
      dedupKind: "missed_checkin",
    });
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 6 }), house).action).toBe("alert");
  });

  it("follow each house's own count", () => {
    const patient = { ...house, missedBeforeAlert: 4 };
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 3 }), patient)).toEqual({ action: "nudgeBuddy" });
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 4 }), patient).action).toBe("alert");
    const strict = { ...house, missedBeforeAlert: 1 };
    expect(alertForSignal(signal("missed_checkin", { missedInARow: 1 }), strict).action).toBe("alert");
  });

  it("without a usable count still nudge the buddy rather than being dropped", () => {
    for (const missedInARow of [undefined, 0, -3, Number.NaN]) {
      expect(alertForSignal(signal("missed_checkin", { missedInARow }), house)).toEqual({ action: "nudgeBuddy" });
    }
  });

  it("alert exactly when the count reaches the threshold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 30 }), (threshold, missed) => {
        const decision = alertForSignal(signal("missed_checkin", { missedInARow: missed }), {
          ...house,
          missedBeforeAlert: threshold,
        });
        expect(decision.action).toBe(missed >= threshold ? "alert" : "nudgeBuddy");
      }),
    );
  });
});

describe("low mood two days running", () => {
  it("is two low answers on consecutive days", () => {
    expect(
      lowMoodTwoDaysRunning([
        { localDate: "2025-03-09", mood: 2 },
        { localDate: "2025-03-10", mood: 1 },
      ]),
    ).toBe(true);
  });

  it("does not care what order the answers come in, and crosses month ends", () => {
    expect(
      lowMoodTwoDaysRunning([
        { localDate: "2025-03-01", mood: 1 },
        { localDate: "2025-02-27", mood: 5 },
        { localDate: "2025-02-28", mood: 2 },
      ]),
    ).toBe(true);
  });

  it("is not a single low day, a better day today, or two low days with a gap between", () => {
    expect(lowMoodTwoDaysRunning([{ localDate: "2025-03-10", mood: 1 }])).toBe(false);
    expect(
      lowMoodTwoDaysRunning([
        { localDate: "2025-03-09", mood: 1 },
        { localDate: "2025-03-10", mood: 3 },
      ]),
    ).toBe(false);
    expect(
      lowMoodTwoDaysRunning([
        { localDate: "2025-03-08", mood: 1 },
        { localDate: "2025-03-10", mood: 1 },
      ]),
    ).toBe(false);
  });

  it("counts the lower of two answers on one day, and skips dates it cannot read", () => {
    expect(
      lowMoodTwoDaysRunning([
        { localDate: "2025-03-09", mood: 4 },
        { localDate: "2025-03-09", mood: 2 },
        { localDate: "2025-03-10", mood: 2 },
        { localDate: "not a date", mood: 5 },
      ]),
    ).toBe(true);
    expect(lowMoodTwoDaysRunning([])).toBe(false);
  });
});
