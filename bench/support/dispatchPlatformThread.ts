import { parentPort } from "node:worker_threads";
import { DiscordDouble } from "../../test/support/discordDouble/server.ts";
import { SlackDouble } from "../../test/support/slackDouble/slackDouble.ts";
import type { Arrival } from "./dispatchHouse.ts";
import type { PlatformRequest, PlatformResponse, PlatformSpec, PlatformTally } from "./dispatchPlatform.ts";

/**
 * The platform's side of the dispatch benchmark, on its own thread: the double answers on its
 * own core, as Discord or Slack would, instead of taking turns with the bot it measures.
 */

interface Running {
  apiUrl: string;
  token: string;
  tally(): PlatformTally;
  delivered(): number;
  close(): Promise<void>;
}

async function start(spec: PlatformSpec): Promise<Running> {
  if (spec.platform === "discord") {
    const double = await DiscordDouble.start({ guilds: [spec.guild] });
    double.limitGlobally(spec.perSecond);
    const posts = /^\/channels\/(\d+)\/messages$/;
    const arrivals = (): Arrival[] =>
      double.calls.flatMap((call) => {
        const channel = call.method === "POST" ? posts.exec(call.path)?.[1] : undefined;
        return channel ? [{ channelId: channel, status: call.status, at: call.at }] : [];
      });
    return {
      apiUrl: double.apiUrl,
      token: double.token,
      tally: () => ({
        arrivals: arrivals(),
        extraRequests: double.callsTo("POST /users/@me/channels").length,
        rateLimited: double.globalRateLimited,
      }),
      delivered: () => double.messages.size,
      close: () => double.close(),
    };
  }
  const double = await SlackDouble.start();
  double.teamId = spec.teamId;
  double.limitPosting(spec.limits);
  const arrivals = (): Arrival[] =>
    double.callsTo("chat.postMessage").map((call) => ({
      channelId: String(call.args.channel),
      status: call.result?.ok === true ? 200 : 429,
      at: call.at,
    }));
  return {
    apiUrl: double.apiUrl,
    token: "",
    tally: () => ({ arrivals: arrivals(), extraRequests: double.callsTo("conversations.open").length, rateLimited: double.rateLimited }),
    delivered: () => double.callsTo("chat.postMessage").filter((call) => call.result?.ok === true).length,
    close: () => double.close(),
  };
}

let running: Running | null = null;

async function answer(request: PlatformRequest): Promise<unknown> {
  switch (request.kind) {
    case "start":
      running = await start(request.spec);
      return { apiUrl: running.apiUrl, token: running.token };
    case "delivered":
      return running?.delivered() ?? 0;
    case "tally":
      return running?.tally();
    case "close":
      await running?.close();
      running = null;
      return null;
  }
}

parentPort?.on("message", (request: PlatformRequest) => {
  answer(request).then(
    (result) => parentPort?.postMessage({ id: request.id, ok: true, result } satisfies PlatformResponse),
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, error: String(error) } satisfies PlatformResponse),
  );
});
