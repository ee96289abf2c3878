import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  App,
  type BlockAction,
  type Logger as BoltLogger,
  HTTPReceiver,
  type InstallationStore,
  type RespondFn,
  type SlashCommand,
  SocketModeReceiver,
  type ViewSubmitAction,
  type webApi,
} from "@slack/bolt";
import type { SlackPacing } from "../../config.ts";
import type { Actor, InboundEvent, MessageRef } from "../../core/events.ts";
import { message as buildMessage, type Form, type Message } from "../../core/message.ts";
import {
  type AdapterCapabilities,
  type ChannelTarget,
  type ChatAdapter,
  DeliveryError,
  type DirectTarget,
  type InboundHandlers,
  type Logger,
  type Responder,
  type SentMessage,
} from "../../core/ports.ts";
import type { PacedAdapter } from "../../outbox/dispatcher.ts";
import { boltLogger } from "./boltLogger.ts";
import { slackErrorCode } from "./delivery.ts";
import {
  actionEvent,
  clickSource,
  commandEvent,
  decodeOrigin,
  directMessage,
  directTextEvent,
  encodeOrigin,
  type FormOrigin,
  formSubmitEvent,
  payloadActor,
  type SlackMessageEvent,
  teamOfInteraction,
} from "./inbound.ts";
import { BOT_SCOPES } from "./manifest.ts";
import { SLACK_DEFAULT_PACING, SlackPacer } from "./pacing.ts";
import { renderForm, renderHome } from "./render.ts";
import { createResponder, type Interaction, originOf } from "./responder.ts";
import { SlackSender } from "./sender.ts";
import { SlackUserDirectory } from "./userDirectory.ts";

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/** Action ids of the buttons this adapter posts when a form could not be opened in time. */
const OPEN_FORM_PREFIX = "slack-open-form";
const REMEMBERED_FORMS = 500;

export interface SlackConnection {
  botToken: string;
  appToken: string | undefined;
  signingSecret: string | undefined;
  apiUrl: string | undefined;
  mode: "socket" | "http";
  /** The outbox's posting pace; Slack's documented pace when absent. */
  pacing?: SlackPacing;
}

/** An installation store that can also hand the outbox a workspace's bot token. */
export interface SlackTokenStore extends InstallationStore {
  botToken(teamId: string): Promise<string>;
}

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: SlackTokenStore;
  /** Only needed when the app has several redirect URLs. */
  redirectUri?: string;
}

export interface SlackAdapterOptions {
  /** HTTP mode: where Slack's requests arrive (the PORT setting); 0 picks a free port. */
  port?: number;
  /** Web API retries for network errors and 5xx; tests use { retries: 0 }. The outbox does its own retrying. */
  retryConfig?: webApi.RetryOptions;
  /** Builds a person's Home tab. */
  home?: (actor: Actor) => Promise<Message | null>;
  /** HTTP mode only: install through OAuth into many workspaces, tokens from this store. */
  oauth?: SlackOAuthOptions;
  /** How long users.info answers are trusted. */
  userCacheMs?: number;
}

const defaultHome = async (actor: Actor): Promise<Message> =>
  buildMessage(
    "This is the house check-in bot: daily check-ins, meeting reminders and your buddy, all in the Messages tab. Type /help to see what you can do here.",
    { title: `Hi ${actor.displayName}` },
  );

/**
 * Slack through Bolt: Socket Mode by default (no public URL), HTTP with signature checks when
 * SLACK_MODE=http. Every interaction is acknowledged before any database work (Slack allows 3
 * seconds); forms are opened before acknowledging, while the trigger id is fresh.
 */
export class SlackAdapter implements ChatAdapter, PacedAdapter {
  readonly platform = "slack" as const;
  /**
   * A second and a half of the workspace's pace: a post may wait up to a second for its channel,
   * and the others keep the workspace's turns used meanwhile. Alerts overtake in the pacer.
   */
  readonly maxSendsInFlight: number;
  readonly capabilities: AdapterCapabilities = { images: true, forms: true, ephemeral: true, maxTextLength: 12_000 };

  private app: App | null = null;
  private socketReceiver: SocketModeReceiver | null = null;
  private server: Server | null = null;
  private handlers: InboundHandlers | null = null;
  private readonly sdkLogger: BoltLogger;
  private readonly apiUrl: string;
  private readonly retryConfig: webApi.RetryOptions;
  private readonly users: SlackUserDirectory;
  private readonly sender: SlackSender;
  private readonly rememberedForms = new Map<string, { form: Form; origin: FormOrigin }>();
  /** Work still running after its acknowledgement; stop() lets it finish before the database closes. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly connection: SlackConnection,
    private readonly logger: Logger,
    private readonly options: SlackAdapterOptions = {},
  ) {
    if (options.oauth && connection.mode !== "http") throw new Error("Slack OAuth installs need SLACK_MODE=http");
    this.sdkLogger = boltLogger(logger);
    this.apiUrl = (connection.apiUrl ?? DEFAULT_SLACK_API_URL).replace(/\/?$/, "/");
    // Interactive replies should not hang for minutes; the outbox retries failed sends itself.
    this.retryConfig = options.retryConfig ?? { retries: 2, factor: 2 };
    this.users = new SlackUserDirectory(logger, options.userCacheMs);
    const pacing = connection.pacing ?? SLACK_DEFAULT_PACING;
    this.maxSendsInFlight = Math.min(32, Math.max(2, Math.ceil((pacing.workspaceMessagesPerMinute / 60) * 1.5)));
    this.sender = new SlackSender(
      logger,
      () => this.clientOptions(),
      (workspaceId) => this.tokenFor(workspaceId),
      new SlackPacer(pacing),
    );
  }

  /** The port HTTP mode listens on, once started. */
  get listeningPort(): number | null {
    const address = this.server?.address();
    return address && typeof address === "object" ? (address as AddressInfo).port : null;
  }

  private clientOptions(): webApi.WebClientOptions {
    return { slackApiUrl: this.apiUrl, retryConfig: this.retryConfig, logger: this.sdkLogger };
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
    const { connection, options } = this;
    // Each receiver gets its own copy: the Socket Mode client writes its own retry policy into it.
    const installerOptions = { clientOptions: this.clientOptions() };
    const oauth = options.oauth;
    let receiver: HTTPReceiver | SocketModeReceiver;
    if (connection.mode === "http") {
      if (!connection.signingSecret) throw new Error("SLACK_MODE=http needs SLACK_SIGNING_SECRET");
      receiver = new HTTPReceiver({
        signingSecret: connection.signingSecret,
        logger: this.sdkLogger,
        installerOptions,
        ...(oauth
          ? {
              clientId: oauth.clientId,
              clientSecret: oauth.clientSecret,
              stateSecret: oauth.stateSecret,
              installationStore: oauth.installationStore,
              scopes: [...BOT_SCOPES],
              ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
            }
          : {}),
      });
    } else {
      if (!connection.appToken) throw new Error("Slack Socket Mode needs SLACK_APP_TOKEN");
      receiver = new SocketModeReceiver({ appToken: connection.appToken, logger: this.sdkLogger, installerOptions });
      this.socketReceiver = receiver;
    }
    const app = new App({
      receiver,
      ...(oauth ? {} : { token: connection.botToken }),
      clientOptions: this.clientOptions(),
      logger: this.sdkLogger,
      // init() below runs auth.test where a bad token can fail start() instead of an unhandled promise.
      deferInitialization: true,
    });
    this.register(app);
    await app.init();
    if (connection.mode === "http") {
      this.server = (await app.start(options.port ?? 3000)) as Server;
    } else {
      await app.start();
    }
    this.app = app;
    this.logger.info({ mode: connection.mode, port: this.listeningPort ?? undefined }, "slack connected");
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = null;
    if (!app) return;
    if (this.socketReceiver) {
      // Awaited here because the receiver's own stop() does not wait for the socket to close.
      await this.socketReceiver.client.disconnect();
      this.socketReceiver = null;
    } else {
      await app.stop();
      this.server = null;
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs acknowledged work so that stop() can wait for it. */
  private async track(work: () => Promise<void>): Promise<void> {
    const running = work();
    this.inFlight.add(running);
    try {
      await running;
    } finally {
      this.inFlight.delete(running);
    }
  }

  // Inbound ---------------------------------------------------------------------------------

  private register(app: App): void {
    app.error(async (error) => {
      this.logger.error({ err: error.message, code: error.code }, "slack listener failed");
    });

    app.command(/.*/, async ({ command, ack, respond, client }) => {
      const receivedAt = Date.now();
      await ack();
      await this.track(() => this.onCommand(command, respond, client, receivedAt));
    });

    app.action(/.*/, async ({ body, ack, respond, client }) => {
      const receivedAt = Date.now();
      if (body.type !== "block_actions") {
        await ack();
        return;
      }
      await this.track(() => this.onBlockAction(body, ack, respond, client, receivedAt));
    });

    app.view({ type: "view_submission", callback_id: /.*/ }, async ({ ack, body, client }) => {
      const receivedAt = Date.now();
      await ack();
      await this.track(() => this.onViewSubmission(body as ViewSubmitAction, client, receivedAt));
    });

    // Events API deliveries are acknowledged by Bolt before any listener runs.
    app.event("message", async ({ event, body, client }) => {
      const teamId = typeof body.team_id === "string" ? body.team_id : "";
      await this.track(() => this.onDirectMessage(event as SlackMessageEvent, body.event_id, teamId, client));
    });

    app.event("app_home_opened", async ({ event, body, client }) => {
      if (event.tab !== "home") return;
      const teamId = typeof body.team_id === "string" ? body.team_id : "";
      await this.track(() => this.onHomeOpened(teamId, event.user, client));
    });
  }

  private async onDirectMessage(event: SlackMessageEvent, eventId: string, teamId: string, client: webApi.WebClient): Promise<void> {
    const dm = directMessage(event);
    if (!dm) return;
    const receivedAt = Date.now();
    const actor = await this.users.actor(client, payloadActor(teamId, dm.userId, undefined));
    await this.dispatch(directTextEvent(eventId, dm, actor), {
      client,
      kind: "directText",
      userId: dm.userId,
      channelId: dm.channelId,
      isDirect: true,
      receivedAt,
    });
  }

  private async onHomeOpened(teamId: string, userId: string, client: webApi.WebClient): Promise<void> {
    try {
      const actor = await this.users.actor(client, payloadActor(teamId, userId, undefined));
      const home = (await (this.handlers?.home ?? this.options.home ?? defaultHome)(actor)) ?? (await defaultHome(actor));
      await client.views.publish({ user_id: userId, view: renderHome(home) });
    } catch (error) {
      this.logger.error({ err: (error as Error).message, code: slackErrorCode(error) }, "slack home tab failed");
    }
  }

  private async onCommand(command: SlashCommand, respond: RespondFn, client: webApi.WebClient, receivedAt: number) {
    const actor = await this.users.actor(client, payloadActor(command.team_id, command.user_id, command.user_name));
    const event = commandEvent(command, actor);
    await this.dispatch(event, {
      client,
      kind: "command",
      userId: command.user_id,
      channelId: command.channel_id,
      isDirect: event.conversation.isDirect,
      respond,
      triggerId: command.trigger_id,
      receivedAt,
    });
  }

  private async onBlockAction(
    body: BlockAction,
    ack: () => Promise<void>,
    respond: RespondFn,
    client: webApi.WebClient,
    receivedAt: number,
  ): Promise<void> {
    const teamId = teamOfInteraction(body);
    const event = actionEvent(body, payloadActor(teamId, body.user.id, body.user.name ?? body.user.username));
    if (!event) {
      await ack();
      return;
    }
    const source = clickSource(body);
    const interaction: Interaction = {
      client,
      kind: "action",
      userId: body.user.id,
      channelId: source.channelId,
      isDirect: event.conversation.isDirect,
      respond,
      messageTs: source.messageTs,
      ephemeralSource: source.ephemeral,
      triggerId: body.trigger_id,
      receivedAt,
    };
    // A button we posted because a form could not open in time opens that form, for where it was first asked.
    const remembered = this.rememberedForm(event.actionId);
    const form = remembered?.form ?? this.handlers?.formFor(event) ?? null;
    if (form) {
      const origin = remembered?.origin ?? originOf(interaction);
      // The trigger id dies 3 seconds after the click: open first, acknowledge straight after.
      let opened = false;
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: renderForm(form, encodeOrigin(origin)) });
        opened = true;
      } catch (error) {
        this.logger.warn({ code: slackErrorCode(error), formId: form.formId }, "slack views.open failed");
      } finally {
        await ack();
      }
      if (!opened) await this.responder({ ...interaction, triggerId: undefined }).openForm(form);
      return;
    }
    await ack();
    event.actor = await this.users.actor(client, event.actor);
    await this.dispatch(event, interaction);
  }

  private async onViewSubmission(body: ViewSubmitAction, client: webApi.WebClient, receivedAt: number): Promise<void> {
    const teamId = teamOfInteraction(body);
    const origin = decodeOrigin(body.view.private_metadata);
    const actor = await this.users.actor(client, payloadActor(teamId, body.user.id, body.user.name));
    await this.dispatch(formSubmitEvent(body, actor, origin), {
      client,
      kind: "formSubmit",
      userId: body.user.id,
      channelId: origin.channelId,
      isDirect: origin.isDirect,
      messageTs: origin.messageTs,
      triggerId: body.trigger_id,
      receivedAt,
    });
  }

  private async dispatch(event: InboundEvent, interaction: Interaction): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return;
    try {
      await handlers.handle(event, this.responder(interaction));
    } catch (error) {
      // Ids and Slack's code only: the event and the reply may hold a resident's words.
      this.logger.error(
        { err: (error as Error).message, code: slackErrorCode(error), kind: event.kind, eventId: event.eventId },
        "slack reply failed",
      );
    }
  }

  private rememberedForm(actionId: string): { form: Form; origin: FormOrigin } | null {
    if (!actionId.startsWith(`${OPEN_FORM_PREFIX}:`)) return null;
    return this.rememberedForms.get(actionId.slice(OPEN_FORM_PREFIX.length + 1)) ?? null;
  }

  private rememberForm(form: Form, origin: FormOrigin): string {
    const key = randomBytes(6).toString("hex");
    this.rememberedForms.set(key, { form, origin });
    if (this.rememberedForms.size > REMEMBERED_FORMS) {
      const oldest = this.rememberedForms.keys().next().value;
      if (oldest !== undefined) this.rememberedForms.delete(oldest);
    }
    return `${OPEN_FORM_PREFIX}:${key}`;
  }

  private responder(interaction: Interaction): Responder {
    return createResponder(interaction, { logger: this.logger, rememberForm: (form, origin) => this.rememberForm(form, origin) });
  }

  // Outbound (the outbox) -----------------------------------------------------------------

  private async tokenFor(workspaceId: string): Promise<string> {
    const oauth = this.options.oauth;
    if (!oauth) return this.connection.botToken;
    try {
      return await oauth.installationStore.botToken(workspaceId);
    } catch {
      // Uninstalled, or never installed here: no retry will find a token.
      throw new DeliveryError("slack app is not installed in this workspace", { permanent: true, code: "not_installed" });
    }
  }

  sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    return this.sender.sendDirect(target, message);
  }

  postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    return this.sender.postToChannel(target, message);
  }

  updateMessage(workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    return this.sender.updateMessage(workspaceId, ref, message);
  }
}
