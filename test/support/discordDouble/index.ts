export * from "./payloads.ts";
export * from "./server.ts";
