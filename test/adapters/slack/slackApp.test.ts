import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message } from "../../../src/core/message.ts";
import { enqueue } from "../../../src/outbox/enqueue.ts";
import { dmOf, type Mode, noteForm, people, SlackHarness, shownText, TEAM } from "./harness.ts";

/**
 * The real Bolt app, in Socket Mode and in HTTP mode, against the local Slack double, wired to
 * the real dispatcher, services, database and outbox. One story per mode, told in order.
 */
describe.each<Mode>(["socket", "http"])("a house on Slack (%s mode)", (mode) => {
  let h: SlackHarness;
  const buttonMessage = { channelId: dmOf(people.sam), messageTs: "1799999999.000100" };

  beforeAll(async () => {
    h = await SlackHarness.start(mode);
  });
  afterAll(async () => {
    await h.close();
  });

  describe("slash commands", () => {
    it("the workspace owner's /setup is acknowledged before any work, then answered only to them", async () => {
      // users.info is the first thing done after the ack; holding it shows nothing waited for it (or for the database after it).
      h.double.delay("users.info", 300);
      const delivered = await h.command(people.owner, "setup", "timezone:Europe/London country:gb staff-channel:<#CSTAFF|staff>", {
        channelId: "CHOUSE",
        channelName: "house",
      });
      h.double.delay("users.info", 0);

      expect(delivered.status).toBe(200);
      const lookup = await h.double.waitForCall("users.info", (call) => call.args.user === people.owner.userId);
      expect(delivered.ackSeq).toBeLessThan(lookup.answeredSeq ?? 0);
      const answer = await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Welcome to"));
      expect(answer.body.response_type).toBe("ephemeral");
      expect(answer.seq).toBeGreaterThan(delivered.ackSeq);

      const house = await h.app.services.houses.findByWorkspace("slack", TEAM);
      expect(house?.staffChannelId).toBe("CSTAFF");
      const owner = await h.member(people.owner);
      expect(owner?.role).toBe("admin");
      expect(owner?.timezone).toBe("Europe/London");
    });

    it("/help in the DM is answered in the DM, and the person is not looked up again", async () => {
      await h.command(people.owner, "help");
      const answer = await h.double.waitForCall("chat.postMessage", (call) => call.args.channel === dmOf(people.owner));
      expect(shownText(answer.args)).toContain("/staff");
      expect(answer.args.unfurl_links).toBe("false");
      expect(answer.args).not.toHaveProperty("link_names");
      expect(h.double.callsTo("users.info").filter((call) => call.args.user === people.owner.userId)).toHaveLength(1);
    });

    it("someone who is not a house admin cannot change the setup, and is told so privately", async () => {
      await h.command(people.alex, "setup", "timezone:Europe/Paris", { channelId: "CHOUSE", channelName: "house" });
      const answer = await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Only the house's admins"));
      expect(answer.body.response_type).toBe("ephemeral");
      expect((await h.app.services.houses.findByWorkspace("slack", TEAM))?.timezone).toBe("Europe/London");
    });

    it("a bad option gets the usage line back", async () => {
      await h.command(people.owner, "staff", "promote everyone", { channelId: "CHOUSE", channelName: "house" });
      const answer = await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Usage: /staff"));
      expect(answer.body.response_type).toBe("ephemeral");
    });
  });

  describe("direct messages", () => {
    it("a resident's first DM is answered in the DM, and Slack's time zone becomes theirs", async () => {
      const delivered = await h.dm(people.sam, "hello?");
      expect(delivered.status).toBe(200);
      const answer = await h.double.waitForCall("chat.postMessage", (call) => call.args.channel === dmOf(people.sam));
      expect(shownText(answer.args)).toContain("check-in bot");
      const sam = await h.member(people.sam);
      expect(sam?.displayName).toBe("Sam");
      expect(sam?.timezone).toBe("America/New_York");
    });

    it("a retried event (same event id, x-slack-retry-num) is handled once", async () => {
      const before = h.double.callsTo("chat.postMessage").length;
      await h.dm(people.jo, "is anyone there", { eventId: "EvRETRIED01" });
      await h.double.waitForCall("chat.postMessage", (call) => call.args.channel === dmOf(people.jo));
      await h.dm(people.jo, "is anyone there", { eventId: "EvRETRIED01", retry: { num: 1, reason: "timeout" } });
      await h.waitForDuplicateDropped();
      expect(h.double.callsTo("chat.postMessage").length).toBe(before + 1);
    });

    it("bot messages and edits are not treated as someone talking", async () => {
      const before = h.double.callsTo("chat.postMessage").length;
      const mark = h.double.nextSeq();
      await h.dm(people.jo, "I am a bot", { botId: "BOTHER" });
      await h.dm(people.jo, "edited text", { subtype: "message_changed" });
      await h.dm(people.jo, "still there?");
      await h.double.waitForCall("chat.postMessage", (call) => call.seq > mark);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(h.double.callsTo("chat.postMessage").length).toBe(before + 1);
    });

    it("an admin names someone with a Slack mention, which arrives as their id", async () => {
      await h.command(people.owner, "staff", "add <@UJO|jo> counsellor", { channelId: "CHOUSE", channelName: "house" });
      const answer = await h.double.waitForResponse((post) => JSON.stringify(post.body).includes("Jo is now a counsellor"));
      expect(answer.body.response_type).toBe("ephemeral");
      expect((await h.member(people.jo))?.role).toBe("counsellor");
    });
  });

  describe("buttons and forms", () => {
    it("a button press updates the message that held it", async () => {
      await h.press(people.sam, "mood:4", buttonMessage);
      const edit = await h.double.waitForCall("chat.update", (call) => shownText(call.args).includes("Mood 4 noted"));
      expect(edit.args).toMatchObject({ channel: buttonMessage.channelId, ts: buttonMessage.messageTs });
      expect(shownText(edit.args)).toContain("Thanks, Sam.");
    });

    it("a choice from a select menu arrives as its value", async () => {
      await h.press(people.sam, "mood", { ...buttonMessage, selectedValue: "2" });
      await h.double.waitForCall("chat.update", (call) => shownText(call.args).includes("Mood 2 noted"));
    });

    it("a button that opens a form opens the modal before acknowledging, with the trigger id", async () => {
      const delivered = await h.press(people.sam, "note:open", buttonMessage);
      const opened = await h.double.waitForCall("views.open");
      expect(opened.seq).toBeLessThan(delivered.ackSeq);
      const view = opened.args.view as { callback_id: string; title: { text: string }; blocks: Array<{ block_id: string }> };
      expect(view.callback_id).toBe("note");
      expect(view.title.text).toBe(noteForm.title);
      expect(view.blocks.map((block) => block.block_id)).toEqual(["note", "mood"]);
      expect(typeof opened.args.trigger_id).toBe("string");
    });

    it("submitting the modal reaches the form with its field ids; <!channel> in the text pings nobody", async () => {
      const opened = h.double.callsTo("views.open").at(-1);
      const metadata = (opened?.args.view as { private_metadata: string }).private_metadata;
      const mark = h.double.nextSeq();
      await h.submit(people.sam, "note", { note: "<!channel> rough day & I need a call <@UOWNER>", mood: null }, metadata);

      const edit = await h.double.waitForCall("chat.update", (call) => call.seq > mark && shownText(call.args).includes("Note sent"));
      expect(edit.args).toMatchObject({ channel: buttonMessage.channelId, ts: buttonMessage.messageTs });
      const echoed = await h.double.waitForCall(
        "chat.postMessage",
        (call) => call.seq > mark && shownText(call.args).includes("You wrote"),
      );
      expect(echoed.args.channel).toBe(dmOf(people.sam));
      const shown = shownText(echoed.args);
      expect(shown).toContain("&lt;!channel&gt; rough day &amp; I need a call &lt;@UOWNER&gt;");
      expect(shown).not.toContain("<!channel>");
      expect(shown).not.toContain("<@UOWNER>");
      expect(shown).toContain("not given");
      expect(h.logs.lines().join("\n")).not.toContain("rough day");
    });

    it("a command that answers with a form opens it while the trigger is fresh", async () => {
      const mark = h.double.nextSeq();
      await h.command(people.sam, "note", "", { channelId: "CHOUSE", channelName: "house" });
      const opened = await h.double.waitForCall("views.open", (call) => call.seq > mark);
      expect((opened.args.view as { callback_id: string }).callback_id).toBe("note");
    });

    it("when the modal cannot open in time, a button is posted that opens it", async () => {
      h.double.fail("views.open", { error: "expired_trigger_id" });
      await h.command(people.sam, "note");
      const offer = await h.double.waitForCall("chat.postMessage", (call) => shownText(call.args).includes("slack-open-form:"));
      const button = (offer.args.blocks as Array<{ elements?: Array<{ action_id: string }> }>).flatMap((b) => b.elements ?? [])[0];
      const mark = h.double.nextSeq();
      await h.press(people.sam, button?.action_id ?? "", { channelId: dmOf(people.sam), messageTs: "1799999999.000200" });
      const opened = await h.double.waitForCall("views.open", (call) => call.seq > mark);
      expect((opened.args.view as { callback_id: string }).callback_id).toBe("note");
    });
  });

  describe("App Home", () => {
    it("opening the Home tab publishes a Home view for that person", async () => {
      await h.openHome(people.sam);
      const published = await h.double.waitForCall("views.publish", (call) => call.args.user_id === people.sam.userId);
      const view = published.args.view as { type: string };
      expect(view.type).toBe("home");
      expect(shownText(view as Record<string, unknown>)).toContain("Hi Sam");
    });

    it("opening the Messages tab publishes nothing", async () => {
      const before = h.double.callsTo("views.publish").length;
      await h.openHome(people.jo, "messages");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(h.double.callsTo("views.publish")).toHaveLength(before);
    });
  });

  describe("the outbox sending through Slack", () => {
    const dmTo = async (key: string, person: keyof typeof people, text: string, extra: Parameters<typeof message>[1] = {}) => {
      const member = await h.member(people[person]);
      if (!member) throw new Error(`${person} is not a member`);
      await enqueue(h.database.prisma, [
        {
          idempotencyKey: key,
          houseId: member.houseId,
          lane: "prompt",
          message: message(text, extra),
          targetMemberId: member.id,
          notBefore: h.clock.now(),
        },
      ]);
      return member;
    };

    it("a DM opens the conversation once; later DMs use the cached channel", async () => {
      const opensBefore = h.double.callsTo("conversations.open").length;
      await dmTo("test:jo:1", "jo", "Time for your check-in.");
      await h.deliver();
      expect(h.double.callsTo("conversations.open").length).toBe(opensBefore + 1);
      expect((await h.member(people.jo))?.dmChannelId).toBe(dmOf(people.jo));

      await dmTo("test:jo:2", "jo", "A second message.");
      await h.deliver();
      expect(h.double.callsTo("conversations.open").length).toBe(opensBefore + 1);
      const sent = await h.database.prisma.outbox.findUnique({ where: { idempotencyKey: "test:jo:2" } });
      expect(sent?.status).toBe("sent");
      expect(sent?.sentRef).toMatchObject({ channelId: dmOf(people.jo) });
    });

    it("an image goes up through files.uploadV2's three steps, after its message", async () => {
      const png = Buffer.from("89504e470d0a1a0a", "hex").toString("base64");
      await dmTo("test:jo:chart", "jo", "Your week.", {
        attachments: [{ filename: "week.png", contentType: "image/png", base64: png, altText: "Seven check-ins" }],
      });
      await h.deliver();
      const asked = await h.double.waitForCall("files.getUploadURLExternal");
      expect(asked.args).toMatchObject({ filename: "week.png", alt_text: "Seven check-ins" });
      expect(h.double.uploads.length).toBeGreaterThan(0);
      const completed = await h.double.waitForCall("files.completeUploadExternal");
      expect(completed.args.channel_id).toBe(dmOf(people.jo));
    });

    it("user_not_found marks the member unreachable and tells counsellors through a risk signal", async () => {
      h.double.fail("conversations.open", { error: "user_not_found" });
      const alex = await dmTo("test:alex:1", "alex", "Time for your check-in.");
      await h.deliver();
      const row = await h.database.prisma.outbox.findUnique({ where: { idempotencyKey: "test:alex:1" } });
      expect(row?.status).toBe("dead");
      expect((await h.member(people.alex))?.reachable).toBe(false);
      const signals = await h.database.prisma.riskSignal.findMany({ where: { memberId: alex.id } });
      expect(signals.map((signal) => signal.kind)).toEqual(["unreachable"]);
    });

    it("a rate-limited send waits for Slack's Retry-After, holding the workspace meanwhile, then goes through", async () => {
      h.double.fail("chat.postMessage", { error: "ratelimited", retryAfterSeconds: 1 });
      await dmTo("test:sam:limited", "sam", "Your meeting starts in an hour.");
      const started = h.clock.now();
      const limitedAt = Date.now();
      const first = await h.app.outbox.runOnce();
      expect(first.retrying).toBe(1);
      const waiting = await h.database.prisma.outbox.findUnique({ where: { idempotencyKey: "test:sam:limited" } });
      expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(started.getTime() + 1_000);

      // Someone else's DM meanwhile waits for the workspace's hold instead of drawing a second 429.
      await dmTo("test:jo:after-limit", "jo", "Your check-in is ready.");
      expect((await h.app.outbox.runOnce()).sent).toBe(1);
      const posts = h.double.callsTo("chat.postMessage");
      expect(posts.at(-1)?.at ?? 0).toBeGreaterThanOrEqual(limitedAt + 950);
      expect(posts.at(-1)?.result).toMatchObject({ ok: true });

      h.clock.advance(waiting ? waiting.nextAttemptAt.getTime() - started.getTime() : 0);
      expect((await h.app.outbox.runOnce()).sent).toBe(1);
      const sent = await h.database.prisma.outbox.findUnique({ where: { idempotencyKey: "test:sam:limited" } });
      expect(sent?.status).toBe("sent");
      expect((await h.member(people.sam))?.reachable).toBe(true);
    });

    it("a resident's words posted to a channel cannot ping the channel", async () => {
      const houseId = await h.houseId();
      await enqueue(h.database.prisma, [
        {
          idempotencyKey: "test:staff:1",
          houseId,
          lane: "alert",
          message: message("Sam wrote: <!channel> <!here> please"),
          targetChannelId: "CSTAFF",
          notBefore: h.clock.now(),
        },
      ]);
      await h.deliver();
      const posted = await h.double.waitForCall(
        "chat.postMessage",
        (call) => call.args.channel === "CSTAFF" && shownText(call.args).includes("Sam wrote"),
      );
      expect(shownText(posted.args)).not.toMatch(/<!(channel|here)>/);
      expect(posted.args.text).toBe("Sam wrote: &lt;!channel&gt; &lt;!here&gt; please");
    });
  });
});
