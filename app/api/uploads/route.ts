import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { InvalidInput } from "@/lib/errors";
import { account } from "@/lib/http/api";
import { readMultipartBody } from "@/lib/http/body";
import { problems } from "@/lib/http/problem";
import { apiRoute, handle } from "@/lib/http/route";
import { takeRateLimit } from "@/lib/rate-limits";
import { isStorableText } from "@/lib/storable-text";
import { checkRecipientsCsv, MAX_CSV_BYTES } from "@/lib/uploads/csv-reader";
import { claimUploadSlot } from "@/lib/uploads/in-flight";
import { storeUpload } from "@/lib/uploads/store";

// The multipart envelope around the file needs a little room of its own.
const MAX_BODY_BYTES = MAX_CSV_BYTES + 16 * 1024;

/**
 * Uploads a CSV of recipients (multipart/form-data, field "file", at most
 * 1 MiB) for a job to read. Its content is checked now, so a bad file is a
 * 4xx here rather than a failed job later: 201 with the id a job's input
 * names. A user's uploads in progress at once and per minute are limited
 * (429, both before the body is read), and so are the bytes theirs may take
 * (413, counted as the file is stored): see the README's configuration.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(account.createUpload, async ({ request, caller }) => {
    const { UPLOADS_PER_MINUTE, UPLOAD_QUOTA_BYTES } = config();
    const release = claimUploadSlot(caller.id);
    try {
      await takeRateLimit(getDb(), { name: "upload", max: UPLOADS_PER_MINUTE, windowSeconds: 60 }, caller.id);
      return await receiveUpload(request, caller.id, UPLOAD_QUOTA_BYTES);
    } finally {
      release();
    }
  }),
);

async function receiveUpload(request: Request, ownerId: string, quotaBytes: number): Promise<Response> {
  const form = await readMultipartBody(request, MAX_BODY_BYTES);
  const files = form.getAll("file");
  const file = files[0];
  if (files.length !== 1 || !(file instanceof File)) {
    throw new InvalidInput('Send the CSV as one file in the form field "file".', [
      { path: ["file"], message: files.length > 1 ? "Only one file per upload" : "Required" },
    ]);
  }
  if (!isStorableText(file.name)) {
    throw new InvalidInput("The file name holds text that cannot be stored.", [
      { path: ["file", "filename"], message: "Text may not contain NUL characters or unpaired surrogates." },
    ]);
  }
  const content = Buffer.from(await file.arrayBuffer());
  if (content.byteLength > MAX_CSV_BYTES) throw problems.payloadTooLarge(MAX_CSV_BYTES);
  const { columns, rows } = await checkRecipientsCsv(content);
  const upload = await storeUpload(
    getDb(),
    { ownerId, filename: file.name, contentType: "text/csv", content, columns, rows: rows.length },
    quotaBytes,
  );
  return Response.json(upload, { status: 201 });
}
