/**
 * The order, read once and then kept current by the `orders.watch` subscription (server-sent events): every
 * change on the server arrives here and replaces the cached order, with no polling.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client } from '../client';
import { isNotFound } from '../error-message';
import { notificationsQueryKey, orderQueryKey } from './query-keys';

/** `live`: connected; `reconnecting`: the connection dropped and the client is retrying; `stopped`: gave up. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

const REFRESH_BEFORE_EXPIRY_MS = 60_000;

export function useLiveOrder(token: string) {
  const queryClient = useQueryClient();
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const order = useQuery({
    queryKey: orderQueryKey(token),
    queryFn: () => client.orders.get.query({ token }),
    retry: (failures, error) => !isNotFound(error) && failures < 2,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    // Photo links are presigned and stop working at `urlsExpireAt`: read the order again shortly before, so
    // the pictures keep loading on a page left open. This renews links; progress comes from the subscription.
    refetchInterval: (query) => {
      const expiresAt = query.state.data?.urlsExpireAt;
      if (!expiresAt) return false;
      return Math.max(30_000, Date.parse(expiresAt) - Date.now() - REFRESH_BEFORE_EXPIRY_MS);
    },
  });
  const found = order.isSuccess;

  useEffect(() => {
    if (!found) return; // an unknown link has nothing to follow
    const subscription = client.orders.watch.subscribe(
      { token },
      {
        onStarted: () => setLiveState('live'),
        onData: (update) => {
          setLiveState('live');
          queryClient.setQueryData(orderQueryKey(token), update.data);
          // Changes bring notifications (payment received, photos ready): read them again.
          void queryClient.invalidateQueries({ queryKey: notificationsQueryKey(token) });
        },
        onConnectionStateChange: (state) => {
          if (state.state === 'pending') setLiveState('live');
          else if (state.state === 'connecting')
            setLiveState(state.error ? 'reconnecting' : 'connecting');
        },
        onError: () => setLiveState('stopped'),
      },
    );
    return () => subscription.unsubscribe();
  }, [found, token, queryClient]);

  return { order, liveState };
}
