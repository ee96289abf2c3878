import { describe, expect, it, vi } from "vitest";
import { CHART_THREAD_IDLE_MS, chartThreadRunning, summaryChart } from "../../../src/charts/index.ts";
import { residentSummaryFigures } from "../../../src/domain/reports/index.ts";

/**
 * Charts are drawn on a thread of their own, so that Vega, resvg and what a drawing leaves behind
 * are not held by the bot all day: the thread ends when no chart has been asked for in a while.
 */

const figures = residentSummaryFigures({
  today: "2027-02-10",
  zone: "Europe/London",
  name: "amy",
  status: "active",
  pausedUntil: null,
  checkinTime: "20:00",
  keyCounsellor: null,
  sobrietyEvents: [{ kind: "date_set", date: "2026-12-01" }],
  checkins: [],
  attendance: [],
  alerts: [],
  pairings: [],
  cravingThreshold: 8,
});

describe("the chart thread", () => {
  it("starts for the first chart, ends once none has been asked for in a while, and starts again for the next", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      expect(chartThreadRunning()).toBe(false);
      const first = await summaryChart(figures, { countsOnly: true });
      expect(chartThreadRunning()).toBe(true);

      // A counsellor asking again within the while finds the thread still there.
      vi.advanceTimersByTime(CHART_THREAD_IDLE_MS - 1);
      expect(chartThreadRunning()).toBe(true);
      vi.advanceTimersByTime(1);
      await vi.waitFor(() => expect(chartThreadRunning()).toBe(false));

      const again = await summaryChart(figures, { countsOnly: true });
      expect(chartThreadRunning()).toBe(true);
      expect(again.png.equals(first.png)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
