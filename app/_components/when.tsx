import { timeAgo } from "@/app/_lib/format";

/** A time as "3 minutes ago" (or "in 2 hours"), with the full time on hover; a dash for none. */
export function When({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {timeAgo(iso, now)}
    </time>
  );
}
