/**
 * Tells this process's outbox that an alert was queued, so it goes out now rather than at the
 * next tick. The signal comes from inside the queuing transaction, before it commits: listeners
 * must keep looking for a while rather than look once (see `OutboxDispatcher.expedite`).
 */
const listeners = new Set<() => void>();

export function onAlertQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceAlertQueued(): void {
  for (const listener of listeners) listener();
}
