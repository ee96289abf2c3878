import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { missingParts, parseAnswer } from "../../../src/domain/checkin/parseAnswer.ts";

describe("replies that answer the whole check-in", () => {
  it.each([
    ["sober, craving 3, mood 4", { feeling: "steady", craving: 3, mood: 4 }],
    ["struggling craving 7 mood 2 went to a meeting", { feeling: "struggling", craving: 7, mood: 2, meetingToday: true }],
    ["ok 2 4 yes", { feeling: "steady", craving: 2, mood: 4, meetingToday: true }],
    ["good 3 4 no", { feeling: "steady", craving: 3, mood: 4, meetingToday: false }],
    ["fine! 0 5 yes", { feeling: "steady", craving: 0, mood: 5, meetingToday: true }],
    ["Steady. Craving: 1, Mood: 5, meeting: yes", { feeling: "steady", craving: 1, mood: 5, meetingToday: true }],
    ["ok, 7/10, 4/5, meeting no", { feeling: "steady", craving: 7, mood: 4, meetingToday: false }],
    ["craving - 3 mood - 4", { craving: 3, mood: 4 }],
    ["mood three craving eight", { craving: 8, mood: 3 }],
    ["rough day, craving is 6, mood was 2, went to an NA meeting", { feeling: "struggling", craving: 6, mood: 2, meetingToday: true }],
    ["no drinks, no meeting, craving two, mood four", { feeling: "steady", craving: 2, mood: 4, meetingToday: false }],
    ["no cravings, mood 4, meeting yes", { craving: 0, mood: 4, meetingToday: true }],
    ["I'm fine, 3 and 4", { feeling: "steady", craving: 3, mood: 4 }],
  ])("reads %j", (reply, expected) => {
    const answer = parseAnswer(reply);
    expect(answer).toEqual({ ...expected, problems: [], understood: true });
  });

  it("keeps a note exactly as written, and does not read the note as an answer", () => {
    expect(parseAnswer("mood: 5 craving: 0 no meeting note: long day but ok")).toEqual({
      craving: 0,
      mood: 5,
      meetingToday: false,
      note: "long day but ok",
      problems: [],
      understood: true,
    });
    expect(parseAnswer("good. Note - Had a drink of water with Sam").note).toBe("Had a drink of water with Sam");
    expect(parseAnswer("good note: I used to hate Mondays").feeling).toBe("steady");
  });
});

describe("how the resident says they are", () => {
  it.each([
    "sober",
    "good",
    "steady",
    "fine",
    "ok",
    "okay",
    "doing well",
    "all right",
    "not too bad",
    "feeling great",
  ])("%j is steady", (reply) => {
    expect(parseAnswer(reply).feeling).toBe("steady");
  });

  it.each([
    "struggling",
    "rough",
    "hard day",
    "having a hard time",
    "not ok",
    "not good",
    "not so good",
    "not feeling great",
    "ok but struggling",
    "hard day but sober",
  ])("%j is struggling", (reply) => {
    expect(parseAnswer(reply).feeling).toBe("struggling");
  });

  it.each(["i need help", "I think I need help", "help", "Help!", "please help", "sos", "i'm not safe"])("%j asks for help", (reply) => {
    expect(parseAnswer(reply).feeling).toBe("help");
  });

  it("does not read help into a reply that turns it down or means something else", () => {
    expect(parseAnswer("don't need help, just tired").feeling).toBeUndefined();
    expect(parseAnswer("good, the meeting helped").feeling).toBe("steady");
    expect(parseAnswer("fine, i need help with the rota").feeling).toBe("steady");
    expect(parseAnswer("good, my roommate needs help moving").feeling).toBe("steady");
  });
});

describe("a report of use", () => {
  it.each([
    "i used today",
    "I USED TODAY",
    "used.",
    "used, craving 8",
    "I used this morning",
    "i've used",
    "relapsed",
    "relapsed last night",
    "had a relapse",
    "lapse",
    "i drank",
    "drank some beer",
    "had a drink",
    "had a few beers",
    "slipped",
    "slipped up yesterday",
    "got high",
    "i felt awful so i used",
    "I'm ok. Used yesterday though",
    "not great, used today",
  ])("%j is read as used", (reply) => {
    expect(parseAnswer(reply).feeling).toBe("used");
  });

  it.each([
    "not used",
    "haven't used",
    "I haven’t used",
    "have not used",
    "no use",
    "not using",
    "didn't drink today",
    "I have not had a drink",
    "haven't had any drinks",
    "no drinking",
    "no relapse",
    "no slips",
    "never used today",
    "no, i haven't used",
  ])("%j is read as steady, never as used", (reply) => {
    expect(parseAnswer(reply).feeling).toBe("steady");
  });

  it.each([
    "almost used",
    "nearly drank",
    "scared i'll relapse",
    "thought about using",
    "wanted to drink",
    "I used my coping skills",
    "I used to drink here",
    "used the phone list",
    "my relapse was 2 years ago",
    "drank water all day",
    "drank a lot of water",
    "drank coke with dinner",
    "had a soft drink",
    "slipped on the ice",
    "my craving was high",
    "not sober yet?",
    "relapse prevention group tonight",
  ])("%j does not guess used", (reply) => {
    expect(parseAnswer(reply).feeling).not.toBe("used");
  });

  it("reads a negation next to its word even deep into a long reply, and not one far away", () => {
    const story = "long day at work, then dinner with my sister and her kids, then the bus home took forever ".repeat(5);
    expect(parseAnswer(`${story} but i haven't used`).feeling).toBe("steady");
    expect(parseAnswer(`${story} and i used`).feeling).toBe("used");
    expect(parseAnswer(`i played the piano ${"la ".repeat(40)}used`).feeling).toBe("used");
  });

  it("takes the more worrying of two feelings: help over used over struggling over steady", () => {
    expect(parseAnswer("i used and i need help").feeling).toBe("help");
    expect(parseAnswer("fine, but i relapsed").feeling).toBe("used");
    expect(parseAnswer("haven't used but struggling").feeling).toBe("struggling");
    expect(parseAnswer("i haven't used and i'm good").feeling).toBe("steady");
  });
});

describe("the meeting question", () => {
  it.each([
    ["went to a meeting", true],
    ["went to 2 meetings, rough day", true],
    ["at my AA meeting now", true],
    ["meeting: yes", true],
    ["yes to a meeting", true],
    ["no meeting", false],
    ["missed my meeting", false],
    ["didn't go to a meeting", false],
    ["haven't been to a meeting", false],
    ["meeting - no", false],
  ])("%j → %s", (reply, went) => {
    expect(parseAnswer(reply).meetingToday).toBe(went);
  });

  it("does not take a stray yes or no as the meeting answer", () => {
    expect(parseAnswer("no, i haven't used").meetingToday).toBeUndefined();
    expect(parseAnswer("yes").meetingToday).toBeUndefined();
  });

  it("asks again rather than picking one when the reply says both", () => {
    const answer = parseAnswer("went to a meeting, no meeting");
    expect(answer.meetingToday).toBeUndefined();
    expect(answer.problems).toEqual(["I couldn't tell whether you went to a meeting today — I read both yes and no."]);
  });
});

describe("numbers that cannot be used", () => {
  it.each([
    ["craving 12", "Craving goes from 0 to 10 — you wrote 12."],
    ["craving -1", "Craving goes from 0 to 10 — you wrote -1."],
    ["mood 0", "Mood goes from 1 to 5 — you wrote 0."],
    ["mood 7", "Mood goes from 1 to 5 — you wrote 7."],
    ["mood 10/10", "Mood goes from 1 to 5 — you wrote 10/10."],
    ["craving 3.5", "Craving is a whole number from 0 to 10 — you wrote 3.5."],
    ["ok 11 4", "Craving goes from 0 to 10 — you wrote 11."],
  ])("%j is not set, and says why: %s", (reply, problem) => {
    const answer = parseAnswer(reply);
    expect(answer.problems).toEqual([problem]);
    expect(answer.understood).toBe(true);
    if (reply.startsWith("craving") || reply.startsWith("ok")) expect(answer.craving).toBeUndefined();
    if (reply.startsWith("mood")) expect(answer.mood).toBeUndefined();
  });

  it("keeps the parts that were fine when one number is out of range", () => {
    expect(parseAnswer("sober, craving 12, mood 4")).toEqual({
      feeling: "steady",
      mood: 4,
      problems: ["Craving goes from 0 to 10 — you wrote 12."],
      understood: true,
    });
  });

  it("asks which one when the same part gets two different numbers", () => {
    const answer = parseAnswer("craving 3 craving 5");
    expect(answer.craving).toBeUndefined();
    expect(answer.problems).toEqual(["You gave more than one craving number (3 and 5) — which one is it?"]);
    expect(parseAnswer("craving 3, craving: 3").craving).toBe(3);
  });

  it("asks for labels instead of guessing when there are more numbers than questions", () => {
    const answer = parseAnswer("ok 2 4 5");
    expect(answer.craving).toBeUndefined();
    expect(answer.mood).toBeUndefined();
    expect(answer.feeling).toBe("steady");
    expect(answer.problems).toEqual([`I wasn't sure which numbers were which (2, 4, 5). Could you label them, like "craving 3, mood 4"?`]);
  });

  it("does not read numbers that belong to other words as answers", () => {
    expect(parseAnswer("slept 8 hours, good")).toEqual({ feeling: "steady", problems: [], understood: true });
    expect(parseAnswer("day 30 feeling great")).toEqual({ feeling: "steady", problems: [], understood: true });
    expect(parseAnswer("meeting at 10:30, fine")).toEqual({ feeling: "steady", meetingToday: true, problems: [], understood: true });
  });
});

describe("notes", () => {
  it("turns down a note over 1,000 characters and says how long it was", () => {
    const answer = parseAnswer(`good note: ${"a".repeat(1001)}`);
    expect(answer.note).toBeUndefined();
    expect(answer.feeling).toBe("steady");
    expect(answer.problems).toEqual(["Notes can be up to 1,000 characters — yours is 1,001. Could you shorten it?"]);
  });

  it("accepts a note of exactly 1,000 characters, counting emoji as one each", () => {
    expect(parseAnswer(`note: ${"a".repeat(1000)}`).note).toHaveLength(1000);
    expect(parseAnswer(`note: ${"🙂".repeat(1000)}`).problems).toEqual([]);
  });

  it("ignores an empty note", () => {
    expect(parseAnswer("fine note:   ")).toEqual({ feeling: "steady", problems: [], understood: true });
  });
});

describe("replies it cannot read", () => {
  it.each(["", "xyz", "???", "yes", "thanks"])("%j is not understood, and raises no problems", (reply) => {
    expect(parseAnswer(reply)).toEqual({ problems: [], understood: false });
  });

  it("never throws and always returns in-range values, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (reply) => {
        const answer = parseAnswer(reply);
        if (answer.craving !== undefined) expect(answer.craving >= 0 && answer.craving <= 10).toBe(true);
        if (answer.mood !== undefined) expect(answer.mood >= 1 && answer.mood <= 5).toBe(true);
        if (answer.note !== undefined) expect(Array.from(answer.note).length).toBeLessThanOrEqual(1000);
        if (!answer.understood) expect(missingParts(answer)).toHaveLength(4);
      }),
      { numRuns: 300 },
    );
  });

  it("reads any in-range labelled numbers back exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (craving, mood, first) => {
        const reply = first ? `craving ${craving}, mood ${mood}` : `mood: ${mood} craving: ${craving}`;
        expect(parseAnswer(reply)).toMatchObject({ craving, mood, problems: [] });
      }),
    );
  });
});

describe("what is left to ask", () => {
  it("lists the parts the reply did not cover, in the order the check-in asks them", () => {
    expect(missingParts(parseAnswer("i used today"))).toEqual(["craving", "mood", "meetingToday"]);
    expect(missingParts(parseAnswer("craving 3"))).toEqual(["feeling", "mood", "meetingToday"]);
    expect(missingParts(parseAnswer("ok 2 4 yes"))).toEqual([]);
    expect(missingParts(parseAnswer("sober, craving 12, mood 4"))).toEqual(["craving", "meetingToday"]);
  });

  it("counts a craving of 0 and a meeting answer of no as answered", () => {
    expect(missingParts({ feeling: "steady", craving: 0, mood: 3, meetingToday: false })).toEqual([]);
  });
});
