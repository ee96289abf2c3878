import {
  type AlertDecision,
  acknowledge as acknowledgeState,
  alertForSignal,
  type EscalationState,
  type EscalationStep,
  escalationDue,
  failover,
  resolve as resolveState,
  retriggerDue,
  startEscalation,
} from "../../domain/alerts/index.ts";
import { addDays, localDateOf } from "../../domain/checkin/index.ts";
import { type EscalationPolicy, escalationPolicySchema, houseSettingsReader, readHouseSettings } from "../../domain/houseSettings.ts";
import type { Alert, House, Member, Outbox, Prisma, RiskSignal } from "../../generated/prisma/client.ts";
import type { DeliveryListener } from "../../outbox/dispatcher.ts";
import { enqueue, enqueueUpdate, type OutboxItem } from "../../outbox/enqueue.ts";
import { recordAudit } from "../audit.ts";
import type { ServiceDeps, Tx } from "../deps.ts";
import { recordSignal } from "../signals.ts";
import { type AlertView, alertMessage, exhaustedMessage, peerHandledMessage, peerNudgeMessage } from "./messages.ts";

const MAX_FAILOVER_HOPS = 12;

type SignalSubject = Member & { house: House };
type AlertRaise = Extract<AlertDecision, { action: "alert" }>;

type AlertWithSubject = Alert & {
  subject: Member & { house: { id: string; timezone: string; staffChannelId: string | null; settings: Prisma.JsonValue } };
};

function stateOf(alert: Alert): EscalationState {
  return {
    state: alert.state,
    level: alert.level,
    loop: alert.loop,
    nextEscalationAt: alert.nextEscalationAt,
    retriggerAt: alert.retriggerAt,
  };
}

function factsOf(kind: RiskSignal["kind"], details: Prisma.JsonValue): string[] {
  const d = (typeof details === "object" && details !== null && !Array.isArray(details) ? details : {}) as Record<string, unknown>;
  switch (kind) {
    case "high_craving":
      return [`Craving ${String(d.craving)} of 10 (house threshold ${String(d.threshold)})`];
    case "missed_checkin":
      return [`${String(d.missedInARow ?? 1)} check-in(s) missed in a row, last on ${String(d.localDate)}`];
    case "reported_use":
      return [`Reported use on ${String(d.localDate)}`];
    case "sos":
      return [d.via === "checkin" ? "Pressed the help button in the check-in" : "Used /sos"];
    case "crisis_words":
      return [`Crisis language in a ${d.via === "note" ? "check-in note" : "direct message"}`];
    default:
      return [];
  }
}

export type AlertActionResult =
  | { outcome: "done"; alert: Alert }
  | { outcome: "refused"; reason: "not_found" | "not_allowed" | "already_acknowledged" | "already_resolved" };

export function createAlerts(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function loadAlert(tx: Tx, alertId: string): Promise<AlertWithSubject | null> {
    return tx.alert.findUnique({
      where: { id: alertId },
      include: { subject: { include: { house: true } } },
    }) as Promise<AlertWithSubject | null>;
  }

  async function view(tx: Tx, alert: AlertWithSubject): Promise<AlertView> {
    const signals = await tx.riskSignal.findMany({ where: { alertId: alert.id }, orderBy: { occurredAt: "desc" }, take: 3 });
    const names = await tx.member.findMany({
      where: { id: { in: [alert.acknowledgedById, alert.resolvedById].filter((x): x is string => !!x) } },
    });
    const nameOf = (id: string | null) => names.find((m) => m.id === id)?.displayName ?? null;
    return {
      id: alert.id,
      kind: alert.kind,
      severity: alert.severity,
      state: alert.state,
      createdAt: alert.createdAt,
      subjectName: alert.subject.displayName,
      facts: signals.flatMap((s) => factsOf(s.kind, s.details)),
      acknowledgedBy: nameOf(alert.acknowledgedById),
      acknowledgedAt: alert.acknowledgedAt,
      resolvedBy: nameOf(alert.resolvedById),
      resolvedAt: alert.resolvedAt,
      outcome: alert.outcome,
    };
  }

  /**
   * How many times the alert has started over (re-triggered after an acknowledgement, or restarted
   * by a new signal after its ladder ran out). Each round walks levels and loops from 0 again, so
   * the round is part of every notification key: without it the new round's keys would equal the
   * first round's and the outbox would skip them as already sent.
   */
  async function roundOf(tx: Tx, alertId: string): Promise<number> {
    return tx.alertEvent.count({ where: { alertId, kind: "retriggered" } });
  }

  /** The people (and channel) a level of the policy reaches for this resident. */
  async function targetsFor(
    tx: Tx,
    alert: AlertWithSubject,
    policy: EscalationPolicy,
    level: number,
  ): Promise<{ members: Member[]; channel: string | null }> {
    const rung = policy.levels[level];
    const houseId = alert.houseId;
    const counsellors = {
      houseId,
      role: { in: ["counsellor", "admin"] as Array<"counsellor" | "admin"> },
      status: { not: "discharged" as const },
    };
    switch (rung?.target) {
      case "peer": {
        // Peers look in on residents; a staff member the bot cannot reach is for the counsellors.
        if (alert.subject.role !== "resident") return { members: [], channel: null };
        const pairing = await tx.buddyPairing.findFirst({
          where: { newcomerId: alert.subjectId, status: "active" },
          include: { buddy: true },
        });
        const seniors = await tx.member.findMany({
          where: { houseId, peerRole: "senior_peer", onDuty: true, status: "active", id: { not: alert.subjectId } },
        });
        const members = [...(pairing ? [pairing.buddy] : []), ...seniors.filter((s) => s.id !== pairing?.buddyId)];
        return { members, channel: null };
      }
      case "keyCounsellor": {
        const key = alert.subject.keyCounsellorId ? await tx.member.findUnique({ where: { id: alert.subject.keyCounsellorId } }) : null;
        return { members: key && key.status !== "discharged" ? [key] : [], channel: null };
      }
      case "onDutyCounsellors":
        return { members: await tx.member.findMany({ where: { ...counsellors, onDuty: true } }), channel: null };
      case "allCounsellorsAndStaffChannel":
        return { members: await tx.member.findMany({ where: counsellors }), channel: alert.subject.house.staffChannelId };
      default:
        return { members: [], channel: null };
    }
  }

  /**
   * Carries out a step of the state machine: notify a level's targets, moving straight on when a
   * level has nobody reachable, or post the final notice when the ladder is exhausted.
   */
  async function carryOut(tx: Tx, alert: AlertWithSubject, step: EscalationStep, hops = 0): Promise<void> {
    const now = clock.now();
    const policy = escalationPolicySchema.parse(alert.policy);
    const settings = readHouseSettings(alert.subject.house.settings);
    const round = await roundOf(tx, alert.id);
    await tx.alert.update({
      where: { id: alert.id },
      data: {
        state: step.state.state,
        level: step.state.level,
        loop: step.state.loop,
        nextEscalationAt: step.state.nextEscalationAt,
        retriggerAt: step.state.retriggerAt,
      },
    });
    if (step.kind === "exhausted") {
      await tx.alertEvent.create({ data: { alertId: alert.id, kind: "exhausted", at: now } });
      const channel = alert.subject.house.staffChannelId;
      const counsellors = await tx.member.findMany({
        where: { houseId: alert.houseId, role: { in: ["counsellor", "admin"] }, status: { not: "discharged" }, reachable: true },
      });
      const items: OutboxItem[] = counsellors.map((c) => ({
        idempotencyKey: `alert:${alert.id}:exhausted:${round}:${c.id}`,
        houseId: alert.houseId,
        lane: "alert",
        message: exhaustedMessage(alert.subject.displayName, alert.id),
        targetMemberId: c.id,
        correlationKey: `alert:${alert.id}`,
        notBefore: now,
      }));
      if (channel) {
        items.push({
          idempotencyKey: `alert:${alert.id}:exhausted:${round}:channel`,
          houseId: alert.houseId,
          lane: "alert",
          message: exhaustedMessage(alert.subject.displayName, alert.id),
          targetChannelId: channel,
          correlationKey: `alert:${alert.id}`,
          notBefore: now,
        });
      }
      await enqueue(tx, items);
      return;
    }
    const rung = policy.levels[step.level];
    const { members, channel } = await targetsFor(tx, alert, policy, step.level);
    const reachable = members.filter((m) => m.reachable && m.id !== alert.subjectId);
    const isPeer = rung?.target === "peer";
    const fresh = { ...alert, state: step.state.state };
    const counsellorMessage = alertMessage(
      await view(tx, fresh),
      alert.subject.house.timezone,
      settings.regulatedMode,
      settings.notesInAlertDms && !settings.regulatedMode,
    );
    const items: OutboxItem[] = reachable.map((member) => ({
      idempotencyKey: `alert:${alert.id}:${step.level}:${step.loop}:${round}:${member.id}`,
      houseId: alert.houseId,
      lane: "alert",
      // Peers are told only to look in; answers and alert details are for counsellors.
      message: isPeer ? peerNudgeMessage(alert.subject.displayName, alert.id, alert.kind) : counsellorMessage,
      targetMemberId: member.id,
      correlationKey: `alert:${alert.id}`,
      notBefore: now,
    }));
    if (channel) {
      items.push({
        idempotencyKey: `alert:${alert.id}:${step.level}:${step.loop}:${round}:channel`,
        houseId: alert.houseId,
        lane: "alert",
        message: alertMessage(await view(tx, fresh), alert.subject.house.timezone, true),
        targetChannelId: channel,
        correlationKey: `alert:${alert.id}`,
        notBefore: now,
      });
    }
    await tx.alertEvent.create({
      data: {
        alertId: alert.id,
        kind: "notified",
        at: now,
        details: { level: step.level, loop: step.loop, targets: reachable.map((m) => m.id), channel: channel ?? null },
      },
    });
    if (items.length === 0 && hops < MAX_FAILOVER_HOPS) {
      // Nobody at this level can be reached: move on at once rather than waiting out the timeout.
      const next = failover(step.state, policy, alert.severity, now, { level: step.level, loop: step.loop });
      if (next.kind !== "wait") await carryOut(tx, alert, next, hops + 1);
      return;
    }
    await enqueue(tx, items);
  }

  /**
   * Turns new risk signals into alerts, timeline entries on open alerts, or buddy nudges. Signals
   * that only nudge a buddy or need nothing are settled together in a fixed handful of statements
   * however many there are (the minute sweep closes many windows at once). Signals that raise an
   * alert then go one at a time, in the order given, so a second signal for the same resident joins
   * the alert the first one opened.
   */
  async function handleSignals(tx: Tx, signals: RiskSignal[]): Promise<void> {
    if (signals.length === 0) return;
    const now = clock.now();
    const subjects = new Map(
      (await tx.member.findMany({ where: { id: { in: [...new Set(signals.map((s) => s.memberId))] } }, include: { house: true } })).map(
        (m) => [m.id, m],
      ),
    );
    const settingsOf = houseSettingsReader();
    const consumed: string[] = [];
    const nudges: Array<{ signal: RiskSignal; subject: SignalSubject }> = [];
    const raising: Array<{ signal: RiskSignal; subject: SignalSubject; decision: AlertRaise; policy: EscalationPolicy }> = [];
    for (const signal of signals) {
      const subject = subjects.get(signal.memberId);
      if (!subject) throw new Error(`Risk signal ${signal.id} names member ${signal.memberId}, who does not exist`);
      const settings = settingsOf(subject.houseId, subject.house.settings);
      const details = (signal.details ?? {}) as { missedInARow?: number; craving?: number };
      const decision = alertForSignal({ kind: signal.kind, details }, settings);
      if (decision.action === "alert") raising.push({ signal, subject, decision, policy: settings.escalation });
      else {
        consumed.push(signal.id);
        if (decision.action === "nudgeBuddy") nudges.push({ signal, subject });
      }
    }
    if (nudges.length > 0) {
      // One active pairing per newcomer (a unique index): a newcomer without one nudges nobody.
      const pairings = await tx.buddyPairing.findMany({
        where: { newcomerId: { in: nudges.map((n) => n.subject.id) }, status: "active" },
        select: { newcomerId: true, buddyId: true },
      });
      const buddyOf = new Map(pairings.map((p) => [p.newcomerId, p.buddyId]));
      await enqueue(
        tx,
        nudges.flatMap(({ signal, subject }) => {
          const buddyId = buddyOf.get(subject.id);
          return buddyId
            ? [
                {
                  idempotencyKey: `nudge:${signal.id}`,
                  houseId: subject.houseId,
                  lane: "alert" as const,
                  message: peerNudgeMessage(subject.displayName, null),
                  targetMemberId: buddyId,
                  notBefore: now,
                },
              ]
            : [];
        }),
      );
    }
    if (consumed.length > 0) await tx.riskSignal.updateMany({ where: { id: { in: consumed } }, data: { consumedAt: now } });
    for (const raise of raising) await raiseAlert(tx, raise, now);
  }

  /** Opens an alert for the signal and starts its ladder, or adds the signal to the resident's open alert of that kind. */
  async function raiseAlert(
    tx: Tx,
    { signal, subject, decision, policy }: { signal: RiskSignal; subject: SignalSubject; decision: AlertRaise; policy: EscalationPolicy },
    now: Date,
  ): Promise<void> {
    const dedupKey = `${decision.dedupKind}:${subject.id}`;
    const open = await tx.alert.findUnique({ where: { openDedupKey: dedupKey } });
    if (open) {
      // Repeated signals add to the open alert's timeline instead of notifying again.
      await tx.riskSignal.update({ where: { id: signal.id }, data: { consumedAt: now, alertId: open.id } });
      await tx.alertEvent.create({ data: { alertId: open.id, kind: "signal", at: now, details: { signal: signal.kind } } });
      if (open.state === "open" && open.nextEscalationAt === null) {
        // Its ladder already ran out: a new signal must reach someone, not join a silent alert.
        await tx.alertEvent.create({ data: { alertId: open.id, kind: "retriggered", at: now, details: { reason: "new_signal" } } });
        const restarted = await loadAlert(tx, open.id);
        const step = startEscalation(escalationPolicySchema.parse(open.policy), open.severity, now, {
          startAtCounsellor: open.severity === "critical",
        });
        if (restarted) await carryOut(tx, restarted, step);
      }
      return;
    }
    const critical = decision.severity === "critical";
    const step = startEscalation(policy, decision.severity, now, { startAtCounsellor: critical });
    const created = await tx.alert.create({
      data: {
        houseId: subject.houseId,
        subjectId: subject.id,
        kind: signal.kind,
        severity: decision.severity,
        dedupKey,
        openDedupKey: dedupKey,
        policy: policy as unknown as Prisma.InputJsonValue,
        createdAt: now,
      },
    });
    await tx.riskSignal.update({ where: { id: signal.id }, data: { consumedAt: now, alertId: created.id } });
    await tx.alertEvent.create({
      data: { alertId: created.id, kind: "created", at: now, details: { signal: signal.kind, severity: decision.severity } },
    });
    const alert = await loadAlert(tx, created.id);
    if (alert) await carryOut(tx, alert, step);
  }

  /** Refreshes every delivered copy of the alert so nobody drives over to a resident someone is already with. */
  async function refreshCopies(tx: Tx, alertId: string, tag: string): Promise<void> {
    const alert = await loadAlert(tx, alertId);
    if (!alert) return;
    const settings = readHouseSettings(alert.subject.house.settings);
    const copies = await tx.outbox.findMany({
      where: { correlationKey: `alert:${alertId}`, kind: "send", status: { in: ["sent", "pending", "sending"] } },
    });
    const current = await view(tx, alert);
    const peers = await tx.member.findMany({
      where: { id: { in: copies.flatMap((c) => (c.targetMemberId ? [c.targetMemberId] : [])) }, role: "resident" },
      select: { id: true },
    });
    const isPeer = (copy: Outbox) => peers.some((p) => p.id === copy.targetMemberId);
    for (const copy of copies) {
      await enqueueUpdate(tx, {
        idempotencyKey: `${copy.idempotencyKey}:${tag}`,
        houseId: alert.houseId,
        lane: "alert",
        updateOfId: copy.id,
        // A buddy's nudge stays a nudge: never the counsellors' view, its details or their buttons.
        message: isPeer(copy)
          ? peerHandledMessage(alert.subject.displayName, current.acknowledgedBy ?? null, current.state === "resolved")
          : alertMessage(current, alert.subject.house.timezone, settings.regulatedMode || copy.targetChannelId !== null),
        notBefore: clock.now(),
      });
    }
  }

  async function mayHandle(tx: Tx, alert: AlertWithSubject, actor: Member, resolving: boolean): Promise<boolean> {
    if (actor.houseId !== alert.houseId || actor.id === alert.subjectId) return false;
    if (actor.role === "counsellor" || actor.role === "admin") return true;
    if (resolving) return false;
    // A peer who was asked to look in may say they are on it; only counsellors resolve.
    const asked = await tx.outbox.findFirst({ where: { correlationKey: `alert:${alert.id}`, targetMemberId: actor.id } });
    return asked !== null;
  }

  return {
    handleSignals,

    async acknowledge(alertId: string, actorId: string): Promise<AlertActionResult> {
      return db.$transaction(async (tx) => {
        const alert = await loadAlert(tx, alertId);
        const actor = await tx.member.findUnique({ where: { id: actorId } });
        if (!alert || !actor) return { outcome: "refused", reason: "not_found" } as const;
        if (!(await mayHandle(tx, alert, actor, false))) return { outcome: "refused", reason: "not_allowed" } as const;
        const now = clock.now();
        const result = acknowledgeState(stateOf(alert), now, escalationPolicySchema.parse(alert.policy));
        if (!result.ok) return { outcome: "refused", reason: result.reason } as const;
        const updated = await tx.alert.update({
          where: { id: alertId },
          data: {
            state: "acknowledged",
            acknowledgedAt: now,
            acknowledgedById: actorId,
            nextEscalationAt: null,
            retriggerAt: result.state.retriggerAt,
          },
        });
        await tx.alertEvent.create({ data: { alertId, kind: "acknowledged", actorId, at: now } });
        await refreshCopies(tx, alertId, `ack:${now.getTime()}`);
        return { outcome: "done", alert: updated } as const;
      });
    },

    async resolve(alertId: string, actorId: string, outcome: string): Promise<AlertActionResult> {
      return db.$transaction(async (tx) => {
        const alert = await loadAlert(tx, alertId);
        const actor = await tx.member.findUnique({ where: { id: actorId } });
        if (!alert || !actor) return { outcome: "refused", reason: "not_found" } as const;
        if (!(await mayHandle(tx, alert, actor, true))) return { outcome: "refused", reason: "not_allowed" } as const;
        const result = resolveState(stateOf(alert));
        if (!result.ok) return { outcome: "refused", reason: result.reason } as const;
        const now = clock.now();
        const updated = await tx.alert.update({
          where: { id: alertId },
          data: {
            state: "resolved",
            resolvedAt: now,
            resolvedById: actorId,
            outcome: deps.cipher.encrypt(outcome),
            openDedupKey: null,
            nextEscalationAt: null,
            retriggerAt: null,
          },
        });
        await tx.alertEvent.create({ data: { alertId, kind: "resolved", actorId, at: now } });
        await refreshCopies(tx, alertId, "resolved");
        return { outcome: "done", alert: updated } as const;
      });
    },

    /** Escalates open alerts whose timeout passed, and re-triggers acknowledged ones left unresolved. */
    async sweep(now: Date): Promise<void> {
      await db.$transaction(
        async (tx) => {
          const due = await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM "Alert"
            WHERE (state = 'open'::"AlertState" AND "nextEscalationAt" <= ${now})
               OR (state = 'acknowledged'::"AlertState" AND "retriggerAt" <= ${now})
            ORDER BY COALESCE("nextEscalationAt", "retriggerAt") LIMIT 200 FOR UPDATE SKIP LOCKED`;
          for (const { id } of due) {
            const alert = await loadAlert(tx, id);
            if (!alert) continue;
            const policy = escalationPolicySchema.parse(alert.policy);
            const step =
              alert.state === "acknowledged"
                ? retriggerDue(stateOf(alert), policy, alert.severity, now)
                : escalationDue(stateOf(alert), policy, alert.severity, now);
            if (step.kind === "wait") continue;
            await tx.alertEvent.create({
              data: { alertId: id, kind: alert.state === "acknowledged" ? "retriggered" : "escalated", at: now },
            });
            await carryOut(tx, alert, step);
          }
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    },

    /** A DM that failed for good moves the alert to the next level at once, if nobody else at its level got it. */
    deliveryListener: {
      async failed(row: Outbox, error: Error, final: boolean) {
        if (!final || !row.correlationKey?.startsWith("alert:") || row.kind !== "send") return;
        const [, alertId, level, loop, round] = row.idempotencyKey.split(":");
        if (!alertId || level === undefined || loop === undefined || round === undefined || Number.isNaN(Number(level))) return;
        await db.$transaction(async (tx) => {
          const now = clock.now();
          await tx.alertEvent.create({
            data: { alertId, kind: "delivery_failed", at: now, details: { outboxId: row.id, error: error.message.slice(0, 200) } },
          });
          const alert = await loadAlert(tx, alertId);
          if (!alert || alert.state !== "open" || alert.level !== Number(level) || alert.loop !== Number(loop)) return;
          if ((await roundOf(tx, alertId)) !== Number(round)) return;
          const siblings = await tx.outbox.findMany({
            where: { kind: "send", idempotencyKey: { startsWith: `alert:${alertId}:${level}:${loop}:${round}:` } },
          });
          if (siblings.some((s) => s.status !== "dead")) return;
          const policy = escalationPolicySchema.parse(alert.policy);
          const next = failover(stateOf(alert), policy, alert.severity, now, { level: Number(level), loop: Number(loop) });
          if (next.kind === "wait") return;
          await tx.alertEvent.create({ data: { alertId, kind: "escalated", at: now, details: { reason: "delivery_failed" } } });
          await carryOut(tx, alert, next);
        });
      },
    } satisfies DeliveryListener,

    /** The help button, /sos or crisis words: a critical alert that starts at the counsellor level. */
    async raiseSos(memberId: string, kind: "sos" | "crisis_words"): Promise<void> {
      await db.$transaction(async (tx) => {
        const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
        const now = clock.now();
        await recordSignal(
          tx,
          {
            houseId: member.houseId,
            memberId,
            kind,
            dedupKey: `${kind}:${memberId}:${now.getTime()}`,
            details: { via: kind === "sos" ? "command" : "dm" },
            occurredAt: now,
          },
          handleSignals,
        );
      });
    },

    /**
     * The resident's most recent note around the alert, for a counsellor of their house when the
     * house allows notes in alert DMs; the read is audited.
     */
    async noteFor(alertId: string, counsellorId: string): Promise<{ note: string; localDate: string } | "not_allowed" | "none"> {
      const alert = await loadAlert(db, alertId);
      const counsellor = await db.member.findUnique({ where: { id: counsellorId } });
      if (!alert || !counsellor || counsellor.houseId !== alert.houseId || counsellor.role === "resident") return "not_allowed";
      const settings = readHouseSettings(alert.subject.house.settings);
      if (!settings.notesInAlertDms || settings.regulatedMode) return "not_allowed";
      const checkin = await db.checkin.findFirst({
        where: {
          memberId: alert.subjectId,
          noteCipher: { not: null },
          localDate: { gte: addDays(localDateOf(alert.createdAt, alert.subject.timezone ?? alert.subject.house.timezone), -1) },
        },
        orderBy: { localDate: "desc" },
      });
      if (!checkin?.noteCipher) return "none";
      await recordAudit(db, {
        houseId: alert.houseId,
        actorId: counsellorId,
        action: "resident.note_read",
        subjectId: alert.subjectId,
        details: { checkinId: checkin.id },
        at: clock.now(),
      });
      return { note: deps.cipher.decrypt(checkin.noteCipher), localDate: checkin.localDate };
    },

    async openAlerts(houseId: string) {
      return db.alert.findMany({
        where: { houseId, state: { in: ["open", "acknowledged"] } },
        orderBy: { createdAt: "asc" },
        include: { subject: true },
      });
    },

    async alertMessageFor(alertId: string) {
      const alert = await loadAlert(db, alertId);
      if (!alert) return null;
      const settings = readHouseSettings(alert.subject.house.settings);
      return { alert, message: alertMessage(await view(db, alert), alert.subject.house.timezone, settings.regulatedMode) };
    },

    async setOnDuty(memberId: string, onDuty: boolean): Promise<void> {
      await db.member.update({ where: { id: memberId }, data: { onDuty } });
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
