"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { safeNext } from "@/app/_lib/safe-next";
import { authClient } from "@/lib/auth/client";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export function AuthForm({ mode, next }: { mode: "sign-in" | "sign-up"; next?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const signingUp = mode === "sign-up";
  const destination = safeNext(next);
  const otherPage = `${signingUp ? "/sign-in" : "/sign-up"}${next ? `?next=${encodeURIComponent(next)}` : ""}`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    const password = String(form.get("password"));
    setPending(true);
    setError(null);
    const { error: failure } = signingUp
      ? await authClient.signUp.email({ email, password, name: String(form.get("name") || email) })
      : await authClient.signIn.email({ email, password });
    setPending(false);
    if (failure) {
      setError(failure.message ?? "That did not work; try again.");
      return;
    }
    // A full page load, not router.replace: the router may hold a prefetch of
    // the destination made while signed out, which redirects back here.
    window.location.assign(destination);
  }

  return (
    <section className="card auth-card" aria-labelledby="auth-heading">
      <h1 id="auth-heading">{signingUp ? "Create your account" : "Sign in to Accepted"}</h1>
      <form className="start-form" onSubmit={onSubmit}>
        {signingUp ? (
          <div className="field">
            <label htmlFor="name">Name</label>
            <input id="name" name="name" type="text" autoComplete="name" maxLength={100} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete={signingUp ? "new-password" : "current-password"}
            minLength={signingUp ? MIN_PASSWORD_LENGTH : undefined}
            required
          />
          {signingUp ? (
            <p className="field-hint">At least {MIN_PASSWORD_LENGTH} characters; a passphrase is good.</p>
          ) : null}
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button className="button" type="submit" disabled={pending}>
          {signingUp ? "Create account" : "Sign in"}
        </button>
      </form>
      <p className="muted small">
        {signingUp ? "Already have an account? " : "New here? "}
        <Link href={otherPage}>{signingUp ? "Sign in" : "Create an account"}</Link>
      </p>
    </section>
  );
}
