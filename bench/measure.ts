import { readFile } from "node:fs/promises";

/** One line of the benchmark's report. */
export interface Row {
  scenario: string;
  measure: string;
  ours: string;
  baseline?: string;
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export const fmt = (value: number, unit: string) => `${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`;

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** A process's resident memory, in KB. */
export async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? Number.NaN);
}

/** CPU seconds (user + system) a process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th of them, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
