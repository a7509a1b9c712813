/** What happened to the order, oldest first: its own events and the admins' actions, each with who did it. */
import type { TimelineEntry } from '../api-types';
import { formatDateTime } from '../format';
import { Badge } from '../ui/badge';
import { Empty } from '../ui/query-states';

export function OrderTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {entries.length === 0 ? (
        <Empty>Nothing has happened to this order yet.</Empty>
      ) : (
        <ol className="timeline" aria-label="Order timeline">
          {entries.map((entry) => (
            <li key={`${entry.source}-${entry.id}`} className={`timeline-${entry.source}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              <div className="timeline-body">
                <p>
                  <span className="timeline-summary">{entry.summary}</span>{' '}
                  {entry.source === 'audit' && <Badge tone="info">Admin action</Badge>}
                </p>
                <p className="muted small">
                  by {entry.actor} · <span className="mono">{entry.type}</span>
                </p>
                {Object.keys(entry.data).length > 0 && (
                  <details>
                    <summary>Details</summary>
                    <pre>{JSON.stringify(entry.data, null, 2)}</pre>
                  </details>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
