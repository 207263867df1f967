import { Cron } from "croner";
import { config } from "@/lib/config";
import { InvalidInput } from "@/lib/errors";

/**
 * Cron expressions and time zones, read by croner (no dependencies of its
 * own, time zones through Intl). Five fields (minute to weekday), or six
 * with seconds first; names (MON, JAN), steps, ranges, L, W and # as croner
 * reads them. Firings are computed in the schedule's IANA time zone:
 *
 * - a time that does not exist on a spring-forward day (02:30 in New York)
 *   fires once, when the clock jumps (03:00);
 * - a time that happens twice on a fall-back day (01:30) fires once, the
 *   first time.
 */

/** The time zone's canonical IANA name ("utc" → "UTC"), or null: an offset ("+01:00") or an unknown name is not one. */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The pattern as croner reads it, or why it cannot. */
export function cronPattern(cron: string, timezone: string): { pattern: Cron } | { problem: string } {
  try {
    // Day of month and weekday both given: either matches, as in Vixie cron (croner's default).
    return { pattern: new Cron(cron, { timezone, paused: true }) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error) };
  }
}

/** The next `count` firings strictly after `after` (fewer when the expression runs out, as a year field can). */
export function nextFirings(cron: string, timezone: string, after: Date, count: number): Date[] {
  const parsed = cronPattern(cron, timezone);
  if ("problem" in parsed) throw new Error(`not a valid schedule: ${parsed.problem}`);
  return parsed.pattern.nextRuns(count, after);
}

/** The first firing strictly after `after`, or null if there is none. */
export const nextFiring = (cron: string, timezone: string, after: Date): Date | null =>
  nextFirings(cron, timezone, after, 1)[0] ?? null;

// How many coming firings are measured for the shortest interval: enough to see a cron's pattern within a day.
const INTERVAL_SAMPLE = 50;

/**
 * A schedule's timing as given: a cron expression croner reads, that fires
 * at least once more and never more often than SCHEDULE_MIN_INTERVAL_SECONDS
 * (over its next firings), in an IANA time zone. Returns the zone's
 * canonical name; anything else is an InvalidInput naming the field.
 */
export function checkTiming(cron: string, timezone: string): { cron: string; timezone: string } {
  const zone = canonicalTimeZone(timezone);
  if (!zone) {
    throw new InvalidInput("The time zone is not one this server knows.", [
      { path: ["timezone"], message: 'An IANA time zone name, such as "Europe/Paris" or "UTC"; not an offset.' },
    ]);
  }
  const parsed = cronPattern(cron, zone);
  if ("problem" in parsed) {
    throw new InvalidInput("The cron expression cannot be read.", [{ path: ["cron"], message: parsed.problem }]);
  }
  const coming = parsed.pattern.nextRuns(INTERVAL_SAMPLE, new Date());
  if (coming.length === 0) {
    throw new InvalidInput("The cron expression never fires.", [
      { path: ["cron"], message: "No time matches it from now on (a 30th of February, a year past)." },
    ]);
  }
  const { SCHEDULE_MIN_INTERVAL_SECONDS: minimumS } = config();
  const shortestMs = Math.min(...coming.slice(1).map((at, index) => at.getTime() - (coming[index] as Date).getTime()));
  if (shortestMs < minimumS * 1000) {
    throw new InvalidInput("The cron expression fires too often.", [
      {
        path: ["cron"],
        message: `Firings must be at least ${minimumS} s apart; this one fires every ${shortestMs / 1000} s.`,
      },
    ]);
  }
  return { cron: cron.trim(), timezone: zone };
}
