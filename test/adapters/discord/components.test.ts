import { MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotAction, BotForm } from "../../../commands/define.ts";
import { registry } from "../../../commands/index.ts";
import { openForm, reply, update } from "../../../src/core/command.ts";
import { type Form, message } from "../../../src/core/message.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { type DiscordHouse, OAK, startDiscordHouse } from "../../support/discordDouble/house.ts";
import { buttonPress, modalSubmit, selectChoice, slashCommand } from "../../support/discordDouble/index.ts";

/*
 * The bot has no buttons or forms of its own yet, so this file adds a small check-in-like flow
 * to the real registry: a mood question with buttons and a select, and a note written in a form.
 */

const noteForm: Form = {
  formId: "note:save",
  title: "A note",
  fields: [{ id: "note", label: "Anything you want to add?", style: "paragraph", required: true, maxLength: 1000 }],
};

const actions: BotAction[] = [
  {
    prefix: "mood",
    access: ["resident", "counsellor", "admin"],
    async run(ctx, parts) {
      return [update(message(`Thanks, ${ctx.member?.displayName}. Today: ${parts[1]}.`))];
    },
  },
  { prefix: "note", access: ["resident", "counsellor", "admin"], formFor: () => noteForm, run: async () => [] },
  { prefix: "later", access: ["resident", "counsellor", "admin"], run: async () => [openForm(noteForm)] },
  {
    prefix: "meeting",
    access: ["resident", "counsellor", "admin"],
    async run(ctx) {
      return [reply(message(`You'll be reminded about ${ctx.event.value}.`, { ephemeral: true }))];
    },
  },
];

const forms: BotForm[] = [
  {
    prefix: "note",
    access: ["resident", "counsellor", "admin"],
    async run(_ctx, _parts, values) {
      return [update(message("Note saved.")), reply(message(`Your counsellor will read: ${values.note}`, { ephemeral: true }))];
    },
  },
];

let h: DiscordHouse;
let samId: string;
let houseId: string;

beforeAll(async () => {
  h = await startDiscordHouse({ registry: { ...registry, actions, forms } });
  const setup = slashCommand(h.double, OAK.owner, "setup", [{ name: "timezone", type: "string", value: "Europe/London" }], {
    guildId: OAK.guildId,
  });
  h.double.injectInteraction(setup);
  await h.handled(setup.id);
  const house = await h.app.services.houses.findByWorkspace("discord", OAK.guildId);
  houseId = house?.id ?? "";
  const sam = await h.database.prisma.member.create({ data: { houseId, platformUserId: OAK.sam, displayName: "Sam", status: "active" } });
  samId = sam.id;
});
afterAll(async () => {
  await h.close();
});

/** Sends Sam today's question by DM through the outbox, as a check-in prompt would be; returns the Discord message. */
async function askSam(key: string) {
  await enqueue(h.database.prisma, [
    {
      idempotencyKey: key,
      houseId,
      lane: "prompt",
      targetMemberId: samId,
      notBefore: h.clock.now(),
      message: message("How are you today?", {
        buttons: [
          [
            { actionId: "mood:good", label: "Good", style: "success" },
            { actionId: "mood:low", label: "Low" },
          ],
          [
            { actionId: "note:open", label: "Add a note" },
            { actionId: "later:open", label: "Later" },
          ],
        ],
        select: { actionId: "meeting:pick", placeholder: "A meeting", options: [{ value: "tuesday-aa", label: "Tuesday AA" }] },
      }),
    },
  ]);
  await h.app.outbox.runOnce();
  const row = await h.database.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: key } });
  const ref = row.sentRef as { channelId: string; messageId: string };
  const sent = h.double.messages.get(ref.messageId);
  if (!sent) throw new Error("the question never reached Discord");
  return sent;
}

describe("buttons, selects and forms in a resident's DMs", () => {
  it("the question arrives with its buttons in rows and the select on a row of its own", async () => {
    const question = await askSam("ask:rows");
    expect(question.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, custom_id: "mood:good", label: "Good", style: 3 },
          { type: 2, custom_id: "mood:low", label: "Low", style: 2 },
        ],
      },
      {
        type: 1,
        components: [
          { type: 2, custom_id: "note:open", label: "Add a note", style: 2 },
          { type: 2, custom_id: "later:open", label: "Later", style: 2 },
        ],
      },
      { type: 1, components: [expect.objectContaining({ type: 3, custom_id: "meeting:pick" })] },
    ]);
  });

  it("pressing a button acknowledges at once and then updates the message it sits on", async () => {
    const question = await askSam("ask:press");
    const press = buttonPress(h.double, OAK.sam, question.id, "mood:good");
    h.double.injectInteraction(press);
    await h.handled(press.id);
    expect(h.double.responseTo(press.id).callbacks).toEqual([{ type: 6 }]);
    const updated = h.double.messages.get(question.id);
    expect(updated?.content).toBe("Thanks, Sam. Today: good.");
    expect(updated?.components).toEqual([]);
  });

  it("choosing from a select menu answers with the chosen value", async () => {
    const question = await askSam("ask:select");
    const choice = selectChoice(h.double, OAK.sam, question.id, "meeting:pick", "tuesday-aa");
    h.double.injectInteraction(choice);
    await h.handled(choice.id);
    expect(h.double.responseTo(choice.id).followUps.map((m) => m.content)).toEqual(["You'll be reminded about tuesday-aa."]);
  });

  it("a button that opens a form shows the modal as its first and only answer", async () => {
    const question = await askSam("ask:form");
    const press = buttonPress(h.double, OAK.sam, question.id, "note:open");
    h.double.injectInteraction(press);
    await h.double.waitFor(() => h.double.responseTo(press.id).callbacks.length > 0);
    expect(h.double.responseTo(press.id).callbacks).toEqual([
      {
        type: 9,
        data: {
          custom_id: "note:save",
          title: "A note",
          components: [
            {
              type: 18,
              label: "Anything you want to add?",
              component: { type: 4, custom_id: "note", style: 2, required: true, max_length: 1000 },
            },
          ],
        },
      },
    ]);
    expect(await h.database.prisma.inboundEvent.count({ where: { eventId: press.id } })).toBe(0);
  });

  it("submitting the form updates the question and echoes the note safely: @everyone pings nobody", async () => {
    const question = await askSam("ask:submit");
    const submit = modalSubmit(h.double, OAK.sam, "note:save", { note: "rough day @everyone **help**" }, { fromMessageId: question.id });
    h.double.injectInteraction(submit);
    await h.handled(submit.id);
    const answer = h.double.responseTo(submit.id);
    expect(answer.callbacks).toEqual([{ type: 6 }]);
    expect(h.double.messages.get(question.id)?.content).toBe("Note saved.");
    const [echo] = answer.followUps;
    expect(echo?.content).toBe("Your counsellor will read: rough day @\u200beveryone \\*\\*help\\*\\*");
    expect(echo?.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("when Discord fails the answer, the log says which event and why, never what the resident wrote", async () => {
    const question = await askSam("ask:failing");
    h.double.failNext("POST /webhooks/:app/:token", 500, { message: "Internal Server Error", code: 0 }, {}, 2);
    const submit = modalSubmit(h.double, OAK.sam, "note:save", { note: "my secret worry" }, { fromMessageId: question.id });
    h.double.injectInteraction(submit);
    await h.double.waitFor(() => h.logs.lines().some((line) => line.includes("discord event failed")));
    const failure = h.logs.entries().find((entry) => entry.msg === "discord event failed");
    expect(failure).toMatchObject({ id: submit.id, error: { status: 500 } });
    expect(h.logs.lines().join("\n")).not.toContain("secret worry");
  });

  it("a form asked for after the bot has deferred arrives as a button that opens it", async () => {
    const question = await askSam("ask:later");
    const press = buttonPress(h.double, OAK.sam, question.id, "later:open");
    h.double.injectInteraction(press);
    await h.handled(press.id);
    const [offer] = h.double.responseTo(press.id).followUps;
    expect(offer?.content).toContain("Press the button to open the form");
    const button = (offer?.components[0] as { components: Array<{ custom_id: string }> }).components[0];
    expect(button?.custom_id).toMatch(/^~form:/);

    const open = buttonPress(h.double, OAK.sam, offer?.id ?? "", button?.custom_id ?? "");
    h.double.injectInteraction(open);
    await h.double.waitFor(() => h.double.responseTo(open.id).callbacks.length > 0);
    expect(h.double.responseTo(open.id).callbacks[0]).toMatchObject({ type: 9, data: { custom_id: "note:save" } });
  });

  it("in a server channel, a button's private reply is ephemeral", async () => {
    const post = await h.adapter.postToChannel(
      { workspaceId: OAK.guildId, channelId: OAK.houseChannel },
      message("This week's meetings", {
        select: { actionId: "meeting:pick", placeholder: "Remind me", options: [{ value: "x", label: "X" }] },
      }),
    );
    const choice = selectChoice(h.double, OAK.sam, post.messageId, "meeting:pick", "x", {
      guildId: OAK.guildId,
      channelId: OAK.houseChannel,
    });
    h.double.injectInteraction(choice);
    await h.handled(choice.id);
    expect(h.double.responseTo(choice.id).followUps[0]?.flags).toBe(MessageFlags.Ephemeral);
  });
});
