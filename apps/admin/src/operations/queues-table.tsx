/** One row per job queue: what waits, runs and failed, how long jobs take, and a way to retry dead letters. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QueueStats } from '../api-types';
import { formatDuration, formatPercent } from '../format';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { MutationMessage } from '../ui/mutation-message';
import { Empty } from '../ui/query-states';

type Window = QueueStats['lastHour'];

function seconds(value: number | null): string {
  return value === null ? '—' : formatDuration(value * 1000);
}

function milliseconds(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

/** "p50 / p95" and the error rate of one time window, the rate marked when it is above the alert threshold. */
function WindowCells({ window }: { window: Window }) {
  return (
    <>
      <td className="numeric">
        {milliseconds(window.p50Ms)} / {milliseconds(window.p95Ms)}
      </td>
      <td className={window.errorRate > 0.05 ? 'numeric text-danger' : 'numeric'}>
        {formatPercent(window.errorRate)}
        <span className="muted small">
          {' '}
          ({window.failed}/{window.completed + window.failed})
        </span>
      </td>
    </>
  );
}

function QueueRow({ queue }: { queue: QueueStats }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.operations.retryDeadLetters.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.operations.queues.queryKey() }),
    }),
  );
  const alerting = queue.alerts.length > 0;
  return (
    <tr className={alerting ? 'row-alert' : undefined}>
      <th scope="row">
        <span className="stack">
          <span className="mono">{queue.name}</span>
          {queue.alerts.map((alert) => (
            <span key={alert} className="text-danger small">
              {alert}
            </span>
          ))}
        </span>
      </th>
      <td className={queue.queued > 100 ? 'numeric text-danger' : 'numeric'}>{queue.queued}</td>
      <td className="numeric">{queue.active}</td>
      <td className="numeric">{queue.failed}</td>
      <td className={queue.deadLetter > 0 ? 'numeric text-danger' : 'numeric'}>
        {queue.deadLetter}
      </td>
      <td className="numeric">{seconds(queue.oldestWaitingSeconds)}</td>
      <td className={(queue.longestActiveSeconds ?? 0) > 300 ? 'numeric text-danger' : 'numeric'}>
        {seconds(queue.longestActiveSeconds)}
      </td>
      <WindowCells window={queue.lastHour} />
      <WindowCells window={queue.lastDay} />
      <td>
        <ActionButton
          className="button-secondary button-small"
          onClick={() => retry.mutate({ queue: queue.name })}
          disabled={retry.isPending || queue.deadLetter === 0}
          aria-label={`Retry dead letters of ${queue.name}`}
        >
          Retry dead letters
        </ActionButton>
        <MutationMessage mutation={retry} success={(result) => `${result.retried} queued again.`} />
      </td>
    </tr>
  );
}

export function QueuesTable({ queues }: { queues: QueueStats[] }) {
  if (queues.length === 0) return <Empty>No queue reported.</Empty>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Queue
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Waiting
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Active
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Failed
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Dead letters
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Oldest waiting
            </th>
            <th scope="col" rowSpan={2} className="numeric">
              Longest active
            </th>
            <th scope="colgroup" colSpan={2} className="numeric">
              Last hour
            </th>
            <th scope="colgroup" colSpan={2} className="numeric">
              Last 24 h
            </th>
            <th scope="col" rowSpan={2}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
          <tr>
            <th scope="col" className="numeric">
              p50 / p95
            </th>
            <th scope="col" className="numeric">
              Errors
            </th>
            <th scope="col" className="numeric">
              p50 / p95
            </th>
            <th scope="col" className="numeric">
              Errors
            </th>
          </tr>
        </thead>
        <tbody>
          {queues.map((queue) => (
            <QueueRow key={queue.name} queue={queue} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
