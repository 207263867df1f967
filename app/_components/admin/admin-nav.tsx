"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { LiveIndicator } from "@/app/_lib/live";

const SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  const pathname = usePathname();
  const current = (href: string) => (href === "/admin" ? pathname === href : pathname.startsWith(href));
  return (
    <div className="admin-nav">
      <nav aria-label="Admin console">
        {SECTIONS.map((section) => (
          <Link key={section.href} href={section.href} aria-current={current(section.href) ? "page" : undefined}>
            {section.label}
          </Link>
        ))}
      </nav>
      <LiveIndicator />
    </div>
  );
}
