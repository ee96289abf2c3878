import { describe, expect, it } from "vitest";
import {
  type ChartImage,
  chartSvg,
  DIGEST_FRAMES,
  digestChart,
  digestChartSpec,
  SUMMARY_FRAMES,
  summaryChart,
  summaryChartSpec,
} from "../../../src/charts/index.ts";
import { chartSvg as chartSvgHere, rasteriseWithPixels } from "../../../src/charts/render.ts";
import { COLOURS } from "../../../src/charts/theme.ts";
import { addDays } from "../../../src/domain/checkin/schedule.ts";
import { houseDigestFigures, residentSummaryFigures } from "../../../src/domain/reports/index.ts";
import { decodePng, ihdrSize, inkOf, PNG_SIGNATURE } from "./png.ts";

const TODAY = "2027-02-10";

function summaryFigures(name = "amy") {
  return residentSummaryFigures({
    today: TODAY,
    zone: "Europe/London",
    name,
    status: "active",
    pausedUntil: null,
    checkinTime: "20:00",
    keyCounsellor: null,
    sobrietyEvents: [{ kind: "date_set", date: "2026-12-01" }],
    checkins: Array.from({ length: 27 }, (_, i) => ({
      localDate: addDays(TODAY, -i - 1),
      status: i % 6 === 2 ? ("missed" as const) : ("answered" as const),
      usedToday: i === 9,
      craving: i % 6 === 2 ? null : (i * 3) % 11,
      mood: i % 6 === 2 ? null : 1 + (i % 5),
      meetingToday: i % 4 === 0,
    })),
    attendance: [],
    alerts: [],
    pairings: [],
    cravingThreshold: 8,
  });
}

function digestFigures() {
  const residents = ["amy", "bo", "cy", "dee"].map((name) => ({ id: name, name, status: "active" as const, sobrietyEvents: [] }));
  return houseDigestFigures({
    date: TODAY,
    now: new Date("2027-02-10T08:00:00Z"),
    houseName: "Oak House",
    zone: "Europe/London",
    cravingThreshold: 8,
    residents,
    checkins: residents.flatMap((r, j) =>
      Array.from({ length: 14 }, (_, i) => ({
        memberId: r.id,
        localDate: addDays(TODAY, -i - 1),
        status: (i + j) % 5 === 0 ? ("missed" as const) : ("answered" as const),
        usedToday: false,
        craving: (i + j) % 5 === 0 ? null : (i + 2 * j) % 8,
        mood: (i + j) % 5 === 0 ? null : 2 + ((i + j) % 3),
        meetingToday: null,
      })),
    ),
    attendance: residents.map((r, i) => ({ memberId: r.id, localDate: addDays(TODAY, -i - 1), status: "went" as const })),
    alerts: [],
    pairings: [],
  });
}

function expectReadablePng(image: ChartImage, frame: { width: number; height: number; scale: number }) {
  expect(image.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(image.png.toString("latin1", 12, 16)).toBe("IHDR");
  expect(ihdrSize(image.png)).toEqual({ width: frame.width * frame.scale, height: frame.height * frame.scale });
  const decoded = decodePng(image.png);
  expect([decoded.width, decoded.height]).toEqual([image.width, image.height]);
  const ink = inkOf(decoded.rgba, [COLOURS.vermillion, COLOURS.blue, COLOURS.green, COLOURS.orange]);
  // Not blank, and not a solid block: a chart is mostly white with lines, marks and text.
  expect(ink.fraction).toBeGreaterThan(0.03);
  expect(ink.fraction).toBeLessThan(0.6);
  expect(ink.distinctColours).toBeGreaterThan(50);
  return ink.exact;
}

describe("the resident summary chart", () => {
  it("is a PNG of the expected size with craving and mood lines and the day marks", async () => {
    const image = await summaryChart(summaryFigures(), { countsOnly: false });
    const colours = expectReadablePng(image, SUMMARY_FRAMES.full);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBeGreaterThan(500);
    expect(colours[COLOURS.blue.toLowerCase()]).toBeGreaterThan(500);
    expect(colours[COLOURS.green.toLowerCase()]).toBeGreaterThan(100);
    expect(colours[COLOURS.orange.toLowerCase()]).toBeGreaterThan(50);
  });

  it("counts only: no answer values in its data, and no craving line or reported-use mark drawn", async () => {
    const figures = summaryFigures();
    const spec = JSON.stringify(summaryChartSpec(figures, { countsOnly: true }));
    for (const word of ["craving", "mood", "Reported use", "threshold"]) expect(spec).not.toContain(word);
    const image = await summaryChart(figures, { countsOnly: true });
    const colours = expectReadablePng(image, SUMMARY_FRAMES.countsOnly);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBe(0);
    expect(colours[COLOURS.blue.toLowerCase()]).toBeGreaterThan(100);
  });

  it("draws a name as text, never as markup, and draws the same pixels every time", async () => {
    const figures = summaryFigures('<script>&"x');
    const svg = await chartSvg(summaryChartSpec(figures, { countsOnly: true }));
    expect(svg).toContain("&lt;script&gt;&amp;");
    expect(svg).not.toContain("<script>");
    const [a, b] = await Promise.all([summaryChart(figures, { countsOnly: true }), summaryChart(figures, { countsOnly: true })]);
    expect(a.png.equals(b.png)).toBe(true);
  });
});

describe("the house digest chart", () => {
  it("is a PNG of the expected size with check-in bars, trend lines and meetings", async () => {
    const image = await digestChart(digestFigures(), { countsOnly: false });
    const colours = expectReadablePng(image, DIGEST_FRAMES.full);
    expect(colours[COLOURS.blue.toLowerCase()]).toBeGreaterThan(5000);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBeGreaterThan(500);
    expect(colours[COLOURS.green.toLowerCase()]).toBeGreaterThan(1000);
  });

  it("counts only: bars of counts, no averages in its data or on the image", async () => {
    const figures = digestFigures();
    const spec = JSON.stringify(digestChartSpec(figures, { countsOnly: true }));
    for (const word of ["craving", "mood", "average"]) expect(spec.toLowerCase()).not.toContain(word);
    const image = await digestChart(figures, { countsOnly: true });
    const colours = expectReadablePng(image, DIGEST_FRAMES.countsOnly);
    expect(colours[COLOURS.vermillion.toLowerCase()]).toBe(0);
    expect(colours[COLOURS.orange.toLowerCase()]).toBeGreaterThan(500);
  });
});

describe("charts with nothing to show yet", () => {
  it("still draw their frame, axes and titles at the expected size (a new resident, a new house)", async () => {
    const summary = residentSummaryFigures({
      today: TODAY,
      zone: "Europe/London",
      name: "new",
      status: "invited",
      pausedUntil: null,
      checkinTime: "20:00",
      keyCounsellor: null,
      sobrietyEvents: [],
      checkins: [],
      attendance: [],
      alerts: [],
      pairings: [],
      cravingThreshold: 8,
    });
    const digest = houseDigestFigures({
      date: TODAY,
      now: new Date("2027-02-10T08:00:00Z"),
      houseName: "New House",
      zone: "Europe/London",
      cravingThreshold: 8,
      residents: [],
      checkins: [],
      attendance: [],
      alerts: [],
      pairings: [],
    });
    for (const [image, frame] of [
      [await summaryChart(summary, { countsOnly: false }), SUMMARY_FRAMES.full],
      [await summaryChart(summary, { countsOnly: true }), SUMMARY_FRAMES.countsOnly],
      [await digestChart(digest, { countsOnly: false }), DIGEST_FRAMES.full],
    ] as const) {
      expect(ihdrSize(image.png)).toEqual({ width: frame.width * frame.scale, height: frame.height * frame.scale });
      expect(inkOf(decodePng(image.png).rgba).fraction).toBeGreaterThan(0.005);
    }
  });
});

describe("where charts are drawn", () => {
  it("encodes exactly the pixels resvg drew", async () => {
    const frame = DIGEST_FRAMES.countsOnly;
    const drawn = rasteriseWithPixels(await chartSvgHere(digestChartSpec(digestFigures(), { countsOnly: true })), frame);
    expect(decodePng(drawn.png).rgba.equals(drawn.pixels)).toBe(true);
  });

  it("a chart that cannot be drawn fails alone: the next one is drawn", async () => {
    await expect(chartSvg({ mark: "bar", encoding: { x: { field: "a", type: "not-a-type" } } } as never)).rejects.toThrow(
      /chart drawing failed/,
    );
    const image = await digestChart(digestFigures(), { countsOnly: true });
    expectReadablePng(image, DIGEST_FRAMES.countsOnly);
  });
});
