/** One row per dependency of the system: up or down, how fast it answered, and what it said. */
import type { DependencyCheck } from '../api-types';
import { Badge } from '../ui/badge';
import { Empty } from '../ui/query-states';

const NAMES: Record<DependencyCheck['name'], string> = {
  database: 'Database',
  storage: 'Object storage (S3)',
  stripe: 'Stripe',
  replicate: 'Replicate',
  sendgrid: 'SendGrid',
};

export function ChecksTable({ checks }: { checks: DependencyCheck[] }) {
  if (checks.length === 0) return <Empty>No dependency reported.</Empty>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Dependency</th>
          <th scope="col">Status</th>
          <th scope="col" className="numeric">
            Latency
          </th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.name} className={check.ok ? undefined : 'row-alert'}>
            <th scope="row">{NAMES[check.name] ?? check.name}</th>
            <td>
              <Badge tone={check.ok ? 'success' : 'danger'}>{check.ok ? 'OK' : 'Failing'}</Badge>
            </td>
            <td className="numeric">{check.latencyMs === null ? '—' : `${check.latencyMs} ms`}</td>
            <td className="muted">{check.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
