/**
 * Who is signed in. `RequireSession` asks `auth.me` once and sends a signed-out visitor to the sign-in page
 * (remembering where they were going); pages below it read the user with `useAdminUser`.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { AdminUser } from '../api-types';
import { useTRPC } from '../trpc';
import { ErrorNotice, Loading } from '../ui/query-states';

const SessionContext = createContext<AdminUser | null>(null);

/** Shown on every action a viewer may not take. */
export const VIEWER_CANNOT_ACT = 'Viewers cannot change orders';

export function useAdminUser(): AdminUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useAdminUser is used outside RequireSession.');
  return user;
}

/** True when the signed-in user may run admin actions (viewers only look). */
export function useCanAct(): boolean {
  return useAdminUser().role === 'admin';
}

export function RequireSession() {
  const trpc = useTRPC();
  const location = useLocation();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });

  if (me.isPending) {
    return (
      <div className="centered">
        <Loading what="your session" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="centered">
        <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data.user) {
    const next = `${location.pathname}${location.search}`;
    const search = next === '/' ? '' : `?${new URLSearchParams({ next })}`;
    return <Navigate to={`/sign-in${search}`} replace />;
  }
  return (
    <SessionContext value={me.data.user}>
      <Outlet />
    </SessionContext>
  );
}
