import { BatchList } from "@/app/_components/batch-list";
import { JobList } from "@/app/_components/job-list";
import { StartJobForm } from "@/app/_components/start-job-form";
import { describeJobTypes } from "@/lib/jobs/registry";

export default function DashboardPage() {
  return (
    <>
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">Start long operations and watch them run. You can leave this page; they keep going.</p>
      </div>
      <div className="dashboard">
        <StartJobForm jobTypes={describeJobTypes()} />
        <div className="dashboard-lists">
          <BatchList />
          <JobList />
        </div>
      </div>
    </>
  );
}
