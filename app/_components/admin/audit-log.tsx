"use client";

import Link from "next/link";
import { useAudit } from "@/app/_lib/admin-api";
import { shortId } from "@/app/_lib/format";

const SHOWN_JOBS = 5;

/** The latest admin actions: who, what, when, on which jobs. */
export function AuditLog() {
  const audit = useAudit();
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      {audit.isPending ? (
        <p className="muted">Loading…</p>
      ) : audit.isError ? (
        <p className="form-error" role="alert">
          {audit.error.message}
        </p>
      ) : audit.data.length === 0 ? (
        <p className="muted">No admin actions yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Jobs</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((entry) => (
              <tr key={entry.id} data-testid="audit-row">
                <td>{new Date(entry.at).toLocaleString()}</td>
                <td>{entry.actorEmail}</td>
                <td>
                  <code>{entry.action}</code>
                  {typeof entry.detail.bulkJobId === "string" ? (
                    <>
                      {" "}
                      (<Link href={`/admin/jobs/${entry.detail.bulkJobId}`}>bulk job</Link>)
                    </>
                  ) : null}
                </td>
                <td>
                  {entry.jobIds.slice(0, SHOWN_JOBS).map((id) => (
                    <Link key={id} className="job-chip" href={`/admin/jobs/${id}`}>
                      {shortId(id)}
                    </Link>
                  ))}
                  {entry.jobIds.length > SHOWN_JOBS ? (
                    <span className="muted small"> and {entry.jobIds.length - SHOWN_JOBS} more</span>
                  ) : null}
                  {entry.jobIds.length === 0 ? <span className="muted small">none</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
