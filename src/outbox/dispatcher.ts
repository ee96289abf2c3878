import type { MessageRef, Platform } from "../core/events.ts";
import type { Message } from "../core/message.ts";
import { type ChatAdapter, type Clock, DeliveryError, type Logger } from "../core/ports.ts";
import type { Db } from "../db/client.ts";
import type { House, Member, Outbox } from "../generated/prisma/client.ts";
import { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from "./backoff.ts";
import { claimDue, claimOrder, LANE_ORDER } from "./claim.ts";
import { sendInLane } from "./sendLane.ts";
import { createSentBatch } from "./sentBatch.ts";

export interface DeliveryListener {
  delivered?(row: Outbox, ref: MessageRef): Promise<void>;
  /** `final` when the row will not be tried again (dead-lettered or refused for good). */
  failed?(row: Outbox, error: Error, final: boolean): Promise<void>;
}

/**
 * An adapter that paces its own sends to a platform's limit says how many sends may wait on it
 * at once. More would only queue inside the adapter, where an alert claimed later cannot
 * overtake them; fewer would leave the platform's allowance unused.
 */
export interface PacedAdapter {
  readonly maxSendsInFlight: number;
}

export interface OutboxDispatcherOptions {
  db: Db;
  adapters: Partial<Record<Platform, ChatAdapter & Partial<PacedAdapter>>>;
  clock: Clock;
  logger: Logger;
  workerId: string;
  retry?: RetryPolicy;
  leaseMs?: number;
  /** Rows taken per claim. */
  batchSize?: number;
  /**
   * Sends in flight at once for an adapter that does not say (default 1). Every send in flight
   * when the process dies may have reached the platform unrecorded and go again after the lease:
   * only adapters that need the throughput to meet a platform's limit declare more.
   */
  maxSendsInFlight?: number;
  listeners?: DeliveryListener[];
}

export interface RunSummary {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
}

class NotReadyYet extends Error {}

/** While draining, how often the queue is asked for alerts even when enough other work is claimed. */
const ALERT_PROBE_MS = 250;
/** How long after an alert is queued in this process the outbox keeps looking for it (its transaction may not have committed yet). */
const EXPEDITE_MS = 2_000;
/** How often the outbox looks while expediting with nothing else to do. */
const EXPEDITE_POLL_MS = 50;

export interface OutboxDispatcher {
  /** Claims one batch and delivers it. */
  runOnce(): Promise<RunSummary>;
  /**
   * Delivers until nothing is due: claims again as sends finish, so the platform is never left
   * waiting for the next batch, and looks for alerts every quarter second meanwhile.
   */
  drain(): Promise<RunSummary>;
  /** An alert was queued: drain now, and keep looking for a moment in case its transaction has not committed yet. */
  expedite(): Promise<RunSummary>;
  /** Finishes the sends in flight, hands back rows claimed but not yet tried, then resolves. */
  stop(): Promise<void>;
}

const emptySummary = (): RunSummary => ({ claimed: 0, sent: 0, retrying: 0, dead: 0 });

/** Rows to one person (or one channel) go one at a time, in claim order, so they arrive in order. */
function targetOf(row: Outbox): string {
  return row.targetMemberId ? `member:${row.targetMemberId}` : `channel:${row.houseId}:${row.targetChannelId ?? ""}`;
}

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, adapters, clock, logger, workerId } = options;
  const retry = options.retry ?? defaultRetryPolicy;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 25;
  const defaultInFlight = options.maxSendsInFlight ?? 1;
  const listeners = options.listeners ?? [];
  const sent = createSentBatch(db, workerId);
  let stopping = false;
  let running: Promise<RunSummary> | null = null;
  let runningContinuously = false;
  let expediteUntil = 0;
  /** Something happened (a send finished, a stop, an alert) that the running pass has not looked at yet. */
  let poked = false;
  let wake: (() => void) | null = null;

  /** Wakes the running pass, or tells it to look again as soon as it next waits. */
  function poke(): void {
    poked = true;
    wake?.();
  }

  /** Resolves at the next poke, or after `timeoutMs`; at once if a poke came since the last wait. */
  function nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        poked = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      wake = done;
      if (poked) done();
    });
  }

  function inFlightLimit(platform: Platform): number {
    return Math.max(1, adapters[platform]?.maxSendsInFlight ?? defaultInFlight);
  }

  /**
   * The rows' houses and members, read once per claim rather than once per row. A send that
   * fails forgets its member, so the next row to them reads it afresh (it may have just been
   * marked unreachable); a newly opened DM channel is remembered at once.
   */
  interface Known {
    houses: Map<string, House | null>;
    members: Map<string, Member | null>;
  }

  async function memberFor(id: string, known: Known): Promise<Member | null> {
    if (known.members.has(id)) return known.members.get(id) ?? null;
    const member = await db.member.findUnique({ where: { id } });
    known.members.set(id, member);
    return member;
  }

  async function deliver(row: Outbox, known: Known): Promise<MessageRef | null> {
    const house = known.houses.get(row.houseId) ?? null;
    if (!house) throw new DeliveryError("house no longer exists", { permanent: true });
    const adapter = adapters[house.platform];
    if (!adapter) throw new DeliveryError(`no ${house.platform} connection in this process`, { permanent: false });
    const message = row.message as unknown as Message;

    if (row.kind === "update") {
      const original = row.updateOfId ? await db.outbox.findUnique({ where: { id: row.updateOfId } }) : null;
      if (!original || original.status === "dead" || original.status === "cancelled") return null;
      if (original.status !== "sent" || !original.sentRef) throw new NotReadyYet("the original message is not delivered yet");
      const ref = original.sentRef as unknown as MessageRef;
      await adapter.updateMessage(house.workspaceId, ref, message);
      return ref;
    }
    if (row.targetMemberId) {
      const member = await memberFor(row.targetMemberId, known);
      if (!member) throw new DeliveryError("member no longer exists", { permanent: true });
      if (!member.reachable) throw new DeliveryError("member cannot be reached by DM", { permanent: true, unreachable: true });
      const ref = await adapter.sendDirect(
        { workspaceId: house.workspaceId, userId: member.platformUserId, dmChannelId: member.dmChannelId },
        message,
      );
      if (ref.channelId !== member.dmChannelId) {
        await db.member.update({ where: { id: member.id }, data: { dmChannelId: ref.channelId } });
        known.members.set(member.id, { ...member, dmChannelId: ref.channelId });
      }
      return ref;
    }
    if (row.targetChannelId) {
      return adapter.postToChannel({ workspaceId: house.workspaceId, channelId: row.targetChannelId }, message);
    }
    throw new DeliveryError("outbox row has no target", { permanent: true });
  }

  /** Writes only while our claim still holds, so a row retaken after our lease is never overwritten. */
  async function settle(row: Outbox, data: Parameters<Db["outbox"]["updateMany"]>[0]["data"]): Promise<boolean> {
    const result = await db.outbox.updateMany({ where: { id: row.id, claimedBy: workerId, status: "sending" }, data });
    return result.count === 1;
  }

  async function handleRow(row: Outbox, known: Known, summary: RunSummary): Promise<void> {
    try {
      const ref = await sendInLane(row.lane, () => deliver(row, known));
      const now = clock.now();
      if (ref === null) {
        await settle(row, { status: "cancelled", leaseUntil: null, lastError: "original message was never delivered" });
        return;
      }
      await sent.markSent(row.id, ref, now);
      summary.sent++;
      for (const listener of listeners) await listener.delivered?.(row, ref);
    } catch (caught) {
      if (row.targetMemberId) known.members.delete(row.targetMemberId);
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const now = clock.now();
      const delivery = error instanceof DeliveryError ? error.options : { permanent: false as const };
      const final = delivery.permanent || row.attempts >= retry.maxAttempts;
      if (error instanceof NotReadyYet) {
        await settle(row, {
          status: "pending",
          leaseUntil: null,
          attempts: { decrement: 1 },
          nextAttemptAt: new Date(now.getTime() + 2_000),
        });
        return;
      }
      if (final) {
        await settle(row, { status: "dead", leaseUntil: null, lastError: error.message.slice(0, 500) });
        summary.dead++;
        logger.warn({ outboxId: row.id, lane: row.lane, attempts: row.attempts, err: error.message }, "outbox row dead-lettered");
      } else {
        const delay = retryDelayMs(row.attempts, retry, "retryAfterMs" in delivery ? delivery.retryAfterMs : undefined);
        await settle(row, {
          status: "pending",
          leaseUntil: null,
          lastError: error.message.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        summary.retrying++;
        logger.info({ outboxId: row.id, lane: row.lane, attempts: row.attempts, delayMs: delay }, "outbox send will be retried");
      }
      for (const listener of listeners) await listener.failed?.(row, error, final);
    }
  }

  /**
   * One pass of the pipeline. Claimed rows wait in claim order (alerts first); a row starts when
   * no earlier row to the same target is in flight and its adapter has room. `continuous` claims
   * again whenever the waiting rows run low, until the queue has nothing due.
   */
  async function run(continuous: boolean): Promise<RunSummary> {
    // A drain keeps two batches' worth claimed, so it claims half as often for the same sends.
    const claimSize = continuous ? batchSize * 2 : batchSize;
    const summary = emptySummary();
    const waiting: Outbox[] = [];
    const known: Known = { houses: new Map(), members: new Map() };
    const { houses } = known;
    const busyTargets = new Set<string>();
    const inFlight = new Map<Platform, number>();
    /** Per platform, the lanes of the sends in flight: a lane waits for every more urgent one. */
    const lanesInFlight = new Map<string, number[]>();
    const laneRank = (row: Outbox) => LANE_ORDER.indexOf(row.lane);
    const platformKey = (row: Outbox) => houses.get(row.houseId)?.platform ?? "";
    const sends = new Set<Promise<void>>();
    let queueEmpty = false;
    let lastClaimAt = Number.NEGATIVE_INFINITY;
    const platforms = (Object.keys(adapters) as Platform[]).filter((p) => adapters[p]);
    /** When a platform's own claim last found nothing due. */
    const nothingDueAt = new Map<Platform, number>();

    async function claim(limit: number, lanes?: Array<Outbox["lane"]>, platform?: Platform): Promise<number> {
      // One platform's claim finds only its own alerts: it must not put off the next look for everyone's.
      if (!platform) lastClaimAt = performance.now();
      const rows = await claimDue(db, {
        workerId,
        now: clock.now(),
        leaseMs,
        limit,
        ...(lanes ? { lanes } : {}),
        ...(platform ? { platform } : {}),
      });
      if (!lanes && !platform) queueEmpty = rows.length < limit;
      if (rows.length === 0) return 0;
      summary.claimed += rows.length;
      const houseIds = [...new Set(rows.map((r) => r.houseId))];
      const foundHouses = await db.house.findMany({ where: { id: { in: houseIds } } });
      for (const id of houseIds) houses.set(id, foundHouses.find((h) => h.id === id) ?? null);
      const memberIds = [...new Set(rows.flatMap((r) => (r.targetMemberId ? [r.targetMemberId] : [])))];
      if (memberIds.length) {
        const foundMembers = await db.member.findMany({ where: { id: { in: memberIds } } });
        for (const id of memberIds) known.members.set(id, foundMembers.find((m) => m.id === id) ?? null);
      }
      waiting.push(...rows);
      waiting.sort(claimOrder);
      return rows.length;
    }

    function start(row: Outbox): void {
      const target = targetOf(row);
      const platform = houses.get(row.houseId)?.platform;
      const lanes = lanesInFlight.get(platformKey(row)) ?? [];
      lanesInFlight.set(platformKey(row), lanes);
      lanes.push(laneRank(row));
      busyTargets.add(target);
      if (platform) inFlight.set(platform, (inFlight.get(platform) ?? 0) + 1);
      const send = handleRow(row, known, summary)
        .catch((error: unknown) => {
          // A settle that could not be written (the database went away): the lease hands the row back later.
          logger.error({ err: error, outboxId: row.id }, "outbox row could not be settled; its lease will expire");
        })
        .finally(() => {
          lanes.splice(lanes.indexOf(laneRank(row)), 1);
          busyTargets.delete(target);
          if (platform) inFlight.set(platform, (inFlight.get(platform) ?? 1) - 1);
          sends.delete(send);
          poke();
        });
      sends.add(send);
    }

    /**
     * Starts every waiting row that may go now, in claim order; rows whose lease is half gone are
     * handed back unsent. A row waits while a row of a more urgent lane for the same platform is
     * waiting or in flight, so the platform sees the lanes in order, as from one sender.
     */
    async function startReady(): Promise<void> {
      const leaseFloor = clock.now().getTime() + leaseMs / 2;
      const stale: Outbox[] = [];
      const mostUrgentHeld = new Map<string, number>();
      const heldBack = (row: Outbox) => {
        const key = platformKey(row);
        const urgent = Math.min(mostUrgentHeld.get(key) ?? Number.POSITIVE_INFINITY, ...(lanesInFlight.get(key) ?? []));
        return urgent < laneRank(row);
      };
      for (let i = 0; i < waiting.length; ) {
        const row = waiting[i] as Outbox;
        if (row.leaseUntil && new Date(row.leaseUntil).getTime() < leaseFloor) {
          stale.push(row);
          waiting.splice(i, 1);
          continue;
        }
        const platform = houses.get(row.houseId)?.platform;
        const full = platform !== undefined && (inFlight.get(platform) ?? 0) >= inFlightLimit(platform);
        if (full || busyTargets.has(targetOf(row)) || heldBack(row)) {
          const key = platformKey(row);
          mostUrgentHeld.set(key, Math.min(mostUrgentHeld.get(key) ?? Number.POSITIVE_INFINITY, laneRank(row)));
          i++;
          continue;
        }
        waiting.splice(i, 1);
        start(row);
      }
      if (stale.length) await release(stale);
    }

    /**
     * With more than one platform, claims for a platform that has room for sends but nothing
     * waiting, while the rows claimed in queue order all wait on another platform's pace: Slack's
     * one post a second to a channel must not hold Discord's prompts back, nor Discord's backlog
     * at its global limit a Slack workspace's. A platform with nothing due is asked again only
     * after a pause.
     */
    async function claimForIdlePlatforms(): Promise<boolean> {
      if (platforms.length < 2 || queueEmpty || stopping) return false;
      let claimed = false;
      for (const platform of platforms) {
        if ((inFlight.get(platform) ?? 0) >= inFlightLimit(platform)) continue;
        if (waiting.some((row) => houses.get(row.houseId)?.platform === platform)) continue;
        if (performance.now() - (nothingDueAt.get(platform) ?? Number.NEGATIVE_INFINITY) < ALERT_PROBE_MS) continue;
        if ((await claim(batchSize, undefined, platform)) > 0) claimed = true;
        else nothingDueAt.set(platform, performance.now());
      }
      return claimed;
    }

    await claim(claimSize);
    for (;;) {
      // A turn of the event loop each round. On the embedded database every await resolves
      // without I/O, so a whole drain would otherwise run as one task and a stop signal (SIGTERM,
      // Ctrl-C) would wait behind hundreds of sends, past the 10-second stop deadline.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopping) {
        await release(waiting.splice(0));
        break;
      }
      await startReady();
      if (continuous) {
        const sinceClaim = performance.now() - lastClaimAt;
        const expediting = performance.now() < expediteUntil;
        if (!queueEmpty && waiting.length < claimSize / 2) await claim(claimSize - waiting.length);
        else if (sinceClaim >= (expediting ? EXPEDITE_POLL_MS : ALERT_PROBE_MS)) {
          // Enough other work is claimed: only an alert may join it, and it goes first.
          if (waiting.length >= claimSize / 2) await claim(claimSize, ["alert"]);
          else await claim(claimSize - waiting.length);
        }
        await startReady();
        if (await claimForIdlePlatforms()) await startReady();
      }
      if (waiting.length === 0 && sends.size === 0) {
        if (!continuous || (queueEmpty && performance.now() >= expediteUntil)) break;
        await nextEvent(EXPEDITE_POLL_MS);
        continue;
      }
      await nextEvent(continuous ? (performance.now() < expediteUntil ? EXPEDITE_POLL_MS : ALERT_PROBE_MS) : 60_000);
    }
    await Promise.all([...sends]);
    if (summary.dead > 0) await reportDeadLetters(summary.dead);
    return summary;
  }

  /** One line with counts an operator can alert on; admins see the same with /deliveries. */
  async function reportDeadLetters(justNow: number): Promise<void> {
    const groups = await db.outbox.groupBy({ by: ["lane"], where: { status: "dead" }, _count: { _all: true } });
    const byLane = Object.fromEntries(groups.map((g) => [g.lane, g._count._all]));
    const total = groups.reduce((sum, g) => sum + g._count._all, 0);
    logger.warn(
      { deadJustNow: justNow, deadTotal: total, deadByLane: byLane },
      "outbox has undelivered rows; /deliveries shows them, /deliveries retry resends",
    );
  }

  async function release(rows: Outbox[]): Promise<void> {
    for (const row of rows) {
      await settle(row, { status: "pending", leaseUntil: null, claimedBy: null, attempts: { decrement: 1 } });
    }
  }

  function begin(continuous: boolean): Promise<RunSummary> {
    if (stopping) return Promise.resolve(emptySummary());
    if (running) {
      // A single pass may be about to finish without looking at the queue again: drain after it.
      return continuous && !runningContinuously ? running.then(() => begin(true)) : running;
    }
    runningContinuously = continuous;
    running = run(continuous).finally(() => {
      running = null;
    });
    return running;
  }

  return {
    runOnce: () => begin(false),
    drain: () => begin(true),
    expedite() {
      expediteUntil = performance.now() + EXPEDITE_MS;
      poke();
      return begin(true);
    },
    async stop() {
      stopping = true;
      poke();
      if (running) await running.catch(() => undefined);
    },
  };
}
