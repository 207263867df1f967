"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { type AdminFilters, filterParams } from "@/app/_lib/admin-api";
import { jobStates } from "@/lib/jobs/states";

/** ISO instant ⇄ the local "YYYY-MM-DDTHH:mm" a datetime-local input shows. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

/**
 * The filters as a form whose answer is the URL: applying it navigates to
 * /admin/jobs?…, so a view can be shared, reloaded and gone back to.
 */
export function AdminFilterBar({
  filters,
  jobTypes,
}: {
  filters: AdminFilters;
  jobTypes: { type: string; title: string }[];
}) {
  const router = useRouter();

  function apply(form: HTMLFormElement) {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
    const next: AdminFilters = {
      q: text("q"),
      state: text("state"),
      type: text("type"),
      owner: text("owner"),
      from: fromLocalInput(String(data.get("from") ?? "")),
      to: fromLocalInput(String(data.get("to") ?? "")),
      sort: text("sort") as AdminFilters["sort"],
    };
    router.replace(`/admin/jobs?${filterParams(next)}`);
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(event.currentTarget);
  };
  // Choosing from a list applies at once; typed filters apply on Enter or the button.
  const applyOnChange = (event: { currentTarget: HTMLSelectElement }) => {
    if (event.currentTarget.form) apply(event.currentTarget.form);
  };

  return (
    <form className="filter-bar" onSubmit={onSubmit} aria-label="Filter jobs" key={JSON.stringify(filters)}>
      <div className="field grow">
        <label htmlFor="filter-q">Search input and errors</label>
        <input id="filter-q" name="q" type="search" defaultValue={filters.q} placeholder="e.g. timeout, report.csv" />
      </div>
      <div className="field">
        <label htmlFor="filter-state">State</label>
        <select id="filter-state" name="state" defaultValue={filters.state ?? ""} onChange={applyOnChange}>
          <option value="">Any</option>
          {jobStates.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-type">Type</label>
        <select id="filter-type" name="type" defaultValue={filters.type ?? ""} onChange={applyOnChange}>
          <option value="">Any</option>
          {jobTypes.map((jobType) => (
            <option key={jobType.type} value={jobType.type}>
              {jobType.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-owner">Owner</label>
        <input id="filter-owner" name="owner" type="text" defaultValue={filters.owner} placeholder="email" />
      </div>
      <div className="field">
        <label htmlFor="filter-from">Created from</label>
        <input id="filter-from" name="from" type="datetime-local" defaultValue={toLocalInput(filters.from)} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">to</label>
        <input id="filter-to" name="to" type="datetime-local" defaultValue={toLocalInput(filters.to)} />
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select id="filter-sort" name="sort" defaultValue={filters.sort ?? "created-desc"} onChange={applyOnChange}>
          <option value="created-desc">Newest first</option>
          <option value="created-asc">Oldest first</option>
          <option value="updated-desc">Recently changed</option>
        </select>
      </div>
      <div className="filter-buttons">
        <button className="button button-small" type="submit">
          Apply
        </button>
        <button
          className="button button-small button-quiet"
          type="button"
          onClick={() => router.replace("/admin/jobs")}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
