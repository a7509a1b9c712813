/** The frame around every page: a skip link, the brand, the page, and the service status at the bottom. */
import { Link, Outlet } from 'react-router';
import { ServiceStatus } from './service-status';

export function Layout() {
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          RestoreClick
        </Link>
      </header>
      <main id="content">
        <Outlet />
      </main>
      <footer className="site-footer">
        <ServiceStatus />
      </footer>
    </>
  );
}
