"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { readAgain } from "@/app/_lib/read-again";
import { authClient } from "@/lib/auth/client";
import { QueryResult } from "./query-result";

const tokensKey = ["api-tokens"] as const;

interface TokenSummary {
  id: string;
  name: string | null;
  start: string | null;
  createdAt: Date | string;
  lastRequest: Date | string | null;
}

const day = (value: Date | string | null) => (value ? new Date(value).toLocaleString() : "never");

/** Lists the user's API tokens, creates one (shown once) and revokes them. */
export function TokenManager() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: async (): Promise<TokenSummary[]> => {
      const { data, error } = await authClient.apiKey.list();
      if (error) throw new Error(error.message ?? "Could not load your tokens");
      return data.apiKeys;
    },
  });

  const create = useMutation({
    mutationFn: async (name: string) => {
      const { data, error } = await authClient.apiKey.create({ name });
      if (error) throw new Error(error.message ?? "Could not create the token");
      return { name, key: data.key };
    },
    onSuccess: (token) => {
      setCreated(token);
      return readAgain(queryClient, tokensKey);
    },
  });

  const revoke = useMutation({
    mutationFn: async (keyId: string) => {
      const { error } = await authClient.apiKey.delete({ keyId });
      if (error) throw new Error(error.message ?? "Could not revoke the token");
    },
    onSuccess: () => readAgain(queryClient, tokensKey),
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name")).trim();
    if (name) create.mutate(name, { onSuccess: () => form.reset() });
  }

  return (
    <div className="tokens">
      <section className="card" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <form className="inline-form" onSubmit={onCreate}>
          <div className="field">
            <label htmlFor="token-name">Name</label>
            <input
              id="token-name"
              name="name"
              type="text"
              placeholder="e.g. nightly export script"
              maxLength={64}
              required
            />
          </div>
          <button className="button" type="submit" disabled={create.isPending}>
            Create token
          </button>
        </form>
        {create.error ? (
          <p className="form-error" role="alert">
            {create.error.message}
          </p>
        ) : null}
        {created ? (
          <div className="new-token" role="status">
            <p>
              <strong>{created.name}</strong>: copy it now, it is not shown again.
            </p>
            <code data-testid="new-token">{created.key}</code>
          </div>
        ) : null}
      </section>

      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Your tokens</h2>
        <QueryResult query={tokens} empty="No tokens yet.">
          {(items) => (
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Token</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((token) => (
                  <tr key={token.id} data-testid="token-row">
                    <td>{token.name}</td>
                    <td>
                      <code>{token.start}…</code>
                    </td>
                    <td>{day(token.createdAt)}</td>
                    <td>{day(token.lastRequest)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button button-danger button-small"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(token.id)}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryResult>
      </section>
    </div>
  );
}
