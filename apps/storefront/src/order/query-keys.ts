/** TanStack Query keys of the order page's data, shared by the queries and the live updates that refresh them. */
export const orderQueryKey = (token: string) => ['order', token] as const;
export const notificationsQueryKey = (token: string) => ['order', token, 'notifications'] as const;
