import { randomBytes } from "node:crypto";
import { type Context, type HouseView, idParts, type MemberView, mayRun, type Registry, type Reply, reply } from "./command.ts";
import { parseCommandText, usageLine } from "./commandText.ts";
import type { Actor, InboundEvent } from "./events.ts";
import { type Form, LIMITS, message, truncate } from "./message.ts";
import { describeOptions } from "./options.ts";
import type { Clock, Logger, Responder } from "./ports.ts";

/** The data the dispatcher needs, behind a port so core stays free of the database. */
export interface Directory {
  /**
   * Records the platform event id, and finds the house of the actor's workspace and their member
   * record (creating the record on first contact). Null when the event id was already handled (a
   * replay or retry).
   */
  admit(actor: Actor, eventId: string): Promise<{ house: HouseView | null; member: MemberView | null } | null>;
}

export interface DispatcherDeps<S> {
  registry: Registry<S>;
  directory: Directory;
  services: S;
  clock: Clock;
  logger: Logger;
  /** How many events may do database work at once; the rest wait their turn in arrival order. */
  concurrency?: number;
}

export interface Dispatcher {
  /** A form to open at once for this event, decided without touching the database. */
  formFor(event: InboundEvent): Form | null;
  dispatch(event: InboundEvent): Promise<Reply[]>;
  /** dispatch() and deliver the replies: the InboundHandler adapters call. */
  handle(event: InboundEvent, responder: Responder): Promise<void>;
}

const say = (text: string) => [reply(message(text, { ephemeral: true }))];

export function errorReference(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

/**
 * Events doing database work at once. Adapters acknowledge before handing an event over, so a
 * burst of presses is accepted at once and queues here: unbounded, thousands of transactions would
 * wait on the database together (past its wait for a connection, failing answers that were already
 * acknowledged) and every acknowledgement would queue behind their callbacks on the event loop.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Runs at most `limit` tasks at once, the rest first come, first served. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * One person's events in the order they arrived, each with its replies, before the next starts:
 * two quick presses on one check-in must be stored, and the message edited, in the order pressed.
 * Different people never wait for each other here.
 */
export function createLanes(): (key: string, task: () => Promise<void>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return (key, task) => {
    const previous = tails.get(key);
    const run = previous ? previous.then(task) : task();
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

export function createDispatcher<S>(deps: DispatcherDeps<S>): Dispatcher {
  const { registry, directory, logger } = deps;
  const limited = createLimiter(deps.concurrency ?? DEFAULT_CONCURRENCY);
  const lanes = createLanes();

  function findAction(actionId: string) {
    const prefix = idParts(actionId)[0];
    return registry.actions.find((a) => a.prefix === prefix);
  }

  function formFor(event: InboundEvent): Form | null {
    if (event.kind !== "action" || event.actor.isBot) return null;
    const action = findAction(event.actionId);
    return action?.formFor?.(idParts(event.actionId)) ?? null;
  }

  async function route(event: InboundEvent, house: HouseView | null, member: MemberView | null): Promise<Reply[]> {
    const base = { actor: event.actor, house, member, services: deps.services, clock: deps.clock, logger };
    const discharged = member?.status === "discharged";
    switch (event.kind) {
      case "command": {
        const command = registry.commands.find((c) => c.name === event.command);
        if (!command) return say(`I don't know /${event.command}. Type /help to see what you can do.`);
        if (!house && command.needsHouse !== false) {
          return say("This server isn't set up yet. Someone who runs it can type /setup to start.");
        }
        if (!mayRun(command.access, member) || (discharged && command.access !== "anyone" && !command.openToDischarged)) {
          return say(`/${command.name} is for ${describeAccess(command.access)}. Type /help to see what you can use.`);
        }
        const options = describeOptions(command.options);
        const raw = "text" in event.input ? parseCommandText(event.input.text, options) : event.input.options;
        const extra = (raw as Record<string, unknown>)._extra;
        if (typeof extra === "string") {
          return say(`I didn't understand "${extra.slice(0, 60)}". Usage: ${usageLine(command.name, options)}`);
        }
        const parsed = command.options.safeParse(raw);
        if (!parsed.success) {
          const problems = parsed.error.issues
            .map((issue) => `${issue.path.join(".") || "input"} ${issue.message}`)
            .slice(0, 3)
            .join("; ");
          return say(`That didn't work: ${problems}.\nUsage: ${usageLine(command.name, options)}`);
        }
        return command.run({ ...base, event }, parsed.data);
      }
      case "action": {
        const action = findAction(event.actionId);
        if (!action) return say("That button has expired. Type /help to see what you can do.");
        if (!mayRun(action.access, member) || (discharged && !action.openToDischarged)) return say("That button isn't for you.");
        return action.run({ ...base, event }, idParts(event.actionId));
      }
      case "formSubmit": {
        const parts = idParts(event.formId);
        const form = registry.forms.find((f) => f.prefix === parts[0]);
        if (!form) return say("That form has expired. Please start again.");
        if (!mayRun(form.access, member) || discharged) return say("That form isn't for you.");
        return form.run({ ...base, event }, parts, event.values);
      }
      case "directText": {
        const ctx: Context<S, typeof event> = { ...base, event };
        for (const handler of registry.directText) {
          const replies = await handler.run(ctx);
          if (replies) return replies;
        }
        return say("I'm the house check-in bot. Type /help to see what I can do.");
      }
    }
  }

  async function dispatch(raw: InboundEvent): Promise<Reply[]> {
    const event = withoutNul(raw);
    if (event.actor.isBot) return [];
    return limited(async () => {
      // A turn of the event loop before each event's database work. On the embedded database a
      // query resolves without real I/O, so queued events would run back to back as one long
      // chain of promise callbacks, and the platform's next events (whose acknowledgements are
      // due within 3 seconds) would not even be read until the whole queue had drained.
      await new Promise((resolve) => setImmediate(resolve));
      return dispatchNow(event);
    });
  }

  async function dispatchNow(event: InboundEvent): Promise<Reply[]> {
    try {
      const admitted = await directory.admit(event.actor, event.eventId);
      if (!admitted) {
        logger.info({ platform: event.actor.platform, eventId: event.eventId }, "duplicate inbound event ignored");
        return [];
      }
      return withinLimits(await route(event, admitted.house, admitted.member));
    } catch (error) {
      const ref = errorReference();
      // Only the error and ids: the event may hold resident text, which is never logged.
      logger.error({ err: error, ref, kind: event.kind, eventId: event.eventId }, "inbound event failed");
      return say(
        `Sorry, something went wrong on my side. Please try again in a minute; if it keeps happening, tell a counsellor and mention reference ${ref}.`,
      );
    }
  }

  async function handle(event: InboundEvent, responder: Responder): Promise<void> {
    const form = formFor(event);
    if (form) {
      await responder.openForm(form);
      return;
    }
    const { platform, workspaceId, userId } = event.actor;
    // Only the database work is limited: replies wait on the platform, and must not hold a slot.
    await lanes(`${platform}:${workspaceId}:${userId}`, async () => {
      const replies = await dispatch(event);
      for (const item of replies) {
        if (item.kind === "reply") await responder.reply(item.message);
        else if (item.kind === "update") await responder.update(item.message);
        else await responder.openForm(item.form);
      }
    });
  }

  return { formFor, dispatch, handle };
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in an event (a forged button id, a pasted
 * DM) failed the first query that used it and the person got "something went wrong". It never
 * means anything: it is dropped on the way in.
 */
function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replaceAll("\u0000", ""), withoutNul(inner)])) as T;
  }
  return value;
}

/**
 * A reply that echoes what someone typed can grow with it (a pasted DM repeating "craving 11" is
 * answered once per repeat). Past the neutral limit it is cut, visibly, rather than handed to an
 * adapter that would split it into a flood of messages or have the platform reject it.
 */
function withinLimits(replies: Reply[]): Reply[] {
  return replies.map((item) =>
    item.kind !== "form" && item.message.text.length > LIMITS.textLength
      ? { ...item, message: { ...item.message, text: truncate(item.message.text, LIMITS.textLength) } }
      : item,
  );
}

function describeAccess(access: Exclude<Parameters<typeof mayRun>[0], "anyone"> | "anyone"): string {
  if (access === "anyone") return "everyone";
  if (access.length === 1 && access[0] === "admin") return "house admins";
  if (!access.includes("resident")) return "counsellors";
  return "house members";
}
