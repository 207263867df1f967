import type { MinuteBucket } from "@/lib/admin/queries";

interface Series {
  name: string;
  color: string;
  value: (bucket: MinuteBucket) => number;
}

// The SVG stretches to the card's width (preserveAspectRatio none), so it
// holds only bars; the time labels are HTML below it and stay unstretched.
const WIDTH = 600;
const HEIGHT = 120;

const minuteLabel = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * Stacked bars, one per minute of the last hour. Plain SVG: two small charts
 * do not earn a charting library. Each bar has a title for hover and screen readers.
 */
export function MinuteChart({
  title,
  buckets,
  series,
  max,
  unit = "",
}: {
  title: string;
  buckets: MinuteBucket[];
  series: Series[];
  /** The top of the scale; by default the tallest bar. */
  max?: number;
  unit?: string;
}) {
  const totals = buckets.map((bucket) => series.reduce((sum, s) => sum + s.value(bucket), 0));
  const top = max ?? Math.max(1, ...totals);
  const slot = WIDTH / Math.max(1, buckets.length);
  const plotHeight = HEIGHT;
  const total = totals.reduce((sum, value) => sum + value, 0);
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
        <span className="chart-legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className="legend-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
          <span className="muted">
            scale 0–{Math.round(top)}
            {unit}
          </span>
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: ${buckets.length} minutes, ${series.map((s) => s.name).join(" and ")}`}
        data-total={total}
      >
        <line x1={0} y1={plotHeight} x2={WIDTH} y2={plotHeight} className="chart-axis" />
        {buckets.map((bucket, index) => {
          let y = plotHeight;
          return (
            <g key={bucket.minute}>
              <title>
                {minuteLabel(bucket.minute)}: {series.map((s) => `${s.value(bucket)}${unit} ${s.name}`).join(", ")}
              </title>
              {series.map((s) => {
                const height = (s.value(bucket) / top) * (plotHeight - 4);
                y -= height;
                return height > 0 ? (
                  <rect
                    key={s.name}
                    x={index * slot + 1}
                    y={y}
                    width={slot - 2}
                    height={height}
                    fill={s.color}
                    rx={1}
                  />
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      <div className="chart-labels" aria-hidden="true">
        {buckets
          .filter((_, index) => index % 15 === 0)
          .map((bucket) => (
            <span key={bucket.minute}>{minuteLabel(bucket.minute)}</span>
          ))}
        <span>now</span>
      </div>
    </figure>
  );
}
