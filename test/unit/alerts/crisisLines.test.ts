import { describe, expect, it } from "vitest";
import { crisisLinesFor, crisisMessageText } from "../../../src/domain/alerts/crisisLines.ts";

const numbers = (country: string): string[] => crisisLinesFor(country).map(({ number }) => number);

describe("the crisis numbers a resident is shown", () => {
  it("in a UK house: Samaritans, NHS 111 option 2, Shout and 999", () => {
    const lines = crisisLinesFor("GB");
    expect(lines.map(({ number }) => number)).toEqual(["116 123", "111", "85258", "999"]);
    expect(lines.find(({ number }) => number === "111")?.detail).toContain("option 2");
  });

  it("treats UK as GB, in any case and with stray spaces", () => {
    expect(crisisLinesFor(" uk ")).toEqual(crisisLinesFor("GB"));
    expect(crisisLinesFor("gb")).toEqual(crisisLinesFor("GB"));
  });

  it("in a US house: 988 by call or text, then 911", () => {
    const lines = crisisLinesFor("US");
    expect(lines[0]).toEqual({ name: "988 Suicide & Crisis Lifeline", number: "988", detail: "call or text" });
    expect(numbers("US")).toContain("911");
  });

  it("in Ireland, Canada, Australia and New Zealand: a crisis line and the local emergency number", () => {
    expect(numbers("IE")).toEqual(expect.arrayContaining(["116 123", "112 or 999"]));
    expect(numbers("CA")).toEqual(["988", "911"]);
    expect(numbers("AU")).toEqual(expect.arrayContaining(["13 11 14", "000"]));
    expect(numbers("NZ")).toEqual(expect.arrayContaining(["1737", "111"]));
  });

  it("in a country we have no list for: the local emergency number and a directory, not a made-up number", () => {
    const lines = crisisLinesFor("FR");
    expect(lines.map(({ number }) => number)).toEqual(["your local emergency number", "findahelpline.com"]);
    expect(crisisLinesFor("")).toEqual(lines);
  });

  it("uses the house's own list when it has one", () => {
    const override = [{ name: "House crisis phone", number: "07700 900123" }];
    expect(crisisLinesFor("GB", override)).toEqual(override);
    expect(crisisLinesFor("ZZ", override)).toEqual(override);
  });

  it("ignores an empty house list, so nobody is ever shown no numbers", () => {
    expect(crisisLinesFor("GB", [])).toEqual(crisisLinesFor("GB"));
  });

  it("hands out copies, so one caller cannot change another's numbers", () => {
    const first = crisisLinesFor("GB");
    const samaritans = first[0];
    if (samaritans !== undefined) samaritans.number = "0";
    expect(crisisLinesFor("GB")[0]?.number).toBe("116 123");
  });
});

describe("the crisis reply", () => {
  const ukReply = crisisMessageText(crisisLinesFor("GB"), true);

  it("starts with the numbers, in full, one per line", () => {
    expect(ukReply.split("\n").slice(0, 4)).toEqual([
      "Samaritans: 116 123 (free, day or night)",
      "NHS: 111 (choose option 2 for urgent mental health help)",
      "Shout: 85258 (text the word SHOUT)",
      "Emergency services: 999 (if you or someone else is in danger right now)",
    ]);
  });

  it("then says the bot is peer support, not an emergency service, then that the counsellor knows", () => {
    const after = ukReply.split("\n").slice(4).filter(Boolean);
    expect(after).toEqual([
      "I'm a peer-support bot, not an emergency service, so please use one of these numbers if you need help now.",
      "Your counsellor has been told and will be in touch.",
    ]);
  });

  it("does not claim the counsellor was told when they were not", () => {
    const reply = crisisMessageText(crisisLinesFor("US"), false);
    expect(reply).not.toContain("has been told");
    expect(reply.startsWith("988 Suicide & Crisis Lifeline: 988 (call or text)")).toBe(true);
  });

  it("shows a house's own numbers without decoration", () => {
    const reply = crisisMessageText([{ name: "House crisis phone", number: "07700 900123" }], true);
    expect(reply.split("\n")[0]).toBe("House crisis phone: 07700 900123");
  });

  it("never raises its voice", () => {
    for (const country of ["GB", "IE", "US", "CA", "AU", "NZ", "FR"]) {
      for (const told of [true, false]) expect(crisisMessageText(crisisLinesFor(country), told)).not.toContain("!");
    }
  });
});
