/** The order's notifications (payment received, photos ready, …) with the unread count and mark-as-read. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client } from '../client';
import { errorMessage } from '../error-message';
import { formatDateTime } from '../format';
import { notificationsQueryKey } from './query-keys';

export function NotificationsPanel({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const notifications = useQuery({
    queryKey: notificationsQueryKey(token),
    queryFn: () => client.notifications.list.query({ token }),
    refetchOnWindowFocus: false,
  });
  const markRead = useMutation({
    mutationFn: (ids?: string[]) =>
      client.notifications.markRead.mutate(ids ? { token, ids } : { token }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey(token) }),
  });
  const unread = notifications.data?.unreadCount ?? 0;

  return (
    <section className="card" aria-labelledby="notifications-heading">
      <div className="section-heading">
        <h2 id="notifications-heading">
          Notifications{' '}
          {unread > 0 && (
            <span className="badge">{unread === 1 ? '1 unread' : `${unread} unread`}</span>
          )}
        </h2>
        {unread > 0 && (
          <button
            type="button"
            className="button button-quiet"
            disabled={markRead.isPending}
            onClick={() => markRead.mutate(undefined)}
          >
            Mark all as read
          </button>
        )}
      </div>
      {notifications.isPending && <p role="status">Loading notifications…</p>}
      {notifications.isError && <p role="alert">{errorMessage(notifications.error)}</p>}
      {markRead.isError && <p role="alert">{errorMessage(markRead.error)}</p>}
      {notifications.data?.items.length === 0 && <p className="empty">No notifications yet.</p>}
      {notifications.data && notifications.data.items.length > 0 && (
        <ul className="notifications">
          {notifications.data.items.map((item) => (
            <li key={item.id} className={item.readAt ? 'read' : 'unread'}>
              <div>
                <p className="notification-title">
                  {!item.readAt && <span className="visually-hidden">Unread: </span>}
                  {item.title}
                </p>
                {item.body && <p>{item.body}</p>}
                <p className="muted">
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                </p>
              </div>
              {!item.readAt && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={markRead.isPending}
                  onClick={() => markRead.mutate([item.id])}
                >
                  Mark read<span className="visually-hidden">: {item.title}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
