/** The frame around every signed-in page: a skip link, the navigation, who is signed in, and sign out. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useAdminUser } from './auth/session';
import { errorMessage } from './error-message';
import { useTRPC } from './trpc';

const SECTIONS = [
  { to: '/orders', label: 'Orders' },
  { to: '/emails', label: 'Emails' },
  { to: '/operations', label: 'Operations' },
  { to: '/business', label: 'Business' },
  { to: '/privacy', label: 'Privacy' },
] as const;

export function Layout() {
  const trpc = useTRPC();
  const user = useAdminUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        // Nothing of the signed-out user's data stays in memory.
        queryClient.clear();
        void navigate('/sign-in', { replace: true });
      },
    }),
  );

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">RestoreClick</span>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to}>{section.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <span className="user-email">{user.name ?? user.email}</span>
          <span className={`role role-${user.role}`}>
            {user.role === 'admin' ? 'Admin' : 'Viewer · read only'}
          </span>
          <button
            type="button"
            className="button-secondary button-small"
            onClick={() => logout.mutate({})}
            disabled={logout.isPending}
          >
            Sign out
          </button>
          {logout.isError && (
            <span role="alert" className="message-danger">
              {errorMessage(logout.error)}
            </span>
          )}
        </div>
      </header>
      <main id="content">
        <Outlet />
      </main>
    </>
  );
}
