import { describe, expect, it } from "vitest";
import { evenlyPaced } from "../../../src/adapters/discord/evenPacing.ts";

/** A clock that only moves when a request waits, so the departures are exact. */
function virtualClock() {
  let now = 1_000;
  return {
    now: () => now,
    async sleep(ms: number) {
      now += ms;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("requests paced evenly at the global limit", () => {
  it("a burst of requests leaves one every 1/limit of a second, never two together", async () => {
    const clock = virtualClock();
    const departures: number[] = [];
    const send = evenlyPaced(50, async () => departures.push(clock.now()), clock);
    for (let i = 0; i < 5; i++) await send();
    expect(departures).toEqual([1_000, 1_020, 1_040, 1_060, 1_080]);
  });

  it("a request after a quiet spell goes at once: an alert does not wait for a window", async () => {
    const clock = virtualClock();
    const departures: number[] = [];
    const send = evenlyPaced(50, async () => departures.push(clock.now()), clock);
    await send();
    clock.advance(500);
    await send();
    expect(departures).toEqual([1_000, 1_500]);
  });
});
