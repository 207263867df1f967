"use client";

import { createClient } from "@accepted/client";
import { AcceptedProvider } from "@accepted/client/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { LiveUpdatesProvider } from "./_lib/live";

export function Providers({ children }: { children: ReactNode }) {
  // One of each per browser session; created in state so they survive re-renders.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 0 } } }));
  // No base URL or token: the page's own origin, with its session cookie.
  const [accepted] = useState(() => createClient());
  return (
    <QueryClientProvider client={queryClient}>
      <AcceptedProvider client={accepted}>
        <LiveUpdatesProvider>{children}</LiveUpdatesProvider>
      </AcceptedProvider>
    </QueryClientProvider>
  );
}
