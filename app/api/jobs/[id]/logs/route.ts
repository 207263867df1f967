import { jobLogPage } from "@/lib/http/job-logs";
import { apiRoute } from "@/lib/http/route";

/** The job's own log (lib/http/job-logs.ts). */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(jobLogPage);
