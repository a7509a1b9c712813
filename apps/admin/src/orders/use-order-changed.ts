/**
 * After an action on an order: read the order, its automatic refunds, the lists and the emails again, and keep
 * following the order for a while, because many effects arrive later (a refund through Stripe's webhook, a
 * retried photo, a resent email).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { useTRPC } from '../trpc';

/** Set by the order page: starts its short period of frequent refreshes. */
export const FollowOrderContext = createContext<() => void>(() => {});

export function useOrderChanged(): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const follow = useContext(FollowOrderContext);
  return useCallback(async () => {
    follow();
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.recovery.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.emails.pathKey() }),
    ]);
  }, [follow, queryClient, trpc]);
}
