/** RFC 9457 problem details, as Accepted answers every error. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [member: string]: unknown;
}

/**
 * An error answer from Accepted (or a job that failed), typed: its status,
 * problem type, title, detail, and every extra member the problem carries
 * (`jobId`, `state`, `errors`, `cap`…) in `members`.
 */
export class AcceptedProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly members: Record<string, unknown>;

  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = "AcceptedProblem";
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    const { type: _type, title: _title, status: _status, detail: _detail, ...members } = problem;
    this.members = members;
  }
}

/** The problem an error response carries (or one made from its status when it carries none). */
export async function problemOf(response: Response): Promise<AcceptedProblem> {
  const body = (await response.json().catch(() => null)) as Partial<ProblemDetails> | null;
  if (body && typeof body.title === "string" && typeof body.status === "number") {
    return new AcceptedProblem(body as ProblemDetails);
  }
  return new AcceptedProblem({ type: "about:blank", title: response.statusText || "Error", status: response.status });
}
