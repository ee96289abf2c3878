import type { SlackPacing } from "../../config.ts";
import { DeliveryError } from "../../core/ports.ts";
import { sendingAlert } from "../../outbox/sendLane.ts";

/**
 * Slack's documented pace for chat.postMessage: "1 message per second to a specific channel",
 * and "several hundred messages per minute" across a workspace, taken here as 300
 * (https://docs.slack.dev/reference/methods/chat.postMessage, "Rate limiting").
 */
export const SLACK_DEFAULT_PACING: SlackPacing = { channelMessagesPerSecond: 1, workspaceMessagesPerMinute: 300 };

/**
 * Longest a post waits here for its turn. Beyond that (a long Retry-After) the outbox is told to
 * come back later, so a send never sits on its claim for minutes.
 */
export const MAX_PACING_WAIT_MS = 5_000;

interface Waiter {
  channelId: string;
  urgent: boolean;
  resolve(): void;
  reject(error: Error): void;
}

interface Workspace {
  waiting: Waiter[];
  /** When the workspace may take its next post. */
  nextAt: number;
  /** After a 429: nothing goes before this. */
  holdUntil: number;
  /** When each recently used channel may take its next post. */
  channelNextAt: Map<string, number>;
  timer: NodeJS.Timeout | null;
}

/** Channels remembered before the ones whose turn has passed are forgotten. */
const REMEMBERED_CHANNELS = 1_000;

/**
 * Hands out turns to post, per workspace: evenly spaced at the workspace's pace, never two in
 * one channel closer than the channel's pace. A post waiting on its channel does not hold up
 * posts to other channels, and an alert takes the next turn ahead of posts already waiting.
 * After a 429 the whole workspace waits out Retry-After, so Slack refuses at most once.
 */
export class SlackPacer {
  private readonly workspaces = new Map<string, Workspace>();
  private readonly workspaceGapMs: number;
  private readonly channelGapMs: number;

  constructor(
    pacing: SlackPacing = SLACK_DEFAULT_PACING,
    private readonly now: () => number = Date.now,
  ) {
    this.workspaceGapMs = 60_000 / pacing.workspaceMessagesPerMinute;
    this.channelGapMs = 1_000 / pacing.channelMessagesPerSecond;
  }

  /** Resolves when a post to this channel may go; throws a retryable DeliveryError when that is too far off. */
  turn(workspaceId: string, channelId: string): Promise<void> {
    const workspace = this.workspace(workspaceId);
    const holdLeft = workspace.holdUntil - this.now();
    if (holdLeft > MAX_PACING_WAIT_MS) return Promise.reject(held(holdLeft));
    return new Promise((resolve, reject) => {
      workspace.waiting.push({ channelId, urgent: sendingAlert(), resolve, reject });
      this.release(workspace);
    });
  }

  /** Slack said 429: nothing more goes to this workspace for `ms`. */
  hold(workspaceId: string, ms: number): void {
    const workspace = this.workspace(workspaceId);
    workspace.holdUntil = Math.max(workspace.holdUntil, this.now() + ms);
    if (ms > MAX_PACING_WAIT_MS) {
      for (const waiter of workspace.waiting.splice(0)) waiter.reject(held(ms));
    }
    this.release(workspace);
  }

  private workspace(workspaceId: string): Workspace {
    let workspace = this.workspaces.get(workspaceId);
    if (!workspace) {
      workspace = { waiting: [], nextAt: 0, holdUntil: 0, channelNextAt: new Map(), timer: null };
      this.workspaces.set(workspaceId, workspace);
    }
    return workspace;
  }

  /** Lets go every post whose turn has come, then sleeps until the next one's. */
  private release(workspace: Workspace): void {
    if (workspace.timer) clearTimeout(workspace.timer);
    workspace.timer = null;
    for (;;) {
      if (workspace.waiting.length === 0) return;
      const now = this.now();
      const openAt = Math.max(workspace.nextAt, workspace.holdUntil);
      const channelFreeAt = (waiter: Waiter) => workspace.channelNextAt.get(waiter.channelId) ?? 0;
      if (now >= openAt) {
        const ready = workspace.waiting.filter((w) => channelFreeAt(w) <= now);
        const next = ready.find((w) => w.urgent) ?? ready[0];
        if (next) {
          workspace.waiting.splice(workspace.waiting.indexOf(next), 1);
          workspace.nextAt = now + this.workspaceGapMs;
          this.forgetOldChannels(workspace, now);
          workspace.channelNextAt.set(next.channelId, now + this.channelGapMs);
          next.resolve();
          continue;
        }
      }
      const wakeAt = Math.max(openAt, Math.min(...workspace.waiting.map(channelFreeAt)));
      workspace.timer = setTimeout(() => this.release(workspace), Math.max(1, wakeAt - now));
      return;
    }
  }

  private forgetOldChannels(workspace: Workspace, now: number): void {
    if (workspace.channelNextAt.size < REMEMBERED_CHANNELS) return;
    for (const [channelId, at] of workspace.channelNextAt) if (at <= now) workspace.channelNextAt.delete(channelId);
  }
}

function held(ms: number): DeliveryError {
  return new DeliveryError(`slack rate limit: workspace held for ${Math.ceil(ms / 1000)} s`, {
    permanent: false,
    retryAfterMs: ms,
    code: "ratelimited",
  });
}
