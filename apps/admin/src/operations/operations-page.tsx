/**
 * Is the system healthy: each dependency with its latency, each queue with its depth, speed and errors, the
 * alerts that need someone, and the operator's levers. Refreshes every 10 seconds.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDateTime } from '../format';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { MutationMessage } from '../ui/mutation-message';
import { ErrorNotice, Loading } from '../ui/query-states';
import { ChecksTable } from './checks-table';
import { QueuesTable } from './queues-table';

const REFRESH_MS = 10_000;

function MaintenanceActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.operations.queues.queryKey() });
  const reconcile = useMutation(
    trpc.operations.runReconciliation.mutationOptions({ onSuccess: refresh }),
  );
  const cleanup = useMutation(trpc.operations.runCleanup.mutationOptions({ onSuccess: refresh }));
  return (
    <section className="panel" aria-labelledby="maintenance-heading">
      <h2 id="maintenance-heading">Maintenance</h2>
      <div className="actions">
        <div className="action">
          <ActionButton onClick={() => reconcile.mutate({})} disabled={reconcile.isPending}>
            Run reconciliation now
          </ActionButton>
          <MutationMessage
            mutation={reconcile}
            success={(result) => `Reconciliation queued (job ${result.jobId}).`}
          />
        </div>
        <div className="action">
          <ActionButton onClick={() => cleanup.mutate({})} disabled={cleanup.isPending}>
            Run cleanup now
          </ActionButton>
          <MutationMessage
            mutation={cleanup}
            success={(result) => `Cleanup queued (job ${result.jobId}).`}
          />
        </div>
      </div>
      <p className="muted small">
        Reconciliation compares recent orders with Stripe and fixes what a lost webhook left behind;
        cleanup deletes expired uploads, download links and old webhook events.
      </p>
    </section>
  );
}

export function OperationsPage() {
  const trpc = useTRPC();
  const checks = useQuery({
    ...trpc.operations.checks.queryOptions(),
    refetchInterval: REFRESH_MS,
  });
  const queues = useQuery({
    ...trpc.operations.queues.queryOptions(),
    refetchInterval: REFRESH_MS,
  });
  const alerts = (queues.data ?? []).flatMap((queue) =>
    queue.alerts.map((alert) => ({ queue: queue.name, alert })),
  );
  const failing = (checks.data ?? []).filter((check) => !check.ok);
  const updatedAt = Math.max(checks.dataUpdatedAt, queues.dataUpdatedAt);

  return (
    <>
      <title>Operations · RestoreClick Admin</title>
      <div className="page-heading">
        <h1>Operations</h1>
        <p className="muted heading-meta">
          {updatedAt > 0
            ? `Updated ${formatDateTime(new Date(updatedAt).toISOString())}`
            : 'Loading…'}{' '}
          · refreshes every 10 s
        </p>
      </div>

      {(alerts.length > 0 || failing.length > 0) && (
        <section className="notice notice-danger" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Needs attention</h2>
          <ul>
            {failing.map((check) => (
              <li key={`check-${check.name}`}>
                {check.name} is failing: {check.detail}
              </li>
            ))}
            {alerts.map(({ queue, alert }) => (
              <li key={`${queue}-${alert}`}>
                <span className="mono">{queue}</span>: {alert}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel" aria-labelledby="checks-heading">
        <h2 id="checks-heading">Dependencies</h2>
        {checks.isPending ? (
          <Loading what="checks" />
        ) : !checks.data ? (
          <ErrorNotice error={checks.error} onRetry={() => void checks.refetch()} />
        ) : (
          <>
            {checks.isError && <ErrorNotice error={checks.error} />}
            <ChecksTable checks={checks.data} />
          </>
        )}
      </section>

      <section className="panel table-panel" aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        {queues.isPending ? (
          <Loading what="queues" />
        ) : !queues.data ? (
          <ErrorNotice error={queues.error} onRetry={() => void queues.refetch()} />
        ) : (
          <>
            {queues.isError && <ErrorNotice error={queues.error} />}
            <QueuesTable queues={queues.data} />
          </>
        )}
      </section>

      <MaintenanceActions />
    </>
  );
}
