import { NewSchedule } from "@/app/_components/schedules/new-schedule";
import { ScheduleList } from "@/app/_components/schedules/schedule-list";
import { describeJobTypes } from "@/lib/jobs/registry";

export default function SchedulesPage() {
  return (
    <>
      <div className="page-head">
        <h1>Schedules</h1>
        <p className="muted">
          Run a job again and again, at the times a cron expression names in your time zone. Each firing makes one
          ordinary job, listed under its schedule and on your dashboard.
        </p>
      </div>
      <div className="dashboard">
        <NewSchedule jobTypes={describeJobTypes()} />
        <ScheduleList />
      </div>
    </>
  );
}
