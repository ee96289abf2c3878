import { describe, expect, it } from "vitest";
import { snowflake } from "../../support/discordDouble/server.ts";

describe("the Discord double's snowflakes", () => {
  it("stay unique and increasing when a seeding loop asks for more than 4,096 in a millisecond", () => {
    const ids = Array.from({ length: 50_000 }, () => BigInt(snowflake()));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
  });
});
