import { problemResponse, problems } from "@/lib/http/problem";

// Unknown API paths answer problem details, not the HTML 404 page.
const notFound = async () => problemResponse(problems.notFound("There is no such API resource.").problem);

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
