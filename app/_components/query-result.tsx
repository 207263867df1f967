import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

/** A list read with React Query, as the pages show it: loading, its error, an empty line, or the items. */
export function QueryResult<T>({
  query,
  empty,
  children,
}: {
  query: UseQueryResult<T[]>;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError) {
    return (
      <p className="form-error" role="alert">
        {query.error.message}
      </p>
    );
  }
  if (query.data.length === 0) return <p className="muted">{empty}</p>;
  return children(query.data);
}
