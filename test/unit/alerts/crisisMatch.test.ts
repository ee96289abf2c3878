import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCrisisLanguage } from "../../../src/domain/alerts/crisisMatch.ts";
import { crisisFalsePositiveContexts, crisisPhrases, crisisSpellingVariants } from "../../../src/domain/alerts/crisisWords.data.ts";

const allPhrases = Object.values(crisisPhrases).flat();

/** Turns a list entry into something a person would type: "kill* myself" -> "kill myself", "# kms" -> "5 kms". */
const asTyped = (entry: string): string => entry.replace(/\*/g, "").replace(/#/g, "5");

describe("a resident writes something that a counsellor must hear about", () => {
  it.each([
    ["I want to kill myself", "kill* myself"],
    ["thinking about killing myself tonight", "kill* myself"],
    ["honestly kms", "kms"],
    ["I've been feeling suicidal", "suicid*"],
    ["Suicide keeps crossing my mind", "suicid*"],
    ["i feel suicidle", "suicid*"],
    ["I want to end it all", "end it all"],
    ["I want to die", "want* to die"],
    ["i just wanna die", "want* to die"],
    ["want to dieeeee", "want* to die"],
    ["I don't want to be here anymore", "dont want to be here anymore"],
    ["I don’t want to be here any more", "dont want to be here anymore"],
    ["dont want to live", "dont want to live"],
    ["I do not want to live like this", "dont want to live"],
    ["I hurt myself again", "hurt* myself"],
    ["I've been hurting my self", "hurt* myself"],
    ["the self-harm is back", "self harm*"],
    ["selfharm", "self harm*"],
    ["I started cutting myself again", "cut* myself"],
    ["I'm going to unalive myself", "unalive*"],
    ["I'm going to take my own life", "take my own life"],
    ["I think I might overdose", "overdos*"],
    ["my roommate overdosed", "overdos*"],
    ["I OD'd last night", "od"],
    ["I O.D.’d on Friday", "od"],
    ["scared I'll OD", "od"],
    ["I took too many pills", "took too many pills"],
    ["I can't go on", "cant go on"],
    ["I can’t go on", "cant go on"],
    ["i cant go on", "cant go on"],
    ["I   CANNOT    go on!!!", "cant go on"],
    ["I just can't... go on", "cant go on"],
    ["there is no point living", "no point living"],
    ["what's the point of living", "what is the point of living"],
    ["everyone would be better off dead. I mean me", "better off dead"],
    ["they'd all be better off without me", "better off without me"],
    ["I have no reason to live", "no reason to live"],
    ["I'm going to use and end it", "use and end it"],
    ["gonna use and end it", "use and end it"],
    ["I'm gonna end it tonight", "end it tonight"],
    ["I'll use til I die", "use until i die"],
    ["this is goodbye", "this is goodbye"],
    ["I won't be here tomorrow", "wont be here tomorrow"],
    ["I want to kill myself, ﬁne", "kill* myself"],
  ])("%j is crisis language (%s)", (text, phrase) => {
    const result = findCrisisLanguage(text);
    expect(result.matched).toBe(true);
    expect(result.phrases).toContain(phrase);
  });

  it("still hears a crisis phrase in a message that also contains an excused idiom", () => {
    expect(findCrisisLanguage("I died laughing at the film, but honestly I want to die").phrases).toEqual(["want* to die"]);
    expect(findCrisisLanguage("I'm going to end it with pills").phrases).toEqual(["going to end it"]);
  });

  it("does not let punctuation hide a crisis phrase inside an idiom", () => {
    expect(findCrisisLanguage("I want to die. Laughing about it doesn't help").matched).toBe(true);
  });

  it("still matches when the resident says they would not do it, because a counsellor should judge that", () => {
    expect(findCrisisLanguage("I'd never kill myself").matched).toBe(true);
  });

  it("reports every phrase it found, once each, in list order", () => {
    expect(findCrisisLanguage("I can't go on. I want to die. I want to die.").phrases).toEqual(["want* to die", "cant go on"]);
  });
});

describe("a resident uses an everyday idiom that is not a crisis", () => {
  it.each([
    "I'm killing it at work this week",
    "I'm dying to see my kids on Sunday",
    "we nearly died laughing",
    "that was a killer workout",
    "an overdose of sunshine at the beach",
    "I overdosed on chocolate at Easter",
    "I OD'd on Netflix this weekend",
    "that's odd",
    "I need to cut myself some slack",
    "I cut myself off from that crowd",
    "cut myself a slice of cake",
    "I cut myself shaving",
    "it would be career suicide to quit now",
    "we watched Suicide Squad",
    "#suicidesquad",
    "I keep shooting myself in the foot",
    "I wanted to die of embarrassment",
    "I ran 5 kms today",
    "I could kill for a coffee",
    "my feet are killing me",
    "the cake was to die for",
    "I'm dead tired",
    "I overdid it at the gym",
    "I can go on a walk later",
    "the show must go on",
    "I went to a self-help meeting",
    "I'm going to end it with him",
    "no point going to the shop now, it's shut",
    "I'd die for my kids",
  ])("%j is not crisis language", (text) => {
    expect(findCrisisLanguage(text)).toEqual({ matched: false, phrases: [] });
  });

  it("matches no listed false-positive context on its own", () => {
    for (const context of crisisFalsePositiveContexts) {
      expect(findCrisisLanguage(asTyped(context)), context).toEqual({ matched: false, phrases: [] });
    }
  });

  it("does not read words glued into other words", () => {
    expect(findCrisisLanguage("skillsmyself").matched).toBe(false);
    expect(findCrisisLanguage("methodical").matched).toBe(false);
  });

  it("finds nothing in an empty or punctuation-only message", () => {
    expect(findCrisisLanguage("")).toEqual({ matched: false, phrases: [] });
    expect(findCrisisLanguage("... ?! ’’ ")).toEqual({ matched: false, phrases: [] });
  });
});

describe("the reviewed list", () => {
  it("is written the way the matcher reads it, so a reviewer sees exactly what matches", () => {
    for (const entry of [...allPhrases, ...crisisFalsePositiveContexts]) {
      expect(entry, entry).toMatch(/^[a-z0-9#]+\*?( [a-z0-9#]+\*?)*$/);
      for (const [typed] of crisisSpellingVariants) expect(` ${entry} `, `rewrites "${typed}"`).not.toContain(` ${typed} `);
    }
  });

  it("has no duplicate entries", () => {
    expect(new Set(allPhrases).size).toBe(allPhrases.length);
    expect(new Set(crisisFalsePositiveContexts).size).toBe(crisisFalsePositiveContexts.length);
  });

  it("matches every entry as typed, in any case, with extra spaces and punctuation", () => {
    for (const entry of allPhrases) {
      const typed = asTyped(entry);
      expect(findCrisisLanguage(typed).phrases, entry).toContain(entry);
      expect(findCrisisLanguage(`  ${typed.toUpperCase().replace(/ /g, "   ")}...`).phrases, entry).toContain(entry);
    }
  });

  it("covers each of the brief's categories", () => {
    for (const list of Object.values(crisisPhrases)) expect(list.length).toBeGreaterThan(0);
  });
});

describe("what the matcher gives back", () => {
  it("only ever returns entries from the list, never the resident's words", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...allPhrases), (noise, entry) => {
        // The full stops keep random noise from forming an excused idiom with the phrase ("5" + "kms").
        const result = findCrisisLanguage(`${noise}. ${asTyped(entry)}. ${noise}`);
        expect(result.matched).toBe(true);
        for (const phrase of result.phrases) expect(allPhrases).toContain(phrase);
      }),
    );
  });

  it("is unaffected by how the letters are cased or how many spaces separate words", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allPhrases),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (entry, upper, spaces) => {
          const typed = [...asTyped(entry)].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch)).join("");
          const result = findCrisisLanguage(typed.replace(/ /g, " ".repeat(spaces)));
          expect(result.phrases).toContain(entry);
        },
      ),
    );
  });

  it("matches with curly or straight apostrophes alike", () => {
    fc.assert(
      fc.property(fc.constantFrom("'", "\u2019", "\u2018", "\u02BC", "`"), (apostrophe) => {
        expect(findCrisisLanguage(`I can${apostrophe}t go on`).phrases).toEqual(["cant go on"]);
        expect(findCrisisLanguage(`I don${apostrophe}t want to live`).phrases).toEqual(["dont want to live"]);
      }),
    );
  });
});
