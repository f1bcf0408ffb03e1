/**
 * The last-seen time window (`import_last_seen_time_window`): a related
 * domain, IP or sample is kept when its `last_seen` date is on or after
 * today minus the window, compared as dates (the boundary day is kept), as
 * the reference connector does.
 *
 * @module
 */

/** The first kept date (`YYYY-MM-DD`) for a window of `windowMs` ending `now`. */
export function windowStart(now: Date, windowMs: number): string {
  return new Date(now.getTime() - windowMs).toISOString().slice(0, 10);
}

/** True when `lastSeen` (`YYYY-MM-DD…`) is within the window (inclusive). */
export function withinWindow(lastSeen: string, start: string): boolean {
  return lastSeen.slice(0, 10) >= start;
}
