/** System health: each dependency of the API with its status and latency, refreshed every few seconds. */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

const LABELS = { db: 'Database', s3: 'Object storage', migrations: 'Migrations' } as const;

export function HealthPanel() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.health.queryOptions(), refetchInterval: 5000, retry: false });

  return (
    <section aria-labelledby="health-heading" className="panel">
      <h2 id="health-heading">System health</h2>
      {health.isPending && <p role="status">Checking…</p>}
      {health.isError && (
        <p role="alert" className="down">
          API unreachable: {health.error.message}
        </p>
      )}
      {health.data && (
        <>
          <p role="status" className={health.data.ok ? 'ok' : 'down'}>
            {health.data.ok ? 'All systems operational' : 'Degraded'}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Dependency</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(LABELS) as Array<keyof typeof LABELS>).map((name) => {
                const check = health.data.checks[name];
                return (
                  <tr key={name}>
                    <th scope="row">{LABELS[name]}</th>
                    <td className={check.ok ? 'ok' : 'down'}>
                      {check.ok ? 'ok' : `down: ${check.error ?? 'unknown'}`}
                    </td>
                    <td>{check.latencyMs} ms</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
