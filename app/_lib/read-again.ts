import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Reads what `queryKey` shows again after a write. A read still in flight
 * began before the write, and with no data yet TanStack Query has a
 * refetch join it rather than start anew, so that read is dropped first.
 */
export async function readAgain(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}
