import { stringify } from "csv-stringify/sync";

// A spreadsheet reads a cell starting with one of these as a formula (or,
// after a tab or carriage return, may): =HYPERLINK(…) in a report would be
// live. OWASP's advice: prefix such a cell with a single quote.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text no spreadsheet runs: formula-like text gets a leading "'". */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rows as CSV, every text cell neutralized: every CSV the app writes goes through here. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows as unknown[][], { cast: { string: neutralizeCell } });
}
