/**
 * One photo of the order: before and after on top of each other, with a slider (a native range input, so
 * keyboard and screen readers work) that moves the divider; its status, error and full-size links below.
 */
import { useId, useState } from 'react';
import type { OrderImage } from '@restoreclick/sdk';
import { IMAGE_STATUS_TEXT } from './order-status-text';

export function PhotoComparison({ image }: { image: OrderImage }) {
  const [divider, setDivider] = useState(50);
  const sliderId = useId();
  const before = image.originalThumbnailUrl ?? image.originalUrl;
  const after = image.restoredThumbnailUrl ?? image.restoredUrl;
  const aspectRatio = image.width && image.height ? `${image.width} / ${image.height}` : '4 / 3';

  return (
    <figure className="comparison">
      <div className="comparison-frame" style={{ aspectRatio }}>
        {before ? (
          <img src={before} alt={`${image.filename} before restoration`} />
        ) : (
          <p className="comparison-missing">
            {image.status === 'purged' ? 'Photo deleted' : 'Preview not ready yet'}
          </p>
        )}
        {after && (
          <>
            <img
              className="comparison-after"
              src={after}
              alt={`${image.filename} after restoration`}
              style={{ clipPath: `inset(0 0 0 ${divider}%)` }}
            />
            <span
              className="comparison-divider"
              style={{ left: `${divider}%` }}
              aria-hidden="true"
            />
            <span className="comparison-tag before" aria-hidden="true">
              Before
            </span>
            <span className="comparison-tag after" aria-hidden="true">
              After
            </span>
          </>
        )}
      </div>
      {after && (
        <div className="comparison-control">
          <label htmlFor={sliderId}>Compare before and after: {image.filename}</label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={100}
            step={5}
            value={divider}
            aria-valuetext={`${divider}% before, ${100 - divider}% after`}
            onChange={(event) => setDivider(Number(event.target.value))}
          />
        </div>
      )}
      <figcaption>
        <span className="photo-name">{image.filename}</span>{' '}
        <span className={`image-status image-${image.status}`}>
          {IMAGE_STATUS_TEXT[image.status]}
        </span>
        {image.error && <span className="field-error">{image.error}</span>}
        <span className="links">
          {image.originalUrl && (
            <a href={image.originalUrl} target="_blank" rel="noreferrer">
              Original<span className="visually-hidden"> of {image.filename}</span>
            </a>
          )}
          {image.restoredUrl && (
            <a href={image.restoredUrl} target="_blank" rel="noreferrer">
              Restored<span className="visually-hidden"> {image.filename}</span>
            </a>
          )}
        </span>
      </figcaption>
    </figure>
  );
}
