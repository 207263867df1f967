import type { Metadata } from "next";
import { Brand } from "@/app/_components/brand";
import { openApiDocument } from "@/lib/http/openapi";

export const metadata: Metadata = { title: "Accepted: HTTP API reference" };

// The generated document is plain JSON; only the parts read here are typed.
interface Schema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  contentMediaType?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string }>;
  tags?: string[];
  security?: unknown[];
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  return schema.$ref ? (components[schema.$ref.split("/").at(-1) ?? ""] ?? schema) : schema;
}

/** "integer, 1–100, default 10", from a property's schema. */
function constraints(schema: Schema): string {
  const parts = [
    schema.enum ? `one of ${schema.enum.map(String).join(", ")}` : String(schema.type ?? ""),
    schema.format,
    schema.contentMediaType ? `an upload id (${schema.contentMediaType})` : undefined,
    schema.minimum !== undefined || schema.maximum !== undefined
      ? `${schema.minimum ?? "…"}–${schema.maximum ?? "…"}`
      : undefined,
    schema.maxLength !== undefined ? `at most ${schema.maxLength} characters` : undefined,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
  ];
  return parts.filter(Boolean).join(", ");
}

function Properties({ schema, components }: { schema: Schema; components: Record<string, Schema> }) {
  const resolved = resolve(schema, components);
  const required = new Set(resolved.required ?? []);
  return (
    <table className="table">
      <tbody>
        {Object.entries(resolved.properties ?? {}).map(([name, property]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
              {required.has(name) ? null : <span className="muted small"> optional</span>}
            </td>
            <td className="small">{constraints(resolve(property, components))}</td>
            <td className="small">{property.description ?? property.title}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The OpenAPI document, readable: every operation, its parameters, bodies and answers. */
export default function ApiReferencePage() {
  const document = openApiDocument() as unknown as {
    info: { title: string; description?: string };
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components: { schemas: Record<string, Schema> };
  };
  const components = document.components.schemas;
  return (
    <>
      <header className="topbar">
        <Brand />
      </header>
      <main className="page api-reference">
        <div className="page-head">
          <h1>HTTP API reference</h1>
          <p className="muted">
            {document.info.description} Generated from the same zod schemas that validate requests; as JSON at{" "}
            <a href="/api/openapi.json">/api/openapi.json</a>. Every operation but the public ones takes a session
            cookie or <code>Authorization: Bearer &lt;API token&gt;</code>, and answers 401 without one; those marked
            admin answer 404 to anyone but an admin.
          </p>
        </div>
        {Object.entries(document.paths).flatMap(([path, operations]) =>
          METHODS.filter((method) => operations[method]).map((method) => {
            const operation = operations[method] as Operation;
            const body = operation.requestBody?.content["application/json"]?.schema;
            const variants = body ? (resolve(body, components).anyOf ?? resolve(body, components).oneOf ?? [body]) : [];
            return (
              <section className="card operation" key={`${method} ${path}`} id={`${method}-${path}`}>
                <h2>
                  <span className="http-method" data-method={method}>
                    {method.toUpperCase()}
                  </span>{" "}
                  <code>{path}</code>
                  {operation.tags?.includes("admin") ? <span className="badge"> admin</span> : null}
                  {operation.security?.length === 0 ? <span className="badge"> public</span> : null}
                </h2>
                <p>{operation.summary}</p>
                {operation.parameters?.length ? (
                  <>
                    <h3>Parameters</h3>
                    <table className="table">
                      <tbody>
                        {operation.parameters.map((parameter) => (
                          <tr key={`${parameter.in} ${parameter.name}`}>
                            <td>
                              <code>{parameter.name}</code> <span className="muted small">{parameter.in}</span>
                            </td>
                            <td className="small">{parameter.description ?? parameter.schema?.description}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                ) : null}
                {variants.length > 0 ? (
                  <>
                    <h3>Request body</h3>
                    {variants.map((variant) => {
                      const resolved = resolve(variant, components);
                      const input = resolved.properties?.input;
                      const type = resolved.properties?.type?.const;
                      return (
                        <div key={String(type ?? resolved.title)} className="body-variant">
                          <p>
                            {type ? <code>{`"type": "${String(type)}"`}</code> : null} <strong>{resolved.title}</strong>{" "}
                            <span className="muted small">{resolved.description}</span>
                          </p>
                          {input ? <Properties schema={input} components={components} /> : null}
                        </div>
                      );
                    })}
                  </>
                ) : null}
                <h3>Answers</h3>
                <table className="table">
                  <tbody>
                    {Object.entries(operation.responses).map(([status, response]) => (
                      <tr key={status}>
                        <td>
                          <strong>{status}</strong>
                        </td>
                        <td className="small">{response.description}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          }),
        )}
      </main>
    </>
  );
}
