/** Where photos come in: drop them on the zone, or choose them with the file button (keyboard and touch). */
import { type DragEvent, useId, useState } from 'react';

export function PhotoPicker({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const hintId = useId();

  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };

  return (
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="drop-title">Drag your photos here</p>
      <p className="drop-or">or</p>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept="image/*"
        aria-describedby={hintId}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared so that choosing the same photo again (after removing it) is seen as a change.
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <label htmlFor={inputId} className="button button-primary">
        Choose photos
      </label>
      <p id={hintId} className="hint">
        JPEG, PNG, WebP, TIFF, AVIF or HEIC. We check each photo as it arrives.
      </p>
    </div>
  );
}
