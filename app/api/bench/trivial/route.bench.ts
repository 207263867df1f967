/**
 * The baseline `npm run bench` measures our routes against: the same
 * server, no database, no validation. A route only in the benchmark's own
 * build (ACCEPTED_BENCH_ROUTES=1 at build time: see next.config.ts); an
 * ordinary build has no such path.
 */
export async function POST(request: Request): Promise<Response> {
  await request.text();
  return Response.json(
    { accepted: true },
    { status: 202, headers: { Location: "/api/bench/trivial", "Retry-After": "1" } },
  );
}

export async function GET(): Promise<Response> {
  return Response.json(
    { state: "running", progress: 50 },
    { headers: { "Retry-After": "1", "Cache-Control": "no-store" } },
  );
}
