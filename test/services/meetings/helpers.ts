import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message } from "../../../src/core/message.ts";
import { addDays, checkinInstantOn, localDateOf } from "../../../src/domain/checkin/schedule.ts";
import { readHouseSettings } from "../../../src/domain/houseSettings.ts";
import { nextOccurrences } from "../../../src/domain/meetings/index.ts";
import { DAILY_POST_TIME } from "../../../src/services/meetings/sweep.ts";
import type { TestApp } from "../../support/testApp.ts";

export const fixturePath = (name: string) => new URL(`../../fixtures/meetings/${name}`, import.meta.url).pathname;
export const fixtureText = (name: string) => readFileSync(fixturePath(name), "utf8");

export interface Timed {
  at: string;
  kind: "direct" | "channel" | "update";
  to: string;
  message: Message;
}

/**
 * The instants the meetings sweep acts on after `now`: each active meeting's next reminder
 * instant and next end, and each house's daily post time. simulate.ts's runUntil does not know
 * them, so meeting stories step the clock here, together with the outbox and check-in instants.
 */
async function nextMeetingInstant(t: TestApp): Promise<number | null> {
  const now = t.clock.now();
  const db = t.database.prisma;
  const meetings = await db.meeting.findMany({ where: { active: true }, include: { house: true } });
  const candidates: number[] = [];
  for (const meeting of meetings) {
    const lead = readHouseSettings(meeting.house.settings).meetingReminderMinutes * 60_000;
    for (const o of nextOccurrences(meeting, new Date(now.getTime() - 86_400_000), 8)) {
      for (const at of [o.startsAt.getTime() - lead, o.endsAt.getTime()]) if (at > now.getTime()) candidates.push(at);
    }
  }
  for (const house of await db.house.findMany({ where: { houseChannelId: { not: null } } })) {
    if (!readHouseSettings(house.settings).dailyMeetingsPost) continue;
    const today = localDateOf(now, house.timezone);
    for (const day of [today, addDays(today, 1)]) {
      const at = checkinInstantOn(day, DAILY_POST_TIME, house.timezone).getTime();
      if (at > now.getTime()) candidates.push(at);
    }
  }
  const [outbox, member] = await Promise.all([
    db.outbox.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
    db.member.findFirst({ where: { nextCheckinAt: { not: null } }, orderBy: { nextCheckinAt: "asc" }, select: { nextCheckinAt: true } }),
  ]);
  for (const d of [outbox?.nextAttemptAt, member?.nextCheckinAt]) if (d && d.getTime() > now.getTime()) candidates.push(d.getTime());
  return candidates.length ? Math.min(...candidates) : null;
}

/** Steps the fake clock through every meeting, outbox and check-in instant up to `end`, recording when each delivery happened. */
export async function runMeetingsUntil(t: TestApp, end: string, log: Timed[] = []): Promise<Timed[]> {
  const stop = new Date(end).getTime();
  const record = (from: number) => {
    for (const d of t.chat.delivered.slice(from)) log.push({ at: t.clock.now().toISOString(), kind: d.kind, to: d.to, message: d.message });
  };
  for (;;) {
    const before = t.chat.delivered.length;
    await t.tick();
    record(before);
    const next = await nextMeetingInstant(t);
    if (next === null || next > stop) break;
    // The scheduler ticks on whole minutes.
    t.clock.set(new Date(Math.max(Math.ceil(next / 60_000) * 60_000, t.clock.now().getTime() + 60_000)));
  }
  t.clock.set(new Date(stop));
  const before = t.chat.delivered.length;
  await t.tick();
  record(before);
  return log;
}

/** A feed server on 127.0.0.1: fixed bodies by path, a slow path that never answers in time, a very large one. */
export async function startFeedServer(routes: Record<string, { body: string; type?: string; status?: number }>) {
  const responses = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    responses.add(response);
    response.on("close", () => responses.delete(response));
    const path = request.url ?? "/";
    if (path === "/slow") return; // Holds the request open: the import's time limit must end it.
    if (path === "/huge") {
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = `${" ".repeat(64 * 1024)}`;
      response.write("[");
      for (let i = 0; i < 64; i++) response.write(chunk);
      response.end("]");
      return;
    }
    const route = routes[path];
    if (!route) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(route.status ?? 200, { "content-type": route.type ?? "application/json" }).end(route.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    async close() {
      for (const response of responses) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
