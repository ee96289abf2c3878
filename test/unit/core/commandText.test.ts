import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseCommandText, tokenise, usageLine } from "../../../src/core/commandText.ts";
import { describeOptions, opt } from "../../../src/core/options.ts";

const staff = z.object({
  action: opt.choice("add or remove", ["add", "remove"] as const),
  user: opt.user("who"),
  role: opt.choice("role", ["counsellor", "admin"] as const).optional(),
});

const away = z.object({ from: opt.date("from"), to: opt.date("to"), reason: opt.text("why", 200) });

describe("reading a command typed as text (Slack, console)", () => {
  it("fills options by position and by name", () => {
    expect(parseCommandText("add @Sam counsellor", describeOptions(staff))).toEqual({ action: "add", user: "@Sam", role: "counsellor" });
    expect(parseCommandText("role:admin user:<@U123|sam> add", describeOptions(staff))).toEqual({
      action: "add",
      user: "<@U123|sam>",
      role: "admin",
    });
  });

  it("gives the last text option the rest of the line", () => {
    expect(parseCommandText("2027-01-02 2027-01-03 day pass with family", describeOptions(away))).toEqual({
      from: "2027-01-02",
      to: "2027-01-03",
      reason: "day pass with family",
    });
  });

  it("keeps quoted phrases and Slack mentions with spaces together", () => {
    expect(tokenise('say "hello there" <@U1|Sam Smith>')).toEqual(["say", "hello there", "<@U1|Sam Smith>"]);
  });

  it("reports words it could not place", () => {
    expect(parseCommandText("add @sam counsellor extra words", describeOptions(staff))._extra).toBe("extra words");
  });

  it("normalises mentions from every platform to a user id through the schema", () => {
    const parse = (text: string) => staff.parse(parseCommandText(text, describeOptions(staff)));
    expect(parse("add <@U123|sam>").user).toBe("U123");
    expect(parse("add <@!987654321>").user).toBe("987654321");
    expect(parse("add @Sam").user).toBe("sam");
  });

  it("writes a usage line from the schema", () => {
    expect(usageLine("staff", describeOptions(staff))).toBe("/staff <add|remove> <@user> [counsellor|admin]");
  });

  it("validates values with kind messages", () => {
    const schema = z.object({ craving: opt.integer("craving", 0, 10), at: opt.time("time"), zone: opt.timezone("zone") });
    const result = schema.safeParse({ craving: "12", at: "25:00", zone: "Europe/Londn" });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${String(i.path[0])} ${i.message}`);
    expect(messages).toEqual([
      "craving should be 10 or less",
      "at should be a 24-hour time like 20:30",
      "zone should be a time zone like Europe/London or America/New_York",
    ]);
    expect(schema.parse({ craving: "7", at: "8:05", zone: "America/New_York" })).toEqual({
      craving: 7,
      at: "08:05",
      zone: "America/New_York",
    });
  });
});
