/** Email and password; the server's answer (wrong password, too many attempts) is shown as it is. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../error-message';
import { useTRPC } from '../trpc';

/** Only paths inside the dashboard: a `next` from the address bar must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/orders';
}

export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const me = useQuery(trpc.auth.me.queryOptions());
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), { user: result.user });
        void navigate(next, { replace: true });
      },
    }),
  );

  if (me.data?.user && !login.isPending) return <Navigate to={next} replace />;

  return (
    <main id="content" className="sign-in">
      <title>Sign in · RestoreClick Admin</title>
      <form
        className="panel sign-in-form"
        onSubmit={(event) => {
          event.preventDefault();
          login.mutate({ email: email.trim(), password });
        }}
      >
        <p className="brand">RestoreClick</p>
        <h1>Sign in to the admin</h1>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {login.isError && (
          <p role="alert" className="message message-danger">
            {errorMessage(login.error)}
          </p>
        )}
        <button type="submit" className="button-primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
