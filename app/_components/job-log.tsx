"use client";

import type { JobLogLine } from "@accepted/client";
import { useJobLogs } from "@accepted/client/react";
import { useLayoutEffect, useRef, useState } from "react";

type Level = JobLogLine["level"];
const LEVELS: Level[] = ["debug", "info", "warn", "error"];

/** A line as the downloaded text has it. */
const asText = (line: JobLogLine) =>
  `${line.at} ${line.level.toUpperCase().padEnd(5)} [attempt ${line.attempt}] ${line.message}${
    line.fields ? ` ${JSON.stringify(line.fields)}` : ""
  }`;

/**
 * The job's own log, live: what its handler logged, attempt by attempt,
 * with level badges. It follows the newest line unless the reader has
 * scrolled up to read an older one; it can be narrowed to an attempt or a
 * level, and downloaded as text.
 */
export function JobLog({ jobId, attempts }: { jobId: string; attempts: number }) {
  const [attempt, setAttempt] = useState<number | undefined>(undefined);
  const [level, setLevel] = useState<Level | undefined>(undefined);
  const { lines, loading, error } = useJobLogs(jobId, { attempt, level });
  const box = useRef<HTMLDivElement>(null);
  // Whether the reader is at the bottom: then new lines scroll into view.
  const atTail = useRef(true);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && atTail.current && lines.length > 0) element.scrollTop = element.scrollHeight;
  }, [lines]);

  const download = () => {
    const blob = new Blob([`${lines.map(asText).join("\n")}\n`], { type: "text/plain;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `job-${jobId}-log.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
  };

  return (
    <section className="card" aria-labelledby="job-log-heading">
      <div className="section-head">
        <h2 id="job-log-heading">Log</h2>
        <div className="log-controls">
          <label>
            Attempt{" "}
            <select
              value={attempt ?? ""}
              onChange={(event) => setAttempt(event.target.value === "" ? undefined : Number(event.target.value))}
            >
              <option value="">All</option>
              {Array.from({ length: Math.max(attempts, 1) }, (_, index) => index + 1).map((number) => (
                <option key={number} value={number}>
                  {number}
                </option>
              ))}
            </select>
          </label>
          <label>
            Level{" "}
            <select
              value={level ?? ""}
              onChange={(event) => setLevel(event.target.value === "" ? undefined : (event.target.value as Level))}
            >
              <option value="">All</option>
              {LEVELS.slice(1).map((name) => (
                <option key={name} value={name}>
                  {name} and up
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-small" onClick={download} disabled={lines.length === 0}>
            Download
          </button>
        </div>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          The log could not be read: {error.message}
        </p>
      ) : null}
      <div
        ref={box}
        className="job-log"
        role="log"
        aria-label="Job log"
        // A scrollable region a keyboard can reach.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: see above.
        tabIndex={0}
        data-testid="job-log"
        onScroll={(event) => {
          const element = event.currentTarget;
          atTail.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 8;
        }}
      >
        {lines.length === 0 ? (
          <p className="muted small">{loading ? "Nothing logged yet." : "Nothing was logged."}</p>
        ) : (
          lines.map((line) => (
            <div key={line.id} className="log-line" data-level={line.level} data-testid="log-line">
              <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time>
              <span className="log-level" data-level={line.level}>
                {line.level}
              </span>
              <span className="log-attempt" title={`attempt ${line.attempt}`}>
                #{line.attempt}
              </span>
              <span className="log-message">{line.message}</span>
              {line.fields ? <code className="log-fields">{JSON.stringify(line.fields)}</code> : null}
            </div>
          ))
        )}
      </div>
    </section>
  );
}
