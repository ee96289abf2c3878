import { z } from "zod";
import { registry } from "../../../commands/index.ts";
import type { SlackAdapterOptions } from "../../../src/adapters/slack/index.ts";
import { createSlackAdapter, type SlackAdapter } from "../../../src/adapters/slack/index.ts";
import { type App, createApp } from "../../../src/app.ts";
import {
  type ActionDefinition,
  defineCommand,
  type FormDefinition,
  openForm,
  type Registry,
  reply,
  update,
} from "../../../src/core/command.ts";
import { createDispatcher } from "../../../src/core/dispatch.ts";
import { type Form, message } from "../../../src/core/message.ts";
import type { Database } from "../../../src/db/client.ts";
import type { Services } from "../../../src/services/index.ts";
import { createDirectory } from "../../../src/services/members.ts";
import { createTestDatabase } from "../../support/db.ts";
import { FakeClock } from "../../support/fakeClock.ts";
import { captureLogger } from "../../support/logger.ts";
import { postSigned } from "../../support/slackDouble/http.ts";
import * as payloads from "../../support/slackDouble/payloads.ts";
import { type EnvelopeType, eventually, SlackDouble } from "../../support/slackDouble/slackDouble.ts";
import { testCipher } from "../../support/testApp.ts";

export type Mode = "socket" | "http";
export const SIGNING_SECRET = "test-signing-secret";
export const TEAM = "TOAKHOUSE";

export interface Person {
  userId: string;
  userName: string;
}

export const people = {
  owner: { userId: "UOWNER", userName: "robin" },
  sam: { userId: "USAM", userName: "sam" },
  jo: { userId: "UJO", userName: "jo" },
  alex: { userId: "UALEX", userName: "alex" },
} satisfies Record<string, Person>;

/** The DM channel the double hands out for a person (conversations.open, posts to a user id). */
export const dmOf = (person: Person) => `D${person.userId.slice(1)}`;

export const noteForm: Form = {
  formId: "note",
  title: "A note for staff",
  fields: [
    { id: "note", label: "What would you like them to know?", style: "paragraph", required: true, maxLength: 500 },
    { id: "mood", label: "Mood, 1 to 5", style: "short", required: false, maxLength: 1 },
  ],
  submitLabel: "Send",
};

/**
 * Buttons and a form the foundation does not have yet, next to the real commands, so clicks and
 * modals go through the real dispatcher, services and database.
 */
function withInteractions(base: Registry<Services>): Registry<Services> {
  const moodButton: ActionDefinition<Services> = {
    prefix: "mood",
    access: "anyone",
    async run(ctx, parts) {
      const mood = ctx.event.value ?? parts[1] ?? "?";
      return [update(message(`Thanks, ${ctx.actor.displayName}. Mood ${mood} noted.`))];
    },
  };
  const noteButton: ActionDefinition<Services> = { prefix: "note", access: "anyone", formFor: () => noteForm, run: async () => [] };
  const noteSubmitted: FormDefinition<Services> = {
    prefix: "note",
    access: "anyone",
    async run(_ctx, _parts, values) {
      return [
        update(message("Note sent to staff.")),
        reply(message(`You wrote: ${values.note ?? ""}`, { fields: [{ label: "Mood", value: values.mood ?? "not given" }] })),
      ];
    },
  };
  const noteCommand = defineCommand<Services, z.ZodObject>({
    name: "note",
    description: "Write a note for staff",
    access: "anyone",
    needsHouse: false,
    options: z.object({}),
    run: async () => [openForm(noteForm)],
  });
  return {
    commands: [...base.commands, noteCommand],
    actions: [...base.actions, moodButton, noteButton],
    forms: [...base.forms, noteSubmitted],
    directText: base.directText,
  };
}

export interface Delivered {
  /** When the acknowledgement arrived, on the double's counter. */
  ackSeq: number;
  status: number;
}

export class SlackHarness {
  private constructor(
    readonly mode: Mode,
    readonly double: SlackDouble,
    readonly adapter: SlackAdapter,
    readonly app: App,
    readonly database: Database,
    readonly clock: FakeClock,
    readonly logs: ReturnType<typeof captureLogger>,
  ) {}

  static async start(
    mode: Mode,
    options: Pick<SlackAdapterOptions, "home" | "oauth"> & { database?: Database } = {},
  ): Promise<SlackHarness> {
    const double = await SlackDouble.start();
    double.teamId = TEAM;
    double.addUser({ id: people.owner.userId, name: "robin", displayName: "Robin", isOwner: true, tz: "Europe/London" });
    double.addUser({ id: people.sam.userId, name: "sam", displayName: "Sam", tz: "America/New_York" });
    double.addUser({ id: people.jo.userId, name: "jo", displayName: "Jo", tz: "Europe/Dublin" });
    double.addUser({ id: people.alex.userId, name: "alex", displayName: "Alex" });
    const database = options.database ?? (await createTestDatabase());
    const clock = new FakeClock("2027-01-04T09:00:00Z");
    const logs = captureLogger();
    const adapter = createSlackAdapter(
      {
        botToken: "xoxb-test",
        appToken: mode === "socket" ? "xapp-test" : undefined,
        signingSecret: SIGNING_SECRET,
        apiUrl: double.apiUrl,
        mode,
      },
      logs.logger,
      { port: 0, retryConfig: { retries: 0 }, home: options.home, oauth: options.oauth },
    );
    const app = createApp({
      config: { defaultTimezone: "Europe/London" },
      cipher: testCipher,
      database,
      adapters: [adapter],
      clock,
      logger: logs.logger,
      timers: false,
    });
    const dispatcher = createDispatcher({
      registry: withInteractions(registry),
      directory: createDirectory(app.services.members),
      services: app.services,
      clock,
      logger: logs.logger,
    });
    await adapter.start({ handle: dispatcher.handle, formFor: dispatcher.formFor });
    return new SlackHarness(mode, double, adapter, app, database, clock, logs);
  }

  /** Delivers a payload the way this mode's Slack would, and resolves once it is acknowledged. */
  async send(type: EnvelopeType, payload: unknown, retry?: { num: number; reason: string }): Promise<Delivered> {
    if (this.mode === "socket") {
      const ack = await this.double.deliver(type, payload, retry ? { attempt: retry.num, reason: retry.reason } : {});
      return { ackSeq: ack.seq, status: 200 };
    }
    const response = await postSigned(this.eventsUrl, type, payload, {
      secret: SIGNING_SECRET,
      ...(retry ? { retryNum: retry.num, retryReason: retry.reason } : {}),
    });
    return { ackSeq: this.double.nextSeq(), status: response.status };
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.adapter.listeningPort}/slack/events`;
  }

  private who(person: Person) {
    return { teamId: TEAM, userId: person.userId, userName: person.userName };
  }

  command(person: Person, command: string, text = "", where: { channelId?: string; channelName?: string } = {}) {
    const channelId = where.channelId ?? dmOf(person);
    const channelName = where.channelName ?? (channelId.startsWith("D") ? "directmessage" : "house");
    return this.send(
      "slash_commands",
      payloads.slashCommand(this.who(person), { command, text, channelId, channelName, responseUrl: this.double.responseUrl() }),
    );
  }

  press(person: Person, actionId: string, where: { channelId: string; messageTs: string; selectedValue?: string; ephemeral?: boolean }) {
    return this.send("interactive", payloads.blockAction(this.who(person), { actionId, responseUrl: this.double.responseUrl(), ...where }));
  }

  submit(person: Person, callbackId: string, values: Record<string, string | null>, privateMetadata: string) {
    return this.send("interactive", payloads.viewSubmission(this.who(person), { callbackId, values, privateMetadata }));
  }

  dm(
    person: Person,
    text: string,
    options: { eventId?: string; retry?: { num: number; reason: string }; botId?: string; subtype?: string } = {},
  ) {
    const event = payloads.directMessageEvent(this.who(person), {
      channelId: dmOf(person),
      text,
      eventId: options.eventId ?? payloads.eventId(),
      ...(options.botId ? { botId: options.botId } : {}),
      ...(options.subtype ? { subtype: options.subtype } : {}),
    });
    return this.send("events_api", event, options.retry);
  }

  openHome(person: Person, tab: "home" | "messages" = "home") {
    return this.send("events_api", payloads.appHomeOpened(this.who(person), { eventId: payloads.eventId(), tab }));
  }

  /** The workspace owner runs /setup in a channel, as the first person to meet the bot would. */
  async setUpHouse(): Promise<string> {
    await this.command(people.owner, "setup", "timezone:Europe/London country:gb staff-channel:<#CSTAFF|staff>", {
      channelId: "CHOUSE",
      channelName: "house",
    });
    await this.double.waitForResponse((post) => JSON.stringify(post.body).includes("Welcome to"));
    return this.houseId();
  }

  /** Waits until the dispatcher has logged that it dropped a replayed event. */
  waitForDuplicateDropped(): Promise<unknown> {
    return eventually(
      () => this.logs.entries().find((entry) => entry.msg === "duplicate inbound event ignored"),
      5_000,
      "the duplicate to be dropped",
    );
  }

  async houseId(): Promise<string> {
    const house = await this.app.services.houses.findByWorkspace("slack", TEAM);
    if (!house) throw new Error("no house yet");
    return house.id;
  }

  async member(person: Person) {
    return this.app.services.members.byPlatformUser(await this.houseId(), person.userId);
  }

  /** Runs the outbox until nothing is due at the current fake time. */
  async deliver(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const summary = await this.app.outbox.runOnce();
      if (summary.claimed === 0) return;
    }
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.double.close();
    await this.database.close();
  }
}

/** The action ids of every button and select in a posted message. */
export function actionIds(args: Record<string, unknown>): string[] {
  const blocks = (args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string }> }>;
  return blocks.flatMap((block) => block.elements ?? []).flatMap((element) => (element.action_id ? [element.action_id] : []));
}

/** Everything a Block Kit payload would show a person, for `toContain` checks. */
export function shownText(args: Record<string, unknown>): string {
  return JSON.stringify({ text: args.text, blocks: args.blocks });
}
