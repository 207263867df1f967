import type { ReactNode } from "react";
import { AdminNav } from "@/app/_components/admin/admin-nav";
import { requireAdmin } from "@/lib/auth/session";

/** The admin console: admins only; anyone else gets the 404 page. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return (
    <div className="admin">
      <AdminNav />
      {children}
    </div>
  );
}
