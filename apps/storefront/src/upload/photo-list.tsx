/** The basket: each photo with its preview, upload progress, the API's verdict beside it, and a remove button. */
import { formatBytes } from '../format';
import type { BasketPhoto } from './use-photo-basket';

interface PhotoListProps {
  photos: readonly BasketPhoto[];
  onRemove: (key: string) => void;
}

export function PhotoList({ photos, onRemove }: PhotoListProps) {
  if (photos.length === 0) {
    return <p className="empty">No photos yet. Add the ones you want restored.</p>;
  }
  return (
    <ul className="photo-list" aria-label="Your photos">
      {photos.map((photo) => (
        <PhotoListItem key={photo.key} photo={photo} onRemove={onRemove} />
      ))}
    </ul>
  );
}

function PhotoListItem({
  photo,
  onRemove,
}: {
  photo: BasketPhoto;
  onRemove: (key: string) => void;
}) {
  const errorId = `${photo.key}-error`;
  const refused = photo.state === 'rejected' || photo.state === 'failed';
  return (
    <li className={refused ? 'photo-item refused' : 'photo-item'}>
      {photo.previewUrl ? (
        <img className="photo-preview" src={photo.previewUrl} alt="" />
      ) : (
        <span className="photo-preview placeholder" aria-hidden="true" />
      )}
      <div className="photo-body">
        <p className="photo-name">
          <span>{photo.name}</span> <span className="muted">{formatBytes(photo.bytes)}</span>
        </p>
        <PhotoState photo={photo} />
        {photo.error && (
          <p id={errorId} role="alert" className="field-error">
            {photo.error}
          </p>
        )}
      </div>
      <button
        type="button"
        className="button button-quiet"
        aria-label={`Remove ${photo.name}`}
        aria-describedby={photo.error ? errorId : undefined}
        disabled={photo.state === 'uploading' || photo.state === 'removing'}
        onClick={() => onRemove(photo.key)}
      >
        Remove
      </button>
    </li>
  );
}

function PhotoState({ photo }: { photo: BasketPhoto }) {
  switch (photo.state) {
    case 'waiting':
      return <p className="muted">Waiting to upload</p>;
    case 'uploading': {
      const percent = photo.bytes > 0 ? Math.round((photo.loadedBytes / photo.bytes) * 100) : 0;
      return (
        <p className="upload-progress">
          <progress
            max={photo.bytes || 1}
            value={photo.loadedBytes}
            aria-label={`Uploading ${photo.name}`}
          />
          <span className="muted">{percent}%</span>
        </p>
      );
    }
    case 'uploaded':
      return <p className="ok">Uploaded</p>;
    case 'removing':
      return <p className="muted">Removing…</p>;
    case 'rejected':
      return <p className="problem">Not accepted</p>;
    case 'failed':
      return <p className="problem">Not uploaded</p>;
  }
}
