import Link from "next/link";
import type { ReactNode } from "react";
import { Brand } from "@/app/_components/brand";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { Providers } from "@/app/providers";
import { isAdmin } from "@/lib/auth/caller";
import { requireCaller } from "@/lib/auth/session";

/** Every page behind sign-in: the top bar with the user's menu, and live updates. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const caller = await requireCaller("/");
  return (
    <>
      <header className="topbar">
        <Brand />
        <nav>
          <Link href="/">Dashboard</Link>
          <Link href="/schedules">Schedules</Link>
          <Link href="/mailbox">Mailbox</Link>
          <Link href="/settings/tokens">API tokens</Link>
          <Link href="/settings/webhooks">Webhooks</Link>
          <Link href="/docs/api">API reference</Link>
          {isAdmin(caller) ? <Link href="/admin">Admin</Link> : null}
        </nav>
        <div className="user-menu">
          <span className="user-email" data-testid="signed-in-as">
            {caller.email}
            {isAdmin(caller) ? <span className="role-tag">admin</span> : null}
          </span>
          <SignOutButton />
        </div>
      </header>
      <Providers>
        <main className="page">{children}</main>
      </Providers>
    </>
  );
}
