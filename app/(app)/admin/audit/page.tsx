import { AuditLog } from "@/app/_components/admin/audit-log";

export default function AuditPage() {
  return <AuditLog />;
}
