import { AdminJobExtras } from "@/app/_components/admin/admin-job-extras";
import { JobDetail } from "@/app/_components/job-detail";
import { config } from "@/lib/config";

export default async function AdminJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <JobDetail id={id} back={{ href: "/admin/jobs", label: "All jobs" }} showLiveIndicator={false} ownersView={false}>
      <AdminJobExtras id={id} traceViewerUrl={config().TRACE_VIEWER_URL} />
    </JobDetail>
  );
}
