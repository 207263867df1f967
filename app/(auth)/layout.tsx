import type { ReactNode } from "react";
import { Brand } from "@/app/_components/brand";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <Brand />
      </header>
      <main className="page auth-page">{children}</main>
    </>
  );
}
