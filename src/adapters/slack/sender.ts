import { webApi } from "@slack/bolt";
import type { MessageRef } from "../../core/events.ts";
import type { Attachment, Message } from "../../core/message.ts";
import type { ChannelTarget, DirectTarget, Logger, SentMessage } from "../../core/ports.ts";
import { STALE_DM_CHANNEL, slackErrorCode, toDeliveryError } from "./delivery.ts";
import type { SlackPacer } from "./pacing.ts";
import { renderMessage } from "./render.ts";

/**
 * The outbox's side of Slack: DMs, channel posts and edits, outside any Slack request. Posts
 * wait for their turn at the pacer; a 429 holds the whole workspace for its Retry-After. Every
 * failure leaves as a DeliveryError the outbox understands (retry, Retry-After, or never again).
 */
export class SlackSender {
  private readonly clients = new Map<string, webApi.WebClient>();

  constructor(
    private readonly logger: Logger,
    private readonly clientOptions: () => webApi.WebClientOptions,
    /** The bot token for a workspace; throws a DeliveryError when there is none. */
    private readonly tokenFor: (workspaceId: string) => Promise<string>,
    private readonly pacer: SlackPacer,
  ) {}

  private async client(workspaceId: string): Promise<webApi.WebClient> {
    const token = await this.tokenFor(workspaceId);
    let client = this.clients.get(token);
    if (!client) {
      // Rate limits come back as errors carrying Retry-After, so the outbox reschedules instead of a worker sleeping.
      client = new webApi.WebClient(token, { ...this.clientOptions(), rejectRateLimitedCalls: true });
      this.clients.set(token, client);
    }
    return client;
  }

  private async openDm(client: webApi.WebClient, userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error("conversations.open returned no channel");
    return id;
  }

  /** Runs one Web API call; a rate limit holds every post to the workspace for as long as Slack asked. */
  private async call<T>(workspaceId: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (slackErrorCode(error) === "ratelimited") this.pacer.hold(workspaceId, toDeliveryError(error, "direct").options.retryAfterMs ?? 0);
      throw error;
    }
  }

  private async post(workspaceId: string, client: webApi.WebClient, channel: string, message: Message): Promise<SentMessage> {
    await this.pacer.turn(workspaceId, channel);
    const posted = await this.call(workspaceId, () =>
      client.chat.postMessage({ ...renderMessage(message), channel, unfurl_links: false, unfurl_media: false }),
    );
    if (!posted.ts) throw new Error("chat.postMessage returned no ts");
    const channelId = posted.channel ?? channel;
    await this.upload(client, channelId, message.attachments ?? []);
    return { channelId, messageId: posted.ts };
  }

  /**
   * Files follow their message. A failed upload is logged, not thrown: the message itself is
   * delivered, and a retry would send it a second time.
   */
  private async upload(client: webApi.WebClient, channelId: string, attachments: Attachment[]): Promise<void> {
    if (attachments.length === 0) return;
    try {
      await client.files.uploadV2({
        channel_id: channelId,
        file_uploads: attachments.map((attachment) => ({
          file: Buffer.from(attachment.base64, "base64"),
          filename: attachment.filename,
          title: attachment.filename,
          ...(attachment.altText ? { alt_text: attachment.altText } : {}),
        })),
      });
    } catch (error) {
      this.logger.error({ code: slackErrorCode(error), files: attachments.length }, "slack file upload failed after its message was sent");
    }
  }

  async sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    try {
      const client = await this.client(target.workspaceId);
      if (target.dmChannelId) {
        try {
          return await this.post(target.workspaceId, client, target.dmChannelId, message);
        } catch (error) {
          // A cached DM id can go stale; open the conversation again once before giving up on the person.
          if (!STALE_DM_CHANNEL.has(slackErrorCode(error) ?? "")) throw error;
        }
      }
      const channelId = await this.call(target.workspaceId, () => this.openDm(client, target.userId));
      return await this.post(target.workspaceId, client, channelId, message);
    } catch (error) {
      throw toDeliveryError(error, "direct");
    }
  }

  async postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    try {
      return await this.post(target.workspaceId, await this.client(target.workspaceId), target.channelId, message);
    } catch (error) {
      throw toDeliveryError(error, "channel");
    }
  }

  async updateMessage(workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    try {
      const client = await this.client(workspaceId);
      await this.call(workspaceId, () => client.chat.update({ ...renderMessage(message), channel: ref.channelId, ts: ref.messageId }));
    } catch (error) {
      throw toDeliveryError(error, "update");
    }
  }
}
