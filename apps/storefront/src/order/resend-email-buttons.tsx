/** Asks for an order email again (confirmation, or the restored photos), within the API's limits. */
import { useMutation } from '@tanstack/react-query';
import type { CustomerOrder, ResendableEmail } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage } from '../error-message';

const COMPLETED: ReadonlyArray<CustomerOrder['status']> = ['completed', 'completed_with_errors'];

export function ResendEmailButtons({ token, order }: { token: string; order: CustomerOrder }) {
  const resend = useMutation({
    mutationFn: (kind: ResendableEmail) => client.orders.resendEmail.mutate({ token, kind }),
  });
  const paid = order.paidAt !== null;
  // Once the photos are deleted, there is nothing left to send.
  const completed = COMPLETED.includes(order.status) && order.privacy.deletedAt === null;

  return (
    <section className="card" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      <p className="muted">Did not get our email? Check your spam folder, or ask for it again.</p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={!paid || resend.isPending}
          onClick={() => resend.mutate('order_confirmation')}
        >
          Resend the order confirmation
        </button>
        <button
          type="button"
          className="button"
          disabled={!completed || resend.isPending}
          onClick={() => resend.mutate('restoration_complete')}
        >
          Resend the restored photos email
        </button>
      </div>
      {resend.isSuccess && (
        <p role="status" className="ok">
          On its way. It should arrive within a few minutes.
        </p>
      )}
      {resend.isError && (
        <p role="alert" className="form-error">
          {errorMessage(resend.error)}
        </p>
      )}
    </section>
  );
}
