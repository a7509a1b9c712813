/** What happened to the order so far, oldest first, in plain words. */
import type { OrderTimelineEntry } from '@restoreclick/sdk';
import { formatDateTime } from '../format';

export function OrderTimeline({ entries }: { entries: readonly OrderTimelineEntry[] }) {
  if (entries.length === 0) return <p className="empty">Nothing has happened yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id}>
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          <span>{entry.title}</span>
        </li>
      ))}
    </ol>
  );
}
