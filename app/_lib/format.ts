const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

function wholeUnits(seconds: number): [number, Intl.RelativeTimeFormatUnit] {
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return [Math.round(seconds / size), unit];
  }
  return [seconds, "second"];
}

/** "3 minutes ago", "now". */
export function timeAgo(iso: string, now: number): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Math.abs(seconds) < 5) return "just now";
  const [value, unit] = wholeUnits(seconds);
  return relative.format(value, unit);
}

/** "About 40 seconds left", from the server's estimated completion. */
export function etaInWords(iso: string | null, now: number): string | null {
  if (!iso) return null;
  const seconds = (Date.parse(iso) - now) / 1000;
  if (seconds < 5) return "Almost done";
  const [value, unit] = wholeUnits(seconds);
  return `About ${value} ${unit}${value === 1 ? "" : "s"} left`;
}

/** "1.2 s", "3 min 5 s". */
export function duration(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export const shortId = (id: string) => id.slice(0, 8);

/** The browser's own IANA time zone ("Europe/Paris"). */
export const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A time in the reader's zone and locale, with its day: "Thu, Dec 3, 09:00"
 * (with `seconds`, "09:00:30"). `timeZone` shows it in another zone instead.
 */
export function localTime(iso: string, { seconds = false, timeZone }: { seconds?: boolean; timeZone?: string } = {}) {
  const key = `${seconds}|${timeZone ?? ""}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      ...(seconds ? { second: "2-digit" } : {}),
      hourCycle: "h23",
      timeZone,
    });
    dateTimeFormats.set(key, format);
  }
  return format.format(new Date(iso));
}
