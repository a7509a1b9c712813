import { ServiceStatus } from './service-status';

export function App() {
  return (
    <main>
      <header>
        <p className="brand">RestoreClick</p>
        <h1>Bring your old photos back</h1>
        <p className="lead">
          Upload faded, scratched or torn photos. Our restoration model repairs every one, and you
          follow the progress live, get the results by email and download them all in one ZIP.
        </p>
      </header>
      <footer>
        <ServiceStatus />
      </footer>
    </main>
  );
}
