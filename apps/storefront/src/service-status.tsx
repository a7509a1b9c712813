/** A one-line service status from the API's health report. */
import { useQuery } from '@tanstack/react-query';
import type { HealthReport } from '@restoreclick/sdk';
import { client } from './client';

const LABELS: Record<keyof HealthReport['checks'], string> = {
  db: 'database',
  s3: 'photo storage',
  migrations: 'database schema',
};

export function ServiceStatus() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => client.health.query(),
    refetchInterval: 30_000,
    retry: false,
  });

  if (health.isPending) return <p role="status">Checking service status…</p>;
  if (health.isError) {
    return (
      <p role="status" className="status down">
        Service unreachable right now. Please try again in a minute.
      </p>
    );
  }
  const down = (Object.keys(LABELS) as Array<keyof typeof LABELS>).filter(
    (name) => !health.data.checks[name].ok,
  );
  return (
    <p role="status" className={`status ${down.length ? 'down' : 'ok'}`}>
      {down.length === 0
        ? 'All systems operational'
        : `Degraded: ${down.map((name) => LABELS[name]).join(', ')} unavailable`}
    </p>
  );
}
