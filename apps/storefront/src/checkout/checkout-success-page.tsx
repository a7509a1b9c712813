/**
 * `/checkout/success?session_id=…`: the payment page sends the customer here. Confirming fulfils the order at
 * once and hands back its access token; a paid order opens its page, a bank transfer still on its way waits.
 */
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { client } from '../client';
import { errorMessage } from '../error-message';
import { forgetUploadSession } from '../upload/upload-session-storage';

const orderPath = (accessToken: string) => `/orders/${encodeURIComponent(accessToken)}`;

export function CheckoutSuccessPage() {
  const [searchParams] = useSearchParams();
  const sessionId = searchParams.get('session_id');
  const navigate = useNavigate();
  const confirm = useMutation({
    mutationFn: (id: string) => client.orders.confirmCheckout.mutate({ sessionId: id }),
    onSuccess: (confirmed) => {
      forgetUploadSession(); // the basket is an order now
      if (!confirmed.paymentPending) {
        void navigate(orderPath(confirmed.accessToken), { replace: true });
      }
    },
  });
  const { mutate } = confirm;
  const started = useRef(false);

  useEffect(() => {
    if (!sessionId || started.current) return;
    started.current = true;
    mutate(sessionId);
  }, [sessionId, mutate]);

  if (!sessionId) {
    return (
      <Message title="This page needs the link from the payment page">
        <p>
          Open it from the payment confirmation, or find your order through the link in our email.
        </p>
        <p>
          <Link to="/">Back to the shop</Link>
        </p>
      </Message>
    );
  }
  if (confirm.isError) {
    return (
      <Message title="We could not confirm your payment yet">
        <p role="alert">{errorMessage(confirm.error)}</p>
        <p className="actions">
          <button type="button" className="button" onClick={() => mutate(sessionId)}>
            Try again
          </button>
          <Link to="/">Back to the shop</Link>
        </p>
      </Message>
    );
  }
  if (confirm.data?.paymentPending) {
    return (
      <Message title="Your bank transfer is on its way">
        <p role="status">
          Thank you! Order {confirm.data.orderNumber} is saved. We start restoring your photos as
          soon as your bank confirms the payment, and we email you when it does.
        </p>
        <p>
          <Link className="button button-primary" to={orderPath(confirm.data.accessToken)}>
            Follow your order
          </Link>
        </p>
      </Message>
    );
  }
  return (
    <Message title="Confirming your payment">
      <p role="status">One moment, we are opening your order…</p>
    </Message>
  );
}

function Message({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card message">
      <title>{`${title} · RestoreClick`}</title>
      <h1>{title}</h1>
      {children}
    </section>
  );
}
