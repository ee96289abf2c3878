import { describe, expect, it } from "vitest";
import { type ActionDefinition, type Registry, reply, update } from "../../../src/core/command.ts";
import { createDispatcher, createLanes, createLimiter, type Directory } from "../../../src/core/dispatch.ts";
import type { InboundEvent } from "../../../src/core/events.ts";
import { message } from "../../../src/core/message.ts";
import type { Responder } from "../../../src/core/ports.ts";
import { FakeClock } from "../../support/fakeClock.ts";
import { captureLogger } from "../../support/logger.ts";

/** A promise and the means to settle it from outside, to hold a task open as long as a test needs. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the dispatcher's limit on database work", () => {
  it("runs no more than the limit at once, and the rest in the order they came", async () => {
    const limited = createLimiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const tasks = gates.map((g, i) =>
      limited(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await g.opened;
        running -= 1;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]?.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
  });

  it("frees the slot of a task that failed", async () => {
    const limited = createLimiter(1);
    await expect(limited(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limited(async () => "next")).toBe("next");
  });
});

describe("one person's events, in order", () => {
  it("a person's second event starts only after the first has finished; other people do not wait", async () => {
    const lanes = createLanes();
    const first = gate();
    const order: string[] = [];
    const samFirst = lanes("sam", async () => {
      await first.opened;
      order.push("sam 1");
    });
    const samSecond = lanes("sam", async () => {
      order.push("sam 2");
    });
    const jo = lanes("jo", async () => {
      order.push("jo 1");
    });
    await jo;
    expect(order).toEqual(["jo 1"]);
    first.open();
    await Promise.all([samFirst, samSecond]);
    expect(order).toEqual(["jo 1", "sam 1", "sam 2"]);
  });

  it("a failed event does not stop the person's next one", async () => {
    const lanes = createLanes();
    const failed = lanes("sam", () => Promise.reject(new Error("boom")));
    const next = lanes("sam", async () => {});
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBeUndefined();
  });
});

describe("handling many presses at once", () => {
  /** A house where each press waits on "the database" until the test lets it through. */
  function pressHouse(concurrency: number) {
    const database = new Map<string, ReturnType<typeof gate>>();
    const stored: string[] = [];
    let working = 0;
    let mostWorking = 0;
    const pressAction: ActionDefinition<null> = {
      prefix: "press",
      access: "anyone",
      async run(ctx, parts) {
        working += 1;
        mostWorking = Math.max(mostWorking, working);
        await (database.get(ctx.event.eventId)?.opened ?? Promise.resolve());
        working -= 1;
        stored.push(`${ctx.actor.userId}:${parts[1]}`);
        return [update(message(`saved ${parts[1]}`)), reply(message("thanks"))];
      },
    };
    const registry: Registry<null> = { commands: [], forms: [], directText: [], actions: [pressAction] };
    const directory: Directory = {
      admit: async () => ({ house: null, member: null }),
    };
    const dispatcher = createDispatcher({
      registry,
      directory,
      services: null,
      clock: new FakeClock("2027-01-04T12:00:00Z"),
      logger: captureLogger().logger,
      concurrency,
    });
    const replies: string[] = [];
    const responder = (userId: string): Responder => ({
      reply: async (m) => {
        replies.push(`${userId} reply ${m.text}`);
      },
      update: async (m) => {
        replies.push(`${userId} update ${m.text}`);
      },
      openForm: async () => {},
    });
    const press = (userId: string, step: string, hold = false): Promise<void> => {
      const eventId = `${userId}-${step}`;
      if (hold) database.set(eventId, gate());
      const event: InboundEvent = {
        kind: "action",
        eventId,
        actionId: `press:${step}`,
        actor: { platform: "discord", workspaceId: "house", userId, displayName: userId, isWorkspaceAdmin: false },
        conversation: { channelId: `dm-${userId}`, isDirect: true },
      };
      return dispatcher.handle(event, responder(userId));
    };
    return { press, stored, replies, release: (eventId: string) => database.get(eventId)?.open(), mostWorking: () => mostWorking };
  }

  it("every press is stored and answered once, with no more at the database than the limit", async () => {
    const house = pressHouse(3);
    const people = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(people.flatMap((p) => [house.press(p, "feeling"), house.press(p, "craving")]));
    expect(house.stored).toHaveLength(40);
    expect(new Set(house.stored).size).toBe(40);
    expect(house.replies).toHaveLength(80);
    expect(house.mostWorking()).toBeLessThanOrEqual(3);
  });

  it("a person's later press waits for their earlier one, replies included, while others go ahead", async () => {
    const house = pressHouse(4);
    const first = house.press("sam", "feeling", true);
    const second = house.press("sam", "craving");
    await house.press("jo", "feeling");
    expect(house.stored).toEqual(["jo:feeling"]);
    house.release("sam-feeling");
    await Promise.all([first, second]);
    expect(house.stored).toEqual(["jo:feeling", "sam:feeling", "sam:craving"]);
    expect(house.replies.filter((r) => r.startsWith("sam"))).toEqual([
      "sam update saved feeling",
      "sam reply thanks",
      "sam update saved craving",
      "sam reply thanks",
    ]);
  });
});
