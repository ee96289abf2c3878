import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_PACING_WAIT_MS, SlackPacer } from "../../../src/adapters/slack/pacing.ts";
import { SlackSender } from "../../../src/adapters/slack/sender.ts";
import { message } from "../../../src/core/message.ts";
import { DeliveryError } from "../../../src/core/ports.ts";
import { sendInLane } from "../../../src/outbox/sendLane.ts";
import { captureLogger } from "../../support/logger.ts";
import { SlackDouble } from "../../support/slackDouble/slackDouble.ts";

describe("the Slack pacer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Asks for turns and records when each was granted (fake milliseconds since the start). */
  function grants(pacer: SlackPacer) {
    const granted: Array<{ name: string; at: number }> = [];
    const ask = (name: string, channel: string, workspace = "T1") =>
      pacer.turn(workspace, channel).then(() => {
        granted.push({ name, at: Date.now() });
      });
    return { granted, ask };
  }

  it("spaces a workspace's posts evenly at its pace, whatever the channel", async () => {
    const pacer = new SlackPacer({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 120 });
    const { granted, ask } = grants(pacer);
    for (const channel of ["D1", "D2", "D3", "D4"]) void ask(channel, channel);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(granted.map((g) => g.at)).toEqual([0, 500, 1_000, 1_500]);
  });

  it("keeps posts to one channel a second apart without holding up other channels", async () => {
    const pacer = new SlackPacer({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 600 });
    const { granted, ask } = grants(pacer);
    void ask("sam-1", "DSAM");
    void ask("sam-2", "DSAM");
    void ask("jo-1", "DJO");
    await vi.advanceTimersByTimeAsync(1_500);
    expect(granted).toEqual([
      { name: "sam-1", at: 0 },
      { name: "jo-1", at: 100 },
      { name: "sam-2", at: 1_000 },
    ]);
  });

  it("gives an alert the next turn, ahead of posts already waiting", async () => {
    const pacer = new SlackPacer({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 60 });
    const { granted, ask } = grants(pacer);
    for (let i = 0; i < 4; i++) void ask(`prompt-${i}`, `D${i}`);
    void sendInLane("alert", () => ask("alert", "DCOUNSELLOR"));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted.map((g) => g.name)).toEqual(["prompt-0", "alert", "prompt-1", "prompt-2", "prompt-3"]);
  });

  it("after a 429 lets nothing go in that workspace until Retry-After has passed, and other workspaces carry on", async () => {
    const pacer = new SlackPacer({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 600 });
    const { granted, ask } = grants(pacer);
    pacer.hold("T1", 3_000);
    void ask("held", "D1", "T1");
    void ask("elsewhere", "D1", "T2");
    await vi.advanceTimersByTimeAsync(3_500);
    expect(granted).toEqual([
      { name: "elsewhere", at: 0 },
      { name: "held", at: 3_000 },
    ]);
  });

  it("hands a long hold back to the outbox as a retry after it, rather than sitting on the claim", async () => {
    const pacer = new SlackPacer({ channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 60 });
    const waiting = [pacer.turn("T1", "D1"), pacer.turn("T1", "D2")].map((turn) => turn.catch((error: unknown) => error));
    pacer.hold("T1", 30_000);
    const refused = await pacer.turn("T1", "D3").catch((error: unknown) => error);
    for (const error of [refused, await waiting[1]]) {
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).options).toMatchObject({ permanent: false, retryAfterMs: 30_000 });
    }
    // The first had its turn before the hold.
    expect(await waiting[0]).toBeUndefined();
    expect(MAX_PACING_WAIT_MS).toBeLessThan(30_000);
  });
});

describe("the Slack sender against Slack's pace", () => {
  let double: SlackDouble;
  const logs = captureLogger();

  beforeAll(async () => {
    double = await SlackDouble.start();
  });
  afterAll(async () => {
    await double.close();
  });
  beforeEach(() => {
    double.calls.length = 0;
    double.rateLimited = 0;
  });

  const sender = (pacer: SlackPacer) =>
    new SlackSender(
      logs.logger,
      () => ({ slackApiUrl: double.apiUrl, retryConfig: { retries: 0 } }),
      async () => "xoxb-paced",
      pacer,
    );

  it("posts as fast as the limits allow and is never refused, one person's messages in order", async () => {
    double.limitPosting({ perChannelPerSecond: 5, channelBurst: 2, workspacePerMinute: 1_200, workspaceBurst: 3 });
    const paced = sender(new SlackPacer({ channelMessagesPerSecond: 5, workspaceMessagesPerMinute: 1_200 }));
    const people = ["U1", "U2", "U3", "U4"];
    const started = Date.now();
    await Promise.all(
      people.map(async (userId) => {
        for (let i = 0; i < 5; i++) {
          await paced.sendDirect({ workspaceId: "T1", userId, dmChannelId: `D${userId.slice(1)}` }, message(`${userId} ${i}`));
        }
      }),
    );
    const posts = double.callsTo("chat.postMessage");
    expect(double.rateLimited).toBe(0);
    expect(posts).toHaveLength(20);
    for (const userId of people) {
      expect(posts.filter((p) => p.args.channel === `D${userId.slice(1)}`).map((p) => p.args.text)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `${userId} ${i}`),
      );
    }
    // 20 posts at 20 a second, 5 a second in each of 4 channels: about a second, not less.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("after one 429 holds the workspace for Retry-After, so Slack refuses once only", async () => {
    double.limitPosting({ perChannelPerSecond: 100, channelBurst: 100, workspacePerMinute: 6_000, workspaceBurst: 100 });
    double.fail("chat.postMessage", { error: "ratelimited", retryAfterSeconds: 1 });
    const paced = sender(new SlackPacer({ channelMessagesPerSecond: 100, workspaceMessagesPerMinute: 6_000 }));
    const refused = await paced.sendDirect({ workspaceId: "T1", userId: "U1", dmChannelId: "D1" }, message("first")).catch((e) => e);
    expect((refused as DeliveryError).options).toMatchObject({ permanent: false, retryAfterMs: 1_000, code: "ratelimited" });
    const heldAt = Date.now();
    await Promise.all(
      ["U2", "U3", "U4"].map((userId) =>
        paced.sendDirect({ workspaceId: "T1", userId, dmChannelId: `D${userId.slice(1)}` }, message("after")),
      ),
    );
    const posts = double.callsTo("chat.postMessage");
    expect(posts).toHaveLength(4);
    expect(posts.slice(1).every((p) => p.at - heldAt >= 950)).toBe(true);
  });
});
