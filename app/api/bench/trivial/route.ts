import { problemResponse, problems } from "@/lib/http/problem";

/**
 * The baseline `npm run bench` measures our routes against: the same
 * server, no database, no validation. It exists only when the benchmark
 * starts the server with ACCEPTED_BENCH_ROUTES=1.
 */
const enabled = () => process.env.ACCEPTED_BENCH_ROUTES === "1";
const notFound = () => problemResponse(problems.notFound("There is no such API resource.").problem);

export async function POST(request: Request): Promise<Response> {
  if (!enabled()) return notFound();
  await request.text();
  return Response.json(
    { accepted: true },
    { status: 202, headers: { Location: "/api/bench/trivial", "Retry-After": "1" } },
  );
}

export async function GET(): Promise<Response> {
  if (!enabled()) return notFound();
  return Response.json(
    { state: "running", progress: 50 },
    { headers: { "Retry-After": "1", "Cache-Control": "no-store" } },
  );
}
