"use client";

import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { adminKeys, changeJobType, setJobCap } from "@/app/_lib/admin-api";
import type { Overview } from "@/lib/admin/queries";

type TypeRow = Overview["types"][number];
type OwnerRow = Overview["owners"][number];

/** A number typed in a form: a whole number, or null for an empty field. */
function wholeNumberOrNull(value: FormDataEntryValue | null): number | null {
  const text = typeof value === "string" ? value.trim() : "";
  return text === "" ? null : Number(text);
}

function useRefreshOverview() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: adminKeys.overview() });
}

function TypeControlRow({ row }: { row: TypeRow }) {
  const client = useAcceptedClient();
  const refresh = useRefreshOverview();
  const change = useMutation({
    mutationFn: (body: { paused?: boolean; concurrencyLimit?: number | null }) => changeJobType(client, row.type, body),
    onSuccess: refresh,
  });
  const [limit, setLimit] = useState(row.concurrencyLimit?.toString() ?? "");
  const limitId = `limit-${row.type}`;
  function saveLimit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ concurrencyLimit: wholeNumberOrNull(new FormData(event.currentTarget).get("limit")) });
  }
  return (
    <tr data-testid="type-row" data-type={row.type} data-paused={row.paused}>
      <td>
        {row.title} <span className="muted small">{row.type}</span>
      </td>
      <td>{row.queued}</td>
      <td>{row.running}</td>
      <td>
        <form className="cell-form" onSubmit={saveLimit}>
          <label className="visually-hidden" htmlFor={limitId}>
            Concurrency limit of {row.title}
          </label>
          <input
            id={limitId}
            name="limit"
            type="number"
            min={1}
            max={1000}
            step={1}
            placeholder="none"
            value={limit}
            onChange={(event) => setLimit(event.target.value)}
          />
          <button className="button button-small button-quiet" type="submit" disabled={change.isPending}>
            Set
          </button>
        </form>
      </td>
      <td>
        {row.paused ? (
          <span className="badge" data-state="paused">
            Paused
          </span>
        ) : (
          <span className="muted small">Active</span>
        )}
      </td>
      <td>
        <button
          className={row.paused ? "button button-small" : "button button-small button-quiet"}
          type="button"
          aria-label={row.paused ? `Resume ${row.title}` : `Pause ${row.title}`}
          disabled={change.isPending}
          onClick={() => change.mutate({ paused: !row.paused })}
        >
          {row.paused ? "Resume" : "Pause"}
        </button>
        {change.error ? (
          <p className="form-error" role="alert">
            {change.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

/** Each job type's queue, with pause/resume and its concurrency limit. */
export function TypeControls({ types }: { types: TypeRow[] }) {
  return (
    <section className="card" aria-labelledby="types-heading">
      <h2 id="types-heading">Job types</h2>
      <p className="muted small">
        A paused type still accepts jobs; they wait until it is resumed. A limit caps how many of its jobs run at once
        across all workers (empty: no limit).
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Type</th>
            <th>Queued</th>
            <th>Running</th>
            <th>Limit</th>
            <th>State</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {types.map((row) => (
            <TypeControlRow key={row.type} row={row} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function OwnerCapRow({ row }: { row: OwnerRow }) {
  const client = useAcceptedClient();
  const refresh = useRefreshOverview();
  const change = useMutation({
    mutationFn: (cap: number | null) => setJobCap(client, row.userId, cap),
    onSuccess: refresh,
  });
  const capId = `cap-${row.userId}`;
  const who = row.email ?? row.userId;
  return (
    <tr data-testid="owner-row" data-owner={who}>
      <td>{who}</td>
      <td>{row.unfinished.toLocaleString("en")}</td>
      <td>
        <form
          className="cell-form"
          onSubmit={(event) => {
            event.preventDefault();
            change.mutate(wholeNumberOrNull(new FormData(event.currentTarget).get("cap")));
          }}
        >
          <label className="visually-hidden" htmlFor={capId}>
            Cap on unfinished jobs of {who}
          </label>
          <input
            id={capId}
            name="cap"
            type="number"
            min={0}
            step={1}
            placeholder={`${row.cap} (default)`}
            defaultValue={row.customCap ? row.cap : undefined}
          />
          <button className="button button-small button-quiet" type="submit" disabled={change.isPending}>
            Set cap
          </button>
        </form>
        {change.error ? (
          <p className="form-error" role="alert">
            {change.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

/** The users with the most unfinished jobs, and their caps. */
export function OwnerCaps({ owners }: { owners: OwnerRow[] }) {
  return (
    <section className="card" aria-labelledby="owners-heading">
      <h2 id="owners-heading">Users by unfinished jobs</h2>
      {owners.length === 0 ? (
        <p className="muted">Nobody has unfinished jobs.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>User</th>
              <th>Unfinished</th>
              <th>Cap (empty: the default)</th>
            </tr>
          </thead>
          <tbody>
            {owners.map((row) => (
              <OwnerCapRow key={row.userId} row={row} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
