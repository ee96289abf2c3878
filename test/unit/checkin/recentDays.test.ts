import { describe, expect, it } from "vitest";
import { RECENT_DAYS_LEGEND, type RecentDay, recentDaysLine } from "../../../src/domain/checkin/recentDays.ts";

describe("a resident's last two weeks as one line", () => {
  const days: RecentDay[] = [
    { localDate: "2027-06-01", status: "answered", usedToday: false },
    { localDate: "2027-06-02", status: "missed" },
    { localDate: "2027-06-03", status: "excused" },
    { localDate: "2027-06-04", status: "answered", usedToday: true },
    { localDate: "2027-06-05", status: "answered", usedToday: null },
    { localDate: "2027-06-14", status: "pending" },
  ];

  it("reads oldest first, ending with today, one symbol a day", () => {
    expect(recentDaysLine(days, "2027-06-14")).toBe("●○–◆●·········");
  });

  it("shows 14 days by default and any other count on request", () => {
    expect([...recentDaysLine(days, "2027-06-14")]).toHaveLength(14);
    expect(recentDaysLine(days, "2027-06-05", 5)).toBe("●○–◆●");
    expect(recentDaysLine(days, "2027-06-05", 0)).toBe("");
  });

  it("leaves out days outside the window and shows a day with no check-in as a dot", () => {
    expect(recentDaysLine(days, "2027-06-02", 3)).toBe("·●○");
    expect(recentDaysLine([], "2027-06-03", 3)).toBe("···");
  });

  it("has a legend that explains every symbol the line can use", () => {
    for (const symbol of ["●", "◆", "○", "–", "·"]) expect(RECENT_DAYS_LEGEND).toContain(symbol);
  });

  it("refuses a count that is not a whole number of days", () => {
    expect(() => recentDaysLine(days, "2027-06-14", -1)).toThrow(RangeError);
    expect(() => recentDaysLine(days, "2027-06-14", 2.5)).toThrow(RangeError);
  });
});
