/**
 * When the order's photos are deleted (the retention period, in dates once the order has finished), and a way
 * to delete them now: a button, then a confirmation dialog that says what goes and that it cannot be undone.
 * The page follows the deletion live, like any other change.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { CustomerOrder } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage } from '../error-message';
import { formatDateTime } from '../format';

type Privacy = CustomerOrder['privacy'];

const DELETED_BY: Record<NonNullable<Privacy['deletedBy']>, string> = {
  customer: 'at your request',
  retention: 'at the end of the retention period',
  support: 'by our support team, at your request',
};

function keepingSentence(privacy: Privacy): string {
  const { originalsDeleteAt, restoredDeleteAt } = privacy;
  if (originalsDeleteAt && restoredDeleteAt) {
    return originalsDeleteAt === restoredDeleteAt
      ? `For your privacy, we delete your photos from our servers on ${formatDateTime(originalsDeleteAt)}. Download anything you want to keep before then.`
      : `For your privacy, we delete your original photos on ${formatDateTime(originalsDeleteAt)} and the restored ones on ${formatDateTime(restoredDeleteAt)}. Download anything you want to keep before then.`;
  }
  const { originalsRetentionDays: originals, restoredRetentionDays: restored } = privacy;
  return originals === restored
    ? `For your privacy, we delete your photos ${originals} days after your order is finished.`
    : `For your privacy, we delete your original photos ${originals} days and the restored ones ${restored} days after your order is finished.`;
}

export function PhotoPrivacy({ token, order }: { token: string; order: CustomerOrder }) {
  const { privacy } = order;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [confirming, setConfirming] = useState(false);
  const ids = { heading: useId(), dialogHeading: useId(), dialogText: useId() };
  const remove = useMutation({
    mutationFn: () => client.orders.deletePhotos.mutate({ token }),
    onSuccess: () => setConfirming(false),
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (confirming && !dialog.open) dialog.showModal();
    if (!confirming && dialog.open) dialog.close();
  }, [confirming]);

  const photos = order.images.length === 1 ? 'the photo' : `all ${order.images.length} photos`;
  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>Your privacy</h2>
      {privacy.deletedAt ? (
        <p role="status" aria-label="Photos deleted">
          Your photos were deleted from our servers on {formatDateTime(privacy.deletedAt)}
          {privacy.deletedBy ? `, ${DELETED_BY[privacy.deletedBy]}` : ''}. The order and its history
          stay, without any photo.
        </p>
      ) : (
        <>
          <p>{keepingSentence(privacy)}</p>
          <p className="muted">
            You can also delete them now: the originals and the restored photos go at once, and
            download and share links stop working.
          </p>
          <button
            type="button"
            className="button button-danger"
            disabled={!privacy.canDelete || remove.isPending}
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            Delete my photos
          </button>
          {!privacy.canDelete && (
            <p className="muted">You can delete your photos once every photo is restored.</p>
          )}
        </>
      )}
      {remove.isError && !confirming && (
        <p role="alert" className="form-error">
          {errorMessage(remove.error)}
        </p>
      )}
      <dialog
        ref={dialogRef}
        className="confirm-dialog"
        aria-labelledby={ids.dialogHeading}
        aria-describedby={ids.dialogText}
        onClose={() => setConfirming(false)}
      >
        <h3 id={ids.dialogHeading}>Delete {photos} of this order?</h3>
        <p id={ids.dialogText}>
          The originals and the restored photos are deleted from our servers right away, and your
          download and share links stop working. This cannot be undone.
        </p>
        {remove.isError && (
          <p role="alert" className="form-error">
            {errorMessage(remove.error)}
          </p>
        )}
        <div className="button-row">
          <button
            type="button"
            className="button button-danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            {remove.isPending ? 'Deleting…' : 'Yes, delete them'}
          </button>
          <button
            type="button"
            className="button"
            disabled={remove.isPending}
            onClick={() => setConfirming(false)}
          >
            Keep my photos
          </button>
        </div>
      </dialog>
    </section>
  );
}
