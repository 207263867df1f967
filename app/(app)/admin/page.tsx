import { AdminOverview } from "@/app/_components/admin/admin-overview";

export default function AdminOverviewPage() {
  return <AdminOverview />;
}
