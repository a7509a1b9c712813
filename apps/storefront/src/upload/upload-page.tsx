/** `/`: choose or drop photos, watch them upload, pick the restoration, enter your details and pay. */
import { CheckoutForm } from './checkout-form';
import { PhotoList } from './photo-list';
import { PhotoPicker } from './photo-picker';
import { usePhotoBasket } from './use-photo-basket';

export function UploadPage() {
  const basket = usePhotoBasket();
  const stored = basket.photos.filter((photo) => photo.state === 'uploaded').length;
  const refused = basket.photos.filter(
    (photo) => photo.state === 'rejected' || photo.state === 'failed',
  ).length;

  return (
    <>
      <title>RestoreClick — bring your old photos back</title>
      <header className="page-header">
        <h1>Bring your old photos back</h1>
        <p className="lead">
          Upload faded, scratched or torn photos. We repair every one, you follow the progress live,
          and you get the results by email and as one download.
        </p>
      </header>

      <section className="card" aria-labelledby="photos-heading">
        <h2 id="photos-heading">1. Your photos</h2>
        <PhotoPicker onFiles={basket.addFiles} />
        <PhotoList photos={basket.photos} onRemove={(key) => void basket.removePhoto(key)} />
        <p role="status" className="muted">
          {basket.photos.length > 0 && (
            <>
              {stored === 1 ? '1 photo ready' : `${stored} photos ready`}
              {basket.busy ? ', uploading…' : ''}
              {refused > 0 ? ` · ${refused} not accepted (not part of your order)` : ''}
            </>
          )}
        </p>
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">2. Restoration and your details</h2>
        <CheckoutForm
          uploadSessionId={basket.uploadSessionId}
          photoCount={stored}
          uploading={basket.busy}
        />
      </section>
    </>
  );
}
