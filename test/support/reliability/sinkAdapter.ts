import type { MessageRef, Platform } from "../../../src/core/events.ts";
import type { Message } from "../../../src/core/message.ts";
import {
  type AdapterCapabilities,
  type ChannelTarget,
  type ChatAdapter,
  DeliveryError,
  type DirectTarget,
  type SentMessage,
} from "../../../src/core/ports.ts";
import type { SinkKind, SinkRequest } from "./sink.ts";

export interface SinkAdapterOptions {
  sinkUrl: string;
  /** Names the process in the sink's records. */
  worker: string;
  platform?: Platform;
  workspaceId?: string;
  /** How long a send may take before it counts as failed (a real adapter's request timeout). */
  timeoutMs?: number;
}

/**
 * A ChatAdapter that posts every send to the shared fake platform over HTTP, and turns its
 * answers into DeliveryErrors the way the Discord and Slack adapters do: 5xx and timeouts are
 * worth retrying, 429 carries Retry-After.
 */
export class SinkAdapter implements ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities = { images: true, forms: true, ephemeral: true, maxTextLength: 4000 };
  private readonly timeoutMs: number;

  constructor(private readonly options: SinkAdapterOptions) {
    this.platform = options.platform ?? "discord";
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  sendDirect(target: DirectTarget, message: Message): Promise<SentMessage> {
    return this.post("direct", target.userId, message);
  }

  postToChannel(target: ChannelTarget, message: Message): Promise<SentMessage> {
    return this.post("channel", target.channelId, message);
  }

  async updateMessage(_workspaceId: string, ref: MessageRef, message: Message): Promise<void> {
    await this.post("update", ref.channelId, message, ref.messageId);
  }

  private async post(kind: SinkKind, to: string, message: Message, messageId?: string): Promise<MessageRef> {
    const body: SinkRequest = { worker: this.options.worker, kind, to, message, ...(messageId ? { messageId } : {}) };
    let response: Response;
    try {
      response = await fetch(`${this.options.sinkUrl}/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? `timed out after ${this.timeoutMs} ms` : (error as Error).message;
      throw new DeliveryError(`chat platform did not answer: ${reason}`, { permanent: false });
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get("retry-after") ?? "1");
      await response.body?.cancel();
      throw new DeliveryError("HTTP 429: rate limited", { permanent: false, retryAfterMs: seconds * 1000, code: "429" });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DeliveryError(`HTTP ${response.status} from the chat platform`, { permanent: false, code: String(response.status) });
    }
    return (await response.json()) as MessageRef;
  }
}
