import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registry } from "../../../commands/index.ts";
import { applicationCommands, commandJson, discordCommands } from "../../../src/adapters/discord/commands.ts";
import { defineCommand } from "../../../src/core/command.ts";
import { opt } from "../../../src/core/options.ts";

const probe = defineCommand({
  name: "probe",
  description: "D".repeat(120),
  access: "anyone",
  options: z.object({
    note: opt.text("A note", 300).optional(),
    craving: opt.integer("How strong, 0-10", 0, 10),
    used: opt.boolean("Used today?").optional(),
    day: opt.date("Which day"),
    at: opt.time("What time").optional(),
    zone: opt.timezone("Your time zone").optional(),
    who: opt.user("Who"),
  }),
  run: async () => [],
});

describe("slash commands generated from the zod options", () => {
  it("puts required options first, as Discord insists, each group in declared order", () => {
    expect(commandJson(probe).options?.map((o) => `${o.name}${o.required ? "!" : "?"}`)).toEqual([
      "craving!",
      "day!",
      "who!",
      "note?",
      "used?",
      "at?",
      "zone?",
    ]);
  });

  it("maps each kind of option to Discord's type, with the limits the schema enforces", () => {
    const byName = Object.fromEntries((commandJson(probe).options ?? []).map((o) => [o.name, o]));
    expect(byName.note).toMatchObject({ type: 3, max_length: 300 });
    expect(byName.craving).toMatchObject({ type: 4, min_value: 0, max_value: 10 });
    expect(byName.used).toMatchObject({ type: 5 });
    expect(byName.who).toMatchObject({ type: 6 });
    expect(byName.day).toMatchObject({ type: 3, description: "Which day (YYYY-MM-DD)" });
    expect(byName.at).toMatchObject({ type: 3, description: "What time (HH:MM, 24-hour)" });
    expect(byName.zone).toMatchObject({ type: 3, description: "Your time zone (Area/City)" });
  });

  it("keeps descriptions within Discord's 100 characters", () => {
    expect(commandJson(probe).description).toHaveLength(100);
  });

  it("works in the server and in DMs, and leaves permissions to the bot's own roles", () => {
    const json = commandJson(probe);
    expect(json.contexts).toEqual([0, 1]);
    expect(json.dm_permission).toBe(true);
    expect(json).not.toHaveProperty("default_member_permissions");
  });

  it("registers every command in the bot's registry, each within Discord's rules", () => {
    const commands = discordCommands();
    expect(commands.map((c) => c.name)).toEqual(registry.commands.map((c) => c.name));
    for (const command of commands) {
      expect(command.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.options?.length ?? 0).toBeLessThanOrEqual(25);
      for (const option of command.options ?? []) {
        expect(option.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
        expect(option.description.length).toBeLessThanOrEqual(100);
        if ("choices" in option) expect(option.choices?.length ?? 0).toBeLessThanOrEqual(25);
      }
    }
    const staff = commands.find((c) => c.name === "staff");
    expect(staff?.options).toEqual([
      {
        name: "action",
        description: "add or remove",
        required: true,
        type: 3,
        choices: [
          { name: "add", value: "add" },
          { name: "remove", value: "remove" },
        ],
      },
      { name: "user", description: "The person", required: true, type: 6 },
      {
        name: "role",
        description: "The staff role",
        required: false,
        type: 3,
        choices: [
          { name: "counsellor", value: "counsellor" },
          { name: "admin", value: "admin" },
        ],
      },
    ]);
    expect(applicationCommands({ commands: [] })).toEqual([]);
  });
});
