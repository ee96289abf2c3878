import { once } from "node:events";
import {
  ChannelType,
  Client,
  DefaultRestOptions,
  type Message as DiscordMessage,
  Events,
  GatewayIntentBits,
  type Interaction,
  Partials,
  REST,
  type User,
} from "discord.js";
import type { InboundEvent, MessageRef } from "../../core/events.ts";
import type { Message } from "../../core/message.ts";
import {
  type AdapterCapabilities,
  type ChannelTarget,
  type ChatAdapter,
  DeliveryError,
  type DirectTarget,
  type InboundHandlers,
  type Logger,
  type SentMessage,
} from "../../core/ports.ts";
import type { PacedAdapter } from "../../outbox/dispatcher.ts";
import { actorFor, actorInWorkspace, cachedDmWorkspace, findDmWorkspace, type Workspace } from "./actor.ts";
import {
  isStaleInteraction,
  loggableError,
  MAX_INLINE_RATE_LIMIT_WAIT_MS,
  rateLimitWaitMs,
  type SendKind,
  toDeliveryError,
} from "./errors.ts";
import { evenlyPaced } from "./evenPacing.ts";
import { DISCORD_LIMITS, renderEdit, renderMessage } from "./render.ts";
import { answerAtOnce, directChannelResponder, FORM_BUTTON_PREFIX, InteractionResponder, PendingForms, showModal } from "./responders.ts";
import { editMessage, openDirectChannel, postMessages } from "./send.ts";
import { actionEvent, commandEvent, directTextEvent, type EventOrigin, formSubmitEvent } from "./translate.ts";

export interface DiscordAdapterOptions {
  token: string;
  /** Discord API base without the version, e.g. https://discord.com/api; a proxy or a test double. */
  apiUrl?: string;
  /** Discord's global limit for this bot (50 a second unless Discord raised it); every request is paced to it, evenly spaced. */
  globalRequestsPerSecond?: number;
  logger: Logger;
}

export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

const NO_SHARED_SERVER =
  "I couldn't find a server we share, so I don't know which house you belong to. Please talk to me from your house's Discord server.";

/** How long stop() lets events already being handled finish before closing the connection. */
const DRAIN_MS = 5_000;

const SNOWFLAKE = /^\d{15,22}$/;

/** Strips a trailing slash or version, since discord.js appends `/v10` itself. */
export function normaliseApiUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v\d+$/, "");
}

/**
 * Discord through discord.js: the gateway brings interactions and DMs, REST carries everything
 * out. Only the Guilds and DirectMessages intents, neither privileged. Interactions are
 * acknowledged before any database work, because Discord gives three seconds; the dispatcher
 * drops replays by interaction or message id.
 */
export class DiscordAdapter implements ChatAdapter, PacedAdapter {
  readonly platform = "discord" as const;
  readonly capabilities: AdapterCapabilities = { images: true, forms: true, ephemeral: true, maxTextLength: DISCORD_LIMITS.content };
  /**
   * A fifth of a second's worth of requests: enough to keep the paced queue busy, few enough that
   * an alert waits behind at most a fifth of a second of other sends.
   */
  readonly maxSendsInFlight: number;

  readonly client: Client;
  /**
   * For interaction endpoints only: the acknowledgement, and editing or following up the answer.
   * Discord does not count these against the bot's global limit, so on the shared client a
   * resident's answer would wait behind the outbox's DMs, paced at 50 a second.
   */
  private readonly interactionRest: REST;
  private readonly logger: Logger;
  private readonly forms = new PendingForms();
  private readonly inFlight = new Set<Promise<void>>();
  private handlers: InboundHandlers | null = null;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.logger = options.logger.child({ adapter: "discord" });
    const globalRequestsPerSecond = options.globalRequestsPerSecond ?? DISCORD_GLOBAL_REQUESTS_PER_SECOND;
    this.maxSendsInFlight = Math.min(32, Math.max(2, Math.ceil(globalRequestsPerSecond / 5)));
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      // DM channels are not cached until used; without this partial, the first DM would be dropped.
      partials: [Partials.Channel],
      allowedMentions: { parse: [] },
      rest: {
        ...(options.apiUrl ? { api: normaliseApiUrl(options.apiUrl) } : {}),
        // Every request leaves through makeRequest, evenly spaced at the limit. discord.js's own
        // one-second windows are switched off: counted as requests enter, ahead of the spacing,
        // they held a request back for most windows (up to 50 ms each, 5% of the rate). A global
        // 429 still holds all requests for the time Discord gives, as before.
        globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
        makeRequest: evenlyPaced(globalRequestsPerSecond, DefaultRestOptions.makeRequest),
        // One quick retry for a dropped connection or a 5xx; the outbox's backoff does the rest.
        retries: 1,
        rejectOnRateLimit: (limit) => rateLimitWaitMs(limit) > MAX_INLINE_RATE_LIMIT_WAIT_MS,
      },
    });
    // Interaction webhooks authenticate by the interaction's token, so this client has no bot token.
    this.interactionRest = new REST({
      ...(options.apiUrl ? { api: normaliseApiUrl(options.apiUrl) } : {}),
      globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
      retries: 1,
    });
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
    this.client.on(Events.InteractionCreate, (interaction) => this.track(this.onInteraction(interaction), interaction.id));
    this.client.on(Events.MessageCreate, (message) => this.track(this.onMessage(message), message.id));
    this.client.on(Events.Error, (error) => this.logger.error({ error: loggableError(error) }, "discord client error"));
    this.client.on(Events.Warn, (warning) => this.logger.warn({ warning }, "discord client warning"));
    this.client.on(Events.ShardDisconnect, (event, shard) => this.logger.warn({ code: event.code, shard }, "discord gateway disconnected"));
    this.client.on(Events.ShardResume, (shard, replayed) => this.logger.info({ shard, replayed }, "discord gateway resumed"));
    // Ready comes after every server's GUILD_CREATE: DMs are attributed to servers from that cache.
    const ready = once(this.client, Events.ClientReady);
    await this.client.login(this.options.token);
    await ready;
    this.logger.info({ user: this.client.user?.id, guilds: this.client.guilds.cache.size }, "discord connected");
  }

  async stop(): Promise<void> {
    this.handlers = null;
    const drained = Promise.allSettled([...this.inFlight]);
    // A timer that holds the process open: unref'd, a stop with nothing else pending would let
    // the process end right here, before the client is destroyed and the database closed.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(resolve, DRAIN_MS);
    });
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    await this.client.destroy();
  }

  async sendDirect(target: DirectTarget, content: Message): Promise<SentMessage> {
    return this.deliver("direct", async () => {
      const channelId = target.dmChannelId ?? (await openDirectChannel(this.client.rest, target.userId));
      return postMessages(this.client.rest, channelId, renderMessage(content));
    });
  }

  async postToChannel(target: ChannelTarget, content: Message): Promise<SentMessage> {
    return this.deliver("channel", async () => postMessages(this.client.rest, this.channelIdFor(target), renderMessage(content)));
  }

  async updateMessage(_workspaceId: string, ref: MessageRef, content: Message): Promise<void> {
    await this.deliver("update", async () => editMessage(this.client.rest, ref, renderEdit(content)));
  }

  private async deliver<T>(kind: SendKind, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toDeliveryError(error, kind);
    }
  }

  /** /setup accepts a channel by name as well as by mention, so a name is looked up in the server. */
  private channelIdFor(target: ChannelTarget): string {
    if (SNOWFLAKE.test(target.channelId)) return target.channelId;
    const name = target.channelId.replace(/^#/, "").toLowerCase();
    const channel = this.client.guilds.cache
      .get(target.workspaceId)
      ?.channels.cache.find((c) => c.name === name && c.type === ChannelType.GuildText);
    if (!channel) throw new DeliveryError(`no text channel named #${name} in this server`, { permanent: true, code: "unknown_channel" });
    return channel.id;
  }

  private track(work: Promise<void>, id: string): void {
    const tracked = work.catch((error: unknown) => {
      // Ids and the error's summary only: the event and the failed request may carry a resident's words.
      this.logger.error({ error: loggableError(error), id }, "discord event failed");
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return;
    if (!(interaction.isChatInputCommand() || interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit())) {
      return;
    }
    const handle = { id: interaction.id, token: interaction.token, applicationId: interaction.applicationId };
    const rest = this.interactionRest;

    if (interaction.isButton() && interaction.customId.startsWith(FORM_BUTTON_PREFIX)) {
      const form = this.forms.get(interaction.customId, interaction.user.id);
      if (form) await showModal(rest, handle, form);
      else await answerAtOnce(rest, handle, "That form has expired. Please start again.");
      return;
    }

    const guildId = interaction.guildId;
    const guild = interaction.inCachedGuild() ? interaction.guild : null;
    // In a DM the house comes from a server we share; the cache usually knows, REST is asked after deferring.
    let workspace: Workspace | null = guildId ? null : cachedDmWorkspace(this.client, interaction.user.id);
    const origin = (): EventOrigin => ({
      actor: guildId
        ? actorFor(interaction.user, { guildId, guild }, interaction.member, interaction.memberPermissions)
        : workspace
          ? actorInWorkspace(interaction.user, workspace)
          : // Not yet known: only formFor sees this actor, and it looks at the action id alone.
            actorFor(interaction.user, { guildId: "", guild: null }, null, null),
      channelId: interaction.channelId ?? "",
      isDirect: !guildId,
      workspaceName: guild?.name ?? workspace?.guild.name,
    });

    let event: InboundEvent;
    let mode: "reply" | "update";
    if (interaction.isChatInputCommand()) {
      event = commandEvent(interaction, origin());
      mode = "reply";
    } else if (interaction.isModalSubmit()) {
      event = formSubmitEvent(interaction, origin());
      mode = interaction.isFromMessage() ? "update" : "reply";
    } else {
      event = actionEvent(interaction, origin());
      // Decided without the database, so the modal can be the first (and only allowed) answer.
      const form = handlers.formFor(event);
      if (form) {
        await showModal(rest, handle, form);
        return;
      }
      mode = "update";
    }

    const responder = new InteractionResponder(rest, handle, mode, guildId !== null, this.forms, interaction.user.id);
    try {
      await responder.acknowledge();
    } catch (error) {
      if (!isStaleInteraction(error)) throw error;
      this.logger.info({ interaction: interaction.id }, "interaction already acknowledged or expired; skipped");
      return;
    }

    if (!guildId && !workspace) {
      workspace = await this.dmWorkspace(interaction.user);
      if (!workspace) {
        await responder.reply({ text: NO_SHARED_SERVER, ephemeral: true });
        return;
      }
      event = { ...event, ...this.withOrigin(origin()) };
    }
    await handlers.handle(event, responder);
  }

  /**
   * The house a DM belongs to: the bot's cache first, then the houses our own database knows the
   * person in (one query), and only then each shared server over REST, which costs a request per
   * server against the global limit and is needed only for someone the bot has never seen.
   */
  private async dmWorkspace(user: User): Promise<Workspace | null> {
    const cached = cachedDmWorkspace(this.client, user.id);
    if (cached) return cached;
    const known = (await this.handlers?.houseWorkspacesOf?.("discord", user.id)) ?? [];
    const guild = known.map((id) => this.client.guilds.cache.get(id)).find((g) => g !== undefined);
    if (guild) return { guild, member: null };
    return findDmWorkspace(this.client, user.id);
  }

  private withOrigin(origin: EventOrigin): Pick<InboundEvent, "actor" | "conversation" | "workspaceName"> {
    return {
      actor: origin.actor,
      conversation: { channelId: origin.channelId, isDirect: origin.isDirect },
      ...(origin.workspaceName ? { workspaceName: origin.workspaceName } : {}),
    };
  }

  private async onMessage(message: DiscordMessage): Promise<void> {
    const handlers = this.handlers;
    // Only people's DMs: the bot has no intent for server messages, and never answers bots or itself.
    if (!handlers || message.guildId || message.author.bot || message.system || message.webhookId) return;
    const responder = directChannelResponder(this.client.rest, message.channelId, this.forms, message.author.id);
    // A DM of only a picture or sticker holds no words to act on.
    if (!message.content.trim()) return;
    const workspace = await this.dmWorkspace(message.author);
    if (!workspace) {
      await responder.reply({ text: NO_SHARED_SERVER });
      return;
    }
    const origin: EventOrigin = {
      actor: actorInWorkspace(message.author, workspace),
      channelId: message.channelId,
      isDirect: true,
      workspaceName: workspace.guild.name,
    };
    await handlers.handle(directTextEvent(message, origin), responder);
  }
}
