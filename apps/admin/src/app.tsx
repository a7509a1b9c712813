import { HealthPanel } from './health-panel';

export function App() {
  return (
    <main>
      <header>
        <h1>RestoreClick Admin</h1>
      </header>
      <HealthPanel />
    </main>
  );
}
