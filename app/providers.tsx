"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { LiveUpdatesProvider } from "./_lib/live";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session; created in state so it survives re-renders.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 0 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <LiveUpdatesProvider>{children}</LiveUpdatesProvider>
    </QueryClientProvider>
  );
}
