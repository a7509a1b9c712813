/**
 * Access and erasure requests: look a customer up by the email they ordered with, export everything we hold
 * about them as a JSON file, or erase them (after typing their email again). Viewers may look, not act.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import type { CustomerErasure, PrivacyCustomer } from '../api-types';
import { formatDateTime, formatMoney } from '../format';
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { Badge } from '../ui/badge';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { MutationMessage } from '../ui/mutation-message';
import { ErrorNotice, Loading } from '../ui/query-states';

/** Saves JSON as a file through the browser's download. */
function saveJson(fileName: string, data: unknown) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

function ExportAction({ email }: { email: string }) {
  const trpc = useTRPC();
  const exported = useMutation(
    trpc.privacy.exportCustomer.mutationOptions({
      onSuccess: (result) => saveJson(result.fileName, result.data),
    }),
  );
  return (
    <div className="action">
      <ActionButton onClick={() => exported.mutate({ email })} disabled={exported.isPending}>
        Export data
      </ActionButton>
      <MutationMessage mutation={exported} success={(result) => `Saved ${result.fileName}.`} />
    </div>
  );
}

function EraseAction({
  customer,
  onErased,
}: {
  customer: PrivacyCustomer;
  onErased: (erased: CustomerErasure) => void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const hint = useId();
  const erase = useMutation(
    trpc.privacy.eraseCustomer.mutationOptions({
      onSuccess: (erased) => {
        setOpen(false);
        onErased(erased);
      },
    }),
  );
  const confirmed = typed.trim().toLowerCase() === customer.email.toLowerCase();

  return (
    <div className="action">
      <ActionButton
        className="button-danger"
        onClick={() => {
          erase.reset();
          setTyped('');
          setOpen(true);
        }}
        disabled={customer.erasureBlockedBy !== null}
        title={customer.erasureBlockedBy ?? undefined}
      >
        Erase customer…
      </ActionButton>
      {erase.isError && !open && <MutationMessage mutation={erase} success={() => ''} />}
      <ConfirmDialog
        open={open}
        title={`Erase ${customer.email}?`}
        confirmLabel="Erase for good"
        danger
        busy={erase.isPending}
        confirmDisabled={!confirmed}
        onConfirm={() => {
          if (!confirmed) return;
          erase.mutate({
            email: customer.email,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          });
        }}
        onClose={() => setOpen(false)}
      >
        <p id={hint}>
          Every photo of their {customer.orders.length === 1 ? 'order' : 'orders'} is deleted, and
          their name, email and address are removed from the orders and emails. The orders stay for
          accounting. This cannot be undone.
        </p>
        <label className="field">
          <span>Type the customer’s email to confirm</span>
          <input
            type="text"
            autoComplete="off"
            value={typed}
            aria-describedby={hint}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Reason (kept in the audit log, optional)</span>
          <input
            type="text"
            value={reason}
            maxLength={1000}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        {erase.isError && <MutationMessage mutation={erase} success={() => ''} />}
      </ConfirmDialog>
    </div>
  );
}

function CustomerPanel({
  customer,
  onErased,
}: {
  customer: PrivacyCustomer;
  onErased: (erased: CustomerErasure) => void;
}) {
  return (
    <section className="panel" aria-labelledby="customer-heading">
      <h2 id="customer-heading">{customer.name ?? customer.email}</h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{customer.email}</dd>
        <dt>Customer since</dt>
        <dd>{formatDateTime(customer.createdAt)}</dd>
        <dt>Emails</dt>
        <dd>{customer.emails}</dd>
      </dl>
      <div className="table-scroll">
        <table className="data-table compact">
          <caption className="visually-hidden">Orders of {customer.email}</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Placed</th>
              <th scope="col" className="numeric">
                Photos with files
              </th>
              <th scope="col" className="numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {customer.orders.map((order) => (
              <tr key={order.id}>
                <th scope="row" className="mono">
                  <Link to={`/orders/${order.id}`}>{order.orderNumber}</Link>
                </th>
                <td>
                  <Badge tone={ORDER_STATUS_TONES[order.status]}>
                    {ORDER_STATUS_LABELS[order.status]}
                  </Badge>
                </td>
                <td>{formatDateTime(order.createdAt)}</td>
                <td className="numeric">
                  {order.photosWithFiles} of {order.photos}
                </td>
                <td className="numeric">{formatMoney(order.totalAmount, order.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {customer.erasureBlockedBy && (
        <p role="note" className="notice notice-info">
          Erasure has to wait: {customer.erasureBlockedBy}
        </p>
      )}
      <div className="actions">
        <ExportAction email={customer.email} />
        <EraseAction customer={customer} onErased={onErased} />
      </div>
    </section>
  );
}

export function PrivacyPage() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState('');
  const [email, setEmail] = useState('');
  const [erased, setErased] = useState<CustomerErasure | null>(null);
  const customer = useQuery({
    ...trpc.privacy.findCustomer.queryOptions({ email }),
    enabled: email !== '',
    retry: false,
  });

  const lookUp = (event: FormEvent) => {
    event.preventDefault();
    setErased(null);
    setEmail(draft.trim());
  };

  return (
    <>
      <title>Privacy · RestoreClick Admin</title>
      <div className="page-heading">
        <h1>Privacy</h1>
      </div>
      <section className="panel" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading">Access and erasure requests</h2>
        <p className="muted small">
          Find a customer by the email they ordered with. Export gives everything we hold about them
          as a JSON file; erasure deletes their photos and personal data and keeps their orders for
          accounting. Both are recorded in the audit log.
        </p>
        <form className="filter-row" onSubmit={lookUp}>
          <label className="field field-grow">
            <span>Customer email</span>
            <input
              type="email"
              required
              value={draft}
              placeholder="ada@example.com"
              onChange={(event) => setDraft(event.target.value)}
            />
          </label>
          <button type="submit" className="button-primary">
            Look up
          </button>
        </form>
      </section>
      {erased && (
        <p role="status" className="notice notice-info">
          Erased: {erased.photosDeleted === 1 ? '1 photo' : `${erased.photosDeleted} photos`}{' '}
          deleted, {erased.emailsCleared === 1 ? '1 email' : `${erased.emailsCleared} emails`}{' '}
          cleared; {erased.orders.length === 1 ? 'its order' : `${erased.orders.length} orders`}{' '}
          kept for accounting.
        </p>
      )}
      {email !== '' && customer.isPending && <Loading what="the customer" />}
      {customer.isError && <ErrorNotice error={customer.error} />}
      {customer.isSuccess && email !== '' && (
        <CustomerPanel
          customer={customer.data}
          onErased={(result) => {
            setErased(result);
            setEmail('');
          }}
        />
      )}
    </>
  );
}
