import { InvalidInput } from "@/lib/errors";
import { unstorableText } from "@/lib/storable-text";
import { problems } from "./problem";

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json$/i;

/**
 * Reads a JSON request body: the media type must be JSON (415), the body at
 * most `maxBytes` (413, checked while streaming, so a lying or absent
 * Content-Length cannot get past it), well formed (400), and with no text
 * PostgreSQL cannot store (422, naming each place).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  const mediaType = contentType?.split(";")[0]?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw problems.unsupportedMediaType(contentType);

  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw problems.payloadTooLarge(maxBytes);

  const text = await readTextWithLimit(request, maxBytes);
  if (text.trim() === "") throw problems.malformedJson("The body is empty.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw problems.malformedJson((error as Error).message);
  }
  const unstorable = unstorableText(body);
  if (unstorable.length > 0)
    throw new InvalidInput("The body holds text that cannot be stored, or a member no request has.", unstorable);
  return body;
}

/**
 * Reads a multipart/form-data body (415 otherwise) of at most `maxBytes`
 * (413, counted while streaming) into its form data; a malformed one is a 400.
 */
export async function readMultipartBody(request: Request, maxBytes: number): Promise<FormData> {
  const contentType = request.headers.get("content-type");
  if (!/^multipart\/form-data\s*;/i.test(contentType ?? "")) {
    throw problems.unsupportedMediaType(contentType, "multipart/form-data");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw problems.payloadTooLarge(maxBytes);
  const bytes = await readBytesWithLimit(request, maxBytes);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "Content-Type": contentType as string } }).formData();
  } catch {
    throw problems.malformedBody("The multipart body could not be parsed.");
  }
}

async function readTextWithLimit(request: Request, maxBytes: number): Promise<string> {
  const bytes = await readBytesWithLimit(request, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw problems.malformedJson("The body is not valid UTF-8.");
  }
}

async function readBytesWithLimit(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw problems.payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
