import { AdminJobTable } from "@/app/_components/admin/admin-job-table";
import type { AdminFilters } from "@/app/_lib/admin-api";
import { adminSorts } from "@/lib/jobs/filters";
import { jobTypes } from "@/lib/jobs/registry";

const FILTER_NAMES = ["state", "type", "owner", "from", "to", "q"] as const;

/** The filters live in the URL, so a filtered view can be shared and reloaded. */
export default async function AdminJobsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const filters: AdminFilters = {};
  for (const name of FILTER_NAMES) {
    const value = params[name];
    if (typeof value === "string" && value) filters[name] = value;
  }
  const sort = adminSorts.find((known) => known === params.sort);
  if (sort) filters.sort = sort;
  return (
    <AdminJobTable
      filters={filters}
      jobTypes={jobTypes.map((jobType) => ({ type: jobType.type, title: jobType.title }))}
    />
  );
}
