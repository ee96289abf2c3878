import type { BenchDatabaseKind } from "../harness.ts";
import type { DayCounts } from "./memoryChat.ts";

/** The line a memory-day process prints its result on. */
export const MEMORY_DAY_PREFIX = "MEMORY_DAY ";

export interface MemoryDayResult {
  kind: BenchDatabaseKind;
  residents: number;
  houses: number;
  minutes: number;
  daySeconds: number;
  /** Seconds of the day each sweeper took, by name. */
  sweepSeconds: Record<string, number>;
  /** Seconds of the day spent sweeping, and delivering with people answering, the two steps of every minute. */
  stepSeconds: { sweeps: number; deliveriesAndAnswers: number };
  rssAtStartMb: number;
  rssBeforeDayMb: number;
  /** After the day and two full collections, the bot still running: what it holds on to. */
  rssAfterDayMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** The resident set's anonymous (allocated) and file-backed (mapped code) parts, where the system says. */
  anonMb: number;
  fileMb: number;
  /** Whether the chart thread had ended by itself when memory was read, and how long the day waited for it. */
  chartThreadEnded: boolean;
  chartThreadWaitSeconds: number;
  externalMb: number;
  arrayBuffersMb: number;
  counts: DayCounts & {
    promptedCheckins: number;
    answeredCheckins: number;
    promptRowsSent: number;
    /** Outbox rows neither sent nor cancelled when the day ended. */
    undelivered: number;
    alerts: number;
    missed: number;
  };
}
